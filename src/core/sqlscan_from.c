/*
 * sqlscan_from.c - FROM lists and joins, and the sorting of predicates
 * into what each table use is asked for.
 *
 * A FROM list is comma-separated join trees; a join tree is a factor
 * (table, derived table, table function, parenthesized join) followed by
 * JOINs. Which uses an ON clause may classify depends on the join: all of
 * them for INNER, the right-hand side for LEFT (the left rows are all
 * kept, whatever ON says), the left-hand side for RIGHT, none for FULL.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan_internal.h"

enum join_kind { J_INNER, J_LEFT, J_RIGHT, J_FULL };

const char *sqlscan_alias(parser *p, int strings)
{
    if (take_kw(p, "as")) {
        token *t = cur(p);
        if (t->kind == T_IDENT || t->kind == T_QIDENT || (strings && t->kind == T_STRING))
            return advance(p)->text;
        sqlscan_syntax_error(p, t);
        return NULL;
    }
    token *t = cur(p);
    if (t->kind == T_QIDENT || (strings && t->kind == T_STRING) ||
        (t->kind == T_IDENT && !sqlscan_reserved(t)))
        return advance(p)->text;
    return NULL;
}

/* 1 when the tokens from the current one read '('+ then SELECT, WITH or VALUES. */
static int at_deep_subquery(parser *p)
{
    size_t k = 0;
    while (peek(p, k)->kind == T_LPAREN)
        k++;
    token *t = peek(p, k);
    return k > 0 && (sqlscan_kw(t, "select") || sqlscan_kw(t, "with") || sqlscan_kw(t, "values"));
}

/* What may follow a table's name: PARTITION, alias, column names, index hints, TABLESAMPLE. */
static int table_tail(parser *p, const char **alias)
{
    if (at_op(p, "*")) /* PostgreSQL: t * (with descendants) */
        advance(p);
    if (sqlscan_kw(cur(p), "partition") && peek(p, 1)->kind == T_LPAREN) {
        advance(p);
        if (sqlscan_skip_group(p) < 0)
            return -1;
    }
    *alias = sqlscan_alias(p, 0);
    if (p->failed)
        return -1;
    if (*alias && cur(p)->kind == T_LPAREN && sqlscan_skip_group(p) < 0) /* t AS x(a, b) */
        return -1;
    for (;;) {
        token *t = cur(p);
        if ((sqlscan_kw(t, "use") || sqlscan_kw(t, "force") || sqlscan_kw(t, "ignore")) &&
            (sqlscan_kw(peek(p, 1), "index") || sqlscan_kw(peek(p, 1), "key"))) {
            advance(p);
            advance(p);
            if (take_kw(p, "for")) {
                advance(p);
                take_kw(p, "by");
            }
            if (sqlscan_skip_group(p) < 0)
                return -1;
        } else if (sqlscan_kw(t, "indexed") && sqlscan_kw(peek(p, 1), "by")) {
            advance(p);
            advance(p);
            advance(p);
        } else if (sqlscan_kw(t, "not") && sqlscan_kw(peek(p, 1), "indexed")) {
            advance(p);
            advance(p);
        } else if (sqlscan_kw(t, "tablesample")) {
            advance(p);
            advance(p);
            if (sqlscan_skip_group(p) < 0)
                return -1;
            if (take_kw(p, "repeatable") && sqlscan_skip_group(p) < 0)
                return -1;
        } else {
            return 0;
        }
    }
}

/* parse_factor without the depth count. */
static int factor(parser *p, scope *sc);

/*
 * The engines' own catalogs (pg_catalog.*, pg_stat_*, information_schema,
 * mysql.*, sqlite_master...): not in the model, not the user's mistake
 * either; monitoring queries in a workload read them.
 */
static int system_table(const token *schema, const token *name)
{
    static const char *const schemas[] = {
        "pg_catalog", "information_schema", "performance_schema", "mysql", "sys", NULL};
    for (int i = 0; schema && schemas[i]; i++)
        if (strcasecmp(schema->text, schemas[i]) == 0)
            return 1;
    return strncasecmp(name->text, "pg_", 3) == 0 || strncasecmp(name->text, "sqlite_", 7) == 0;
}

/* One table, derived table, table function or parenthesized join. */
static int parse_factor(parser *p, scope *sc)
{
    if (++p->depth > MAX_DEPTH)
        return sqlscan_fail(p, cur(p), "query nested too deeply");
    int rc = factor(p, sc);
    p->depth--;
    return rc;
}

