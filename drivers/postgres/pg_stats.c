/*
 * pg_stats.c - what the server knows about the workload, for the index
 * advisor: the statements pg_stat_statements has seen in this database
 * (advise-indexes --from-stats) and how often each index of the schema
 * was scanned (pg_stat_user_indexes), to report unused ones.
 *
 * pg_stat_statements must be preloaded (shared_preload_libraries) and
 * created in the database; without either the answer is
 * BORCH_EUNSUPPORTED with a hint saying how to turn it on.
 */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/workload.h"
#include "util/buf.h"
#include "util/mem.h"

#define PGSS_HINT                                                                                  \
    "set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart the "         \
    "server, then run CREATE EXTENSION pg_stat_statements in this database (as a superuser)"

/* Where the extension lives and whether it has total_exec_time (1.8+, PostgreSQL 13+). */
static const char q_extension[] =
    "SELECT quote_ident(n.nspname),"
    " EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
    "  AND a.attname = 'total_exec_time' AND NOT a.attisdropped)"
    " FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
    " LEFT JOIN pg_class c ON c.relname = 'pg_stat_statements' AND c.relnamespace = n.oid"
    " WHERE e.extname = 'pg_stat_statements'";

/*
 * The statements of this database that the advisor can use: queries
 * (SELECT, WITH, UPDATE, DELETE) that are not borch's own bookkeeping nor
 * questions to the catalogs (borch-db's introspection, monitoring tools),
 * nor the advisor's own HypoPG calls.
 * %s: the extension's schema, then the time column.
 */
static const char q_statements[] =
    "SELECT s.query, s.calls::float8, s.%s::float8"
    " FROM %s.pg_stat_statements s"
    " WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
    "  AND s.calls > 0"
    "  AND s.query ~* '^\\s*\\(*\\s*(select|with|update|delete)\\M'"
    "  AND position(lower($1) IN lower(s.query)) = 0"
    "  AND position(lower($2) IN lower(s.query)) = 0"
    "  AND s.query !~* '\\m(pg_catalog|information_schema)\\s*\\.'"
    "  AND s.query !~* '\\mpg_(class|namespace|attribute|attrdef|index|indexes|constraint|type|"
    "proc|enum|depend|description|database|extension|roles|user|authid|settings|tables|views|"
    "sequences?|trigger|inherits|am|opclass|collation|policy|rewrite|locks|matviews|stat\\w*|"
    "statio\\w*)\\M'"
    "  AND s.query !~* '\\mpg_\\w+\\s*\\('"
    "  AND s.query !~* '\\mhypopg'"
    " ORDER BY 3 DESC, 2 DESC";

/* A missing or unloaded pg_stat_statements, as an error with the hint. */
static int pgss_unsupported(const char *why, borch_error *err)
{
    borch_error_clear(err);
    borch_error_set(err, BORCH_EUNSUPPORTED, "--from-stats needs pg_stat_statements: %s", why);
    borch_error_hint(err, "%s", PGSS_HINT);
    return BORCH_EUNSUPPORTED;
}

int pg_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err)
{
    PGconn *pg = pg_of(conn)->pg;
    PGresult *res = NULL;
    int rc = pg_run(pg, q_extension, 0, NULL, &res, err);
    if (rc)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return pgss_unsupported("the extension is not created in this database", err);
    }
    char *schema = borch_xstrdup(PQgetvalue(res, 0, 0));
    int exec_time = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);

    borch_buf q;
    borch_buf_init(&q);
    borch_buf_printf(&q, q_statements, exec_time ? "total_exec_time" : "total_time", schema);
    free(schema);
    const char *params[2] = {conn->history_table ? conn->history_table : "borch_schema_history",
                             conn->audit_table ? conn->audit_table : "borch_audit"};
    rc = pg_run(pg, q.data, 2, params, &res, err);
    borch_buf_release(&q);
    if (rc) {
        /* 55000: "pg_stat_statements must be loaded via shared_preload_libraries" */
        if (strcmp(err->sqlstate, "55000") == 0)
            return pgss_unsupported("the library is not loaded (shared_preload_libraries)", err);
        return rc;
    }
    out->format = "pg_stat_statements";
    for (int i = 0; i < PQntuples(res); i++) {
        double calls = strtod(PQgetvalue(res, i, 1), NULL);
        double ms = PQgetisnull(res, i, 2) ? -1 : strtod(PQgetvalue(res, i, 2), NULL);
        borch_workload_add(out, PQgetvalue(res, i, 0), NULL, 0, calls, ms);
    }
    PQclear(res);
    return 0;
}

/* The indexes of the schema (primary keys and borch's tables left out) and their scans. */
static const char q_usage[] =
    "SELECT s.relname, s.indexrelname, s.idx_scan::float8"
    " FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid"
    " WHERE s.schemaname = coalesce($1, current_schema()) AND NOT i.indisprimary"
    "  AND s.relname NOT LIKE 'borch\\_%' AND s.relname <> $2 AND s.relname <> $3"
    " ORDER BY 1, 2";

/* Counting starts at the last reset of this database's statistics, else at server start. */
static const char q_since[] =
    "SELECT to_char(coalesce(pg_stat_get_db_stat_reset_time(d.oid), pg_postmaster_start_time())"
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    " FROM pg_database d WHERE d.datname = current_database()";

int pg_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n, char **out_since,
                   borch_error *err)
{
    PGconn *pg = pg_of(conn)->pg;
    *out = NULL;
    *out_n = 0;
    *out_since = NULL;
    /* inside a transaction the statistics are a snapshot taken at first use */
    int rc = pg_run(pg, "SELECT pg_stat_clear_snapshot()", 0, NULL, NULL, err);
    if (rc)
        return rc;
    const char *params[3] = {conn->schema && *conn->schema ? conn->schema : NULL,
                             conn->history_table ? conn->history_table : "borch_schema_history",
                             conn->audit_table ? conn->audit_table : "borch_audit"};
    PGresult *res = NULL;
    rc = pg_run(pg, q_usage, 3, params, &res, err);
    if (rc)
        return rc;
    size_t n = (size_t)PQntuples(res);
    borch_index_usage *u = n ? borch_xcalloc(n, sizeof *u) : NULL;
    for (size_t i = 0; i < n; i++) {
        u[i].table = borch_xstrdup(PQgetvalue(res, (int)i, 0));
        u[i].index = borch_xstrdup(PQgetvalue(res, (int)i, 1));
        u[i].scans = strtod(PQgetvalue(res, (int)i, 2), NULL);
    }
    PQclear(res);
    rc = pg_run(pg, q_since, 0, NULL, &res, err);
    if (rc) {
        borch_index_usage_free(u, n);
        return rc;
    }
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        *out_since = borch_xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    *out = u;
    *out_n = n;
    return 0;
}
