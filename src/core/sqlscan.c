/*
 * sqlscan.c - the statement level of the query reader: SELECT (with WITH,
 * set operations, subqueries) and the entry point; UPDATE and DELETE are
 * in sqlscan_dml.c.
 * Tokens come from sqlscan_lex.c, expressions from sqlscan_expr.c and
 * sqlscan_call.c, FROM lists and predicate sorting from sqlscan_from.c,
 * names from sqlscan_names.c. Everything but the result lives in one
 * arena freed before returning; the result is plain malloc'd strings.
 *
 * A SELECT names its columns before its FROM list; the reader jumps ahead
 * to the FROM at the same parenthesis depth, reads it so that every
 * source is known, then comes back for the select list (the same trick
 * for UPDATE ... SET ... FROM).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan.h"
#include "core/sqlscan_internal.h"

static int query_body(parser *p, scope *sc, int top);

int sqlscan_at_subquery(parser *p)
{
    token *t = peek(p, 1);
    if (cur(p)->kind != T_LPAREN)
        return 0;
    if (sqlscan_kw(t, "select") || sqlscan_kw(t, "with") || sqlscan_kw(t, "values"))
        return 1;
    if (t->kind != T_LPAREN)
        return 0;
    /* ((SELECT ...) UNION (SELECT ...)) is one, ((SELECT ...) + 1) is not */
    size_t k = 1;
    while (peek(p, k)->kind == T_LPAREN)
        k++;
    if (!sqlscan_kw(peek(p, k), "select") && !sqlscan_kw(peek(p, k), "with"))
        return 0;
    int depth = 0;
    for (size_t i = p->pos + 1; i < p->ntok; i++) {
        depth += p->t[i].kind == T_LPAREN;
        depth -= p->t[i].kind == T_RPAREN;
        if (depth == 0) {
            token *after = i + 1 < p->ntok ? &p->t[i + 1] : &p->t[p->ntok - 1];
            return sqlscan_kw(after, "union") || sqlscan_kw(after, "intersect") ||
                   sqlscan_kw(after, "except") || sqlscan_kw(after, "minus") ||
                   sqlscan_kw(after, "order") || sqlscan_kw(after, "limit");
        }
    }
    return 0;
}

/*
 * The first token at parenthesis depth 0 from the current one that is one
 * of the keywords in stops (or the end of this query: ';', EOF, an
 * unmatched ')'); returns its index without moving.
 */
size_t sqlscan_find_clause(parser *p, const char *const *stops)
{
    int depth = 0;
    for (size_t i = p->pos; i < p->ntok; i++) {
        token *t = &p->t[i];
        if (t->kind == T_EOF || (t->kind == T_SEMI && depth == 0))
            return i;
        if (t->kind == T_LPAREN) {
            depth++;
        } else if (t->kind == T_RPAREN) {
            if (depth-- == 0)
                return i;
        } else if (depth == 0 && t->kind == T_IDENT) {
            for (int k = 0; stops[k]; k++)
                if (sqlscan_kw(t, stops[k])) {
                    /* WITHIN GROUP (ORDER BY ...) is no GROUP BY */
                    if (sqlscan_kw(t, "group") && i >= 1 && sqlscan_kw(&p->t[i - 1], "within"))
                        break;
                    /* x IS [NOT] DISTINCT FROM y is no FROM clause */
                    if (sqlscan_kw(t, "from") && i >= 2 && sqlscan_kw(&p->t[i - 1], "distinct") &&
                        (sqlscan_kw(&p->t[i - 2], "is") || sqlscan_kw(&p->t[i - 2], "not")))
                        break;
                    return i;
                }
        }
    }
    return p->ntok - 1;
}