static int factor(parser *p, scope *sc)
{
    take_kw(p, "lateral");
    const char *alias = NULL;
    if (cur(p)->kind == T_LPAREN) {
        if (at_deep_subquery(p)) {
            if (sqlscan_query(p, sc, 0) < 0)
                return -1;
            alias = sqlscan_alias(p, 0);
            if (p->failed || (alias && cur(p)->kind == T_LPAREN && sqlscan_skip_group(p) < 0))
                return -1;
            sqlscan_add_source(p, sc, alias, NULL, NULL);
            return 0;
        }
        advance(p);
        if (sqlscan_table_refs(p, sc) < 0 || sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
        sqlscan_alias(p, 0);
        return p->failed ? -1 : 0;
    }
    take_kw(p, "only");
    token *name = cur(p);
    if ((name->kind != T_IDENT && name->kind != T_QIDENT) || sqlscan_reserved(name))
        return sqlscan_syntax_error(p, name);
    advance(p);
    const token *schema = NULL;
    while (cur(p)->kind == T_DOT && (peek(p, 1)->kind == T_IDENT || peek(p, 1)->kind == T_QIDENT)) {
        advance(p);
        schema = name;
        name = advance(p); /* public.t, db.t: the last part names the table */
    }
    if (cur(p)->kind == T_LPAREN) { /* generate_series(...), unnest(...), json_table(...) */
        advance(p);
        while (cur(p)->kind != T_RPAREN) {
            if (!sqlscan_expr(p, sc))
                return -1;
            if (!take(p, T_COMMA))
                break;
        }
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
        if (sqlscan_kw(cur(p), "with") && sqlscan_kw(peek(p, 1), "ordinality")) {
            advance(p);
            advance(p);
        }
        if (table_tail(p, &alias) < 0)
            return -1;
        sqlscan_add_source(p, sc, alias ? alias : name->text, NULL, NULL);
        return 0;
    }
    const borch_table *t = NULL;
    if (!sqlscan_loose_name(p, sc, name) && !system_table(schema, name)) {
        t = sqlscan_table(p, name);
        if (!t)
            return sqlscan_no_table(p, name);
    }
    if (table_tail(p, &alias) < 0)
        return -1;
    sqlscan_add_source(p, sc, name->text, t, alias);
    return 0;
}

/* The last source of sc[from, to) whose table has the column, or NULL. */
static source *source_with(parser *p, scope *sc, size_t from, size_t to, const token *col,
                           const borch_column **out)
{
    for (size_t i = to; i-- > from;) {
        if (!sc->src[i].table)
            continue;
        const borch_column *c = sqlscan_column(p, sc->src[i].table, col);
        if (c) {
            *out = c;
            return &sc->src[i];
        }
    }
    return NULL;
}

/* Whether sc[from, to) has a source whose columns are unknown. */
static int any_loose(scope *sc, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!sc->src[i].table)
            return 1;
    return 0;
}

/* One column of USING (...) or NATURAL: read by both sides, joined on per the join kind. */
static void join_column(parser *p, source *l, const char *lc, source *r, const char *rc,
                        enum join_kind kind)
{
    sqlscan_note_used(p, l->use, lc);
    sqlscan_note_used(p, r->use, rc);
    if (kind == J_INNER || kind == J_RIGHT)
        sqlscan_add_unique(&p->out->tables[l->use].join, lc);
    if (kind == J_INNER || kind == J_LEFT)
        sqlscan_add_unique(&p->out->tables[r->use].join, rc);
}

/* USING (a, b): each column must be on both sides. */
static int using_list(parser *p, scope *sc, size_t left_end, enum join_kind kind)
{
    if (sqlscan_expect(p, T_LPAREN) < 0)
        return -1;
    do {
        token *col = cur(p);
        if (col->kind != T_IDENT && col->kind != T_QIDENT)
            return sqlscan_syntax_error(p, col);
        advance(p);
        const borch_column *lc = NULL, *rc = NULL;
        source *r = source_with(p, sc, left_end, sc->nsrc, col, &rc);
        source *l = source_with(p, sc, 0, left_end, col, &lc);
        if (!r && !any_loose(sc, left_end, sc->nsrc))
            return sqlscan_no_column(p, sc, col,
                                     sc->nsrc - left_end == 1 ? sc->src[left_end].table : NULL);
        if (!l && !any_loose(sc, 0, left_end))
            return sqlscan_no_column(p, sc, col, left_end == 1 ? sc->src[0].table : NULL);
        if (l && r)
            join_column(p, l, lc->name, r, rc->name, kind);
        else if (l)
            sqlscan_note_used(p, l->use, lc->name);
        else if (r)
            sqlscan_note_used(p, r->use, rc->name);
    } while (take(p, T_COMMA));
    return sqlscan_expect(p, T_RPAREN);
}

