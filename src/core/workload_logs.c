/*
 * workload_logs.c - the two server logs a workload can come from.
 *
 * PostgreSQL (stderr log, any log_line_prefix): an entry starts on a line
 * holding a severity ("LOG:  ", "DETAIL:  ", ...); the lines after it that
 * start with a tab (how the server indents a multi-line message) or do not
 * look like a new entry belong to it. Kept: "duration: X ms  statement: ..."
 * and "duration: X ms  execute <name>: ..." (a following "DETAIL:
 * parameters: $1 = '5', ..." puts the values in place of $n), and the same
 * without a duration (log_statement), which count with an unknown time.
 * parse/bind phases are not counted: their execute is.
 *
 * MySQL/MariaDB slow query log: "# Time:", "# User@Host:", "# Query_time:
 * 0.001234  Lock_time: ..." header lines, then the statements up to the
 * next header ("use db;" and "SET timestamp=...;" are there too and are
 * skipped like any statement that is not a query). The first query of an
 * entry gets its Query_time.
 */
#include "core/workload_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/* One line of text: [p, p + n), without its '\n' (and a final '\r'). */
typedef struct line_t {
    const char *p;
    size_t n;
    int no; /* 1-based */
} line_t;

/* Reads the line at *pos of text into out; 0 at the end. */
static int next_line(const char *text, size_t *pos, int *no, line_t *out)
{
    if (!text[*pos])
        return 0;
    const char *p = text + *pos;
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    *pos += n + (eol ? 1 : 0);
    if (n && p[n - 1] == '\r')
        n--;
    out->p = p;
    out->n = n;
    out->no = ++*no;
    return 1;
}

static int starts(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(p, prefix, k) == 0;
}

/* The first occurrence of needle in [p, p + n), or NULL. */
static const char *find(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
            return p + i;
    return NULL;
}

/* ---- PostgreSQL ---- */

static const char *const severities[] = {
    "LOG",       "ERROR",   "WARNING", "NOTICE", "INFO",   "DETAIL",   "HINT",
    "STATEMENT", "CONTEXT", "FATAL",   "PANIC",  "QUERY",  "LOCATION", "DEBUG",
    "DEBUG1",    "DEBUG2",  "DEBUG3",  "DEBUG4", "DEBUG5", NULL,
};

/*
 * Where the message of a PostgreSQL log line starts (after "SEVERITY:  "),
 * or NULL when the line is no new entry; *sev gets the severity.
 */
static const char *pg_message(const char *p, size_t n, const char **sev)
{
    for (size_t i = 1; i + 3 <= n; i++) {
        if (p[i] != ':' || p[i + 1] != ' ' || p[i + 2] != ' ')
            continue;
        size_t b = i;
        while (b > 0 && (isupper((unsigned char)p[b - 1]) || isdigit((unsigned char)p[b - 1])))
            b--;
        if (b == i || (b > 0 && p[b - 1] != ' ' && p[b - 1] != '\t'))
            continue; /* no word, or not after the prefix (which ends in a space) */
        for (size_t k = 0; severities[k]; k++) {
            if (strlen(severities[k]) == i - b && memcmp(p + b, severities[k], i - b) == 0) {
                *sev = severities[k];
                return p + i + 3;
            }
        }
    }
    return NULL;
}

/* What a LOG message carries for the workload. */
enum pg_kind { PG_NONE, PG_STATEMENT, PG_EXECUTE };

/*
 * Reads a LOG message: "[duration: X ms  ](statement|execute <name>): sql".
 * *sql points at the statement text; *ms gets the duration or -1.
 */
static enum pg_kind pg_log_message(const char *m, size_t n, const char **sql, double *ms)
{
    *ms = -1;
    if (starts(m, n, "duration: ")) {
        char *endp = NULL;
        char num[64];
        size_t k = n - 10 < sizeof num - 1 ? n - 10 : sizeof num - 1;
        memcpy(num, m + 10, k);
        num[k] = '\0';
        double v = strtod(num, &endp);
        if (endp == num || !starts(endp, strlen(endp), " ms"))
            return PG_NONE;
        if (!isfinite(v) || v < 0)
            v = -1; /* "inf", "nan", negative: unknown, not a weight */
        size_t used = (size_t)(endp - num) + 10 + 3;
        m += used;
        n -= used;
        while (n && *m == ' ') {
            m++;
            n--;
        }
        *ms = v;
    }
    if (starts(m, n, "statement: ")) {
        *sql = m + 11;
        return PG_STATEMENT;
    }
    if (starts(m, n, "execute ")) {
        const char *colon = find(m, n, ": ");
        if (!colon)
            return PG_NONE;
        *sql = colon + 2;
        return PG_EXECUTE;
    }
    return PG_NONE;
}

