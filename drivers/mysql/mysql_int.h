/*
 * mysql_int.h - what the files of the MySQL/MariaDB driver share: the
 * connection object and the helpers that turn client-library errors into a
 * borch_error. Not for use outside drivers/mysql/.
 *
 * Files: mysql.c (the vtable, connect, statements, transactions, locks),
 * split.c (script splitter), introspect.c (information_schema -> model),
 * scratch.c (throwaway databases), explain.c (EXPLAIN FORMAT=JSON),
 * whatif.c, whatif_copy.c and whatif_explain.c (what-if sessions of the
 * index advisor, docs/advise-mysql.md).
 */
#ifndef BORCH_MYSQL_INT_H
#define BORCH_MYSQL_INT_H

#include <mysql.h>

#include "driver.h"
#include "util/buf.h"

/* A connection: the base first, so a borch_conn* is a my_conn*. */
typedef struct borch_mysql_conn {
    borch_conn base;
    MYSQL *db;             /* the client handle */
    char *database;        /* the URL's database, or NULL */
    int mariadb;           /* 1 when the server is MariaDB */
    unsigned long version; /* mysql_get_server_version: 100611, 80036, ... */
} borch_mysql_conn;

extern const borch_driver borch_mysql_driver;

/*
 * Opens a client connection for url (used by connect and by the scratch
 * functions, which need no borch_conn). On failure fills err with
 * BORCH_ECONNECT naming masked (the masked URL) and returns NULL.
 */
MYSQL *borch_mysql_open(const borch_url *url, int timeout_s, const char *masked, borch_error *err);

/*
 * Fills err from the last error of db: BORCH_ESQL, SQLSTATE, "ERROR <errno>:
 * <message>" and the statement (may be NULL). Returns BORCH_ESQL.
 */
int borch_mysql_fail(MYSQL *db, const char *sql, borch_error *err);

/* Runs one statement without parameters and throws away any result sets. */
int borch_mysql_run(MYSQL *db, const char *sql, borch_error *err);

/* The vtable slots that live outside mysql.c (see driver.h for contracts). */
int borch_mysql_exec_script(borch_conn *conn, const char *sql, const char *file, int first_line,
                            borch_error *err);
int borch_mysql_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                      borch_row_fn fn, void *payload, borch_error *err);
int borch_mysql_begin(borch_conn *conn, borch_error *err);
int borch_mysql_commit(borch_conn *conn, borch_error *err);
int borch_mysql_rollback(borch_conn *conn, borch_error *err);
int borch_mysql_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err);
int borch_mysql_unlock(borch_conn *conn, const char *name, borch_error *err);
int borch_mysql_introspect(borch_conn *conn, borch_schema **out, borch_error *err);
int borch_mysql_scratch_create(const borch_url *server, char **out_url, borch_error *err);
int borch_mysql_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err);
int borch_mysql_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err);
/* stats.c: performance_schema statement digests and index usage (index advisor) */
int borch_mysql_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err);
int borch_mysql_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n,
                            char **out_since, borch_error *err);

/*
 * The server-wide GET_LOCK name for a migration lock called name in
 * database (may be NULL): "<database>.<name>", or, when that is longer
 * than the server's 64 characters, its first 23 characters, '-' and 40 hex
 * digits of its SHA-256. Writes into out (65 bytes).
 */
void borch_mysql_lock_name(const char *database, const char *name, char out[65]);

/* ---- normalize.c: catalog text -> model text (see introspect.c) ---- */

/* A lowercased copy, quoted parts ('Active') left alone; malloc'd. */
char *borch_mysql_lower(const char *s);
/* COLUMN_TYPE -> type: "int(11) unsigned" -> "int unsigned", keeps tinyint(1); malloc'd. */
char *borch_mysql_norm_type(const char *column_type);
/*
 * COLUMN_DEFAULT -> SQL text ('abc', 0, current_timestamp()), or NULL for no
 * default. mariadb/version say how the server writes it: MariaDB 10.2.7+
 * quotes already and says 'NULL' for none; MySQL gives raw text and marks
 * expressions DEFAULT_GENERATED in extra. malloc'd.
 */
