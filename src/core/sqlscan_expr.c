/*
 * sqlscan_expr.c - expressions of the query reader: a precedence climb
 * that keeps only what index advice needs (AND/OR/NOT, comparisons, IN,
 * BETWEEN, LIKE, IS NULL, casts, column references, parameters and
 * constants) and folds everything else (functions, arithmetic, CASE...)
 * into generic N_OP nodes whose columns are still resolved and counted as
 * read. Levels, loosest first: OR, AND, NOT, predicates, other binary
 * operators, unary operators, postfix (::, [], COLLATE), primaries.
 * Function calls and CASE are in sqlscan_call.c; parameters compared
 * with a column are mapped here, as each comparison is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan_internal.h"

/* a OR b, a XOR b, MySQL a || b: read, never classified. */
static node *parse_or(parser *p, scope *sc);
static node *parse_unary(parser *p, scope *sc);

node *sqlscan_node(parser *p, enum nkind kind)
{
    node *n = sqlscan_alloc(p->a, sizeof(*n));
    n->kind = kind;
    n->use = -1;
    return n;
}

/* Appends kid to n->list (NULL kids are dropped). */
void sqlscan_add_kid(parser *p, node *n, node *kid)
{
    if (!kid)
        return;
    if (n->n == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 4;
        node **l = sqlscan_alloc(p->a, cap * sizeof(node *));
        if (n->n)
            memcpy(l, n->list, n->n * sizeof(node *));
        n->list = l;
        n->cap = cap;
    }
    n->list[n->n++] = kid;
}

/* A generic node over one or two operands. */
static node *op2(parser *p, node *a, node *b)
{
    node *n = sqlscan_node(p, N_OP);
    sqlscan_add_kid(p, n, a);
    sqlscan_add_kid(p, n, b);
    return n;
}

node *sqlscan_expr(parser *p, scope *sc)
{
    if (p->failed)
        return NULL;
    if (++p->depth > MAX_DEPTH) {
        sqlscan_fail(p, cur(p), "query nested too deeply");
        return NULL;
    }
    node *n = parse_or(p, sc);
    p->depth--;
    return p->failed ? NULL : n;
}

void sqlscan_add_unique(borch_strv *v, const char *s)
{
    if (!borch_strv_contains(v, s))
        borch_strv_push(v, s);
}

void sqlscan_note_used(parser *p, int use, const char *column)
{
    if (use >= 0)
        sqlscan_add_unique(&p->out->tables[use].used, column);
}

/* The node under any casts. */
static node *uncast(node *n)
{
    while (n && n->kind == N_CAST)
        n = n->a;
    return n;
}

/* Records "table.column" for param node pn when it is compared with column c. */
static void map_one(parser *p, node *c, node *pn)
{
    pn = uncast(pn);
    if (!pn || pn->kind != N_PARAM || !c || c->kind != N_COL || c->use < 0)
        return;
    borch_strv *v = &p->out->params;
    if ((size_t)pn->param >= v->count || v->items[pn->param])
        return;
    const char *t = p->out->tables[c->use].table;
    size_t n = strlen(t) + strlen(c->column) + 2;
    char *s = borch_xmalloc(n);
    snprintf(s, n, "%s.%s", t, c->column);
    v->items[pn->param] = s;
}

/* (a, b) op ($1, $2): the members pair up. */
static int rows_pair(const node *a, const node *b)
{
    return a && b && a->kind == N_OP && b->kind == N_OP && a->row && b->row && a->n == b->n;
}

void sqlscan_map_params(parser *p, node *n)
{
    switch (n->kind) {
    case N_CMP: {
        if (rows_pair(n->a, n->b)) {
            for (size_t i = 0; i < n->a->n; i++) {
                map_one(p, n->a->list[i], n->b->list[i]);
                map_one(p, n->b->list[i], n->a->list[i]);
            }
            break;
        }
        node *b = n->b && n->b->kind == N_QUANT ? n->b->a : n->b;
        map_one(p, n->a, b);
        map_one(p, b, n->a);
        break;
    }
    case N_LIKE:
        map_one(p, n->a, n->b);
        break;
    case N_BETWEEN:
        map_one(p, n->a, n->b);
        map_one(p, n->a, n->c);
        break;
    case N_IN:
        for (size_t i = 0; i < n->n; i++) {
            if (rows_pair(n->a, n->list[i]))
                for (size_t k = 0; k < n->a->n; k++)
                    map_one(p, n->a->list[k], n->list[i]->list[k]);
            else
                map_one(p, n->a, n->list[i]);
        }
        break;
    default:
        break;
    }
}