/* An ORDER BY / GROUP BY term as a plain column of a table use, or NULL. */
static node *plain_column(scope *sc, node *e)
{
    if (e->kind == N_CONST && !e->is_string && e->str) { /* ORDER BY 2 */
        long k = strtol(e->str, NULL, 10);
        if (k < 1 || (size_t)k > sc->nitems)
            return NULL;
        e = sc->items[k - 1].expr;                                /* NULL for a star */
    } else if (e->kind == N_COL && e->use < 0 && !e->qualified) { /* an output alias */
        for (size_t i = 0; i < sc->nitems; i++)
            if (sc->items[i].alias && strcasecmp(sc->items[i].alias, e->name) == 0) {
                e = sc->items[i].expr;
                break;
            }
    }
    return e && e->kind == N_COL && e->use >= 0 ? e : NULL;
}

/* Fills order (or group) of the one table use all terms are columns of. */
void sqlscan_set_sort(parser *p, scope *sc, order_term *terms, size_t n, int group)
{
    int use = -1, desc = 0;
    for (size_t i = 0; i < n; i++) {
        node *c = plain_column(sc, terms[i].expr);
        if (!c || (use >= 0 && c->use != use))
            return;
        if (i > 0 && terms[i].desc != desc)
            return;
        use = c->use;
        desc = terms[i].desc;
    }
    if (use < 0)
        return;
    borch_table_use *u = &p->out->tables[use];
    borch_strv *v = group ? &u->group : &u->order;
    if (v->count)
        return;
    for (size_t i = 0; i < n; i++)
        sqlscan_add_unique(v, plain_column(sc, terms[i].expr)->column);
    if (!group)
        u->order_desc = desc;
}

/* LIMIT / OFFSET / FETCH FIRST; the locking clauses after them are skipped. */
int sqlscan_limit(parser *p, scope *sc, int top)
{
    for (;;) {
        if (take_kw(p, "limit")) {
            if (take_kw(p, "all"))
                continue;
            if (!sqlscan_expr(p, sc))
                return -1;
            if (take(p, T_COMMA) && !sqlscan_expr(p, sc))
                return -1;
            if (top)
                p->out->has_limit = 1;
        } else if (take_kw(p, "offset")) {
            if (!sqlscan_expr(p, sc))
                return -1;
            if (!take_kw(p, "rows"))
                take_kw(p, "row");
        } else if (take_kw(p, "fetch")) {
            if (!take_kw(p, "first") && !take_kw(p, "next"))
                return sqlscan_syntax_error(p, cur(p));
            if (!sqlscan_kw(cur(p), "row") && !sqlscan_kw(cur(p), "rows") && !sqlscan_expr(p, sc))
                return -1;
            if (!take_kw(p, "rows") && !take_kw(p, "row"))
                return sqlscan_syntax_error(p, cur(p));
            if (!take_kw(p, "only")) {
                if (sqlscan_expect_kw(p, "with") < 0 || sqlscan_expect_kw(p, "ties") < 0)
                    return -1;
            }
            if (top)
                p->out->has_limit = 1;
        } else if (take_kw(p, "into")) { /* MySQL ... INTO @a, @b / OUTFILE 'f' */
            while (cur(p)->kind == T_VAR || cur(p)->kind == T_IDENT || cur(p)->kind == T_STRING ||
                   cur(p)->kind == T_COMMA) {
                if (sqlscan_reserved(cur(p)))
                    break;
                advance(p);
            }
        } else if ((sqlscan_kw(cur(p), "for") && !sqlscan_kw(peek(p, 1), "system_time")) ||
                   sqlscan_kw(cur(p), "lock")) {
            /* FOR UPDATE [OF t] [NOWAIT | SKIP LOCKED], LOCK IN SHARE MODE */
            advance(p);
            while (cur(p)->kind == T_IDENT || cur(p)->kind == T_QIDENT || cur(p)->kind == T_COMMA ||
                   cur(p)->kind == T_DOT) {
                if (sqlscan_kw(cur(p), "union") || sqlscan_kw(cur(p), "limit"))
                    break;
                advance(p);
            }
        } else {
            return 0;
        }
    }
}

