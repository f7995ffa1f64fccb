/*
 * sqlscan_internal.h - what the pieces of the query reader share: an arena
 * (every token, node, scope and source of one scan lives in it and goes at
 * once), the tokens (sqlscan_lex.c), the expression nodes
 * (sqlscan_expr.c) and the reader state with its scopes (sqlscan.c).
 *
 * Control flow: every parse function returns NULL / -1 after it has set
 * the one error through fail_at(); callers just pass that up.
 */
#ifndef BORCH_SQLSCAN_INTERNAL_H
#define BORCH_SQLSCAN_INTERNAL_H

#include <stddef.h>

#include "core/sqlscan.h"

/* ---- arena ---- */

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
} arena;

void *sqlscan_alloc(arena *a, size_t n); /* zeroed */
char *sqlscan_strndup(arena *a, const char *s, size_t n);
void sqlscan_arena_free(arena *a);

/* ---- tokens ---- */

enum tkind {
    T_EOF,
    T_IDENT,  /* unquoted identifier or keyword */
    T_QIDENT, /* "x", `x`, [x]: text holds the unquoted name */
    T_STRING, /* 'x', E'x', $$x$$: text holds the value */
    T_NUMBER,
    T_PARAM, /* $n, ?, ?n, :name: param holds the 0-based slot */
    T_OP,    /* operators and other punctuation: = <> :: * + ... */
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_DOT,
    T_SEMI,
    T_LBRACK,
    T_RBRACK,
    T_VAR, /* MySQL @var / @@var: a value, not a column */
};

typedef struct token {
    enum tkind kind;
    const char *start; /* into the sql text */
    size_t len;
    int line, column; /* 1-based */
    char *text;       /* decoded identifier or string value (arena), or NULL */
    int param;        /* T_PARAM: slot */
    int dquoted;      /* T_QIDENT written with double quotes */
} token;

typedef struct token_list {
    token *items;
    size_t count, cap;
    int nparams; /* slots used by the parameters */
} token_list;

/*
 * Splits sql into tokens (ending with one T_EOF). engine ("mysql",
 * "postgres", "sqlite" or NULL) picks the quoting rules that differ.
 * Returns 0 or BORCH_EINPUT on an unterminated string, identifier or
 * comment. The caller frees toks->items.
 */
int sqlscan_lex(const char *sql, const char *engine, arena *a, token_list *toks, borch_error *err);

/* 1 when tok is the unquoted word kw (any case). */
int sqlscan_kw(const token *tok, const char *kw);

/* ---- expression nodes ---- */

enum nkind {
    N_CONST, /* literal, NULL, @var, CURRENT_DATE... */
    N_PARAM,
    N_COL,   /* a column reference */
    N_SUBQ,  /* a subquery (already read; a value for its container) */
    N_OP,    /* anything else: function, arithmetic, CASE...; kids in list */
    N_CAST,  /* a::t, CAST(a AS t) */
    N_CMP,   /* a op b; b may be N_QUANT */
    N_QUANT, /* ANY/SOME/ALL (a) */
    N_AND,
    N_OR,
    N_NOT,
    N_IN,      /* a [NOT] IN (list) or (subquery) */
    N_BETWEEN, /* a [NOT] BETWEEN b AND c */
    N_LIKE,    /* a [NOT] LIKE/ILIKE b */
    N_ISNULL,  /* a IS [NOT] NULL */
};

enum cmp_op { C_EQ, C_NE, C_LT, C_GT, C_LE, C_GE, C_OTHER };

typedef struct node node;
struct node {
    enum nkind kind;
    enum cmp_op op; /* N_CMP */
    int negated;    /* NOT IN, NOT LIKE, IS NOT NULL, NOT BETWEEN */
    int row;        /* N_OP: a row value (a, b), its members in list */
    int quant_all;  /* N_QUANT: ALL rather than ANY/SOME */
    node *a, *b, *c;
    node **list; /* N_OP kids, N_IN list */
    size_t n, cap;
    /* N_COL */
    int use;            /* index in out->tables, or -1 when not a table of the model */
    const char *column; /* model spelling (resolved) or as written */
    const char *name;   /* as written (for order/group alias matching) */
    int qualified;
    /* N_CONST string literal / N_PARAM */
    const char *str;
    int is_string;
    int param;
};

