/*
 * workload_lex.c - the lexer under the workload reader: just enough SQL to
 * find where statements end (never inside a string, a quoted identifier, a
 * comment or a PostgreSQL dollar quote), which kind a statement is, and its
 * fingerprint. It is not a parser: sqlscan reads the statements later.
 */
#include "core/workload_internal.h"

#include <ctype.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/suggest.h"

void wl_lex_init(wl_lexer *lx, const char *s, size_t len, int first_line, wl_dialect d)
{
    lx->s = s;
    lx->len = len;
    lx->pos = 0;
    lx->line = first_line;
    lx->d = d;
}

static int word_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static int word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static int op_char(char c)
{
    return c && strchr("+-*/<>=~!@#%^&|:", c) != NULL;
}

/* Moves one character, counting lines. */
static void step(wl_lexer *lx)
{
    if (lx->s[lx->pos] == '\n')
        lx->line++;
    lx->pos++;
}

/*
 * Skips a quoted run opened by q at lx->pos; a doubled q escapes it, and so
 * does a backslash when backslash is set. Returns 0 when it never closes.
 */
static int skip_quoted(wl_lexer *lx, char q, int backslash)
{
    step(lx);
    while (lx->pos < lx->len) {
        char c = lx->s[lx->pos];
        if (backslash && c == '\\' && lx->pos + 1 < lx->len) {
            step(lx);
            step(lx);
            continue;
        }
        step(lx);
        if (c == q) {
            if (lx->pos < lx->len && lx->s[lx->pos] == q) {
                step(lx);
                continue;
            }
            return 1;
        }
    }
    return 0;
}

/* Length of a dollar-quote tag ("$$", "$tag$") at p, or 0 when none. */
static size_t dollar_tag(const char *s, size_t pos, size_t len)
{
    size_t i = pos + 1;
    if (i < len && s[i] == '$')
        return 2;
    if (i >= len || !(isalpha((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80))
        return 0;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80))
        i++;
    return i < len && s[i] == '$' ? i - pos + 1 : 0;
}

/* Skips a block comment at lx->pos (PostgreSQL nests them). */
static int skip_block_comment(wl_lexer *lx)
{
    int depth = 0;
    while (lx->pos < lx->len) {
        if (lx->s[lx->pos] == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
            if (depth == 0 || !lx->d.mysql)
                depth++;
            step(lx);
            step(lx);
        } else if (lx->s[lx->pos] == '*' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '/') {
            step(lx);
            step(lx);
            if (--depth == 0)
                return 1;
        } else {
            step(lx);
        }
    }
    return 0;
}

static int line_comment_at(const wl_lexer *lx)
{
    const char *s = lx->s;
    size_t p = lx->pos;
    if (s[p] == '-' && p + 1 < lx->len && s[p + 1] == '-')
        return 1;
    return lx->d.mysql && s[p] == '#';
}

/* A psql meta-command (\timing, \set x 1) at the start of a line: skipped like a comment. */
static int psql_command_at(const wl_lexer *lx)
{
    return !lx->d.mysql && lx->s[lx->pos] == '\\' && (lx->pos == 0 || lx->s[lx->pos - 1] == '\n');
}

/*
 * Skips white space and comments; 0 on an unterminated comment, whose
 * first line goes to *open_line.
 */
static int skip_space(wl_lexer *lx, int *open_line)
{
    while (lx->pos < lx->len) {
        char c = lx->s[lx->pos];
        if (isspace((unsigned char)c)) {
            step(lx);
        } else if (line_comment_at(lx) || psql_command_at(lx)) {
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
                lx->pos++;
        } else if (c == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
            *open_line = lx->line;
            if (!skip_block_comment(lx))
                return 0;
        } else {
            return 1;
        }
    }
    return 1;
}