/* One select list item: *, t.*, or expr [AS alias]. */
int sqlscan_select_item(parser *p, scope *sc)
{
    select_item it = {0};
    size_t k = 0;
    while ((peek(p, k)->kind == T_IDENT || peek(p, k)->kind == T_QIDENT) &&
           peek(p, k + 1)->kind == T_DOT)
        k += 2;
    if (at_op(p, "*")) {
        advance(p);
        for (size_t i = 0; i < sc->nsrc; i++)
            if (sc->src[i].use >= 0)
                p->out->tables[sc->src[i].use].star = 1;
    } else if (k > 0 && peek(p, k)->kind == T_OP && peek(p, k)->len == 1 &&
               peek(p, k)->start[0] == '*') {
        token *q = peek(p, k - 2);
        source *src = sqlscan_find_source(sc, q);
        if (!src)
            return sqlscan_fail(p, q, "table or alias '%s' is not in the query", q->text);
        if (src->use >= 0)
            p->out->tables[src->use].star = 1;
        p->pos += k + 1;
    } else {
        it.expr = sqlscan_expr(p, sc);
        if (!it.expr)
            return -1;
        it.alias = sqlscan_alias(p, 1);
        if (p->failed)
            return -1;
    }
    /* stars take a place too: ORDER BY 2 counts them */
    if (sc->nitems == sc->capitems) {
        size_t cap = sc->capitems ? sc->capitems * 2 : 8;
        select_item *v = sqlscan_alloc(p->a, cap * sizeof(*v));
        if (sc->nitems)
            memcpy(v, sc->items, sc->nitems * sizeof(*v));
        sc->items = v;
        sc->capitems = cap;
    }
    sc->items[sc->nitems++] = it;
    return 0;
}

static const char *const after_list[] = {"from",  "into",   "where", "group", "having",    "order",
                                         "limit", "offset", "fetch", "union", "intersect", "except",
                                         "minus", "window", "for",   "lock",  NULL};

/* SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... WINDOW ... */
static int select_core(parser *p, scope *parent, scope **out)
{
    if (sqlscan_expect_kw(p, "select") < 0)
        return -1;
    scope *sc = sqlscan_scope_new(p, parent);
    *out = sc;
    size_t distinct_on = 0;
    for (;;) {
        if (sqlscan_kw(cur(p), "distinct") && sqlscan_kw(peek(p, 1), "on")) {
            advance(p);
            advance(p);
            distinct_on = p->pos;
            if (sqlscan_skip_group(p) < 0)
                return -1;
        } else if (sqlscan_kw(cur(p), "top")) { /* TOP n */
            advance(p);
            advance(p);
        } else if (take_kw(p, "distinct") || take_kw(p, "all") || take_kw(p, "distinctrow") ||
                   take_kw(p, "sql_calc_found_rows") || take_kw(p, "sql_no_cache") ||
                   take_kw(p, "sql_cache") || take_kw(p, "high_priority") ||
                   take_kw(p, "straight_join") || take_kw(p, "sql_small_result") ||
                   take_kw(p, "sql_big_result") || take_kw(p, "sql_buffer_result")) {
            continue;
        } else {
            break;
        }
    }
    size_t list = p->pos;
    size_t end_list = sqlscan_find_clause(p, after_list);
    size_t from = end_list;
    if (sqlscan_kw(&p->t[end_list], "into")) { /* SELECT a INTO x FROM t: x is no column */
        p->pos = end_list + 1;
        from = sqlscan_find_clause(p, after_list);
    }
    size_t after_from = from;
    if (sqlscan_kw(&p->t[from], "from")) {
        p->pos = from + 1;
        if (sqlscan_table_refs(p, sc) < 0)
            return -1;
        after_from = p->pos;
    }
    if (distinct_on) {
        p->pos = distinct_on + 1;
        do {
            if (!sqlscan_expr(p, sc))
                return -1;
        } while (take(p, T_COMMA));
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
    }
    p->pos = list;
    do {
        if (sqlscan_select_item(p, sc) < 0)
            return -1;
    } while (take(p, T_COMMA));
    if (p->pos != end_list)
        return sqlscan_syntax_error(p, cur(p));
    p->pos = after_from;
    if (take_kw(p, "where")) {
        node *w = sqlscan_expr(p, sc);
        if (!w)
            return -1;
        sqlscan_classify(p, w, 0, INT_MAX);
    }
    if (take_kw(p, "group")) {
        size_t n;
        order_term *terms;
        if (sqlscan_expect_kw(p, "by") < 0 || !(terms = sqlscan_order_list(p, sc, &n)))
            return -1;
        sqlscan_set_sort(p, sc, terms, n, 1);
    }
    if (take_kw(p, "having") && !sqlscan_expr(p, sc))
        return -1;
    if (take_kw(p, "window")) {
        do {
            advance(p);
            if (sqlscan_expect_kw(p, "as") < 0 || sqlscan_window_spec(p, sc) < 0)
                return -1;
        } while (take(p, T_COMMA));
    }
    return 0;
}

