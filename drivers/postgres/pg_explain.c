/*
 * pg_explain.c - plans one statement with EXPLAIN (FORMAT JSON), which
 * plans without running it, and reads the top plan's "Total Cost" for the
 * index advisor. The text form is asked for too, for people to read.
 */
#include "pg_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/*
 * Runs EXPLAIN (fmt) sql and returns its rows joined by '\n' in *out. The
 * extended protocol accepts one statement only, so a second statement
 * smuggled into sql ("SELECT 1; DROP TABLE t") is refused, never run.
 */
static int explain_as(PGconn *pg, const char *fmt, const char *sql, char **out, borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "EXPLAIN (%s) %s", fmt, sql);
    PGresult *res;
    int rc = pg_run(pg, b.data, 0, NULL, &res, err);
    borch_buf_clear(&b);
    if (rc) {
        borch_buf_release(&b);
        if (err) { /* show the statement as the user wrote it */
            borch_error_statement(err, sql);
        }
        return rc;
    }
    for (int r = 0; r < PQntuples(res); r++) {
        if (r)
            borch_buf_putc(&b, '\n');
        borch_buf_puts(&b, PQgetvalue(res, r, 0));
    }
    PQclear(res);
    *out = b.data; /* the buffer is handed over whole */
    return 0;
}

int pg_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err)
{
    PGconn *pg = pg_of(conn)->pg;
    memset(out, 0, sizeof(*out));
    int rc = explain_as(pg, "FORMAT JSON", sql, &out->json, err);
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *doc = json_loads(out->json, 0, &jerr);
    json_t *cost = json_object_get(json_object_get(json_array_get(doc, 0), "Plan"), "Total Cost");
    if (!json_is_number(cost)) {
        json_decref(doc);
        borch_plan_release(out);
        return borch_error_set(err, BORCH_EFAIL, "the server's plan has no 'Total Cost'");
    }
    out->total_cost = json_number_value(cost);
    json_decref(doc);
    rc = explain_as(pg, "FORMAT TEXT", sql, &out->text, err);
    if (rc)
        borch_plan_release(out);
    return rc;
}