/* Words that read as values, never as columns. */
static int value_keyword(const token *t)
{
    static const char *const words[] = {
        "null",          "true",           "false",           "default",
        "unknown",       "current_date",   "current_time",    "current_timestamp",
        "localtime",     "localtimestamp", "current_user",    "session_user",
        "current_role",  "current_schema", "current_catalog", "system_user",
        "utc_timestamp", "utc_date",       "utc_time",        NULL,
    };
    for (int i = 0; words[i]; i++)
        if (sqlscan_kw(t, words[i]))
            return 1;
    return 0;
}

/* A subquery used as a value: ( SELECT ... ). */
static node *subquery(parser *p, scope *sc)
{
    if (sqlscan_query(p, sc, 0) < 0)
        return NULL;
    return sqlscan_node(p, N_SUBQ);
}

/* A name chain a.b.c: a column, a function call or a typed literal. */
static node *parse_name(parser *p, scope *sc)
{
    token *parts[4];
    size_t np = 0;
    parts[np++] = advance(p);
    while (cur(p)->kind == T_DOT) {
        token *after = peek(p, 1);
        if (after->kind == T_IDENT || after->kind == T_QIDENT) {
            advance(p);
            token *t = advance(p);
            if (np < 4)
                parts[np++] = t;
            else
                parts[3] = t;
        } else {
            break;
        }
    }
    token *last = parts[np - 1];
    if (cur(p)->kind == T_LPAREN)
        return sqlscan_call(p, sc, last);
    if (cur(p)->kind == T_DOT && peek(p, 1)->kind == T_OP && peek(p, 1)->len == 1 &&
        peek(p, 1)->start[0] == '*') { /* t.* inside an expression: count(t.*), row_to_json(t.*) */
        advance(p);
        advance(p);
        source *src = sqlscan_find_source(sc, last);
        if (!src) {
            sqlscan_fail(p, last, "table or alias '%s' is not in the query", last->text);
            return NULL;
        }
        if (src->use >= 0)
            p->out->tables[src->use].star = 1;
        return sqlscan_node(p, N_CONST);
    }
    if (np == 1 && last->kind == T_IDENT && value_keyword(last))
        return sqlscan_node(p, N_CONST);
    /* typed literal: DATE '2024-01-01', _utf8mb4 'x', X'ff' */
    if (np == 1 && last->kind == T_IDENT && cur(p)->kind == T_STRING) {
        node *n = sqlscan_node(p, N_CONST);
        n->str = advance(p)->text;
        n->is_string = 1;
        return n;
    }
    node *n = sqlscan_node(p, N_COL);
    n->name = last->text;
    n->column = last->text;
    n->qualified = np > 1;
    if (sqlscan_resolve(p, sc, n, np > 1 ? parts[np - 2] : NULL, last) < 0)
        return NULL;
    return n;
}

