/*
 * sqlscan_lex.c - the tokenizer of the query reader, its arena and its
 * error helpers. One pass over the text; identifiers and strings are
 * decoded into the arena, positions are 1-based line/column (columns
 * count characters, not UTF-8 bytes). The quoting rules that differ by
 * engine: MySQL reads "x" as a string and \ as an escape, PostgreSQL
 * reads [ as a subscript and has $tag$ strings, the others read [x] as
 * an identifier.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan_internal.h"

/* ---- arena ---- */

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[];
};

/* One allocation per block of 8 KiB or more, freed all at once. */
void *sqlscan_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > 8192 ? n : 8192;
        b = borch_xmalloc(sizeof(*b) + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

/* A NUL-terminated copy of s[0..n) in the arena. */
char *sqlscan_strndup(arena *a, const char *s, size_t n)
{
    char *d = sqlscan_alloc(a, n + 1);
    memcpy(d, s, n);
    return d;
}

void sqlscan_arena_free(arena *a)
{
    while (a->head) {
        arena_block *b = a->head;
        a->head = b->next;
        free(b);
    }
}

/* ---- tokenizer ---- */

typedef struct lexer {
    const char *s; /* next byte */
    int line, column;
    const char *engine;
    arena *a;
    token_list *toks;
    const char **names; /* :name parameters seen, slot = index */
    size_t nnames, capnames;
    int nq; /* ? parameters seen */
} lexer;

/* Moves over n bytes, keeping line and (character) column. */
static void adv(lexer *lx, size_t n)
{
    for (size_t i = 0; i < n && *lx->s; i++, lx->s++) {
        unsigned char c = (unsigned char)*lx->s;
        if (c == '\n') {
            lx->line++;
            lx->column = 1;
        } else if ((c & 0xC0) != 0x80) {
            lx->column++;
        }
    }
}

/* Appends a token; the list may move, so callers use the returned pointer at once. */
static token *push(lexer *lx, enum tkind kind, const char *start, size_t len, int line, int column)
{
    token_list *l = lx->toks;
    borch_grow((void **)&l->items, &l->cap, l->count + 1, sizeof(token));
    token *t = &l->items[l->count++];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    t->start = start;
    t->len = len;
    t->line = line;
    t->column = column;
    return t;
}

/* Identifier characters; bytes >= 0x80 so that UTF-8 names pass whole. */
static int is_ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* How many bytes of s[0..n) to quote in a message: at most max, whole UTF-8 characters. */
static int utf8_prefix(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

/* "syntax error near '...': unterminated ..." at the opening quote. */
static int unterminated(const char *start, int line, int column, const char *what, borch_error *err)
{
    int n = utf8_prefix(start, strcspn(start, "\n"), 20);
    borch_error_set(err, BORCH_EINPUT, "syntax error near '%.*s': unterminated %s", n, start, what);
    return borch_error_at(err, NULL, line, column);
}

/*
 * Reads a quoted run closed by q (doubled q is a literal q; with bslash a
 * backslash escapes the next byte). Returns the decoded text or NULL when
 * the text ends first.
 */
static char *quoted(lexer *lx, char q, int bslash)
{
    const char *p = lx->s + 1;
    size_t n = 0;
    /* first pass: find the end and the decoded length */
    for (;;) {
        if (!*p)
            return NULL;
        if (bslash && *p == '\\' && p[1]) {
            p += 2;
            n++;
            continue;
        }
        if (*p == q) {
            if (p[1] == q) {
                p += 2;
                n++;
                continue;
            }
            break;
        }
        p++;
        n++;
    }
    char *d = sqlscan_alloc(lx->a, n + 1), *o = d;
    for (const char *r = lx->s + 1; r < p;) {
        if (bslash && *r == '\\') {
            *o++ = r[1];
            r += 2;
        } else if (*r == q) {
            *o++ = q;
            r += 2;
        } else {
            *o++ = *r++;
        }
    }
    adv(lx, (size_t)(p + 1 - lx->s));
    return d;
}

/* The slot of a :name parameter (the same name, the same slot). */
static int named_slot(lexer *lx, const char *name, size_t len)
{
    for (size_t i = 0; i < lx->nnames; i++)
        if (strlen(lx->names[i]) == len && strncmp(lx->names[i], name, len) == 0)
            return (int)i + lx->nq;
    borch_grow((void **)&lx->names, &lx->capnames, lx->nnames + 1, sizeof(char *));
    lx->names[lx->nnames++] = sqlscan_strndup(lx->a, name, len);
    return lx->nq + (int)lx->nnames - 1;
}

/* More parameters than PostgreSQL allows in one statement: a typo, not a list to build. */
#define MAX_PARAMS 65535

/* "parameter number out of range" at the parameter. */
static int too_large(const char *start, size_t n, int line, int column, borch_error *err)
{
    int len = utf8_prefix(start, n, 20);
    borch_error_set(err, BORCH_EINPUT, "syntax error near '%.*s': parameter number out of range",
                    len, start);
    return borch_error_at(err, NULL, line, column);
}

/* Keeps the number of parameter slots: the highest one seen. */
static void note_param(lexer *lx, int slot)
{
    if (slot + 1 > lx->toks->nparams)
        lx->toks->nparams = slot + 1;
}

/*
 * Whether the last token ends an operand, so that a following ? is
 * PostgreSQL's jsonb operator (data ? 'key'), not a parameter.
 */
static int after_operand(const lexer *lx)
{
    if (!lx->toks->count)
        return 0;
    const token *t = &lx->toks->items[lx->toks->count - 1];
    switch (t->kind) {
    case T_QIDENT:
    case T_RPAREN:
    case T_RBRACK:
    case T_STRING:
    case T_NUMBER:
        return 1;
    case T_IDENT:
        return !sqlscan_reserved(t) && !sqlscan_kw(t, "interval") && !sqlscan_kw(t, "first") &&
               !sqlscan_kw(t, "next") && !sqlscan_kw(t, "top");
    default:
        return 0;
    }
}

static const char *const multi_ops[] = {
    "<=>", "->>", "#>>", "!~*", "::", "<>", "!=", "<=", ">=", "||", "&&", "->", "#>",
    "@>",  "<@",  "<<",  ">>",  "!~", "~*", "@@", "==", ":=", "?|", "?&", NULL,
};

/* Reads the next token; returns 0, 1 at the end, or an error code. */
static int lex_one(lexer *lx, borch_error *err)
{
    int mysql = lx->engine && strcmp(lx->engine, "mysql") == 0;
    int pg = lx->engine && strcmp(lx->engine, "postgres") == 0;
    /* space and comments */
    for (;;) {
        unsigned char c = (unsigned char)*lx->s;
        if (isspace(c)) {
            adv(lx, 1);
        } else if (c == '-' && lx->s[1] == '-') {
            adv(lx, strcspn(lx->s, "\n"));
        } else if (c == '#' && mysql) {
            adv(lx, strcspn(lx->s, "\n"));
        } else if (c == '/' && lx->s[1] == '*') {
            const char *start = lx->s;
            int line = lx->line, column = lx->column, depth = 0;
            do {
                if (!*lx->s)
                    return unterminated(start, line, column, "comment", err);
                if (lx->s[0] == '/' && lx->s[1] == '*') {
                    depth += pg ? 1 : (depth == 0);
                    adv(lx, 2);
                } else if (lx->s[0] == '*' && lx->s[1] == '/') {
                    depth--;
                    adv(lx, 2);
                } else {
                    adv(lx, 1);
                }
            } while (depth > 0);
        } else {
            break;
        }
    }
    const char *start = lx->s;
    int line = lx->line, column = lx->column;
    unsigned char c = (unsigned char)*start;
    if (!c) {
        push(lx, T_EOF, start, 0, line, column);
        return 1;
    }
    /* E'...' and N'...' style prefixes: the prefix goes, the string stays */
    if ((c == 'E' || c == 'e') && start[1] == '\'') {
        adv(lx, 1);
        char *v = quoted(lx, '\'', 1);
        if (!v)
            return unterminated(start, line, column, "string", err);
        push(lx, T_STRING, start, (size_t)(lx->s - start), line, column)->text = v;
        return 0;
    }
    if (is_ident_start(c)) {
        size_t n = 1;
        while (is_ident_char((unsigned char)start[n]))
            n++;
        adv(lx, n);
        token *t = push(lx, T_IDENT, start, n, line, column);
        t->text = sqlscan_strndup(lx->a, start, n);
        return 0;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)start[1]))) {
        size_t n = 0;
        if (c == '0' && (start[1] == 'x' || start[1] == 'X')) {
            n = 2;
            while (isxdigit((unsigned char)start[n]))
                n++;
        } else {
            while (isdigit((unsigned char)start[n]) || start[n] == '.')
                n++;
            if ((start[n] == 'e' || start[n] == 'E') &&
                (isdigit((unsigned char)start[n + 1]) ||
                 ((start[n + 1] == '-' || start[n + 1] == '+') &&
                  isdigit((unsigned char)start[n + 2])))) {
                n += 2;
                while (isdigit((unsigned char)start[n]))
                    n++;
            }
        }
        adv(lx, n);
        push(lx, T_NUMBER, start, n, line, column);
        return 0;
    }
    if (c == '\'' || (c == '"' && mysql)) {
        char *v = quoted(lx, (char)c, mysql);
        if (!v)
            return unterminated(start, line, column, "string", err);
        push(lx, T_STRING, start, (size_t)(lx->s - start), line, column)->text = v;
        return 0;
    }
    if (c == '"' || c == '`' || (c == '[' && !pg)) {
        char *v = quoted(lx, c == '[' ? ']' : (char)c, 0);
        if (!v)
            return unterminated(start, line, column, "quoted identifier", err);
        token *t = push(lx, T_QIDENT, start, (size_t)(lx->s - start), line, column);
        t->text = v;
        t->dquoted = c == '"';
        return 0;
    }
    if (c == '$') {
        if (isdigit((unsigned char)start[1])) {
            size_t n = 1;
            while (isdigit((unsigned char)start[n]))
                n++;
            if (n > 6 || atoi(start + 1) > MAX_PARAMS)
                return too_large(start, n, line, column, err);
            adv(lx, n);
            token *t = push(lx, T_PARAM, start, n, line, column);
            t->param = atoi(start + 1) - 1;
            if (t->param < 0)
                t->param = 0;
            note_param(lx, t->param);
            return 0;
        }
        /* $tag$ ... $tag$ */
        size_t n = 1;
        while (is_ident_char((unsigned char)start[n]) && start[n] != '$')
            n++;
        if (start[n] == '$') {
            size_t taglen = n + 1;
            const char *body = start + taglen;
            const char *end = body;
            for (;;) {
                end = strchr(end, '$');
                if (!end)
                    return unterminated(start, line, column, "string", err);
                if (strncmp(end, start, taglen) == 0)
                    break;
                end++;
            }
            adv(lx, (size_t)(end + taglen - start));
            token *t = push(lx, T_STRING, start, (size_t)(lx->s - start), line, column);
            t->text = sqlscan_strndup(lx->a, body, (size_t)(end - body));
            return 0;
        }
        if (n > 1) { /* SQLite $name */
            adv(lx, n);
            token *t = push(lx, T_PARAM, start, n, line, column);
            t->param = named_slot(lx, start + 1, n - 1);
            note_param(lx, t->param);
            return 0;
        }
    }
    if (c == '?' && !(pg && (start[1] == '|' || start[1] == '&' || after_operand(lx)))) {
        size_t n = 1;
        while (isdigit((unsigned char)start[n]))
            n++;
        if (n > 7 || (n > 1 && atoi(start + 1) > MAX_PARAMS))
            return too_large(start, n, line, column, err);
        adv(lx, n);
        token *t = push(lx, T_PARAM, start, n, line, column);
        if (n > 1) {
            t->param = atoi(start + 1) - 1;
            if (t->param < 0)
                t->param = 0;
        } else {
            t->param = lx->nq++;
        }
        note_param(lx, t->param);
        return 0;
    }
    if (c == '%' && start[1] == 's' && !is_ident_char((unsigned char)start[2])) { /* Python %s */
        adv(lx, 2);
        token *t = push(lx, T_PARAM, start, 2, line, column);
        t->param = lx->nq++;
        note_param(lx, t->param);
        return 0;
    }
    if (c == '%' && start[1] == '(') { /* Python %(name)s */
        size_t n = 2;
        while (is_ident_char((unsigned char)start[n]))
            n++;
        if (n > 2 && start[n] == ')' && start[n + 1] == 's') {
            adv(lx, n + 2);
            token *t = push(lx, T_PARAM, start, n + 2, line, column);
            t->param = named_slot(lx, start + 2, n - 2);
            note_param(lx, t->param);
            return 0;
        }
    }
    if (c == ':' && start[1] != ':' && is_ident_start((unsigned char)start[1]) &&
        !(lx->toks->count && lx->toks->items[lx->toks->count - 1].kind == T_OP &&
          lx->toks->items[lx->toks->count - 1].len == 2 &&
          lx->toks->items[lx->toks->count - 1].start[0] == ':')) {
        size_t n = 2;
        while (is_ident_char((unsigned char)start[n]))
            n++;
        adv(lx, n);
        token *t = push(lx, T_PARAM, start, n, line, column);
        t->param = named_slot(lx, start + 1, n - 1);
        note_param(lx, t->param);
        return 0;
    }
    if (c == '@' && is_ident_start((unsigned char)start[1]) && lx->engine &&
        strcmp(lx->engine, "sqlite") == 0) { /* SQLite @name */
        size_t n = 2;
        while (is_ident_char((unsigned char)start[n]))
            n++;
        adv(lx, n);
        token *t = push(lx, T_PARAM, start, n, line, column);
        t->param = named_slot(lx, start + 1, n - 1);
        note_param(lx, t->param);
        return 0;
    }
    if (c == '@' && (is_ident_start((unsigned char)start[1]) || start[1] == '@')) {
        size_t n = 1;
        while (start[n] == '@')
            n++;
        while (is_ident_char((unsigned char)start[n]) || start[n] == '.')
            n++;
        adv(lx, n);
        push(lx, T_VAR, start, n, line, column);
        return 0;
    }
    enum tkind k = T_OP;
    switch (c) {
    case '(':
        k = T_LPAREN;
        break;
    case ')':
        k = T_RPAREN;
        break;
    case ',':
        k = T_COMMA;
        break;
    case '.':
        k = T_DOT;
        break;
    case ';':
        k = T_SEMI;
        break;
    case '[':
        k = T_LBRACK;
        break;
    case ']':
        k = T_RBRACK;
        break;
    default:
        break;
    }
    size_t n = 1;
    if (k == T_OP) {
        for (int i = 0; multi_ops[i]; i++) {
            size_t m = strlen(multi_ops[i]);
            if (strncmp(start, multi_ops[i], m) == 0) {
                n = m;
                break;
            }
        }
    }
    adv(lx, n);
    push(lx, k, start, n, line, column);
    return 0;
}

