/*
 * sqlscan_call.c - the parts of expressions with their own syntax:
 * function calls (with the special argument forms of EXTRACT, TRIM,
 * SUBSTRING, POSITION, CAST, CONVERT, GROUP_CONCAT, and FILTER / WITHIN
 * GROUP / OVER after them), window specifications, ORDER BY lists, CASE,
 * and type names (skipped: they name no column).
 */
#include <string.h>

#include "core/sqlscan_internal.h"

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
    static const char *const words[] = {"from",  "for",     "placing", "separator",
                                        "using", "as",      "in",      "returning",
                                        "on",    "passing", "format",  NULL};
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
        sqlscan_add_kid(p, fn, e);
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
        sqlscan_add_kid(p, fn, sqlscan_expr(p, sc));
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

/* CASE [x] WHEN a THEN b ... [ELSE c] END */
node *sqlscan_case(parser *p, scope *sc)
{
    node *n = sqlscan_node(p, N_OP);
    if (!sqlscan_kw(cur(p), "when"))
        sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
    while (take_kw(p, "when")) {
        sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
        if (sqlscan_expect_kw(p, "then") < 0)
            return NULL;
        sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
    }
    if (take_kw(p, "else"))
        sqlscan_add_kid(p, n, sqlscan_expr(p, sc));
    if (sqlscan_expect_kw(p, "end") < 0)
        return NULL;
    return n;
}

/*
 * A function call; name is its (last) name token and the current token
 * its '('. CAST and CONVERT give N_CAST, the rest N_OP with the arguments
 * as kids.
 */
node *sqlscan_call(parser *p, scope *sc, const token *name)
{
    node *fn = sqlscan_node(p, N_OP);
    if (sqlscan_kw(name, "cast") || sqlscan_kw(name, "try_cast")) {
        advance(p);
        node *c = sqlscan_node(p, N_CAST);
        c->a = sqlscan_expr(p, sc);
        if (sqlscan_expect_kw(p, "as") < 0)
            return NULL;
        sqlscan_skip_type(p);
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return NULL;
        return c;
    }
    if (sqlscan_kw(name, "convert")) { /* CONVERT(x, type) / CONVERT(x USING cs) */
        advance(p);
        node *c = sqlscan_node(p, N_CAST);
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
    if (sqlscan_kw(name, "position")) { /* POSITION(a IN b) */
        advance(p);
        sqlscan_add_kid(p, fn, sqlscan_operand(p, sc));
        if (take_kw(p, "in"))
            sqlscan_add_kid(p, fn, sqlscan_expr(p, sc));
        while (take(p, T_COMMA))
            sqlscan_add_kid(p, fn, sqlscan_expr(p, sc));
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return NULL;
        return fn;
    }
    if (function_args(p, sc, fn, name) < 0 || function_tail(p, sc, fn) < 0)
        return NULL;
    return fn;
}