/* NATURAL JOIN: the columns the right-hand tables share with the left-hand ones. */
static void natural_columns(parser *p, scope *sc, size_t left_end, enum join_kind kind)
{
    for (size_t i = left_end; i < sc->nsrc; i++) {
        const borch_table *t = sc->src[i].table;
        if (!t)
            continue;
        for (size_t c = 0; c < t->ncolumns; c++) {
            token tk = {.kind = T_IDENT, .text = t->columns[c].name};
            const borch_column *lc = NULL;
            source *l = source_with(p, sc, 0, left_end, &tk, &lc);
            if (l)
                join_column(p, l, lc->name, &sc->src[i], t->columns[c].name, kind);
        }
    }
}

/* A factor and the JOINs that follow it. */
static int join_tree(parser *p, scope *sc)
{
    int first_use = (int)p->out->ntables;
    if (parse_factor(p, sc) < 0)
        return -1;
    for (;;) {
        size_t save = p->pos;
        int natural = take_kw(p, "natural");
        enum join_kind kind = J_INNER;
        if (take_kw(p, "left")) {
            kind = J_LEFT;
            take_kw(p, "outer");
        } else if (take_kw(p, "right")) {
            kind = J_RIGHT;
            take_kw(p, "outer");
        } else if (take_kw(p, "full")) {
            kind = J_FULL;
            take_kw(p, "outer");
        } else if (!take_kw(p, "inner")) {
            take_kw(p, "cross");
        }
        if (!take_kw(p, "join") && !take_kw(p, "straight_join")) {
            p->pos = save;
            if (natural)
                return sqlscan_syntax_error(p, cur(p));
            return 0;
        }
        size_t left_end = sc->nsrc;
        int right_first = (int)p->out->ntables;
        if (parse_factor(p, sc) < 0)
            return -1;
        int right_end = (int)p->out->ntables;
        if (natural) {
            natural_columns(p, sc, left_end, kind);
        } else if (take_kw(p, "on")) {
            node *on = sqlscan_expr(p, sc);
            if (!on)
                return -1;
            if (kind == J_INNER)
                sqlscan_classify(p, on, 0, INT_MAX);
            else if (kind == J_LEFT)
                sqlscan_classify(p, on, right_first, right_end);
            else if (kind == J_RIGHT)
                sqlscan_classify(p, on, first_use, right_first);
        } else if (take_kw(p, "using")) {
            if (using_list(p, sc, left_end, kind) < 0)
                return -1;
        }
    }
}

int sqlscan_table_refs(parser *p, scope *sc)
{
    do {
        if (join_tree(p, sc) < 0)
            return -1;
    } while (take(p, T_COMMA));
    return 0;
}

/* ---- predicates ---- */

/* Columns in n (not inside subqueries): *any set when there is one, *self when one is of use. */
static void refs(const node *n, int use, int *any, int *self)
{
    if (!n)
        return;
    if (n->kind == N_COL) {
        *any = 1;
        if (n->use == use)
            *self = 1;
        return;
    }
    if (n->kind == N_SUBQ)
        return;
    refs(n->a, use, any, self);
    refs(n->b, use, any, self);
    refs(n->c, use, any, self);
    for (size_t i = 0; i < n->n; i++)
        refs(n->list[i], use, any, self);
}

/* Whether n reads any column (outside subqueries). */
static int has_cols(const node *n)
{
    int any = 0, self = 0;
    refs(n, -2, &any, &self);
    return any;
}

/* A plain column of a table use that this predicate may classify. */
static int col_in(const node *n, int lo, int hi)
{
    return n && n->kind == N_COL && n->use >= 0 && n->use >= lo && n->use < hi;
}

/* The table use a resolved column belongs to. */
static borch_table_use *use_of(parser *p, const node *c)
{
    return &p->out->tables[c->use];
}

/* col = other: eq when other has no columns, join when they are another use's. */
static void equality_side(parser *p, const node *c, const node *other, int lo, int hi)
{
    if (!col_in(c, lo, hi))
        return;
    int any = 0, self = 0;
    refs(other, c->use, &any, &self);
    if (!any)
        sqlscan_add_unique(&use_of(p, c)->eq, c->column);
    else if (!self)
        sqlscan_add_unique(&use_of(p, c)->join, c->column);
}

