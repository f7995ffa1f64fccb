/*
 * workload_internal.h - what the files of the workload reader share: a
 * small SQL lexer (strings, quoted identifiers, comments, dollar quotes,
 * parameters), the statement splitter built on it, the fingerprint index
 * that merges repeated queries in O(1) each, and the two log readers.
 *
 * Files: workload.c (queries, merging, format detection, plain SQL files),
 * workload_lex.c (lexer, splitter, fingerprint), workload_logs.c
 * (PostgreSQL log and MySQL/MariaDB slow query log).
 */
#ifndef BORCH_WORKLOAD_INTERNAL_H
#define BORCH_WORKLOAD_INTERNAL_H

#include <stddef.h>

#include "core/workload.h"

/* ---- lexer (workload_lex.c) ---- */

enum wl_tok {
    WL_END,    /* end of text */
    WL_WORD,   /* keyword or unquoted identifier */
    WL_QIDENT, /* "x" or `x` */
    WL_STRING, /* '...', E'...', $$...$$, and "..." in MySQL */
    WL_NUMBER,
    WL_PARAM, /* $1 or ? */
    WL_OP,    /* a run of operator characters: = <> >= :: || ... */
    WL_PUNCT, /* ( ) , . [ ] and others, one character */
    WL_SEMI,  /* ; */
    WL_ERROR, /* unterminated quote or comment: see what */
};

/* The dialect knobs of a lexer. */
typedef struct wl_dialect {
    int mysql; /* backslash escapes in strings, "..." are strings, # comments, no nested comments */
} wl_dialect;

typedef struct wl_lexer {
    const char *s;
    size_t pos, len;
    int line; /* line of s[pos] */
    wl_dialect d;
} wl_lexer;

typedef struct wl_token {
    enum wl_tok kind;
    size_t start, end; /* s[start, end) */
    int line;          /* line of its first character */
    const char *what;  /* WL_ERROR: "string", "quoted identifier", "comment", ... */
} wl_token;

void wl_lex_init(wl_lexer *lx, const char *s, size_t len, int first_line, wl_dialect d);
/* The next token, skipping white space and comments. */
void wl_lex_next(wl_lexer *lx, wl_token *out);

/*
 * Called for each statement the splitter finds: sql[0, len) without its
 * ';', line = line of its first token. Returns non-zero to stop.
 */
typedef int (*wl_stmt_fn)(void *payload, const char *sql, size_t len, int line);

/*
 * Splits text at top-level ';' and hands each non-empty statement to fn.
 * On an unterminated quote or comment, pushes "file:line: unterminated
 * <what>" to warnings and stops (the rest is skipped). Returns 0, or 1 when
 * it stopped at such an error.
 */
int wl_split(const char *text, size_t len, int first_line, wl_dialect d, const char *file,
             borch_strv *warnings, wl_stmt_fn fn, void *payload);

/* True for the statements the advisor can use: SELECT, WITH, UPDATE, DELETE. */
int wl_is_query(const char *sql, size_t len, wl_dialect d);

enum wl_kind {
    WL_QUERY,   /* SELECT, WITH, UPDATE, DELETE (after any opening parentheses) */
    WL_OTHER,   /* a known command that is no query: SET, INSERT, CREATE, ... */
    WL_UNKNOWN, /* starts with no SQL command (a typo such as SELEC) */
};
/* What kind of statement sql is; word gets its first token as written (cut at 31). */
enum wl_kind wl_classify(const char *sql, size_t len, wl_dialect d, char word[32]);
/* "select" for "selec": the closest query word within a typo's distance, or NULL. */
const char *wl_suggest_query_word(const char *word);

/* borch_sql_fingerprint with the dialect's lexer. */
char *wl_fingerprint(const char *sql, size_t len, wl_dialect d);

/* ---- queries and their index (workload.c) ---- */

/* An open-addressing hash of fingerprint -> query index, for one reading. */
typedef struct wl_index {
    size_t *slots; /* query index + 1; 0 = empty */
    size_t cap;    /* power of two */
    size_t used;
} wl_index;

/* Builds the index over the queries already in w. */
void wl_index_init(wl_index *ix, const borch_workload *w);
void wl_index_release(wl_index *ix);

/*
 * borch_workload_add through an index: sql[0, len) with the dialect's
 * fingerprint. total_ms < 0 means unknown.
 */
void wl_add(borch_workload *w, wl_index *ix, const char *sql, size_t len, wl_dialect d,
            const char *file, int line, double calls, double total_ms);

/* A "file:line: message" warning. */
void wl_warn(borch_workload *w, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- logs (workload_logs.c) ---- */

/* True when the line (not NUL-terminated) starts a MySQL slow log. */
int wl_looks_mysql_slow(const char *line, size_t len);
/* True when the line looks like a PostgreSQL log line with a statement. */
int wl_looks_pg_log(const char *line, size_t len);

void wl_read_pg_log(borch_workload *w, wl_index *ix, const char *text, const char *file);
void wl_read_mysql_slow(borch_workload *w, wl_index *ix, const char *text, const char *file);

#endif