/* A string prefix such as E'..', B'..', X'..', N'..' (E: backslash escapes). */
static int string_prefix(const wl_lexer *lx)
{
    const char *s = lx->s + lx->pos;
    if (lx->pos + 1 < lx->len && s[1] == '\'' && strchr("eEbBxXnN", s[0]))
        return 1;
    return 0;
}

static void lex_number(wl_lexer *lx)
{
    const char *s = lx->s;
    if (s[lx->pos] == '0' && lx->pos + 1 < lx->len &&
        (s[lx->pos + 1] == 'x' || s[lx->pos + 1] == 'X'))
        lx->pos += 2;
    while (lx->pos < lx->len &&
           (isalnum((unsigned char)s[lx->pos]) || s[lx->pos] == '.' || s[lx->pos] == '_')) {
        char c = s[lx->pos];
        lx->pos++;
        if ((c == 'e' || c == 'E') && lx->pos < lx->len && (s[lx->pos] == '+' || s[lx->pos] == '-'))
            lx->pos++;
    }
}

void wl_lex_next(wl_lexer *lx, wl_token *out)
{
    out->what = NULL;
    if (!skip_space(lx, &out->line)) {
        out->kind = WL_ERROR;
        out->what = "comment";
        out->start = out->end = lx->pos;
        return;
    }
    out->start = lx->pos;
    out->line = lx->line;
    if (lx->pos >= lx->len) {
        out->kind = WL_END;
        out->end = lx->pos;
        return;
    }
    const char *s = lx->s;
    unsigned char c = (unsigned char)s[lx->pos];
    if (string_prefix(lx)) {
        int esc = lx->d.mysql || c == 'e' || c == 'E';
        lx->pos++;
        out->kind = skip_quoted(lx, '\'', esc) ? WL_STRING : WL_ERROR;
        out->what = "string";
    } else if (c == '\'') {
        out->kind = skip_quoted(lx, '\'', lx->d.mysql) ? WL_STRING : WL_ERROR;
        out->what = "string";
    } else if (c == '"') {
        int ok = skip_quoted(lx, '"', lx->d.mysql);
        out->kind = !ok ? WL_ERROR : lx->d.mysql ? WL_STRING : WL_QIDENT;
        out->what = lx->d.mysql ? "string" : "quoted identifier";
    } else if (c == '`') {
        out->kind = skip_quoted(lx, '`', 0) ? WL_QIDENT : WL_ERROR;
        out->what = "quoted identifier";
    } else if (c == '$' && lx->pos + 1 < lx->len && isdigit((unsigned char)s[lx->pos + 1])) {
        lx->pos++;
        while (lx->pos < lx->len && isdigit((unsigned char)s[lx->pos]))
            lx->pos++;
        out->kind = WL_PARAM;
    } else if (c == '$' && !lx->d.mysql && dollar_tag(s, lx->pos, lx->len)) {
        size_t n = dollar_tag(s, lx->pos, lx->len);
        const char *tag = s + lx->pos;
        for (size_t i = 0; i < n; i++)
            step(lx);
        out->kind = WL_ERROR;
        out->what = "dollar-quoted string";
        while (lx->pos < lx->len) {
            if (s[lx->pos] == '$' && lx->len - lx->pos >= n && memcmp(s + lx->pos, tag, n) == 0) {
                lx->pos += n;
                out->kind = WL_STRING;
                break;
            }
            step(lx);
        }
    } else if (word_start(c)) {
        while (lx->pos < lx->len && word_char((unsigned char)s[lx->pos]))
            lx->pos++;
        out->kind = WL_WORD;
    } else if (isdigit(c) ||
               (c == '.' && lx->pos + 1 < lx->len && isdigit((unsigned char)s[lx->pos + 1]))) {
        lex_number(lx);
        out->kind = WL_NUMBER;
    } else if (c == '?') {
        lx->pos++;
        out->kind = WL_PARAM;
    } else if (c == ';') {
        lx->pos++;
        out->kind = WL_SEMI;
    } else if (op_char((char)c)) {
        lx->pos++;
        while (lx->pos < lx->len && op_char(s[lx->pos]) && !line_comment_at(lx) &&
               !(s[lx->pos] == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*'))
            lx->pos++;
        out->kind = WL_OP;
    } else {
        lx->pos++;
        out->kind = WL_PUNCT;
    }
    out->end = lx->pos;
}

int wl_split(const char *text, size_t len, int first_line, wl_dialect d, const char *file,
             borch_strv *warnings, wl_stmt_fn fn, void *payload)
{
    wl_lexer lx;
    wl_lex_init(&lx, text, len, first_line, d);
    size_t start = 0, end = 0;
    int line = 0, have = 0;
    for (;;) {
        wl_token t;
        wl_lex_next(&lx, &t);
        if (t.kind == WL_ERROR) {
            borch_buf b;
            borch_buf_init(&b);
            borch_buf_printf(&b, "%s:%d: unterminated %s", file ? file : "-", t.line, t.what);
            borch_strv_push_owned(warnings, borch_buf_detach(&b));
            borch_buf_release(&b);
            return 1;
        }
        if (t.kind == WL_END || t.kind == WL_SEMI) {
            if (have && fn(payload, text + start, end - start, line))
                return 0;
            have = 0;
            if (t.kind == WL_END)
                return 0;
            continue;
        }
        if (!have) {
            have = 1;
            start = t.start;
            line = t.line;
        }
        end = t.end;
    }
}

static int word_is(const char *s, const wl_token *t, const char *w)
{
    size_t n = strlen(w);
    if (t->kind != WL_WORD || t->end - t->start != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[t->start + i]) != w[i])
            return 0;
    return 1;
}

/* The first words of statements that are no query (skipped without a word). */
static const char *const other_commands[] = {
    "abort",    "alter",    "analyze",    "analyse",   "attach",     "begin",     "binlog",
    "cache",    "call",     "checkpoint", "check",     "checksum",   "close",     "cluster",
    "comment",  "commit",   "copy",       "create",    "deallocate", "declare",   "delimiter",
    "desc",     "describe", "detach",     "discard",   "do",         "drop",      "end",
    "execute",  "explain",  "fetch",      "flush",     "get",        "grant",     "handler",
    "import",   "insert",   "install",    "kill",      "listen",     "load",      "lock",
    "merge",    "move",     "notify",     "optimize",  "pragma",     "prepare",   "purge",
    "reassign", "refresh",  "reindex",    "release",   "rename",     "repair",    "replace",
    "reset",    "revoke",   "rollback",   "savepoint", "security",   "set",       "show",
    "shutdown", "signal",   "start",      "table",     "truncate",   "uninstall", "unlisten",
    "unlock",   "use",      "vacuum",     "values",    "xa",         NULL,
};

static const char *const query_commands[] = {"select", "with", "update", "delete", NULL};

enum wl_kind wl_classify(const char *sql, size_t len, wl_dialect d, char word[32])
{
    wl_lexer lx;
    wl_token t;
    wl_lex_init(&lx, sql, len, 1, d);
    do
        wl_lex_next(&lx, &t);
    while (t.kind == WL_PUNCT && sql[t.start] == '(');
    size_t n = t.end - t.start < 31 ? t.end - t.start : 31;
    for (size_t i = 0; i < n; i++)
        word[i] = sql[t.start + i];
    word[n] = '\0';
    if (t.kind != WL_WORD)
        return WL_UNKNOWN;
    for (size_t i = 0; query_commands[i]; i++)
        if (word_is(sql, &t, query_commands[i]))
            return WL_QUERY;
    for (size_t i = 0; other_commands[i]; i++)
        if (word_is(sql, &t, other_commands[i]))
            return WL_OTHER;
    return WL_UNKNOWN;
}

int wl_is_query(const char *sql, size_t len, wl_dialect d)
{
    char word[32];
    return wl_classify(sql, len, d, word) == WL_QUERY;
}

const char *wl_suggest_query_word(const char *word)
{
    char low[32];
    size_t i = 0;
    for (; word[i] && i < sizeof low - 1; i++)
        low[i] = (char)tolower((unsigned char)word[i]);
    low[i] = '\0';
    return borch_suggest(low, query_commands, 4);
}

/* No space between the previous token and this one? */
static int glued(char prev, const wl_token *t, const char *s)
{
    char c = s[t->start];
    if (t->kind == WL_PUNCT && (c == ',' || c == ')' || c == '.' || c == ']'))
        return 1;
    if (t->kind == WL_OP && t->end - t->start == 2 && c == ':' && s[t->start + 1] == ':')
        return 1; /* x::text */
    return prev == '(' || prev == '.' || prev == '[' || prev == ':';
}

/*
 * The fingerprint: tokens joined by one space (none before , ) . and after
 * ( .), words lowercased, literals and parameters as ?, IN (?, ?, ...) as
 * IN (?). Comments and the final ';' go.
 */
char *wl_fingerprint(const char *sql, size_t len, wl_dialect d)
{
    wl_lexer lx;
    wl_lex_init(&lx, sql, len, 1, d);
    borch_buf b;
    borch_buf_init(&b);
    /* IN-list state: 1 after "in", 2 after "(" or ",", 3 after "?"; list_at is after "(". */
    int in_state = 0;
    size_t list_at = 0;
    char prev = 0; /* last character written of the previous token, 0 at start */
    for (;;) {
        wl_token t;
        wl_lex_next(&lx, &t);
        if (t.kind == WL_END)
            break;
        if (t.kind == WL_ERROR) {
            /* keep the rest as it is: still a stable key for the same text */
            if (b.len)
                borch_buf_putc(&b, ' ');
            borch_buf_append(&b, sql + t.start, len - t.start);
            break;
        }
        if (t.kind == WL_SEMI) {
            /* a final ';' goes; one inside (several statements) stays */
            wl_lexer peek = lx;
            wl_token n;
            wl_lex_next(&peek, &n);
            if (n.kind == WL_END)
                break;
        }
        int lit = t.kind == WL_STRING || t.kind == WL_NUMBER || t.kind == WL_PARAM;
        char c = sql[t.start];
        if (b.len && !glued(prev, &t, sql))
            borch_buf_putc(&b, ' ');
        if (lit && t.kind == WL_STRING && t.end - t.start >= 2 &&
            (sql[t.start + 1] == '%' || sql[t.start + 1] == '_')) {
            /* A leading wildcard decides whether LIKE can use an index:
             * 'abc%' and '%abc' must not merge into one query. */
            borch_buf_puts(&b, "?%");
        } else if (lit) {
            borch_buf_putc(&b, '?');
        } else if (t.kind == WL_WORD) {
            for (size_t i = t.start; i < t.end; i++)
                borch_buf_putc(&b, (char)tolower((unsigned char)sql[i]));
        } else {
            borch_buf_append(&b, sql + t.start, t.end - t.start);
        }
        prev = b.data[b.len - 1];
        /* IN (?, ?, ?) -> IN (?) */
        if (word_is(sql, &t, "in")) {
            in_state = 1;
        } else if (in_state == 1 && t.kind == WL_PUNCT && c == '(') {
            in_state = 2;
            list_at = b.len;
        } else if (in_state == 2 && lit) {
            in_state = 3;
        } else if (in_state == 3 && t.kind == WL_PUNCT && c == ',') {
            in_state = 2;
        } else if (in_state == 3 && t.kind == WL_PUNCT && c == ')') {
            b.len = list_at;
            borch_buf_puts(&b, "?)");
            in_state = 0;
        } else {
            in_state = 0;
        }
    }
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out;
}

char *borch_sql_fingerprint(const char *sql)
{
    wl_dialect d = {0};
    return wl_fingerprint(sql, strlen(sql), d);
}