char *borch_mysql_norm_default(int mariadb, unsigned long version, const char *def,
                               const char *data_type, const char *extra);
/* Removes one pair of parentheses around the whole of s, in place. */
void borch_mysql_strip_parens(char *s);
/* A copy of a view definition without its "`<database>`." qualifiers. */
char *borch_mysql_unqualify(const char *def, const char *database);
/* The plan's cost, or the derived score (see explain.c); -1 when json does not parse. */
int borch_mysql_plan_cost(const char *json, double *out);

/* ---- whatif*.c: what-if sessions of the index advisor (docs/advise-mysql.md) ---- */

#define BORCH_MYSQL_WHATIF_ROW_CAP 100000L        /* rows copied per table by default */
#define BORCH_MYSQL_WHATIF_PREFIX "borch_whatif_" /* candidate names: prefix + id */

/* A column of a copied table, as the target's catalog describes it. */
typedef struct borch_mysql_wi_column {
    char *table;
    char *name;
    char *data_type; /* information_schema DATA_TYPE, lowercase: "int", "text" */
    int generated;   /* 1 for a generated column, which is never copied */
    long max_bytes;  /* CHARACTER_OCTET_LENGTH, -1 for types that have none */
} borch_mysql_wi_column;

/*
 * An index of the copy that candidates use. Building one is the slow part
 * of a session, so it is built once, for all the candidates of its table
 * added since the last plan in one ALTER TABLE, and a dropped candidate's
 * index is only hidden from the optimizer (IGNORED / INVISIBLE) where the
 * server can, to be shown again when a candidate on the same key comes.
 */
typedef struct borch_mysql_wi_index {
    char *table;
    char *key;   /* the key part list as written in ADD INDEX: "`a`, `b`(20)" */
    int owner;   /* the live candidate using it, -1 for none */
    int built;   /* 1 once it exists in the copy */
    int visible; /* 1 when the optimizer sees it (once built) */
    int gone;    /* 1 once dropped from the copy for good */
    int used;    /* 1 once a plan used it: worth hiding rather than dropping */
} borch_mysql_wi_index;

/* A candidate index; ids are positions in borch_whatif.cands. */
typedef struct borch_mysql_wi_candidate {
    char *table;
    size_t index; /* its borch_whatif.indexes entry */
    int live;     /* 0 once dropped */
} borch_mysql_wi_candidate;

/* A value chosen for a parameter compared with table.column (cached). */
typedef struct borch_mysql_wi_param {
    char *key;     /* "table.column" */
    char *literal; /* SQL literal to put in place of the parameter */
} borch_mysql_wi_param;

/* A plan the server gave: the EXPLAIN and the candidate indexes it saw, with its JSON. */
typedef struct borch_mysql_wi_memo {
    unsigned long hash; /* of key */
    char *key;          /* the EXPLAIN statement, a newline, the visible candidate indexes */
    char *json;
} borch_mysql_wi_memo;

/* The session: a sample copy of the target in the scratch database. */
struct borch_whatif {
    borch_mysql_conn *target;  /* only read from */
    borch_mysql_conn *scratch; /* the copy lives in its database */
    long row_cap;              /* rows copied per table at most */
    int same_server;           /* rows copied with INSERT ... SELECT across databases */
    borch_strv tables;         /* the tables copied */
    borch_strv sampled;        /* those of them whose target held more than row_cap rows */
    borch_strv eits_tables;    /* MariaDB: tables the target has engine-independent stats for */
    borch_strv index_names;    /* names of the copy's own indexes (plans may name them) */
    borch_strv views;          /* the copy's views (a plan of a view may read any table) */
    borch_mysql_wi_column *columns;
    size_t ncolumns, capcolumns;
    borch_mysql_wi_candidate *cands;
    size_t ncands, capcands;
    borch_mysql_wi_index *indexes; /* named BORCH_MYSQL_WHATIF_PREFIX + position */
    size_t nindexes, capindexes;
    borch_mysql_wi_memo *memo; /* plans already made, asked for again by the same state */
    size_t nmemo, capmemo;
    long *key_bytes; /* per tables entry: the longest key it surely takes (0: unknown) */
    int can_hide;    /* the server can hide an index (MariaDB 10.6+ IGNORED, MySQL 8 INVISIBLE) */
    int eager;       /* build each candidate when it is added (tests: the old way) */
    borch_mysql_wi_param *params;
    size_t nparams, capparams;
};