/* VALUES (a, b), (c, d) */
static int values_core(parser *p, scope *sc)
{
    advance(p);
    do {
        take_kw(p, "row");
        if (sqlscan_expect(p, T_LPAREN) < 0)
            return -1;
        do {
            if (!sqlscan_expr(p, sc))
                return -1;
        } while (take(p, T_COMMA));
        if (sqlscan_expect(p, T_RPAREN) < 0)
            return -1;
    } while (take(p, T_COMMA));
    return 0;
}

/* One operand of a set operation: SELECT ..., VALUES ..., or ( query ). */
static int query_term(parser *p, scope *sc, int top, scope **out)
{
    *out = NULL;
    if (take(p, T_LPAREN)) { /* (SELECT ... LIMIT 1) UNION ...: a branch of the statement */
        if (sqlscan_query(p, sc, top) < 0)
            return -1;
        return sqlscan_expect(p, T_RPAREN);
    }
    if (sqlscan_kw(cur(p), "values"))
        return values_core(p, sc);
    return select_core(p, sc, out);
}

/* Terms joined by UNION / INTERSECT / EXCEPT, then ORDER BY and LIMIT. */
static int query_body(parser *p, scope *sc, int top)
{
    scope *core = NULL;
    size_t nterms = 0;
    for (;;) {
        if (query_term(p, sc, top, &core) < 0)
            return -1;
        nterms++;
        if (!take_kw(p, "union") && !take_kw(p, "intersect") && !take_kw(p, "except") &&
            !take_kw(p, "minus"))
            break;
        if (!take_kw(p, "all"))
            take_kw(p, "distinct");
    }
    if (nterms > 1 || !core) { /* ORDER BY of a set operation names output columns */
        core = sqlscan_scope_new(p, sc);
        core->loose = 1;
    }
    if (take_kw(p, "order")) {
        size_t n;
        order_term *terms;
        if (sqlscan_expect_kw(p, "by") < 0 || !(terms = sqlscan_order_list(p, core, &n)))
            return -1;
        if (!core->loose)
            sqlscan_set_sort(p, core, terms, n, 0);
    }
    return sqlscan_limit(p, core, top);
}

/* Makes name a CTE of sc (arena-owned list). */
static void add_cte(parser *p, scope *sc, const char *name)
{
    if (sc->nctes == sc->capctes) {
        size_t cap = sc->capctes ? sc->capctes * 2 : 4;
        const char **v = sqlscan_alloc(p->a, cap * sizeof(char *));
        if (sc->nctes)
            memcpy(v, sc->ctes, sc->nctes * sizeof(char *));
        sc->ctes = v;
        sc->capctes = cap;
    }
    sc->ctes[sc->nctes++] = name;
}

/* WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] ( query ), ... */
static scope *with_clause(parser *p, scope *parent)
{
    scope *sc = sqlscan_scope_new(p, parent);
    advance(p);
    int recursive = take_kw(p, "recursive");
    do {
        token *name = cur(p);
        if (name->kind != T_IDENT && name->kind != T_QIDENT) {
            sqlscan_syntax_error(p, name);
            return NULL;
        }
        advance(p);
        /* a WITH RECURSIVE body sees its own name; a plain one sees the table it may shadow */
        if (recursive)
            add_cte(p, sc, name->text);
        if (cur(p)->kind == T_LPAREN && sqlscan_skip_group(p) < 0)
            return NULL;
        if (sqlscan_expect_kw(p, "as") < 0)
            return NULL;
        take_kw(p, "not");
        take_kw(p, "materialized");
        if (sqlscan_expect(p, T_LPAREN) < 0 || sqlscan_query(p, sc, 0) < 0 ||
            sqlscan_expect(p, T_RPAREN) < 0)
            return NULL;
        if (!recursive)
            add_cte(p, sc, name->text);
        /* PostgreSQL SEARCH / CYCLE clauses */
        while (sqlscan_kw(cur(p), "search") || sqlscan_kw(cur(p), "cycle")) {
            while (cur(p)->kind != T_COMMA && cur(p)->kind != T_EOF &&
                   !sqlscan_kw(cur(p), "select") && !sqlscan_kw(cur(p), "update") &&
                   !sqlscan_kw(cur(p), "delete") && !sqlscan_kw(cur(p), "insert"))
                advance(p);
        }
    } while (take(p, T_COMMA));
    return sc;
}

int sqlscan_query(parser *p, scope *parent, int top)
{
    if (++p->depth > MAX_DEPTH)
        return sqlscan_fail(p, cur(p), "query nested too deeply");
    scope *sc = parent;
    if (sqlscan_kw(cur(p), "with")) {
        sc = with_clause(p, parent);
        if (!sc)
            return -1;
    }
    int rc = query_body(p, sc, top);
    p->depth--;
    return rc < 0 || p->failed ? -1 : 0;
}

/* Unbalanced parentheses, reported at the one left open or the stray ')'. */
static int check_parens(parser *p)
{
    size_t open = 0, depth = 0;
    for (size_t i = 0; i < p->ntok; i++) {
        if (p->t[i].kind == T_LPAREN) {
            if (depth++ == 0)
                open = i;
        } else if (p->t[i].kind == T_RPAREN) {
            if (depth == 0)
                return sqlscan_fail(p, &p->t[i], "syntax error near ')': unbalanced parentheses");
            depth--;
        }
    }
    if (depth)
        return sqlscan_fail(p, &p->t[open], "syntax error near '(': unbalanced parentheses");
    return 0;
}

/*
 * Words that start a statement the advisor has no use for (INSERT, DDL,
 * transaction control, session settings, engine utilities): kind OTHER.
 * Any other first word is a syntax error, usually a misspelled SELECT.
 */
static int other_statement(const token *t)
{
    static const char *const words[] = {
        "abort",   "alter",    "analyse", "analyze",  "attach",     "begin",      "binlog",
        "cache",   "call",     "change",  "check",    "checkpoint", "checksum",   "close",
        "cluster", "comment",  "commit",  "copy",     "create",     "deallocate", "declare",
        "desc",    "describe", "detach",  "discard",  "do",         "drop",       "end",
        "execute", "explain",  "fetch",   "flush",    "get",        "grant",      "handler",
        "help",    "import",   "insert",  "install",  "kill",       "listen",     "load",
        "lock",    "merge",    "move",    "notify",   "optimize",   "pragma",     "prepare",
        "purge",   "refresh",  "reindex", "release",  "rename",     "repair",     "replace",
        "reset",   "resignal", "revoke",  "rollback", "savepoint",  "security",   "set",
        "show",    "signal",   "start",   "table",    "truncate",   "uninstall",  "unlisten",
        "unlock",  "upsert",   "use",     "vacuum",   "values",     "xa",         NULL,
    };
    for (int i = 0; words[i]; i++)
        if (sqlscan_kw(t, words[i]))
            return 1;
    return 0;
}

