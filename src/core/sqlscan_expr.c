/*
 * sqlscan_expr.c - expressions of the query reader: a precedence climb
 * that keeps only what index advice needs (AND/OR/NOT, comparisons, IN,
 * BETWEEN, LIKE, IS NULL, casts, column references, parameters and
 * constants) and folds everything else (functions, arithmetic, CASE...)
 * into generic N_OP nodes whose columns are still resolved and counted as
 * read. Levels, loosest first: OR, AND, NOT, predicates, other binary
 * operators, unary operators, postfix (::, [], COLLATE), primaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan_internal.h"

static node *parse_or(parser *p, scope *sc);
static node *parse_bin(parser *p, scope *sc);
static node *parse_unary(parser *p, scope *sc);

static node *mk(parser *p, enum nkind kind)
{
    node *n = sqlscan_alloc(p->a, sizeof(*n));
    n->kind = kind;
    n->use = -1;
    return n;
}

/* Appends kid to n->list (NULL kids are dropped). */
static void add_kid(parser *p, node *n, node *kid)
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

static node *op2(parser *p, node *a, node *b)
{
    node *n = mk(p, N_OP);
    add_kid(p, n, a);
    add_kid(p, n, b);
    return n;
}

node *sqlscan_expr(parser *p, scope *sc)
{
    if (p->failed)
        return NULL;
    if (++p->depth > 200) {
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

void sqlscan_map_params(parser *p, node *n)
{
    switch (n->kind) {
    case N_CMP: {
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
        for (size_t i = 0; i < n->n; i++)
            map_one(p, n->a, n->list[i]);
        break;
    default:
        break;
    }
}

/* Skips tokens to the ')' closing the group whose '(' is current. */
int sqlscan_skip_group(parser *p)
{
    if (sqlscan_expect(p, T_LPAREN) < 0)
        return -1;
    int depth = 1;
    while (depth > 0) {
        token *t = cur(p);
        if (t->kind == T_EOF)
            return sqlscan_syntax_error(p, t);
        if (t->kind == T_LPAREN)
            depth++;
        else if (t->kind == T_RPAREN)
            depth--;
        advance(p);
    }
    return 0;
}

/* Words a type name is made of after the first one (double precision...). */
void sqlscan_skip_type(parser *p)
{
    if (cur(p)->kind != T_IDENT && cur(p)->kind != T_QIDENT)
        return;
    advance(p);
    while (cur(p)->kind == T_DOT && (peek(p, 1)->kind == T_IDENT || peek(p, 1)->kind == T_QIDENT)) {
        advance(p);
        advance(p);
    }
    for (;;) {
        if (take_kw(p, "precision") || take_kw(p, "varying") || take_kw(p, "unsigned") ||
            take_kw(p, "signed") || take_kw(p, "integer") || take_kw(p, "int"))
            continue;
        if ((sqlscan_kw(cur(p), "with") || sqlscan_kw(cur(p), "without")) &&
            sqlscan_kw(peek(p, 1), "time") && sqlscan_kw(peek(p, 2), "zone")) {
            advance(p);
            advance(p);
            advance(p);
            continue;
        }
        if (cur(p)->kind == T_LPAREN) {
            sqlscan_skip_group(p);
            continue;
        }
        if (cur(p)->kind == T_LBRACK && peek(p, 1)->kind == T_RBRACK) {
            advance(p);
            advance(p);
            continue;
        }
        break;
    }
}

order_term *sqlscan_order_list(parser *p, scope *sc, size_t *count)
{
    order_term *terms = NULL;
    size_t n = 0, cap = 0;
    *count = 0;
    do {
        node *e = sqlscan_expr(p, sc);
        if (!e)
            return NULL;
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            order_term *t = sqlscan_alloc(p->a, cap * sizeof(*t));
            if (n)
                memcpy(t, terms, n * sizeof(*t));
            terms = t;
        }
        terms[n].expr = e;
        terms[n].desc = 0;
        if (take_kw(p, "desc"))
            terms[n].desc = 1;
        else
            take_kw(p, "asc");
        if (take_kw(p, "using")) /* PostgreSQL ORDER BY x USING > */
            advance(p);
        if (take_kw(p, "nulls") && !take_kw(p, "first") && !take_kw(p, "last")) {
            sqlscan_syntax_error(p, cur(p));
            return NULL;
        }
        n++;
    } while (take(p, T_COMMA));
    if (take_kw(p, "with") && !take_kw(p, "rollup")) { /* MySQL GROUP BY ... WITH ROLLUP */
        sqlscan_syntax_error(p, cur(p));
        return NULL;
    }
    *count = n;
    return terms;
}

int sqlscan_window_spec(parser *p, scope *sc)
{
    if (sqlscan_expect(p, T_LPAREN) < 0)
        return -1;
    if (cur(p)->kind == T_IDENT && !sqlscan_reserved(cur(p)) && !sqlscan_kw(cur(p), "rows") &&
        !sqlscan_kw(cur(p), "range") && !sqlscan_kw(cur(p), "groups"))
        advance(p); /* an existing window's name */
    if (take_kw(p, "partition")) {
        if (sqlscan_expect_kw(p, "by") < 0)
            return -1;
        do {
            if (!sqlscan_expr(p, sc))
                return -1;
        } while (take(p, T_COMMA));
    }
    if (take_kw(p, "order")) {
        size_t n;
        if (sqlscan_expect_kw(p, "by") < 0 || !sqlscan_order_list(p, sc, &n))
            return -1;
    }
    /* frame clause: nothing in it names a column */
    int depth = 0;
    while (depth > 0 || cur(p)->kind != T_RPAREN) {
        token *t = cur(p);
        if (t->kind == T_EOF)
            return sqlscan_syntax_error(p, t);
        depth += t->kind == T_LPAREN;
        depth -= t->kind == T_RPAREN;
        advance(p);
    }
    return sqlscan_expect(p, T_RPAREN);
}

/* Keywords that separate the parts of a function's arguments. */
static int arg_separator(parser *p)
{
    static const char *const words[] = {"from", "for", "placing", "separator", "using", "as",
                                        "in", "returning", "on", "passing", "format", NULL};
    for (int i = 0; words[i]; i++)
        if (sqlscan_kw(cur(p), words[i]))
            return 1;
    return 0;
}

/* Reads "( args )" of a function named name; adds the args to fn. */
static int function_args(parser *p, scope *sc, node *fn, const token *name)
{
    if (sqlscan_expect(p, T_LPAREN) < 0)
        return -1;
    int after_as = 0;
    if (sqlscan_kw(name, "extract") || sqlscan_kw(name, "timestampdiff") ||
        sqlscan_kw(name, "timestampadd") || sqlscan_kw(name, "date_part")) {
        /* the first argument is a unit: EXTRACT(YEAR FROM x), TIMESTAMPDIFF(DAY, a, b) */
        if (cur(p)->kind == T_IDENT)
            advance(p);
    }
    while (cur(p)->kind != T_RPAREN) {
        if (p->failed)
            return -1;
        if (take_kw(p, "distinct") || take_kw(p, "all") || take_kw(p, "both") ||
            take_kw(p, "leading") || take_kw(p, "trailing"))
            continue;
        if (at_op(p, "*")) { /* COUNT(*) */
            advance(p);
            continue;
        }
        if (sqlscan_kw(cur(p), "order") && sqlscan_kw(peek(p, 1), "by")) {
            advance(p);
            advance(p);
            size_t n;
            if (!sqlscan_order_list(p, sc, &n))
                return -1;
            continue;
        }
        if (take(p, T_COMMA))
            continue;
        if (arg_separator(p)) {
            after_as = sqlscan_kw(cur(p), "as") || sqlscan_kw(cur(p), "returning");
            advance(p);
            if (after_as) {
                sqlscan_skip_type(p);
                after_as = 0;
            }
            continue;
        }
        node *e = sqlscan_expr(p, sc);
        if (!e)
            return -1;
        add_kid(p, fn, e);
    }
    advance(p);
    return 0;
}

/* What may follow a function call: FILTER, WITHIN GROUP, OVER, AGAINST. */
static int function_tail(parser *p, scope *sc, node *fn)
{
    if (sqlscan_kw(cur(p), "filter") && peek(p, 1)->kind == T_LPAREN) {
        advance(p);
        advance(p);
        if (sqlscan_expect_kw(p, "where") < 0)
            return -1;
        add_kid(p, fn, sqlscan_expr(p, sc));
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
    }
    if (sqlscan_kw(cur(p), "within") && sqlscan_kw(peek(p, 1), "group")) {
        advance(p);
        advance(p);
        if (sqlscan_expect(p, T_LPAREN) < 0 || sqlscan_expect_kw(p, "order") < 0 ||
            sqlscan_expect_kw(p, "by") < 0)
            return -1;
        size_t n;
        if (!sqlscan_order_list(p, sc, &n) || sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
    }
    if (take_kw(p, "over")) {
        if (cur(p)->kind == T_LPAREN)
            return sqlscan_window_spec(p, sc);
        advance(p); /* OVER w */
    }
    if (sqlscan_kw(cur(p), "against") && peek(p, 1)->kind == T_LPAREN) {
        advance(p);
        return sqlscan_skip_group(p);
    }
    return p->failed ? -1 : 0;
}

/* Words that read as values, never as columns. */
static int value_keyword(const token *t)
{
    static const char *const words[] = {
        "null", "true", "false", "default", "unknown", "current_date", "current_time",
        "current_timestamp", "localtime", "localtimestamp", "current_user", "session_user",
        "current_role", "current_schema", "current_catalog", "system_user", "utc_timestamp",
        "utc_date", "utc_time", NULL,
    };
    for (int i = 0; words[i]; i++)
        if (sqlscan_kw(t, words[i]))
            return 1;
    return 0;
}

/* CASE [x] WHEN a THEN b ... [ELSE c] END */
static node *parse_case(parser *p, scope *sc)
{
    node *n = mk(p, N_OP);
    if (!sqlscan_kw(cur(p), "when"))
        add_kid(p, n, sqlscan_expr(p, sc));
    while (take_kw(p, "when")) {
        add_kid(p, n, sqlscan_expr(p, sc));
        if (sqlscan_expect_kw(p, "then") < 0)
            return NULL;
        add_kid(p, n, sqlscan_expr(p, sc));
    }
    if (take_kw(p, "else"))
        add_kid(p, n, sqlscan_expr(p, sc));
    if (sqlscan_expect_kw(p, "end") < 0)
        return NULL;
    return n;
}

/* A subquery used as a value: ( SELECT ... ). */
static node *subquery(parser *p, scope *sc)
{
    if (sqlscan_query(p, sc, 0) < 0)
        return NULL;
    return mk(p, N_SUBQ);
}

/* A name chain a.b.c, a function call, or t.* (only where star_ok). */
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
    if (cur(p)->kind == T_LPAREN) {
        node *fn = mk(p, N_OP);
        if (sqlscan_kw(last, "cast") || sqlscan_kw(last, "try_cast")) {
            advance(p);
            node *c = mk(p, N_CAST);
            c->a = sqlscan_expr(p, sc);
            if (sqlscan_expect_kw(p, "as") < 0)
                return NULL;
            sqlscan_skip_type(p);
            if (sqlscan_expect(p, T_RPAREN) < 0)
                return NULL;
            return c;
        }
        if (sqlscan_kw(last, "convert")) { /* CONVERT(x, type) / CONVERT(x USING cs) */
            advance(p);
            node *c = mk(p, N_CAST);
            c->a = sqlscan_expr(p, sc);
            if (!c->a)
                return NULL;
            int depth = 0;
            while (depth > 0 || cur(p)->kind != T_RPAREN) {
                if (cur(p)->kind == T_EOF) {
                    sqlscan_syntax_error(p, cur(p));
                    return NULL;
                }
                depth += cur(p)->kind == T_LPAREN;
                depth -= cur(p)->kind == T_RPAREN;
                advance(p);
            }
            advance(p);
            return c;
        }
        if (sqlscan_kw(last, "position")) { /* POSITION(a IN b) */
            advance(p);
            add_kid(p, fn, parse_bin(p, sc));
            if (take_kw(p, "in"))
                add_kid(p, fn, sqlscan_expr(p, sc));
            while (take(p, T_COMMA))
                add_kid(p, fn, sqlscan_expr(p, sc));
            if (sqlscan_expect(p, T_RPAREN) < 0)
                return NULL;
            return fn;
        }
        if (function_args(p, sc, fn, last) < 0 || function_tail(p, sc, fn) < 0)
            return NULL;
        return fn;
    }
    if (np == 1 && last->kind == T_IDENT && value_keyword(last))
        return mk(p, N_CONST);
    /* typed literal: DATE '2024-01-01', _utf8mb4 'x', X'ff' */
    if (np == 1 && last->kind == T_IDENT && cur(p)->kind == T_STRING) {
        node *n = mk(p, N_CONST);
        n->str = advance(p)->text;
        n->is_string = 1;
        return n;
    }
    node *n = mk(p, N_COL);
    n->name = last->text;
    n->column = last->text;
    n->qualified = np > 1;
    if (sqlscan_resolve(p, sc, n, np > 1 ? parts[np - 2] : NULL, last) < 0)
        return NULL;
    return n;
}

static node *parse_primary(parser *p, scope *sc)
{
    token *t = cur(p);
    switch (t->kind) {
    case T_NUMBER: {
        node *n = mk(p, N_CONST);
        n->str = sqlscan_strndup(p->a, t->start, t->len);
        advance(p);
        return n;
    }
    case T_VAR:
        advance(p);
        return mk(p, N_CONST);
    case T_STRING: {
        node *n = mk(p, N_CONST);
        n->str = advance(p)->text;
        n->is_string = 1;
        while (cur(p)->kind == T_STRING) /* 'a' 'b' concatenation */
            advance(p);
        return n;
    }
    case T_PARAM: {
        node *n = mk(p, N_PARAM);
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
            node *row = mk(p, N_OP);
            add_kid(p, row, e);
            while (take(p, T_COMMA))
                add_kid(p, row, sqlscan_expr(p, sc));
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
        return parse_case(p, sc);
    }
    if (sqlscan_kw(t, "exists") && peek(p, 1)->kind == T_LPAREN) {
        advance(p);
        return subquery(p, sc);
    }
    if ((sqlscan_kw(t, "any") || sqlscan_kw(t, "some") || sqlscan_kw(t, "all")) &&
        peek(p, 1)->kind == T_LPAREN) {
        node *q = mk(p, N_QUANT);
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
            node *n = mk(p, N_OP);
            while (cur(p)->kind != close) {
                add_kid(p, n, sqlscan_expr(p, sc));
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
        node *n = mk(p, N_OP);
        add_kid(p, n, parse_unary(p, sc));
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
    if (sqlscan_reserved(t)) {
        /* LEFT(s, 3), MOD(a, b), VALUES(col) are functions; OFFSET, WINDOW... may name columns */
        static const char *const functions[] = {"left", "right", "mod", "values", NULL};
        static const char *const columns[] = {"offset", "window", "partition", "lock", "fetch",
                                              "use", "force", "ignore", "indexed", NULL};
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

static node *parse_postfix(parser *p, scope *sc)
{
    node *e = parse_primary(p, sc);
    while (e && !p->failed) {
        if (at_op(p, "::")) {
            advance(p);
            node *c = mk(p, N_CAST);
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
                add_kid(p, n, sqlscan_expr(p, sc));
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

static node *parse_unary(parser *p, scope *sc)
{
    if (at_op(p, "-") || at_op(p, "+") || at_op(p, "~") || at_op(p, "!") || at_op(p, "@")) {
        advance(p);
        node *e = parse_unary(p, sc);
        return e ? op2(p, e, NULL) : NULL;
    }
    return parse_postfix(p, sc);
}

/* Comparison operators; C_OTHER for the rest of T_OP. */
static int cmp_of(const token *t, enum cmp_op *out)
{
    static const struct {
        const char *op;
        enum cmp_op c;
    } ops[] = {{"=", C_EQ},  {"==", C_EQ}, {"<=>", C_EQ}, {"<>", C_NE}, {"!=", C_NE},
               {"<", C_LT},  {">", C_GT},  {"<=", C_LE},  {">=", C_GE}};
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
    if (t->kind == T_OP)
        return !cmp_of(t, &c) && !(t->len == 1 && t->start[0] == '!') && !(t->len == 2 && t->start[0] == ':' && t->start[1] == '=');
    if (t->kind == T_PARAM && t->len == 1 && t->start[0] == '?') /* jsonb ? 'key' */
        return 1;
    return sqlscan_kw(t, "div") || sqlscan_kw(t, "mod") || sqlscan_kw(t, "overlaps") ||
           (sqlscan_kw(t, "at") && sqlscan_kw(peek(p, 1), "time"));
}

static node *parse_bin(parser *p, scope *sc)
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
    node *n = mk(p, N_IN);
    n->a = lhs;
    n->negated = negated;
    if (cur(p)->kind != T_LPAREN) {
        if (cur(p)->kind == T_PARAM) { /* IN ? (a driver-expanded list) */
            add_kid(p, n, parse_primary(p, sc));
            return n;
        }
        sqlscan_syntax_error(p, cur(p));
        return NULL;
    }
    if (sqlscan_at_subquery(p)) {
        n->b = subquery(p, sc);
        return n->b ? n : NULL;
    }
    advance(p);
    if (cur(p)->kind != T_RPAREN) {
        do {
            node *e = sqlscan_expr(p, sc);
            if (!e)
                return NULL;
            add_kid(p, n, e);
        } while (take(p, T_COMMA));
    }
    if (sqlscan_expect(p, T_RPAREN) < 0)
        return NULL;
    return n;
}

static node *parse_pred(parser *p, scope *sc)
{
    node *l = parse_bin(p, sc);
    while (l && !p->failed) {
        enum cmp_op c;
        token *t = cur(p);
        int negated = 0;
        if (cmp_of(t, &c)) {
            advance(p);
            node *n = mk(p, N_CMP);
            n->op = c;
            n->a = l;
            n->b = parse_bin(p, sc);
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
                node *n = mk(p, N_ISNULL);
                n->a = l;
                n->negated = negated;
                l = n;
            } else if (take_kw(p, "distinct")) {
                if (sqlscan_expect_kw(p, "from") < 0)
                    return NULL;
                l = op2(p, l, parse_bin(p, sc));
            } else {
                /* IS TRUE / FALSE / UNKNOWN / JSON ... */
                advance(p);
                l = op2(p, l, NULL);
            }
            continue;
        }
        if (sqlscan_kw(t, "isnull") || sqlscan_kw(t, "notnull")) {
            advance(p);
            node *n = mk(p, N_ISNULL);
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
            node *n = mk(p, N_BETWEEN);
            n->a = l;
            n->negated = negated;
            n->b = parse_bin(p, sc);
            if (!n->b || sqlscan_expect_kw(p, "and") < 0)
                return NULL;
            n->c = parse_bin(p, sc);
            if (!n->c)
                return NULL;
            sqlscan_map_params(p, n);
            l = n;
            continue;
        }
        if (sqlscan_kw(t, "like") || sqlscan_kw(t, "ilike")) {
            advance(p);
            node *n = mk(p, N_LIKE);
            n->a = l;
            n->negated = negated;
            n->b = parse_bin(p, sc);
            if (!n->b)
                return NULL;
            if (take_kw(p, "escape") && !parse_bin(p, sc))
                return NULL;
            sqlscan_map_params(p, n);
            l = n;
            continue;
        }
        if (sqlscan_kw(t, "similar") || sqlscan_kw(t, "regexp") || sqlscan_kw(t, "rlike") ||
            sqlscan_kw(t, "glob") || sqlscan_kw(t, "match")) {
            advance(p);
            take_kw(p, "to");
            node *r = parse_bin(p, sc);
            if (!r)
                return NULL;
            if (take_kw(p, "escape") && !parse_bin(p, sc))
                return NULL;
            l = op2(p, l, r);
            continue;
        }
        p->pos = save;
        break;
    }
    return p->failed ? NULL : l;
}

static node *parse_not(parser *p, scope *sc)
{
    if (take_kw(p, "not") || at_op(p, "!")) {
        if (at_op(p, "!"))
            advance(p);
        node *n = mk(p, N_NOT);
        n->a = parse_not(p, sc);
        return n->a ? n : NULL;
    }
    return parse_pred(p, sc);
}

static node *parse_and(parser *p, scope *sc)
{
    node *l = parse_not(p, sc);
    while (l && (take_kw(p, "and") || (at_op(p, "&&") && advance(p)))) {
        node *n = mk(p, N_AND);
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
    while (l && (take_kw(p, "or") || take_kw(p, "xor"))) {
        node *n = mk(p, N_OR);
        n->a = l;
        n->b = parse_and(p, sc);
        if (!n->b)
            return NULL;
        l = n;
    }
    return l;
}
