/*
 * driver.h - the interface every database driver fills, in the manner of
 * SQLite's sqlite3_vfs: one const struct of function pointers whose first
 * member is the ABI version. New slots are only appended, under a comment
 * naming the ABI version that added them; the core checks abi_version before
 * calling a newer slot, and callers go through the borch_conn_* wrappers
 * (driver.c), which turn a missing optional slot into a clear
 * "not supported by the <name> driver" error.
 *
 * A driver never prints and never exits: it fills the borch_error it is
 * given (message, SQLSTATE/native code, failing statement and its line) and
 * returns a negative BORCH_E* code. No memory of libpq, libmariadb or sqlite3
 * escapes a driver: rows reach callers through borch_row_fn, whose pointers
 * live only for the call.
 *
 * A driver "subclasses" borch_conn by putting it first in its own struct.
 */
#ifndef BORCH_DRIVER_H
#define BORCH_DRIVER_H

#include <stddef.h>

#include "core/model.h"
#include "core/url.h"
#include "util/error.h"

#define BORCH_DRIVER_ABI_1 1
#define BORCH_DRIVER_ABI_2 2 /* index advisor: what-if sessions, workload stats, index usage */
#define BORCH_DRIVER_ABI BORCH_DRIVER_ABI_2

/* Capabilities, so callers can choose a strategy without knowing the engine. */
enum borch_driver_caps {
    BORCH_CAP_TRANSACTIONAL_DDL = 1u << 0, /* DDL rolls back with the transaction */
    BORCH_CAP_ADVISORY_LOCK = 1u << 1,     /* lock() is a server-side named lock */
    BORCH_CAP_SCRATCH = 1u << 2,           /* scratch_create/scratch_drop work */
    BORCH_CAP_EXPLAIN = 1u << 3,           /* explain() works */
    BORCH_CAP_HYPO_INDEX = 1u << 4,        /* hypothetical indexes (HypoPG) */
    BORCH_CAP_WHATIF_SCRATCH = 1u << 5,    /* whatif_open needs a throwaway database */
};

struct borch_driver;
struct borch_changes;  /* core/diff.h */
struct borch_workload; /* core/workload.h */

/* See the render slot: the text that marks DDL needing a notx section. */
#define BORCH_RENDER_NOTX_MARK "run this outside a transaction (notx)"
struct borch_buf;     /* util/buf.h */

/* Options for connect; zero means "the default". */
typedef struct borch_conn_opts {
    int connect_timeout_s; /* default 10 */
    const char *schema;    /* PostgreSQL search schema (default "public") */
    const char *history_table; /* default "borch_schema_history" */
    const char *audit_table;   /* default "borch_audit" */
    int create;                /* SQLite: create a missing file (only commands that write) */
} borch_conn_opts;

/* The base of every driver's connection object. */
typedef struct borch_conn {
    const struct borch_driver *driver; /* the driver that made this connection */
    char *url_masked;                  /* for messages; never holds a password */
    char *schema;                      /* schema/namespace (PostgreSQL), or NULL */
    char *history_table;               /* name of the history table, unquoted */
    char *audit_table;                 /* name of the audit table, unquoted */
    int in_transaction;                /* 1 between begin and commit/rollback */
    unsigned tables_known;             /* records.c: bookkeeping tables known to exist */
} borch_conn;

/*
 * Called once per result row. values[i] is NULL for SQL NULL. The pointers
 * are valid only during the call. Return 0 to go on, non-zero to stop (the
 * query then returns 0).
 */
typedef int (*borch_row_fn)(void *payload, int ncols, const char *const *names,
                            const char *const *values);

/* Summary of a query plan (filled by explain, ABI 1, optional). */
typedef struct borch_plan {
    double total_cost;  /* engine's estimated cost; SQLite: a derived score */
    char *text;         /* the plan as the engine printed it (malloc'd) */
    char *json;         /* structured plan when the engine has one, or NULL */
} borch_plan;
void borch_plan_release(borch_plan *p);

/*
 * A what-if session of the index advisor (ABI 2): a place where candidate
 * indexes can be added and dropped and queries planned as if they existed,
 * without building anything on the target. Never defined: each driver
 * keeps its own session struct and casts, as sqlite3_file subclasses do.
 */
typedef struct borch_whatif borch_whatif;

/* A plan made in a what-if session. */
typedef struct borch_whatif_plan {
    double cost;          /* comparable between plans of one query in one session */
    int *candidates_used; /* ids (from whatif_add_index) of candidates the plan uses */
    size_t ncandidates_used;
    char **indexes_used;  /* names of existing indexes (incl. PK) the plan uses */
    size_t nindexes_used;
    int full_scans;       /* table accesses that read a whole table (no index) */
    int sorts;            /* explicit sorts (temp b-tree, filesort, Sort node) */
    char *text;           /* the plan, human readable (malloc'd) */
    int index_scans;      /* accesses that walk a whole index (no search condition); with a
                             LIMIT they may stop early, without one they read it all */
} borch_whatif_plan;
void borch_whatif_plan_release(borch_whatif_plan *p);
/* For drivers filling a plan: records a candidate id / an existing index name, once each. */
void borch_whatif_plan_add_candidate(borch_whatif_plan *p, int id);
void borch_whatif_plan_add_index(borch_whatif_plan *p, const char *name);

