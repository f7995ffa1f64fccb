/*
 * explain.c - plans through EXPLAIN FORMAT=JSON.
 *
 * MySQL puts the optimizer's cost at query_block.cost_info.query_cost and
 * newer MariaDB at query_block.cost; MariaDB 10.x gives no cost at all, so
 * a score is derived from the plan instead: the rows each table access
 * reads, times the rows the accesses before it in the same nested loop pass
 * on (their rows x filtered / 100), summed, plus the rows each sort sorts.
 * It counts rows touched, which is what an index changes, so it ranks plans
 * of one query the way a cost would, but it is not comparable with MySQL's
 * cost units. The walk is whatif_explain.c's, shared with the advisor.
 */
#include "mysql/mysql_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/*
 * The cost the engine gave, else the derived score (see the file comment):
 * the what-if sessions' plan reader, without a session, so that one walk
 * of the JSON plan serves both.
 */
int borch_mysql_plan_cost(const char *json, double *out)
{
    borch_whatif_plan p;
    if (borch_mysql_wi_read_plan(NULL, json, &p) != 0)
        return -1;
    *out = p.cost;
    borch_whatif_plan_release(&p);
    return 0;
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
    int rc = borch_mysql_scalar((borch_mysql_conn *)conn, q.data, &text, err);
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
