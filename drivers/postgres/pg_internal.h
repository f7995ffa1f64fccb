/*
 * pg_internal.h - what the files of the PostgreSQL driver share: the
 * connection object (a borch_conn subclass), opening a libpq connection
 * from URL parts, and the helpers that run one statement, check the result
 * status they expect and turn a server error into a borch_error.
 *
 * Layout of drivers/postgres/:
 *   pg_driver.c      the driver instance, connect/close, quoting
 *   pg_exec.c        scripts (split with libpg_query), queries, transactions
 *   pg_lock.c        the session-level advisory migration lock
 *   pg_introspect.c  the catalog queries that build the schema model
 *   pg_stats.c       pg_stat_statements and index usage counters (index advisor)
 *   pg_scratch.c     throwaway databases
 *   pg_explain.c     EXPLAIN (FORMAT JSON)
 *   pg_whatif.c      what-if sessions of the index advisor (HypoPG)
 *
 * Nothing of libpq leaves these files: no PGresult or PGconn is handed to
 * the core.
 */
#ifndef BORCH_PG_INTERNAL_H
#define BORCH_PG_INTERNAL_H

#include <libpq-fe.h>

#include "driver.h"

/* A PostgreSQL connection; base first so a borch_conn * casts to it. */
typedef struct pg_conn {
    borch_conn base;
    PGconn *pg;
} pg_conn;

static inline pg_conn *pg_of(borch_conn *c)
{
    return (pg_conn *)c;
}

extern const borch_driver borch_postgres_driver;

/*
 * Opens a libpq connection from url's parts (never a pasted conninfo
 * string). dbname_override, when not NULL, replaces the URL's database.
 * timeout_s <= 0 means 10 s. Fails with BORCH_EINPUT for a URL parameter
 * that is no libpq keyword and BORCH_ECONNECT (masked URL, no password) when
 * the server cannot be reached. *out is the caller's (PQfinish).
 */
int pg_open(const borch_url *url, const char *dbname_override, int timeout_s, PGconn **out,
            borch_error *err);

/*
 * Runs sql with text parameters (extended protocol: one statement only) and
 * checks that the result is PGRES_COMMAND_OK or PGRES_TUPLES_OK. On success
 * *out is the caller's (PQclear; may be NULL when out is NULL). On failure
 * err holds the server's message and SQLSTATE and the statement, and the
 * result is cleared.
 */
int pg_run(PGconn *pg, const char *sql, int nparams, const char *const *params, PGresult **out,
           borch_error *err);

/* Fills err from a failed result (message, SQLSTATE, hint) with code BORCH_ESQL. */
int pg_result_error(PGconn *pg, const PGresult *res, borch_error *err);

/*
 * Copies PQerrorMessage as one line into buf, with every password of url
 * (may be NULL) replaced by "***".
 */
void pg_conn_message(PGconn *pg, const borch_url *url, char *buf, size_t n);

/* The driver slots, one group per file (see driver.h for their contracts). */
int pg_exec_script(borch_conn *conn, const char *sql, const char *file, int first_line,
                   borch_error *err);
int pg_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
             borch_row_fn fn, void *payload, borch_error *err);
int pg_begin(borch_conn *conn, borch_error *err);
int pg_commit(borch_conn *conn, borch_error *err);
int pg_rollback(borch_conn *conn, borch_error *err);
int pg_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err);
int pg_unlock(borch_conn *conn, const char *name, borch_error *err);
int pg_introspect(borch_conn *conn, borch_schema **out, borch_error *err);
int pg_scratch_create(const borch_url *server, char **out_url, borch_error *err);
int pg_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err);
int pg_schema_fingerprint(borch_conn *conn, char out[65], borch_error *err);
int pg_scratch_copy(const borch_url *server, const char *from_db, const char *to_db,
                    char **out_url, borch_error *err);
int pg_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err);
int pg_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                   borch_whatif **out, borch_error *err);
int pg_whatif_add_index(borch_whatif *w, const char *table, const char *const *columns,
                        size_t ncolumns, int *out_id, borch_error *err);
int pg_whatif_drop_index(borch_whatif *w, int id, borch_error *err);
int pg_whatif_explain(borch_whatif *w, const char *sql, const char *const *param_columns,
                      size_t nparams, borch_whatif_plan *out, borch_error *err);
void pg_whatif_close(borch_whatif *w);

/* The advisory lock key for name in schema (NULL: "public"): a stable 64-bit hash. */
long long pg_lock_key(const char *schema, const char *name);

/* pg_stats.c: the index advisor's statistics slots (see driver.h). */
int pg_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err);
int pg_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n, char **out_since,
                   borch_error *err);

#endif