/* LIKE patterns an index can serve: 'abc%', a parameter, ? || '%'. */
static int prefix_pattern(const node *n)
{
    while (n && n->kind == N_CAST)
        n = n->a;
    if (!n)
        return 0;
    if (n->kind == N_PARAM)
        return 1;
    if (n->kind == N_CONST && n->is_string && n->str)
        return n->str[0] && n->str[0] != '%' && n->str[0] != '_';
    if (n->kind == N_OP && n->n > 0 && !has_cols(n))
        return prefix_pattern(n->list[0]);
    return 0;
}

/* Whether n is a row value (a, b). */
static int is_row(const node *n)
{
    return n && n->kind == N_OP && n->row;
}

/*
 * Row values: (a, b) = (1, 2) is a = 1 AND b = 2; (a, b) < ($1, $2), the
 * keyset-pagination form, bounds its first member; (a, b) IN ((1, 2), ...)
 * is equality on each member.
 */
static int classify_row(parser *p, node *n, int lo, int hi)
{
    if (n->kind == N_CMP && is_row(n->a) && is_row(n->b) && n->a->n == n->b->n) {
        if (n->op == C_EQ) {
            for (size_t i = 0; i < n->a->n; i++) {
                equality_side(p, n->a->list[i], n->b->list[i], lo, hi);
                equality_side(p, n->b->list[i], n->a->list[i], lo, hi);
            }
        } else if (n->op != C_NE && n->op != C_OTHER && n->a->n > 0 &&
                   col_in(n->a->list[0], lo, hi) && !has_cols(n->b)) {
            sqlscan_add_unique(&use_of(p, n->a->list[0])->range, n->a->list[0]->column);
        }
        return 1;
    }
    if (n->kind == N_IN && !n->negated && is_row(n->a)) {
        for (size_t i = 0; i < n->n; i++)
            if (has_cols(n->list[i]))
                return 1;
        for (size_t i = 0; i < n->a->n; i++)
            if (col_in(n->a->list[i], lo, hi))
                sqlscan_add_unique(&use_of(p, n->a->list[i])->eq, n->a->list[i]->column);
        return 1;
    }
    return 0;
}

/* One predicate (an AND recurses into both sides). */
static void classify_one(parser *p, node *n, int lo, int hi)
{
    if (classify_row(p, n, lo, hi))
        return;
    switch (n->kind) {
    case N_AND:
        classify_one(p, n->a, lo, hi);
        classify_one(p, n->b, lo, hi);
        break;
    case N_CMP:
        if (n->op == C_EQ) {
            if (n->b->kind == N_QUANT) { /* col = ANY(...) */
                if (!n->b->quant_all && col_in(n->a, lo, hi) && !has_cols(n->b))
                    sqlscan_add_unique(&use_of(p, n->a)->eq, n->a->column);
                break;
            }
            equality_side(p, n->a, n->b, lo, hi);
            equality_side(p, n->b, n->a, lo, hi);
        } else if (n->op == C_LT || n->op == C_GT || n->op == C_LE || n->op == C_GE) {
            if (n->b->kind == N_QUANT)
                break;
            if (col_in(n->a, lo, hi) && !has_cols(n->b))
                sqlscan_add_unique(&use_of(p, n->a)->range, n->a->column);
            else if (col_in(n->b, lo, hi) && !has_cols(n->a))
                sqlscan_add_unique(&use_of(p, n->b)->range, n->b->column);
        }
        break;
    case N_BETWEEN:
        if (!n->negated && col_in(n->a, lo, hi) && !has_cols(n->b) && !has_cols(n->c))
            sqlscan_add_unique(&use_of(p, n->a)->range, n->a->column);
        break;
    case N_IN:
        if (!n->negated && col_in(n->a, lo, hi)) {
            int cols = 0;
            for (size_t i = 0; i < n->n; i++)
                cols |= has_cols(n->list[i]);
            if (!cols)
                sqlscan_add_unique(&use_of(p, n->a)->eq, n->a->column);
        }
        break;
    case N_ISNULL:
        if (!n->negated && col_in(n->a, lo, hi))
            sqlscan_add_unique(&use_of(p, n->a)->eq, n->a->column);
        break;
    case N_LIKE:
        if (!n->negated && col_in(n->a, lo, hi) && prefix_pattern(n->b))
            sqlscan_add_unique(&use_of(p, n->a)->range, n->a->column);
        break;
    default:
        break;
    }
}

void sqlscan_classify(parser *p, node *where, int lo, int hi)
{
    if (where && !p->failed)
        classify_one(p, where, lo, hi);
}
