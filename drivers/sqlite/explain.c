/*
 * explain.c - EXPLAIN QUERY PLAN for the index advisor.
 *
 * SQLite gives no cost, only the plan's steps, so the driver derives a
 * score that orders plans the way their real cost would (larger is worse):
 *
 *   SCAN t (full table scan)                    1000
 *   SCAN t USING [COVERING] INDEX i             500 (walks the whole index)
 *   SEARCH t USING AUTOMATIC ... INDEX          50  (index built per query)
 *   SEARCH t USING [COVERING] INDEX i (a=?)     5
 *   SEARCH t USING INTEGER PRIMARY KEY / PK     1
 *   USE TEMP B-TREE FOR ORDER BY / GROUP BY     +100 (added once per use)
 *
 * Rows under one parent that scan or search tables are the loops of one
 * join, outermost first, so their weights multiply; groups add up. The text
 * is the plan's detail lines, indented two spaces per level.
 */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/* The weight of one plan row that loops over a table, or 0 for other rows. */
static double loop_weight(const char *detail)
{
    if (strncmp(detail, "SCAN ", 5) == 0)
        return strstr(detail, " USING ") && strstr(detail, "INDEX") ? 500 : 1000;
    if (strncmp(detail, "SEARCH ", 7) == 0) {
        if (strstr(detail, "AUTOMATIC"))
            return 50;
        if (strstr(detail, "PRIMARY KEY"))
            return 1;
        return 5;
    }
    return 0;
}

typedef struct plan_row {
    int id;
    int parent;
    int depth;
    double weight;
} plan_row;

/* Applies the scoring described at the top of the file. */
static double plan_score(const plan_row *rows, size_t n, double extra)
{
    double total = extra;
    /* Each distinct parent's loop rows form one nested loop. */
    for (size_t i = 0; i < n; i++) {
        if (rows[i].weight == 0)
            continue;
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (rows[j].parent == rows[i].parent && rows[j].weight != 0)
                first = 0;
        if (!first)
            continue;
        double product = 1;
        for (size_t j = i; j < n; j++)
            if (rows[j].parent == rows[i].parent && rows[j].weight != 0)
                product *= rows[j].weight;
        total += product;
    }
    return total;
}

int borch_sqlite_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "EXPLAIN QUERY PLAN ");
    borch_buf_puts(&q, sql);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, q.data, -1, &st, NULL);
    borch_buf_release(&q);
    if (rc != SQLITE_OK) {
        int code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
        return code;
    }
    if (!st)
        return borch_error_set(err, BORCH_EINPUT, "nothing to explain");

    plan_row *rows = NULL;
    size_t n = 0, cap = 0;
    double extra = 0;
    borch_buf text;
    borch_buf_init(&text);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        if (!detail)
            detail = "";
        borch_grow((void **)&rows, &cap, n + 1, sizeof(*rows));
        plan_row *r = &rows[n++];
        r->id = sqlite3_column_int(st, 0);
        r->parent = sqlite3_column_int(st, 1);
        r->depth = 0;
        for (size_t j = 0; j + 1 < n; j++)
            if (rows[j].id == r->parent)
                r->depth = rows[j].depth + 1;
        r->weight = loop_weight(detail);
        if (strncmp(detail, "USE TEMP B-TREE", 15) == 0)
            extra += 100;
        for (int d = 0; d < r->depth; d++)
            borch_buf_puts(&text, "  ");
        borch_buf_puts(&text, detail);
        borch_buf_putc(&text, '\n');
    }
    int code = 0;
    if (rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
        borch_buf_release(&text);
    } else {
        out->total_cost = plan_score(rows, n, extra);
        out->text = borch_buf_detach(&text);
        borch_buf_release(&text);
    }
    free(rows);
    sqlite3_finalize(st);
    return code;
}
