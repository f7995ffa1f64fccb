/*
 * sqlscan.h - what a query asks of each table, for the index advisor:
 * the columns it compares with a constant (equality, IN, IS NULL), the
 * ones it bounds (<, >, BETWEEN, LIKE 'prefix%'), the ones it joins on,
 * sorts and groups by, and the ones it reads. A small tokenizer and a
 * recursive reader of SELECT / UPDATE / DELETE in the common dialect of
 * SQLite, PostgreSQL and MySQL; names are resolved against the schema
 * model, so a missing table or column is found before any plan is asked.
 *
 * Only conjunctive predicates (joined by AND at the top of WHERE / ON)
 * are index-worthy; columns under OR, functions or arithmetic are read
 * (for covering) but not classified.
 */
#ifndef BORCH_SQLSCAN_H
#define BORCH_SQLSCAN_H

#include <stddef.h>

#include "core/model.h"
#include "util/error.h"
#include "util/mem.h"

enum borch_stmt_kind {
    BORCH_STMT_SELECT,
    BORCH_STMT_UPDATE,
    BORCH_STMT_DELETE,
    BORCH_STMT_OTHER, /* INSERT, DDL, ...: nothing for the advisor */
};

/* One appearance of a table in a query (a self-join gives two). */
typedef struct borch_table_use {
    char *table;        /* the table's name as in the model */
    char *alias;        /* or NULL */
    borch_strv eq;      /* col = const/param, col IN (...), col IS NULL; first-seen order */
    borch_strv range;   /* col < > <= >= BETWEEN, col LIKE 'abc%' */
    borch_strv join;    /* col = other_table.col (inner side of a join) */
    borch_strv order;   /* ORDER BY columns, when every ORDER BY term is a column of this table */
    int order_desc;     /* 1 when all those terms are DESC (mixed directions: order left empty) */
    borch_strv group;   /* GROUP BY columns of this table, when all terms are its columns */
    borch_strv used;    /* every column of this table the query mentions */
    int star;           /* SELECT * or t.* reads every column */
} borch_table_use;

typedef struct borch_query_shape {
    enum borch_stmt_kind kind;
    borch_table_use *tables;
    size_t ntables, cap;
    /*
     * One entry per parameter ($n or ?) in order of number/appearance:
     * "table.column" it is compared with, or NULL when unknown.
     */
    borch_strv params;
    int has_limit;      /* a LIMIT (an index on the ORDER BY columns may stop early) */
} borch_query_shape;

/*
 * Reads sql against model. Names compare case-insensitively; quoted
 * identifiers ("x", `x`, [x]) keep their case. On a syntax error or a
 * table/column not in the model returns BORCH_EINPUT with a message such
 * as "table 'ordrs' does not exist (did you mean 'orders'?)" and err->line
 * / err->column set to the 1-based position inside sql. Views and CTE
 * names are accepted and contribute no table use.
 */
int borch_sqlscan(const char *sql, const borch_schema *model, borch_query_shape *out,
                  borch_error *err);

void borch_query_shape_release(borch_query_shape *s);

#endif