int wl_looks_pg_log(const char *line, size_t len)
{
    const char *sev = NULL;
    const char *m = pg_message(line, len, &sev);
    if (!m || strcmp(sev, "LOG") != 0)
        return 0;
    size_t n = len - (size_t)(m - line);
    return starts(m, n, "duration: ") || starts(m, n, "statement: ") || starts(m, n, "execute ");
}

/* The entry being read. */
typedef struct pg_entry {
    enum pg_kind kind;
    int line;
    double ms;
    borch_buf sql;
    borch_buf params; /* the text after "DETAIL:  parameters: " */
    int in_params;    /* continuation lines go to params */
} pg_entry;

typedef struct pg_reader {
    borch_workload *w;
    wl_index *ix;
    const char *file;
    double ms; /* the duration, given to the first query of the entry */
    int first;
} pg_reader;

static int on_pg_statement(void *payload, const char *sql, size_t len, int line)
{
    pg_reader *r = payload;
    wl_dialect d = {0};
    if (!wl_is_query(sql, len, d))
        return 0;
    wl_add(r->w, r->ix, sql, len, d, r->file, line, 1, r->first ? r->ms : -1);
    r->first = 0;
    return 0;
}

/*
 * Parses "$1 = '5', $2 = NULL, ..." into values[number-1] (the literal
 * text, quotes kept). Returns how many were read.
 */
static size_t parse_params(const char *p, borch_strv *values)
{
    size_t n = 0;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\n')
            p++;
        if (*p != '$')
            break;
        char *endp;
        long num = strtol(p + 1, &endp, 10);
        if (num < 1 || num > 65535 || strncmp(endp, " = ", 3) != 0)
            break;
        p = endp + 3;
        const char *v = p;
        if (*p == '\'') {
            p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (!*p)
                break;
            p++;
        } else if (strncmp(p, "NULL", 4) == 0) {
            p += 4;
        } else {
            break;
        }
        while (values->count < (size_t)num)
            borch_strv_push(values, "");
        free(values->items[num - 1]);
        values->items[num - 1] = borch_xstrndup(v, (size_t)(p - v));
        n++;
    }
    return n;
}

/* sql with each $n replaced by values[n-1] where there is one; malloc'd. */
static char *substitute(const char *sql, size_t len, const borch_strv *values)
{
    wl_lexer lx;
    wl_dialect d = {0};
    wl_lex_init(&lx, sql, len, 1, d);
    borch_buf b;
    borch_buf_init(&b);
    size_t copied = 0;
    for (;;) {
        wl_token t;
        wl_lex_next(&lx, &t);
        if (t.kind == WL_END || t.kind == WL_ERROR)
            break;
        if (t.kind != WL_PARAM || sql[t.start] != '$')
            continue;
        long num = strtol(sql + t.start + 1, NULL, 10);
        if (num < 1 || (size_t)num > values->count || !values->items[num - 1][0])
            continue;
        borch_buf_append(&b, sql + copied, t.start - copied);
        borch_buf_puts(&b, values->items[num - 1]);
        copied = t.end;
    }
    borch_buf_append(&b, sql + copied, len - copied);
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out;
}

/* Adds the entry's statements and empties it. */
static void pg_flush(borch_workload *w, wl_index *ix, const char *file, pg_entry *e)
{
    if (e->kind != PG_NONE) {
        pg_reader r = {w, ix, file, e->ms, 1};
        wl_dialect d = {0};
        char *sql = NULL;
        if (e->kind == PG_EXECUTE && e->params.len) {
            borch_strv values = {0};
            if (parse_params(e->params.data, &values))
                sql = substitute(e->sql.data, e->sql.len, &values);
            borch_strv_release(&values);
        }
        const char *text = sql ? sql : e->sql.data;
        wl_split(text, strlen(text), e->line, d, file, &w->warnings, on_pg_statement, &r);
        free(sql);
    }
    e->kind = PG_NONE;
    e->in_params = 0;
    borch_buf_clear(&e->sql);
    borch_buf_clear(&e->params);
}

