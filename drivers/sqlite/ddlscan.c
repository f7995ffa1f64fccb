/*
 * ddlscan.c - reads the parts of SQLite's stored CREATE statements that no
 * PRAGMA reports: CHECK constraints, named primary keys, the expressions and
 * WHERE of an index, and a view's SELECT.
 *
 * SQLite keeps each CREATE statement verbatim in sqlite_master.sql, so a
 * small tokenizer that knows quotes, comments and parentheses is enough: it
 * never has to understand expressions, only to find where they start and end.
 */
#include "sqlite_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

enum tok_kind { T_END, T_WORD, T_STRING, T_QIDENT, T_PUNCT };

typedef struct tok {
    enum tok_kind kind;
    const char *start; /* first byte of the token */
    const char *end;   /* one past its last byte */
} tok;

const char *borch_sqlite_skip_blank(const char *p)
{
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* Reads a quoted run closed by close, where a doubled close is literal. */
static const char *skip_quoted(const char *p, char close)
{
    p++;
    while (*p) {
        if (*p == close) {
            if (p[1] == close && close != ']') {
                p += 2;
                continue;
            }
            return p + 1;
        }
        p++;
    }
    return p; /* unterminated: the rest of the text */
}

/* Reads the token at *pp and moves *pp past it. */
static tok next_tok(const char **pp)
{
    const char *p = borch_sqlite_skip_blank(*pp);
    tok t = {T_END, p, p};
    if (!*p) {
        *pp = p;
        return t;
    }
    if (*p == '\'') {
        t.kind = T_STRING;
        t.end = skip_quoted(p, '\'');
    } else if (*p == '"' || *p == '`') {
        t.kind = T_QIDENT;
        t.end = skip_quoted(p, *p);
    } else if (*p == '[') {
        t.kind = T_QIDENT;
        t.end = skip_quoted(p, ']');
    } else if (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) {
        t.kind = T_WORD;
        t.end = p;
        while (isalnum((unsigned char)*t.end) || *t.end == '_' || *t.end == '$' ||
               (unsigned char)*t.end >= 0x80)
            t.end++;
    } else {
        t.kind = T_PUNCT;
        t.end = p + 1;
    }
    *pp = t.end;
    return t;
}

static int is_word(const tok *t, const char *w)
{
    size_t n = strlen(w);
    return t->kind == T_WORD && (size_t)(t->end - t->start) == n &&
           strncasecmp(t->start, w, n) == 0;
}

static int is_punct(const tok *t, char c)
{
    return t->kind == T_PUNCT && *t->start == c;
}

/* The text of [s, e) without blanks at either end, malloc'd. */
static char *trimmed(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == ';'))
        e--;
    return borch_xstrndup(s, (size_t)(e - s));
}

/* An identifier token's name without its quotes ("a""b" -> a"b). */
static char *unquote(const tok *t)
{
    if (t->kind != T_QIDENT && t->kind != T_STRING)
        return borch_xstrndup(t->start, (size_t)(t->end - t->start));
    char q = *t->start;
    char close = q == '[' ? ']' : q;
    const char *s = t->start + 1;
    const char *e = t->end;
    if (e > s && e[-1] == close)
        e--;
    char *out = borch_xmalloc((size_t)(e - s) + 1);
    size_t n = 0;
    for (const char *p = s; p < e; p++) {
        out[n++] = *p;
        if (*p == close && close != ']' && p + 1 < e && p[1] == close)
            p++;
    }
    out[n] = '\0';
    return out;
}

/* Moves *pp past the ')' that closes an already-read '('; returns that ')' position. */
static const char *skip_parens(const char **pp)
{
    int depth = 1;
    for (;;) {
        tok t = next_tok(pp);
        if (t.kind == T_END)
            return t.start;
        if (is_punct(&t, '('))
            depth++;
        else if (is_punct(&t, ')') && --depth == 0)
            return t.start;
    }
}

/* Moves *pp past the first '(' at the top level; 0 when there is none. */
static int find_open_paren(const char **pp)
{
    for (;;) {
        tok t = next_tok(pp);
        if (t.kind == T_END)
            return 0;
        if (is_punct(&t, '('))
            return 1;
    }
}

/* Adds a named foreign key with no columns yet; returns it. */
static borch_sqlite_named_fk *add_named_fk(borch_sqlite_table_info *info, size_t *cap,
                                           const tok *name)
{
    borch_grow((void **)&info->fks, cap, info->nfks + 1, sizeof(*info->fks));
    borch_sqlite_named_fk *fk = &info->fks[info->nfks++];
    memset(fk, 0, sizeof(*fk));
    fk->name = unquote(name);
    return fk;
}

/* A definition that starts with one of these is a table constraint, not a column. */
static int starts_table_constraint(const tok *t)
{
    return is_word(t, "CONSTRAINT") || is_word(t, "PRIMARY") || is_word(t, "UNIQUE") ||
           is_word(t, "CHECK") || is_word(t, "FOREIGN");
}