/* The statement: kind, then its reader; anything after it but ';' is an error. */
static int statement(parser *p)
{
    size_t k = 0;
    while (peek(p, k)->kind == T_LPAREN)
        k++;
    token *first = peek(p, k);
    if (!sqlscan_kw(first, "select") && !sqlscan_kw(first, "with") &&
        !sqlscan_kw(first, "update") && !sqlscan_kw(first, "delete")) {
        if (first->kind == T_EOF || (first->kind == T_SEMI && k == 0) || other_statement(first))
            return 0;
        return sqlscan_syntax_error(p, first); /* SELEC ..., 42, ... */
    }
    if (check_parens(p) < 0)
        return -1;
    scope *sc = NULL;
    if (sqlscan_kw(cur(p), "with") && !(sc = with_clause(p, NULL)))
        return -1;
    token *t = cur(p);
    int rc;
    if (sqlscan_kw(t, "select") || t->kind == T_LPAREN || sqlscan_kw(t, "values")) {
        p->out->kind = BORCH_STMT_SELECT;
        rc = query_body(p, sc, 1);
    } else if (sqlscan_kw(t, "update")) {
        p->out->kind = BORCH_STMT_UPDATE;
        rc = sqlscan_update(p, sc);
    } else if (sqlscan_kw(t, "delete")) {
        p->out->kind = BORCH_STMT_DELETE;
        rc = sqlscan_delete(p, sc);
    } else { /* WITH ... INSERT / MERGE: nothing for the advisor */
        borch_query_shape_release(p->out);
        p->out->kind = BORCH_STMT_OTHER;
        return 0;
    }
    if (rc < 0 || p->failed)
        return -1;
    while (take(p, T_SEMI))
        ;
    if (cur(p)->kind != T_EOF)
        return sqlscan_syntax_error(p, cur(p));
    return 0;
}

int borch_sqlscan(const char *sql, const borch_schema *model, borch_query_shape *out,
                  borch_error *err)
{
    memset(out, 0, sizeof(*out));
    out->kind = BORCH_STMT_OTHER;
    arena a = {0};
    token_list toks = {0};
    const char *engine = model->engine;
    int rc = sqlscan_lex(sql, engine, &a, &toks, err);
    if (rc < 0)
        goto done;
    parser p = {
        .sql = sql,
        .model = model,
        .mysql = engine && strcmp(engine, "mysql") == 0,
        .postgres = engine && strcmp(engine, "postgres") == 0,
        .sqlite = engine && strcmp(engine, "sqlite") == 0,
        .t = toks.items,
        .ntok = toks.count,
        .a = &a,
        .out = out,
        .err = err,
    };
    for (int i = 0; i < toks.nparams; i++)
        borch_strv_push_owned(&out->params, NULL);
    rc = statement(&p) < 0 ? BORCH_EINPUT : 0;
    if (rc == 0 && out->kind == BORCH_STMT_OTHER)
        borch_query_shape_release(out);
done:
    if (rc < 0) {
        borch_query_shape_release(out);
        out->kind = BORCH_STMT_OTHER;
    }
    free(toks.items);
    sqlscan_arena_free(&a);
    return rc;
}

void borch_query_shape_release(borch_query_shape *s)
{
    for (size_t i = 0; i < s->ntables; i++) {
        borch_table_use *u = &s->tables[i];
        free(u->table);
        free(u->alias);
        borch_strv_release(&u->eq);
        borch_strv_release(&u->range);
        borch_strv_release(&u->join);
        borch_strv_release(&u->order);
        borch_strv_release(&u->group);
        borch_strv_release(&u->used);
    }
    free(s->tables);
    borch_strv_release(&s->params);
    enum borch_stmt_kind kind = s->kind;
    memset(s, 0, sizeof(*s));
    s->kind = kind;
}