/* The usage counter of one existing index (index_usage, ABI 2). */
typedef struct borch_index_usage {
    char *table;
    char *index;
    double scans;  /* times the index was used since stats_since */
} borch_index_usage;

typedef struct borch_driver {
    int abi_version;            /* BORCH_DRIVER_ABI_* the driver was built for */
    const char *name;           /* "sqlite", "postgres", "mysql" */
    const char *const *schemes; /* URL schemes, NULL-terminated */
    unsigned caps;              /* enum borch_driver_caps */

    /* ---- ABI 1, required ---- */

    /* Opens a connection; on failure exit-3 class errors are BORCH_ECONNECT. */
    int (*connect)(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                   borch_error *err);
    void (*close)(borch_conn *conn);
    /* Server version text, malloc'd. */
    char *(*server_version)(borch_conn *conn);

    /*
     * Runs a script of many statements, split the way the engine's own tools
     * would. On failure, err carries the engine's message, the statement and
     * err->line = first_line + the statement's line offset in sql, and
     * err->file = file (may be NULL).
     */
    int (*exec_script)(borch_conn *conn, const char *sql, const char *file, int first_line,
                       borch_error *err);

    /*
     * One statement with optional text parameters written as the dialect's
     * placeholders (see placeholder below); rows go to fn (may be NULL).
     */
    int (*query)(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                 borch_row_fn fn, void *payload, borch_error *err);

    int (*begin)(borch_conn *conn, borch_error *err);
    int (*commit)(borch_conn *conn, borch_error *err);
    int (*rollback)(borch_conn *conn, borch_error *err);

    /*
     * Takes the named migration lock, waiting up to timeout_ms; BORCH_ELOCK
     * when it could not. The lock must survive commits (session level) and
     * go away with the session if the process dies.
     */
    int (*lock)(borch_conn *conn, const char *name, int timeout_ms, borch_error *err);
    int (*unlock)(borch_conn *conn, const char *name, borch_error *err);

    /* Reads the whole schema (borch_* tables left out) into a new model. */
    int (*introspect)(borch_conn *conn, borch_schema **out, borch_error *err);

    /* Quotes an identifier for this dialect; malloc'd. */
    char *(*quote_ident)(const char *ident);
    /* Writes the placeholder for parameter i (1-based) into buf: "?" or "$1". */
    void (*placeholder)(int i, char *buf, size_t n);

    /* ---- ABI 1, optional (NULL: not supported) ---- */

    /*
     * Creates an empty throwaway database on the server of url (or a temp
     * file for SQLite) and returns its URL (malloc'd, unmasked).
     */
    int (*scratch_create)(const borch_url *server, char **out_url, borch_error *err);
    int (*scratch_drop)(const borch_url *server, const char *scratch_url, borch_error *err);

    /*
     * Copies the database named from_db on the server (it must have no
     * connections) into a new one: named to_db, or a fresh throwaway name
     * when to_db is NULL. Returns its URL. PostgreSQL: CREATE DATABASE …
     * TEMPLATE, which is faster than replaying many migrations.
     */
    int (*scratch_copy)(const borch_url *server, const char *from_db, const char *to_db,
                        char **out_url, borch_error *err);

    /* Plans one statement without running it. */
    int (*explain)(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err);

    /*
     * A hash (64 hex chars + NUL) that changes whenever the schema may have
     * changed, far cheaper than introspect; lets status skip the full
     * drift comparison when nothing moved since the last one.
     */
    int (*schema_fingerprint)(borch_conn *conn, char out[65], borch_error *err);

    /*
     * Renders a change list (core/diff.h) as this dialect's DDL, appended
     * to out (a borch_buf) one statement per line group, each ending ";".
     * from/to are the two models the list was computed from: a driver that
     * must rebuild a table (SQLite) reads the whole target table from `to`.
     * Destructive changes are preceded by a "-- warning: ..." line. DDL that
     * must not run inside a transaction says so in a warning line holding
     * BORCH_RENDER_NOTX_MARK, and `new --from-diff` then writes a notx section.
     */
    int (*render)(const borch_schema *from, const borch_schema *to,
                  const struct borch_changes *changes, struct borch_buf *out, borch_error *err);

    /* Column types of the bookkeeping tables: "TEXT", "BIGINT", ... */
    const char *text_type;      /* for long text */
    const char *key_text_type;  /* for short keys that may be indexed */
    const char *bigint_type;

    /* ---- ABI 2, optional (NULL: not supported) ---- */

    /*
     * Opens a what-if session for target, whose schema is model. Nothing is
     * ever written to target. scratch is an empty throwaway database on the
     * target's engine when caps has BORCH_CAP_WHATIF_SCRATCH (the driver may
     * copy schema, statistics or sample rows into it), else NULL. A missing
     * prerequisite (HypoPG) is BORCH_EUNSUPPORTED with a hint saying how to
     * install it.
     */
    int (*whatif_open)(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                       borch_whatif **out, borch_error *err);
    /* Adds a candidate index on table(columns); *out_id is its id (>= 0). */
    int (*whatif_add_index)(borch_whatif *w, const char *table, const char *const *columns,
                            size_t ncolumns, int *out_id, borch_error *err);
    int (*whatif_drop_index)(borch_whatif *w, int id, borch_error *err);
    /*
     * Plans one statement with the candidates added so far. The statement
     * may hold parameters ($1 or ?); param_columns[i] names the column
     * ("table.column") parameter i+1 is compared with, or is NULL, for
     * engines that must put a value in its place to plan (or type it). The
     * number of parameters is the statement's own; nparams is only the
     * length of param_columns. The session may hold the connection
     * read-only until whatif_close.
     */
    int (*whatif_explain)(borch_whatif *w, const char *sql, const char *const *param_columns,
                          size_t nparams, borch_whatif_plan *out, borch_error *err);
    void (*whatif_close)(borch_whatif *w);

    /*
     * Adds the server's statement statistics to out (PostgreSQL
     * pg_stat_statements, MySQL performance_schema digests) with their
     * calls and mean time; BORCH_EUNSUPPORTED with a hint when they are off.
     */
    int (*workload_stats)(borch_conn *conn, struct borch_workload *out, borch_error *err);

    /*
     * Usage counters of the existing indexes, where the engine keeps them;
     * *out is malloc'd (free with borch_index_usage_free), *out_since the
     * time counting started as text (malloc'd) or NULL when unknown.
     */
    int (*index_usage)(borch_conn *conn, borch_index_usage **out, size_t *out_n,
                       char **out_since, borch_error *err);
} borch_driver;