/* Literals, parameters, names, calls, (expr), (subquery), CASE, EXISTS, ANY, ARRAY, INTERVAL. */
static node *primary(parser *p, scope *sc)
{
    token *t = cur(p);
    switch (t->kind) {
    case T_NUMBER: {
        node *n = sqlscan_node(p, N_CONST);
        n->str = sqlscan_strndup(p->a, t->start, t->len);
        advance(p);
        return n;
    }
    case T_VAR:
        advance(p);
        return sqlscan_node(p, N_CONST);
    case T_STRING: {
        node *n = sqlscan_node(p, N_CONST);
        n->str = advance(p)->text;
        n->is_string = 1;
        while (cur(p)->kind == T_STRING) /* 'a' 'b' concatenation */
            advance(p);
        return n;
    }
    case T_PARAM: {
        node *n = sqlscan_node(p, N_PARAM);
        n->param = advance(p)->param;
        return n;
    }
    case T_LPAREN: {
        if (sqlscan_at_subquery(p))
            return subquery(p, sc);
        advance(p);
        node *e = sqlscan_expr(p, sc);
        if (!e)
            return NULL;
        if (cur(p)->kind == T_COMMA) { /* a row: (a, b) */
            node *row = sqlscan_node(p, N_OP);
            row->row = 1;
            sqlscan_add_kid(p, row, e);
            while (take(p, T_COMMA))
                sqlscan_add_kid(p, row, sqlscan_expr(p, sc));
            e = row;
        }
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return NULL;
        /* (composite).field */
        while (cur(p)->kind == T_DOT && peek(p, 1)->kind != T_EOF) {
            advance(p);
            advance(p);
        }
        return e;
    }
    case T_QIDENT:
        return parse_name(p, sc);
    case T_IDENT:
        break;
    default:
        sqlscan_syntax_error(p, t);
        return NULL;
    }
    if (sqlscan_kw(t, "case")) {
        advance(p);
        return sqlscan_case(p, sc);
    }
    if (sqlscan_kw(t, "exists") && peek(p, 1)->kind == T_LPAREN) {
        advance(p);
        return subquery(p, sc);
    }
    if ((sqlscan_kw(t, "any") || sqlscan_kw(t, "some") || sqlscan_kw(t, "all")) &&
        peek(p, 1)->kind == T_LPAREN) {
        node *q = sqlscan_node(p, N_QUANT);
        q->quant_all = sqlscan_kw(t, "all");
        advance(p);
        if (sqlscan_at_subquery(p)) {
            q->a = subquery(p, sc);
        } else {
            advance(p);
            q->a = sqlscan_expr(p, sc);
            if (sqlscan_expect(p, T_RPAREN) < 0)
                return NULL;
        }
        return p->failed ? NULL : q;
    }
    if (sqlscan_kw(t, "array") || sqlscan_kw(t, "row")) {
        if (peek(p, 1)->kind == T_LBRACK || peek(p, 1)->kind == T_LPAREN) {
            advance(p);
            if (cur(p)->kind == T_LPAREN && sqlscan_at_subquery(p))
                return subquery(p, sc);
            enum tkind close = cur(p)->kind == T_LBRACK ? T_RBRACK : T_RPAREN;
            advance(p);
            node *n = sqlscan_node(p, N_OP);
            n->row = close == T_RPAREN;
            while (cur(p)->kind != close) {
                sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
                if (p->failed || !take(p, T_COMMA))
                    break;
            }
            if (sqlscan_expect(p, close) < 0)
                return NULL;
            return n;
        }
    }
    if (sqlscan_kw(t, "interval")) {
        advance(p);
        node *n = sqlscan_node(p, N_OP);
        sqlscan_add_kid(p, n, parse_unary(p, sc));
        /* MySQL unit: INTERVAL 1 DAY, INTERVAL '1:30' HOUR_MINUTE; PostgreSQL: '1' day to hour */
        if (cur(p)->kind == T_IDENT && !sqlscan_reserved(cur(p))) {
            advance(p);
            if (take_kw(p, "to"))
                advance(p);
        }
        return p->failed ? NULL : n;
    }
    if (sqlscan_kw(t, "binary") && peek(p, 1)->kind != T_LPAREN) { /* MySQL BINARY x */
        advance(p);
        return parse_unary(p, sc);
    }
    if (value_keyword(t) && peek(p, 1)->kind != T_LPAREN) {
        advance(p);
        return sqlscan_node(p, N_CONST);
    }
    if (sqlscan_reserved(t)) {
        /* LEFT(s, 3), MOD(a, b), VALUES(col) are functions; OFFSET, WINDOW... may name columns */
        static const char *const functions[] = {"left", "right", "mod", "values", NULL};
        static const char *const columns[] = {"offset", "window", "partition", "lock",    "fetch",
                                              "use",    "force",  "ignore",    "indexed", NULL};
        const char *const *ok = peek(p, 1)->kind == T_LPAREN ? functions : columns;
        int allowed = 0;
        for (int i = 0; ok[i]; i++)
            allowed |= sqlscan_kw(t, ok[i]);
        if (!allowed) {
            sqlscan_syntax_error(p, t);
            return NULL;
        }
    }
    return parse_name(p, sc);
}

/* A primary, counting depth: BINARY BINARY ... and INTERVAL INTERVAL ... recurse here. */
static node *parse_primary(parser *p, scope *sc)
{
    if (++p->depth > MAX_DEPTH) {
        sqlscan_fail(p, cur(p), "query nested too deeply");
        return NULL;
    }
    node *n = primary(p, sc);
    p->depth--;
    return n;
}

/* x::type, x[i], x COLLATE c after a primary. */
static node *parse_postfix(parser *p, scope *sc)
{
    node *e = parse_primary(p, sc);
    while (e && !p->failed) {
        if (at_op(p, "::")) {
            advance(p);
            node *c = sqlscan_node(p, N_CAST);
            c->a = e;
            sqlscan_skip_type(p);
            e = c;
        } else if (cur(p)->kind == T_LBRACK) { /* a[i], a[i:j] */
            advance(p);
            node *n = op2(p, e, NULL);
            while (cur(p)->kind != T_RBRACK && !p->failed) {
                if (at_op(p, ":") || take(p, T_COMMA)) {
                    if (at_op(p, ":"))
                        advance(p);
                    continue;
                }
                sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
            }
            if (sqlscan_expect(p, T_RBRACK) < 0)
                return NULL;
            e = n;
        } else if (sqlscan_kw(cur(p), "collate")) {
            advance(p);
            advance(p);
            e = op2(p, e, NULL);
        } else {
            break;
        }
    }
    return p->failed ? NULL : e;
}