void wl_read_pg_log(borch_workload *w, wl_index *ix, const char *text, const char *file)
{
    pg_entry e = {0};
    borch_buf_init(&e.sql);
    borch_buf_init(&e.params);
    size_t pos = 0;
    int no = 0;
    line_t l;
    while (next_line(text, &pos, &no, &l)) {
        const char *sev = NULL;
        const char *m = l.n && l.p[0] == '\t' ? NULL : pg_message(l.p, l.n, &sev);
        if (!m) {
            /* a continuation line: one leading tab is the server's */
            const char *p = l.p;
            size_t n = l.n;
            if (n && *p == '\t') {
                p++;
                n--;
            }
            borch_buf *to = e.in_params ? &e.params : e.kind != PG_NONE ? &e.sql : NULL;
            if (to) {
                borch_buf_putc(to, '\n');
                borch_buf_append(to, p, n);
            }
            continue;
        }
        size_t mn = l.n - (size_t)(m - l.p);
        if (strcmp(sev, "DETAIL") == 0 && e.kind == PG_EXECUTE && starts(m, mn, "parameters: ")) {
            borch_buf_clear(&e.params);
            borch_buf_append(&e.params, m + 12, mn - 12);
            e.in_params = 1;
            continue;
        }
        pg_flush(w, ix, file, &e);
        if (strcmp(sev, "LOG") != 0)
            continue;
        const char *sql = NULL;
        double ms;
        enum pg_kind k = pg_log_message(m, mn, &sql, &ms);
        if (k == PG_NONE)
            continue;
        e.kind = k;
        e.ms = ms;
        e.line = l.no;
        borch_buf_append(&e.sql, sql, l.n - (size_t)(sql - l.p));
    }
    pg_flush(w, ix, file, &e);
    borch_buf_release(&e.sql);
    borch_buf_release(&e.params);
}

/* ---- MySQL / MariaDB slow query log ---- */

/* The lines mysqld writes when it opens a slow log (server start, flush). */
static int mysql_banner(const char *p, size_t n)
{
    return (find(p, n, ", Version: ") && find(p, n, "started with:")) ||
           starts(p, n, "Tcp port: ") || (starts(p, n, "Time") && find(p, n, "Id Command"));
}

int wl_looks_mysql_slow(const char *line, size_t len)
{
    return starts(line, len, "# Time: ") || starts(line, len, "# User@Host: ") ||
           starts(line, len, "# Query_time: ") || mysql_banner(line, len);
}

typedef struct my_entry {
    borch_buf sql;
    int line;  /* line of the first statement line */
    double ms; /* Query_time in ms, or -1 */
} my_entry;

static int on_mysql_statement(void *payload, const char *sql, size_t len, int line)
{
    pg_reader *r = payload;
    wl_dialect d = {1};
    if (!wl_is_query(sql, len, d))
        return 0;
    wl_add(r->w, r->ix, sql, len, d, r->file, line, 1, r->first ? r->ms : -1);
    r->first = 0;
    return 0;
}

static void my_flush(borch_workload *w, wl_index *ix, const char *file, my_entry *e)
{
    if (e->sql.len) {
        pg_reader r = {w, ix, file, e->ms, 1};
        wl_dialect d = {1};
        wl_split(e->sql.data, e->sql.len, e->line, d, file, &w->warnings, on_mysql_statement, &r);
    }
    borch_buf_clear(&e->sql);
    e->ms = -1;
    e->line = 0;
}

void wl_read_mysql_slow(borch_workload *w, wl_index *ix, const char *text, const char *file)
{
    my_entry e = {.ms = -1};
    borch_buf_init(&e.sql);
    size_t pos = 0;
    int no = 0, in_header = 0;
    line_t l;
    while (next_line(text, &pos, &no, &l)) {
        if (mysql_banner(l.p, l.n)) {
            my_flush(w, ix, file, &e);
            continue;
        }
        if (starts(l.p, l.n, "# ")) {
            if (!in_header)
                my_flush(w, ix, file, &e);
            in_header = 1;
            const char *qt = find(l.p, l.n, "Query_time: ");
            if (qt) {
                e.ms = strtod(qt + 12, NULL) * 1000.0;
                if (!isfinite(e.ms) || e.ms < 0)
                    e.ms = -1; /* unknown, not a weight */
            }
            continue;
        }
        in_header = 0;
        if (!e.sql.len && l.n == 0)
            continue;
        if (!e.sql.len)
            e.line = l.no;
        else
            borch_buf_putc(&e.sql, '\n');
        borch_buf_append(&e.sql, l.p, l.n);
    }
    my_flush(w, ix, file, &e);
    borch_buf_release(&e.sql);
}
