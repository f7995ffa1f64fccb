/*
 * sqlscan_dml.c - UPDATE and DELETE: the updated or deleted tables (with
 * MySQL's multi-table forms and PostgreSQL's FROM / USING), SET targets
 * checked against the model, then WHERE, ORDER BY, LIMIT and RETURNING as
 * for SELECT. Parameters assigned to a column (SET col = $1) map to it.
 */
#include <limits.h>
#include <string.h>

#include "core/sqlscan_internal.h"

/* RETURNING a, b / * */
static int returning(parser *p, scope *sc)
{
    if (!take_kw(p, "returning"))
        return 0;
    do {
        if (sqlscan_select_item(p, sc) < 0)
            return -1;
    } while (take(p, T_COMMA));
    return 0;
}

/* WHERE, ORDER BY, LIMIT and RETURNING of UPDATE and DELETE. */
static int dml_tail(parser *p, scope *sc)
{
    if (take_kw(p, "where")) {
        if (sqlscan_kw(cur(p), "current") && sqlscan_kw(peek(p, 1), "of"))
            return sqlscan_syntax_error(p, cur(p));
        node *w = sqlscan_expr(p, sc);
        if (!w)
            return -1;
        sqlscan_classify(p, w, 0, INT_MAX);
    }
    if (take_kw(p, "order")) {
        size_t n;
        order_term *terms;
        if (sqlscan_expect_kw(p, "by") < 0 || !(terms = sqlscan_order_list(p, sc, &n)))
            return -1;
        sqlscan_set_sort(p, sc, terms, n, 0);
    }
    if (sqlscan_limit(p, sc, 1) < 0)
        return -1;
    return returning(p, sc);
}

/* One SET target: a column of the updated tables. */
static node *set_target(parser *p, scope *sc)
{
    token *parts[3];
    size_t np = 0;
    do {
        token *t = cur(p);
        if (t->kind != T_IDENT && t->kind != T_QIDENT) {
            sqlscan_syntax_error(p, t);
            return NULL;
        }
        advance(p);
        if (np == 3) {
            parts[0] = parts[1];
            parts[1] = parts[2];
            np = 2;
        }
        parts[np++] = t;
    } while (take(p, T_DOT));
    node *n = sqlscan_alloc(p->a, sizeof(*n));
    n->kind = N_COL;
    n->use = -1;
    n->name = n->column = parts[np - 1]->text;
    if (sqlscan_resolve(p, sc, n, np > 1 ? parts[np - 2] : NULL, parts[np - 1]) < 0)
        return NULL;
    return n;
}

/* SET a = x, (b, c) = (y, z) */
static int set_list(parser *p, scope *sc)
{
    do {
        node *target = NULL;
        if (take(p, T_LPAREN)) {
            do {
                if (!set_target(p, sc))
                    return -1;
            } while (take(p, T_COMMA));
            if (sqlscan_expect(p, T_RPAREN) < 0)
                return -1;
        } else if (!(target = set_target(p, sc))) {
            return -1;
        }
        if (!at_op(p, "="))
            return sqlscan_syntax_error(p, cur(p));
        advance(p);
        node *value = sqlscan_expr(p, sc);
        if (!value)
            return -1;
        if (target) { /* SET col = $1: the parameter is a value of col */
            node cmp = {.kind = N_CMP, .op = C_EQ, .a = target, .b = value};
            sqlscan_map_params(p, &cmp);
        }
    } while (take(p, T_COMMA));
    return 0;
}

static const char *const after_set[] = {"from", "where", "order", "limit", "returning", NULL};

/* UPDATE [ONLY] t [AS a] [JOIN ...] SET ... [FROM ...] [WHERE ...] */
int sqlscan_update(parser *p, scope *parent)
{
    advance(p);
    scope *sc = sqlscan_scope_new(p, parent);
    while (take_kw(p, "low_priority") || take_kw(p, "ignore"))
        ;
    if (take_kw(p, "or")) /* SQLite UPDATE OR REPLACE */
        advance(p);
    if (sqlscan_table_refs(p, sc) < 0 || sqlscan_expect_kw(p, "set") < 0)
        return -1;
    size_t set = p->pos;
    size_t from = sqlscan_find_clause(p, after_set);
    size_t after = from;
    if (sqlscan_kw(&p->t[from], "from")) {
        p->pos = from + 1;
        if (sqlscan_table_refs(p, sc) < 0)
            return -1;
        after = p->pos;
    }
    p->pos = set;
    if (set_list(p, sc) < 0)
        return -1;
    if (p->pos != from)
        return sqlscan_syntax_error(p, cur(p));
    p->pos = after;
    return dml_tail(p, sc);
}

/* DELETE [FROM] t [USING ...] [WHERE ...]; MySQL DELETE t1 FROM t1 JOIN t2 ... */
int sqlscan_delete(parser *p, scope *parent)
{
    advance(p);
    scope *sc = sqlscan_scope_new(p, parent);
    while (take_kw(p, "low_priority") || take_kw(p, "quick") || take_kw(p, "ignore"))
        ;
    if (!sqlscan_kw(cur(p), "from")) { /* the target names, aliases of the FROM list */
        while (cur(p)->kind != T_EOF && !sqlscan_kw(cur(p), "from"))
            advance(p);
    }
    if (sqlscan_expect_kw(p, "from") < 0 || sqlscan_table_refs(p, sc) < 0)
        return -1;
    if (take_kw(p, "using") && sqlscan_table_refs(p, sc) < 0)
        return -1;
    return dml_tail(p, sc);
}