/* -x, +x, ~x (a loop for the same reason as parse_not). */
static node *parse_unary(parser *p, scope *sc)
{
    size_t ops = 0;
    while (at_op(p, "-") || at_op(p, "+") || at_op(p, "~") || at_op(p, "!") || at_op(p, "@")) {
        advance(p);
        ops++;
    }
    node *e = parse_postfix(p, sc);
    for (size_t i = 0; e && i < ops; i++)
        e = op2(p, e, NULL);
    return e;
}

/* Comparison operators; C_OTHER for the rest of T_OP. */
static int cmp_of(const token *t, enum cmp_op *out)
{
    static const struct {
        const char *op;
        enum cmp_op c;
    } ops[] = {{"=", C_EQ}, {"==", C_EQ}, {"<=>", C_EQ}, {"<>", C_NE}, {"!=", C_NE},
               {"<", C_LT}, {">", C_GT},  {"<=", C_LE},  {">=", C_GE}};
    if (t->kind != T_OP)
        return 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strlen(ops[i].op) == t->len && memcmp(ops[i].op, t->start, t->len) == 0) {
            *out = ops[i].c;
            return 1;
        }
    return 0;
}

/* Other binary operators: arithmetic, ||, JSON and regex operators, DIV, MOD... */
static int at_binop(parser *p)
{
    token *t = cur(p);
    enum cmp_op c;
    if (t->kind == T_OP) {
        if (p->mysql && (at_op(p, "||") || at_op(p, "&&"))) /* OR and AND in MySQL */
            return 0;
        return !cmp_of(t, &c) && !(t->len == 1 && t->start[0] == '!');
    }
    if (t->kind == T_PARAM && t->len == 1 && t->start[0] == '?') /* jsonb ? 'key' */
        return 1;
    return sqlscan_kw(t, "div") || sqlscan_kw(t, "mod") || sqlscan_kw(t, "overlaps") ||
           (sqlscan_kw(t, "at") && sqlscan_kw(peek(p, 1), "time"));
}

node *sqlscan_operand(parser *p, scope *sc)
{
    node *l = parse_unary(p, sc);
    while (l && !p->failed && at_binop(p)) {
        if (sqlscan_kw(cur(p), "at")) { /* AT TIME ZONE */
            advance(p);
            advance(p);
            if (sqlscan_expect_kw(p, "zone") < 0)
                return NULL;
        } else {
            advance(p);
        }
        node *r = parse_unary(p, sc);
        if (!r)
            return NULL;
        l = op2(p, l, r);
    }
    return p->failed ? NULL : l;
}

/* The right side of IN: ( subquery ) or ( list ). */
static node *parse_in(parser *p, scope *sc, node *lhs, int negated)
{
    node *n = sqlscan_node(p, N_IN);
    n->a = lhs;
    n->negated = negated;
    if (cur(p)->kind != T_LPAREN) {
        if (cur(p)->kind == T_PARAM) { /* IN ? (a driver-expanded list) */
            sqlscan_add_kid(p, n, parse_primary(p, sc));
            return n;
        }
        sqlscan_syntax_error(p, cur(p));
        return NULL;
    }
    if (sqlscan_at_subquery(p)) {
        n->b = subquery(p, sc);
        return n->b ? n : NULL;
    }
    if (peek(p, 1)->kind == T_DOT && peek(p, 2)->kind == T_DOT && peek(p, 3)->kind == T_DOT &&
        peek(p, 4)->kind == T_RPAREN) { /* MySQL statement digests: IN (...) */
        p->pos += 5;
        sqlscan_add_kid(p, n, sqlscan_node(p, N_CONST));
        return n;
    }
    advance(p);
    if (cur(p)->kind != T_RPAREN) {
        do {
            node *e = sqlscan_expr(p, sc);
            if (!e)
                return NULL;
            sqlscan_add_kid(p, n, e);
        } while (take(p, T_COMMA));
    }
    if (sqlscan_expect(p, T_RPAREN) < 0)
        return NULL;
    return n;
}