int sqlscan_lex(const char *sql, const char *engine, arena *a, token_list *toks, borch_error *err)
{
    lexer lx = {.s = sql, .line = 1, .column = 1, .engine = engine, .a = a, .toks = toks};
    int rc;
    while ((rc = lex_one(&lx, err)) == 0)
        ;
    free(lx.names);
    /* :name slots were numbered after the ? seen so far; fine for one style per query */
    return rc == 1 ? 0 : rc;
}

/* ---- helpers shared by the reader ---- */

int sqlscan_kw(const token *tok, const char *kw)
{
    if (tok->kind != T_IDENT)
        return 0;
    /* called for nearly every token and keyword: no strlen, stop at the first difference */
    size_t i = 0;
    for (; i < tok->len; i++) {
        unsigned char a = (unsigned char)tok->start[i], b = (unsigned char)kw[i];
        if (!b || (a | 0x20) != (b | 0x20) || ((a ^ b) & 0x20 && !isalpha(a)))
            return 0;
    }
    return kw[i] == 0;
}

int sqlscan_syntax_error(parser *p, const token *tok)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    if (tok->kind == T_EOF) {
        borch_error_set(p->err, BORCH_EINPUT, "syntax error at end of query");
    } else {
        int n = utf8_prefix(tok->start, tok->len, 30);
        borch_error_set(p->err, BORCH_EINPUT, "syntax error near '%.*s'", n, tok->start);
    }
    borch_error_at(p->err, NULL, tok->line, tok->column);
    return -1;
}

