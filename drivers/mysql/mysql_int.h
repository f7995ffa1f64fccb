/*
 * mysql_int.h - what the files of the MySQL/MariaDB driver share: the
 * connection object and the helpers that turn client-library errors into a
 * borch_error. Not for use outside drivers/mysql/.
 *
 * Files: mysql.c (the vtable, connect, statements, transactions, locks),
 * split.c (script splitter), introspect.c (information_schema -> model),
 * scratch.c (throwaway databases), explain.c (EXPLAIN FORMAT=JSON).
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
