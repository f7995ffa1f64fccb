/*
 * split.c - the client-side statement splitter of the MySQL driver (see
 * split.h). One pass over the text: quotes and comments are skipped as
 * units so that a delimiter inside them does not end a statement; a
 * statement runs from its first code character to the next delimiter.
 */
#include "mysql/split.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

#define MAX_DELIMITER 32

/* Scanner state shared by the helpers below. */
typedef struct scanner {
    const char *p;          /* next character */
    int line;               /* 0-based line of p */
    const char *stmt_start; /* first code character of the pending statement, or NULL */
    int stmt_line;          /* its line */
    char delim[MAX_DELIMITER + 1];
    size_t delim_len;
    int first_line;
    int backslash_escapes; /* 0 under NO_BACKSLASH_ESCAPES */
    borch_mysql_stmts *out;
} scanner;

/* Appends input[stmt_start, end) as a statement, trailing blanks trimmed. */
static void emit(scanner *s, const char *end)
{
    if (!s->stmt_start)
        return;
    while (end > s->stmt_start && isspace((unsigned char)end[-1]))
        end--;
    borch_mysql_stmts *o = s->out;
    borch_grow((void **)&o->items, &o->cap, o->count + 1, sizeof(*o->items));
    o->items[o->count].sql = borch_xstrndup(s->stmt_start, (size_t)(end - s->stmt_start));
    o->items[o->count].line = s->first_line + s->stmt_line;
    o->count++;
    s->stmt_start = NULL;
}

/* Notes that the statement has code at p, so it starts there if it had none. */
static void mark_code(scanner *s)
{
    if (!s->stmt_start) {
        s->stmt_start = s->p;
        s->stmt_line = s->line;
    }
}

/* Reports a malformed script at line (0-based in the script). */
static int fail(scanner *s, int line, const char *what, borch_error *err)
{
    borch_error_set(err, BORCH_EINPUT, "%s", what);
    borch_error_at(err, NULL, s->first_line + line, 0);
    return BORCH_EINPUT;
}

/*
 * At the start of a line: when it is a `DELIMITER xx` line, ends the pending
 * statement, takes the new delimiter and moves past the line. Returns 1 when
 * the line was one, 0 when not, or a negative error.
 */
static int delimiter_line(scanner *s, borch_error *err)
{
    const char *q = s->p;
    while (*q == ' ' || *q == '\t')
        q++;
    if (strncasecmp(q, "delimiter", 9) != 0 || (q[9] != ' ' && q[9] != '\t'))
        return 0;
    emit(s, s->p);
    q += 9;
    while (*q == ' ' || *q == '\t')
        q++;
    const char *d = q;
    while (*q && !isspace((unsigned char)*q))
        q++;
    size_t n = (size_t)(q - d);
    if (n == 0)
        return fail(s, s->line, "DELIMITER must be followed by a delimiter", err);
    if (n > MAX_DELIMITER)
        return fail(s, s->line, "DELIMITER longer than 32 characters", err);
    if (memchr(d, '\\', n))
        return fail(s, s->line, "DELIMITER cannot contain a backslash", err);
    memcpy(s->delim, d, n);
    s->delim[n] = '\0';
    s->delim_len = n;
    /* The rest of the line belongs to the command, as in the mysql client. */
    while (*q && *q != '\n')
        q++;
    s->p = q;
    return 1;
}

/* Skips a quoted string or identifier that starts at s->p. */
static int skip_quoted(scanner *s, borch_error *err)
{
    char quote = *s->p;
    int open_line = s->line;
    const char *q = s->p + 1;
    for (;;) {
        if (*q == '\0')
            return fail(s, open_line,
                        quote == '`' ? "unterminated quoted identifier"
                                     : "unterminated quoted string",
                        err);
        if (*q == '\n')
            s->line++;
        if (*q == '\\' && quote != '`' && s->backslash_escapes && q[1] != '\0') {
            if (q[1] == '\n')
                s->line++;
            q += 2;
            continue;
        }
        if (*q == quote) {
            if (q[1] == quote) { /* doubled quote: an escaped quote */
                q += 2;
                continue;
            }
            s->p = q + 1;
            return 0;
        }
        q++;
    }
}

/* Skips a block comment at s->p; executable ones count as code. */
static int skip_block_comment(scanner *s, borch_error *err)
{
    const char *q = s->p;
    if (q[2] == '!' || q[2] == '+' || (q[2] == 'M' && q[3] == '!'))
        mark_code(s);
    int open_line = s->line;
    q += 2;
    while (*q && !(q[0] == '*' && q[1] == '/')) {
        if (*q == '\n')
            s->line++;
        q++;
    }
    if (!*q)
        return fail(s, open_line, "unterminated comment", err);
    s->p = q + 2;
    return 0;
}

/* True at "-- " style comments: two dashes then a blank or control character. */
static int dash_comment(const char *p)
{
    return p[0] == '-' && p[1] == '-' &&
           (p[2] == '\0' || isspace((unsigned char)p[2]) || iscntrl((unsigned char)p[2]));
}

int borch_mysql_split(const char *sql, int first_line, unsigned flags, borch_mysql_stmts *out,
                      borch_error *err)
{
    scanner s = {.p = sql, .first_line = first_line, .out = out, .delim = ";", .delim_len = 1};
    s.backslash_escapes = !(flags & BORCH_MYSQL_SPLIT_NO_BACKSLASH_ESCAPES);
    int at_line_start = 1;
    int rc;
    while (*s.p) {
        if (at_line_start) {
            at_line_start = 0;
            if ((rc = delimiter_line(&s, err)) < 0)
                return rc;
            if (rc == 1)
                continue;
        }
        char c = *s.p;
        if (c == '\n') {
            s.line++;
            s.p++;
            at_line_start = 1;
        } else if (strncmp(s.p, s.delim, s.delim_len) == 0) {
            emit(&s, s.p);
            s.p += s.delim_len;
        } else if (c == '\'' || c == '"' || c == '`') {
            mark_code(&s);
            if ((rc = skip_quoted(&s, err)) < 0)
                return rc;
        } else if (c == '#' || dash_comment(s.p)) {
            while (*s.p && *s.p != '\n')
                s.p++;
        } else if (c == '/' && s.p[1] == '*') {
            if ((rc = skip_block_comment(&s, err)) < 0)
                return rc;
        } else {
            if (!isspace((unsigned char)c))
                mark_code(&s);
            s.p++;
        }
    }
    emit(&s, s.p);
    return 0;
}

void borch_mysql_stmts_release(borch_mysql_stmts *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i].sql);
    free(s->items);
    s->items = NULL;
    s->count = s->cap = 0;
}