int sqlscan_fail(parser *p, const token *tok, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    char msg[sizeof(p->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    borch_error_set(p->err, BORCH_EINPUT, "%s", msg);
    borch_error_at(p->err, NULL, tok->line, tok->column);
    return -1;
}

int sqlscan_expect(parser *p, enum tkind k)
{
    if (p->failed)
        return -1;
    if (!take(p, k))
        return sqlscan_syntax_error(p, cur(p));
    return 0;
}

int sqlscan_expect_kw(parser *p, const char *kw)
{
    if (p->failed)
        return -1;
    if (!take_kw(p, kw))
        return sqlscan_syntax_error(p, cur(p));
    return 0;
}

/* Sorted for bsearch; words that end an expression or a name. */
static const char *const reserved[] = {
    "ALL",           "AND",         "ANY",     "AS",        "ASC",
    "BETWEEN",       "BY",          "CASE",    "CROSS",     "DESC",
    "DISTINCT",      "DIV",         "ELSE",    "END",       "ESCAPE",
    "EXCEPT",        "EXISTS",      "FETCH",   "FOR",       "FORCE",
    "FROM",          "FULL",        "GLOB",    "GROUP",     "HAVING",
    "IGNORE",        "ILIKE",       "IN",      "INDEXED",   "INNER",
    "INTERSECT",     "INTO",        "IS",      "ISNULL",    "JOIN",
    "LATERAL",       "LEFT",        "LIKE",    "LIMIT",     "LOCK",
    "MINUS",         "MOD",         "NATURAL", "NOT",       "NOTNULL",
    "NULL",          "OFFSET",      "ON",      "OR",        "ORDER",
    "OUTER",         "PARTITION",   "REGEXP",  "RETURNING", "RIGHT",
    "RLIKE",         "SELECT",      "SET",     "SIMILAR",   "SOME",
    "STRAIGHT_JOIN", "TABLESAMPLE", "THEN",    "UNION",     "USE",
    "USING",         "VALUES",      "WHEN",    "WHERE",     "WINDOW",
    "WITH",          "XOR",
};

/* bsearch order: the token text against a word, case-insensitively. */
static int cmp_reserved(const void *key, const void *elem)
{
    const token *t = key;
    const char *w = *(const char *const *)elem;
    size_t wl = strlen(w);
    int c = strncasecmp(t->start, w, t->len < wl ? t->len : wl);
    if (c)
        return c;
    return t->len < wl ? -1 : t->len > wl;
}

int sqlscan_reserved(const token *tok)
{
    if (tok->kind != T_IDENT)
        return 0;
    return bsearch(tok, reserved, sizeof(reserved) / sizeof(reserved[0]), sizeof(reserved[0]),
                   cmp_reserved) != NULL;
}