/* ---- Registry (registry.c) ---- */

/*
 * Finds the driver for a URL scheme. Returns BORCH_EINPUT for an unknown
 * scheme and BORCH_EUNSUPPORTED ("built without PostgreSQL support") for a
 * known one that this build left out.
 */
int borch_driver_for_scheme(const char *scheme, const borch_driver **out, borch_error *err);
/* The drivers built in, NULL-terminated. */
const borch_driver *const *borch_drivers(void);
/* The canonical scheme name for an alias ("postgresql" -> "postgres"), or NULL if unknown. */
const char *borch_scheme_canonical(const char *scheme);

/* ---- Wrappers (driver.c): what the core calls ---- */

/* Parses nothing: connects with the driver for url->scheme. */
int borch_conn_open(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                    borch_error *err);
void borch_conn_close(borch_conn *conn);
int borch_conn_exec(borch_conn *conn, const char *sql, const char *file, int first_line,
                    borch_error *err);
int borch_conn_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                     borch_row_fn fn, void *payload, borch_error *err);
int borch_conn_begin(borch_conn *conn, borch_error *err);
int borch_conn_commit(borch_conn *conn, borch_error *err);
int borch_conn_rollback(borch_conn *conn, borch_error *err);
/* Rolls back after a failure, keeping the caller's first error (its own is dropped). */
void borch_conn_rollback_quietly(borch_conn *conn);
int borch_conn_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err);
int borch_conn_unlock(borch_conn *conn, const char *name, borch_error *err);
int borch_conn_introspect(borch_conn *conn, borch_schema **out, borch_error *err);
int borch_conn_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err);
int borch_conn_transactional_ddl(const borch_conn *conn);
void borch_index_usage_free(borch_index_usage *u, size_t n);

/*
 * ABI 2 wrappers: a driver built for ABI 1 or leaving a slot NULL gives
 * BORCH_EUNSUPPORTED "<what> is not supported by the <name> driver".
 */
int borch_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                      borch_whatif **out, borch_error *err);
int borch_whatif_add_index(borch_conn *target, borch_whatif *w, const char *table,
                           const char *const *columns, size_t ncolumns, int *out_id,
                           borch_error *err);
int borch_whatif_drop_index(borch_conn *target, borch_whatif *w, int id, borch_error *err);
int borch_whatif_explain(borch_conn *target, borch_whatif *w, const char *sql,
                         const char *const *param_columns, size_t nparams,
                         borch_whatif_plan *out, borch_error *err);
void borch_whatif_close(borch_conn *target, borch_whatif *w);
int borch_conn_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err);
int borch_conn_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n,
                           char **out_since, borch_error *err);
/* Fills the base fields of a fresh connection (used by drivers). */
void borch_conn_base_init(borch_conn *conn, const borch_driver *driver, const borch_url *url,
                          const borch_conn_opts *opts);
void borch_conn_base_release(borch_conn *conn);

int borch_scratch_create(const borch_url *server, char **out_url, borch_error *err);
int borch_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err);

#endif