/* Comparisons, IS [NOT] NULL, [NOT] IN / BETWEEN / LIKE and the regex family. */
static node *parse_pred(parser *p, scope *sc)
{
    node *l = sqlscan_operand(p, sc);
    while (l && !p->failed) {
        enum cmp_op c;
        token *t = cur(p);
        int negated = 0;
        if (cmp_of(t, &c)) {
            advance(p);
            node *n = sqlscan_node(p, N_CMP);
            n->op = c;
            n->a = l;
            n->b = sqlscan_operand(p, sc);
            if (!n->b)
                return NULL;
            sqlscan_map_params(p, n);
            l = n;
            continue;
        }
        if (sqlscan_kw(t, "is")) {
            advance(p);
            negated = take_kw(p, "not");
            if (take_kw(p, "null")) {
                node *n = sqlscan_node(p, N_ISNULL);
                n->a = l;
                n->negated = negated;
                l = n;
            } else if (take_kw(p, "distinct")) {
                if (sqlscan_expect_kw(p, "from") < 0)
                    return NULL;
                l = op2(p, l, sqlscan_operand(p, sc));
            } else {
                /* IS TRUE / FALSE / UNKNOWN / JSON ... */
                advance(p);
                l = op2(p, l, NULL);
            }
            continue;
        }
        if (sqlscan_kw(t, "isnull") || sqlscan_kw(t, "notnull")) {
            advance(p);
            node *n = sqlscan_node(p, N_ISNULL);
            n->a = l;
            n->negated = sqlscan_kw(t, "notnull");
            l = n;
            continue;
        }
        size_t save = p->pos;
        if (sqlscan_kw(t, "not")) {
            advance(p);
            negated = 1;
            t = cur(p);
        }
        if (sqlscan_kw(t, "in")) {
            advance(p);
            l = parse_in(p, sc, l, negated);
            if (l)
                sqlscan_map_params(p, l);
            continue;
        }
        if (sqlscan_kw(t, "between")) {
            advance(p);
            take_kw(p, "symmetric");
            node *n = sqlscan_node(p, N_BETWEEN);
            n->a = l;
            n->negated = negated;
            n->b = sqlscan_operand(p, sc);
            if (!n->b || sqlscan_expect_kw(p, "and") < 0)
                return NULL;
            n->c = sqlscan_operand(p, sc);
            if (!n->c)
                return NULL;
            sqlscan_map_params(p, n);
            l = n;
            continue;
        }
        if (sqlscan_kw(t, "like") || sqlscan_kw(t, "ilike")) {
            advance(p);
            node *n = sqlscan_node(p, N_LIKE);
            n->a = l;
            n->negated = negated;
            n->b = sqlscan_operand(p, sc);
            if (!n->b)
                return NULL;
            if (take_kw(p, "escape") && !sqlscan_operand(p, sc))
                return NULL;
            sqlscan_map_params(p, n);
            l = n;
            continue;
        }
        if (sqlscan_kw(t, "similar") || sqlscan_kw(t, "regexp") || sqlscan_kw(t, "rlike") ||
            sqlscan_kw(t, "glob") || sqlscan_kw(t, "match")) {
            advance(p);
            take_kw(p, "to");
            node *r = sqlscan_operand(p, sc);
            if (!r)
                return NULL;
            if (take_kw(p, "escape") && !sqlscan_operand(p, sc))
                return NULL;
            l = op2(p, l, r);
            continue;
        }
        p->pos = save;
        break;
    }
    return p->failed ? NULL : l;
}

/* NOT x (a loop, not recursion: NOT NOT ... must not eat the stack). */
static node *parse_not(parser *p, scope *sc)
{
    size_t nots = 0;
    while (take_kw(p, "not") || (at_op(p, "!") && advance(p)))
        nots++;
    node *e = parse_pred(p, sc);
    for (size_t i = 0; e && i < nots; i++) {
        node *n = sqlscan_node(p, N_NOT);
        n->a = e;
        e = n;
    }
    return e;
}

/* a AND b (also && on MySQL; elsewhere && is an operator): the conjunctions the classifier walks.
 */
static node *parse_and(parser *p, scope *sc)
{
    node *l = parse_not(p, sc);
    while (l && (take_kw(p, "and") || (p->mysql && at_op(p, "&&") && advance(p)))) {
        node *n = sqlscan_node(p, N_AND);
        n->a = l;
        n->b = parse_not(p, sc);
        if (!n->b)
            return NULL;
        l = n;
    }
    return l;
}

static node *parse_or(parser *p, scope *sc)
{
    node *l = parse_and(p, sc);
    while (l &&
           (take_kw(p, "or") || take_kw(p, "xor") || (p->mysql && at_op(p, "||") && advance(p)))) {
        node *n = sqlscan_node(p, N_OR);
        n->a = l;
        n->b = parse_and(p, sc);
        if (!n->b)
            return NULL;
        l = n;
    }
    return l;
}