/* ---- reader state ---- */

typedef struct source {
    const char *name;         /* qualifier: alias or table name */
    const borch_table *table; /* NULL: CTE, view, derived table, function */
    int use;                  /* index in out->tables, or -1 */
} source;

typedef struct select_item {
    node *expr;
    const char *alias; /* or NULL */
} select_item;

typedef struct scope scope;
struct scope {
    scope *parent;
    source *src;
    size_t nsrc, capsrc;
    const char **ctes; /* CTE names defined at this level */
    size_t nctes, capctes;
    select_item *items; /* the select list, for ORDER BY / GROUP BY aliases */
    size_t nitems, capitems;
    int loose; /* names resolve without errors (ORDER BY of a UNION) */
};

/* Nesting the reader accepts (parentheses, subqueries, prefix operators). */
#define MAX_DEPTH 200

typedef struct parser {
    const char *sql;
    const borch_schema *model;
    int mysql, postgres, sqlite;
    token *t;
    size_t pos, ntok;
    arena *a;
    borch_query_shape *out;
    borch_error *err;
    int failed;
    int depth; /* nesting, to refuse absurd inputs before the stack does */
} parser;

/* The current token, the one k further on (EOF past the end), advancing. */
static inline token *cur(parser *p)
{
    return &p->t[p->pos];
}
static inline token *peek(parser *p, size_t k)
{
    return &p->t[p->pos + k < p->ntok ? p->pos + k : p->ntok - 1];
}
static inline token *advance(parser *p)
{
    token *t = &p->t[p->pos];
    if (p->pos + 1 < p->ntok)
        p->pos++;
    return t;
}
/* Consumes the keyword kw when it is next. */
static inline int take_kw(parser *p, const char *kw)
{
    if (!sqlscan_kw(cur(p), kw))
        return 0;
    advance(p);
    return 1;
}
/* Consumes a token of kind k when it is next. */
static inline int take(parser *p, enum tkind k)
{
    if (cur(p)->kind != k)
        return 0;
    advance(p);
    return 1;
}
/* 1 when the next token is the operator op. */
static inline int at_op(parser *p, const char *op)
{
    token *t = cur(p);
    size_t n = 0;
    while (op[n])
        n++;
    return t->kind == T_OP && t->len == n && __builtin_memcmp(t->start, op, n) == 0;
}
int sqlscan_expect(parser *p, enum tkind k);
int sqlscan_expect_kw(parser *p, const char *kw);