int borch_sqlite_scan_table(const char *sql, borch_sqlite_table_info *out)
{
    memset(out, 0, sizeof(*out));
    size_t cap = 0, fkcap = 0;
    const char *p = sql;
    if (!find_open_paren(&p))
        return BORCH_EINPUT;

    /* The two tokens before the current one, to see "CONSTRAINT name". */
    tok prev2 = {T_END, p, p}, prev1 = {T_END, p, p};
    tok first = {T_END, p, p}; /* first token of the current definition */
    int at_start = 1;
    for (;;) {
        tok t = next_tok(&p);
        if (t.kind == T_END || is_punct(&t, ')'))
            break;
        if (at_start) {
            first = t;
            at_start = 0;
        }
        int named = is_word(&prev2, "CONSTRAINT");
        if (is_punct(&t, ',')) {
            at_start = 1;
        } else if (is_punct(&t, '(')) {
            skip_parens(&p); /* type sizes, DEFAULT (...), REFERENCES t(...), ... */
        } else if (is_word(&t, "CHECK")) {
            tok open = next_tok(&p);
            if (!is_punct(&open, '(')) {
                borch_sqlite_table_info_release(out);
                return BORCH_EINPUT;
            }
            const char *body = p;
            const char *close = skip_parens(&p);
            borch_grow((void **)&out->checks, &cap, out->nchecks + 1, sizeof(*out->checks));
            borch_sqlite_check *c = &out->checks[out->nchecks++];
            c->name = named ? unquote(&prev1) : NULL;
            c->expression = trimmed(body, close);
        } else if (is_word(&t, "PRIMARY") && named && !out->pk_name) {
            out->pk_name = unquote(&prev1);
        } else if (is_word(&t, "FOREIGN") && named) {
            /* CONSTRAINT name FOREIGN KEY (a, b) REFERENCES ... */
            borch_sqlite_named_fk *fk = add_named_fk(out, &fkcap, &prev1);
            tok k = next_tok(&p), open = next_tok(&p);
            if (is_word(&k, "KEY") && is_punct(&open, '(')) {
                for (;;) {
                    tok c = next_tok(&p);
                    if (c.kind == T_END || is_punct(&c, ')'))
                        break;
                    if (c.kind == T_WORD || c.kind == T_QIDENT || c.kind == T_STRING)
                        borch_strv_push_owned(&fk->columns, unquote(&c));
                }
            }
        } else if (is_word(&t, "REFERENCES") && named && !starts_table_constraint(&first)) {
            /* column CONSTRAINT name REFERENCES parent ... */
            borch_sqlite_named_fk *fk = add_named_fk(out, &fkcap, &prev1);
            borch_strv_push_owned(&fk->columns, unquote(&first));
        }
        prev2 = prev1;
        prev1 = t;
    }
    return 0;
}

void borch_sqlite_table_info_release(borch_sqlite_table_info *info)
{
    for (size_t i = 0; i < info->nchecks; i++) {
        free(info->checks[i].name);
        free(info->checks[i].expression);
    }
    free(info->checks);
    for (size_t i = 0; i < info->nfks; i++) {
        free(info->fks[i].name);
        borch_strv_release(&info->fks[i].columns);
    }
    free(info->fks);
    free(info->pk_name);
    memset(info, 0, sizeof(*info));
}

int borch_sqlite_scan_index(const char *sql, borch_strv *parts, char **where)
{
    *where = NULL;
    const char *p = sql;
    if (!find_open_paren(&p))
        return BORCH_EINPUT;
    const char *part = p;  /* start of the current part */
    const char *last = p;  /* start of the current part's last token */
    int last_is_order = 0; /* that token is ASC or DESC */
    for (;;) {
        tok t = next_tok(&p);
        if (t.kind == T_END)
            return BORCH_EINPUT;
        if (is_punct(&t, ',') || is_punct(&t, ')')) {
            borch_strv_push_owned(parts, trimmed(part, last_is_order ? last : t.start));
            if (is_punct(&t, ')'))
                break;
            part = p;
            last_is_order = 0;
            continue;
        }
        last = t.start;
        last_is_order = is_word(&t, "ASC") || is_word(&t, "DESC");
        if (is_punct(&t, '('))
            skip_parens(&p);
    }
    tok t = next_tok(&p);
    if (is_word(&t, "WHERE"))
        *where = trimmed(p, p + strlen(p));
    return 0;
}

char *borch_sqlite_view_select(const char *sql)
{
    const char *p = sql;
    for (;;) {
        tok t = next_tok(&p);
        if (t.kind == T_END)
            return NULL;
        if (is_punct(&t, '('))
            skip_parens(&p);
        else if (is_word(&t, "AS"))
            return trimmed(p, p + strlen(p));
    }
}

char *borch_sqlite_normalize_type(const char *decl)
{
    size_t n = decl ? strlen(decl) : 0;
    char *out = borch_xmalloc(n + 1);
    size_t k = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)decl[i];
        if (isspace(ch)) {
            pending_space = k > 0;
            continue;
        }
        int tight = ch == '(' || ch == ')' || ch == ',';
        int after_tight = k > 0 && (out[k - 1] == '(' || out[k - 1] == ',');
        if (pending_space && !tight && !after_tight)
            out[k++] = ' ';
        pending_space = 0;
        out[k++] = (char)tolower(ch);
    }
    out[k] = '\0';
    return out;
}
