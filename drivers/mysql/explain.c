/*
 * explain.c - plans through EXPLAIN FORMAT=JSON.
 *
 * MySQL puts the optimizer's cost at query_block.cost_info.query_cost and
 * newer MariaDB at query_block.cost; MariaDB 10.x gives no cost at all, so
 * a score is derived from the plan instead: the rows each table access
 * reads, times the rows the accesses before it in the same nested loop pass
 * on (their rows x filtered / 100), summed. It counts rows touched, which
 * is what an index changes, so it ranks plans of one query the way a cost
 * would, but it is not comparable with MySQL's cost units.
 */
#include "mysql/mysql_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/* A number the plan wrote as a JSON number or as a string ("1.25"). */
static double as_number(const json_t *v, double dflt)
{
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v))
        return strtod(json_string_value(v), NULL);
    return dflt;
}

/*
 * Adds up the rows touched under node. fanout is the number of rows the
 * accesses before this point in the current nested loop pass on.
 */
static void walk(const json_t *node, double *fanout, double *score)
{
    if (json_is_array(node)) {
        size_t i;
        const json_t *v;
        json_array_foreach(node, i, v) walk(v, fanout, score);
        return;
    }
    if (!json_is_object(node))
        return;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)node, key, v)
    {
        if (strcmp(key, "table") == 0 && json_is_object(v)) {
            const json_t *rows = json_object_get(v, "rows");
            if (!rows)
                rows = json_object_get(v, "rows_examined_per_scan");
            double r = as_number(rows, 1);
            double filtered = as_number(json_object_get(v, "filtered"), 100);
            *score += *fanout * r;
            *fanout *= r * filtered / 100.0;
            double inner = 1;
            walk(v, &inner, score); /* subqueries attached to the table */
        } else if (strcmp(key, "nested_loop") == 0 || strcmp(key, "query_block") == 0) {
            double inner = 1;
            walk(v, &inner, score);
        } else {
            walk(v, fanout, score);
        }
    }
}

/* The cost the engine gave, else the derived score (see the file comment). */
static double plan_cost(const json_t *root)
{
    const json_t *qb = json_object_get(root, "query_block");
    const json_t *ci = json_object_get(qb, "cost_info");
    const json_t *cost = json_object_get(ci, "query_cost");
    if (cost)
        return as_number(cost, 0);
    cost = json_object_get(qb, "cost");
    if (cost)
        return as_number(cost, 0);
    double fanout = 1, score = 0;
    walk(root, &fanout, &score);
    return score;
}

int borch_mysql_plan_cost(const char *json, double *out)
{
    json_t *root = json_loads(json, 0, NULL);
    if (!root)
        return -1;
    *out = plan_cost(root);
    json_decref(root);
    return 0;
}

/* Keeps the first column of the first row. */
static int keep_first(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    char **out = payload;
    if (ncols > 0 && values[0] && !*out)
        *out = borch_xstrdup(values[0]);
    return 1;
}

int borch_mysql_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "EXPLAIN FORMAT=JSON ");
    size_t n = strlen(sql);
    while (n > 0 && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
                     sql[n - 1] == '\t' || sql[n - 1] == '\r'))
        n--;
    borch_buf_append(&q, sql, n);
    char *text = NULL;
    int rc = borch_mysql_query(conn, q.data, 0, NULL, keep_first, &text, err);
    if (rc) {
        borch_error_statement(err, sql);
        goto done;
    }
    if (!text) {
        rc = borch_error_set(err, BORCH_ESQL, "EXPLAIN returned no plan");
        goto done;
    }
    if (borch_mysql_plan_cost(text, &out->total_cost) != 0) {
        rc = borch_error_set(err, BORCH_ESQL, "cannot read the plan the server gave");
        goto done;
    }
    out->json = borch_xstrdup(text);
    out->text = text;
    text = NULL;
done:
    free(text);
    borch_buf_release(&q);
    return rc;
}