/* Sets "syntax error near 'tok'" at tok's position; returns -1. */
int sqlscan_syntax_error(parser *p, const token *tok);
/* Sets a BORCH_EINPUT message at tok's position; returns -1. */
int sqlscan_fail(parser *p, const token *tok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Words that cannot be a bare alias or a column (FROM, WHERE, JOIN...). */
int sqlscan_reserved(const token *tok);

/* sqlscan_expr.c: one expression, resolving its columns in sc. */
node *sqlscan_expr(parser *p, scope *sc);
/* An operand of a predicate: no comparison, AND, OR or NOT at its top. */
node *sqlscan_operand(parser *p, scope *sc);
/* A new node of kind (arena, zeroed, use -1). */
node *sqlscan_node(parser *p, enum nkind kind);
/* Appends kid to n->list (NULL kids are dropped). */
void sqlscan_add_kid(parser *p, node *n, node *kid);

/* sqlscan_call.c: a function call at its '(' (name: its last name part). */
node *sqlscan_call(parser *p, scope *sc, const token *name);
/* CASE ... END after the CASE keyword. */
node *sqlscan_case(parser *p, scope *sc);
/* Reads a type name after :: or AS (skipped). */
void sqlscan_skip_type(parser *p);
/* Skips a balanced (...) group starting at the current '('. */
int sqlscan_skip_group(parser *p);
/* Adds a column reference to the used list of its table use. */
void sqlscan_note_used(parser *p, int use, const char *column);
/* Appends s to v unless already there. */
void sqlscan_add_unique(borch_strv *v, const char *s);
/* Maps params compared directly with a column in a comparison node. */
void sqlscan_map_params(parser *p, node *cmp);

/* One ORDER BY term. */
typedef struct order_term {
    node *expr;
    int desc;
} order_term;
/* Reads "expr [ASC|DESC] [NULLS FIRST|LAST], ..." after ORDER BY / GROUP BY. */
order_term *sqlscan_order_list(parser *p, scope *sc, size_t *count);
/* Reads an OVER / WINDOW specification "( ... )". */
int sqlscan_window_spec(parser *p, scope *sc);

/* sqlscan_names.c: scopes, sources and name lookups. */
scope *sqlscan_scope_new(parser *p, scope *parent);
/* Adds a source to sc; table NULL for a loose one. Returns its use or -1. */
int sqlscan_add_source(parser *p, scope *sc, const char *name, const borch_table *table,
                       const char *alias);
/* The source qualified as q in sc or its parents, or NULL. */
source *sqlscan_find_source(scope *sc, const token *q);
/* The model table named by tok (quoting rules applied), or NULL. */
const borch_table *sqlscan_table(parser *p, const token *tok);
/* The column named by tok in t, or NULL. */
const borch_column *sqlscan_column(parser *p, const borch_table *t, const token *tok);
/* 1 when tok names a CTE visible from sc or a view of the model. */
int sqlscan_loose_name(parser *p, scope *sc, const token *tok);
/* Fails with "table 'x' does not exist (did you mean ...)". */
int sqlscan_no_table(parser *p, const token *tok);
/* Fails with "column 'x' does not exist in 't'" (t NULL: in any table of the query). */
int sqlscan_no_column(parser *p, scope *sc, const token *tok, const borch_table *t);

/* sqlscan_from.c: FROM lists, joins, and sorting predicates into the shape. */
int sqlscan_table_refs(parser *p, scope *sc);
/* [AS] alias, or NULL; strings allowed as aliases where strings is set. */
const char *sqlscan_alias(parser *p, int strings);
/* Sorts the AND-ed predicates of where into eq/range/join of uses in [lo, hi). */
void sqlscan_classify(parser *p, node *where, int lo, int hi);

/* sqlscan.c, shared with sqlscan_dml.c. */
/* The first token at depth 0 from here that is one of stops (or the query's end). */
size_t sqlscan_find_clause(parser *p, const char *const *stops);
/* Fills order (group) of the one table use all terms are plain columns of. */
void sqlscan_set_sort(parser *p, scope *sc, order_term *terms, size_t n, int group);
/* LIMIT / OFFSET / FETCH FIRST / FOR UPDATE...; has_limit when top. */
int sqlscan_limit(parser *p, scope *sc, int top);
/* One select-list (or RETURNING) item: *, t.*, expr [AS alias]. */
int sqlscan_select_item(parser *p, scope *sc);

/* sqlscan_dml.c: UPDATE / DELETE statements at their first keyword. */
int sqlscan_update(parser *p, scope *parent);
int sqlscan_delete(parser *p, scope *parent);

/* sqlscan.c: a subquery starting at the current token (SELECT, WITH or '('). */
int sqlscan_query(parser *p, scope *parent, int top);
/* 1 when the tokens at the current position open a subquery: '('* then SELECT/WITH/VALUES. */
int sqlscan_at_subquery(parser *p);
/* Resolves name (optionally qualified by qual) in sc; fills n->use / n->column. */
int sqlscan_resolve(parser *p, scope *sc, node *n, const token *qual, const token *name);

#endif