/* Options of a what-if session; zero means the default. */
typedef struct borch_mysql_whatif_opts {
    long row_cap;    /* rows copied per table; default BORCH_MYSQL_WHATIF_ROW_CAP */
    int force_fetch; /* copy rows through the client even on one server (tests) */
    int no_hide;     /* drop candidates' indexes for real, as servers that cannot hide (tests) */
    int eager;       /* build each candidate's index when it is added (tests) */
} borch_mysql_whatif_opts;

/* The whatif_* slots (driver.h, ABI 2). */
int borch_mysql_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                            borch_whatif **out, borch_error *err);
int borch_mysql_whatif_open_with(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                                 const borch_mysql_whatif_opts *opts, borch_whatif **out,
                                 borch_error *err);
int borch_mysql_whatif_add_index(borch_whatif *w, const char *table, const char *const *columns,
                                 size_t ncolumns, int *out_id, borch_error *err);
int borch_mysql_whatif_drop_index(borch_whatif *w, int id, borch_error *err);
int borch_mysql_whatif_explain(borch_whatif *w, const char *sql, const char *const *param_columns,
                               size_t nparams, borch_whatif_plan *out, borch_error *err);
void borch_mysql_whatif_close(borch_whatif *w);

/* The first column of the first row of sql on c (malloc'd, NULL for SQL NULL or no row). */
int borch_mysql_scalar(borch_mysql_conn *c, const char *sql, char **out, borch_error *err);
/* A backtick-quoted identifier appended to b. */
void borch_mysql_put_ident(borch_buf *b, const char *ident);
/* The copied table named like table (exact, else ignoring case), or NULL. */
const char *borch_mysql_wi_find_table(const borch_whatif *w, const char *table);
/* Appends a quoted, escaped string literal (escaped for c's character set) to b. */
void borch_mysql_wi_put_literal(borch_buf *b, borch_mysql_conn *c, const char *s);
/* The copied column table.name, or NULL (names compared as the server would: no case). */
const borch_mysql_wi_column *borch_mysql_wi_find_column(const borch_whatif *w, const char *table,
                                                        const char *name);
/* Reads the target's column list (whatif_copy.c). */
int borch_mysql_wi_read_columns(borch_whatif *w, borch_error *err);
/* Copies one table's definition and up to row_cap of its rows, then analyzes it. */
int borch_mysql_wi_copy_table(borch_whatif *w, const char *table, borch_error *err);
/* 1 when data_type holds text or bytes that need a prefix to be indexed. */
int borch_mysql_wi_needs_prefix(const char *data_type);
/* Builds, hides and shows the copy's candidate indexes as the candidates say (whatif_index.c). */
int borch_mysql_wi_sync(borch_whatif *w, borch_error *err);
/*
 * Appends the numbers of the candidate indexes a plan of sql would see
 * ("0,3,7"), leaving out those on tables sql cannot read, to out.
 */
void borch_mysql_wi_put_state(const borch_whatif *w, const char *sql, borch_buf *out);
/* The live candidate whose index is named name, or -1. */
int borch_mysql_wi_candidate_of(const borch_whatif *w, const char *name);
/* Parses the JSON of an EXPLAIN into out (whatif_explain.c); -1 when it does not parse. */
int borch_mysql_wi_read_plan(const borch_whatif *w, const char *json, borch_whatif_plan *out);

/*
 * Hands b's text to the caller and frees b. (borch_buf_detach alone leaves
 * b holding a fresh allocation, which would leak here.)
 */
static inline char *borch_mysql_take(borch_buf *b)
{
    char *s = borch_buf_detach(b);
    borch_buf_release(b);
    return s;
}

#endif
