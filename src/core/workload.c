/*
 * workload.c - the queries the index advisor plans, merged by fingerprint
 * so that one query run 10,000 times with different values is one query
 * with 10,000 calls; the detection of a workload file's format; plain SQL
 * files. The two log formats are read in workload_logs.c.
 *
 * Merging goes through a hash index of fingerprints (wl_index) while a file
 * is read, so a 100,000-line log costs one hash lookup per statement. The
 * public borch_workload_add, used for server statistics (a few thousand
 * rows at most), has no place in borch_workload to keep an index and looks
 * back linearly.
 */
#include "core/workload_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

/* A known duration is never recorded as 0, so total_ms > 0 means "known". */
#define MIN_KNOWN_MS 0.001

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Puts query i of w into the index (which has room). */
static void index_put(wl_index *ix, const borch_workload *w, size_t i)
{
    size_t mask = ix->cap - 1;
    size_t at = (size_t)hash_str(w->queries[i].fingerprint) & mask;
    while (ix->slots[at])
        at = (at + 1) & mask;
    ix->slots[at] = i + 1;
    ix->used++;
}

/* Makes the index hold at least n entries at a load under one half. */
static void index_reserve(wl_index *ix, const borch_workload *w, size_t n)
{
    if (ix->cap && n * 2 < ix->cap)
        return;
    size_t cap = 64;
    while (cap <= n * 2)
        cap *= 2;
    free(ix->slots);
    ix->slots = borch_xcalloc(cap, sizeof *ix->slots);
    ix->cap = cap;
    ix->used = 0;
    for (size_t i = 0; i < w->nqueries; i++)
        index_put(ix, w, i);
}

void wl_index_init(wl_index *ix, const borch_workload *w)
{
    ix->slots = NULL;
    ix->cap = ix->used = 0;
    index_reserve(ix, w, w->nqueries + 1);
}

void wl_index_release(wl_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->used = 0;
}

static void set_weight(borch_query *q)
{
    q->weight = q->total_ms > 0 ? q->total_ms : q->calls;
}

static void merge_into(borch_query *q, double calls, double total_ms)
{
    q->calls += calls;
    if (total_ms >= 0)
        q->total_ms += total_ms < MIN_KNOWN_MS ? MIN_KNOWN_MS : total_ms;
    set_weight(q);
}

/* Appends a new query, taking fingerprint. */
static borch_query *append(borch_workload *w, const char *sql, size_t len, char *fingerprint,
                           const char *file, int line)
{
    borch_grow((void **)&w->queries, &w->cap, w->nqueries + 1, sizeof *w->queries);
    borch_query *q = &w->queries[w->nqueries++];
    memset(q, 0, sizeof *q);
    q->sql = borch_xstrndup(sql, len);
    q->fingerprint = fingerprint;
    q->file = borch_xstrdup(file);
    q->line = line;
    return q;
}

void wl_add(borch_workload *w, wl_index *ix, const char *sql, size_t len, wl_dialect d,
            const char *file, int line, double calls, double total_ms)
{
    char *fp = wl_fingerprint(sql, len, d);
    size_t mask = ix->cap - 1;
    size_t at = (size_t)hash_str(fp) & mask;
    for (; ix->slots[at]; at = (at + 1) & mask) {
        borch_query *q = &w->queries[ix->slots[at] - 1];
        if (strcmp(q->fingerprint, fp) == 0) {
            free(fp);
            merge_into(q, calls, total_ms);
            return;
        }
    }
    merge_into(append(w, sql, len, fp, file, line), calls, total_ms);
    index_reserve(ix, w, w->nqueries + 1);
    if (ix->used < w->nqueries)
        index_put(ix, w, w->nqueries - 1);
}

void borch_workload_add(borch_workload *w, const char *sql, const char *file, int line,
                        double calls, double total_ms)
{
    char *fp = borch_sql_fingerprint(sql);
    for (size_t i = 0; i < w->nqueries; i++) {
        if (strcmp(w->queries[i].fingerprint, fp) == 0) {
            free(fp);
            merge_into(&w->queries[i], calls, total_ms);
            return;
        }
    }
    merge_into(append(w, sql, strlen(sql), fp, file, line), calls, total_ms);
}

void wl_warn(borch_workload *w, const char *file, int line, const char *fmt, ...)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s:%d: ", file ? file : "-", line);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    borch_buf_puts(&b, msg);
    borch_strv_push_owned(&w->warnings, borch_buf_detach(&b));
    borch_buf_release(&b);
}

/* ---- plain SQL files ---- */

typedef struct sql_reader {
    borch_workload *w;
    wl_index *ix;
    const char *file;
    wl_dialect d;
} sql_reader;

/*
 * Keeps the queries; other commands go quietly, but a statement that starts
 * with no SQL command at all (SELEC) is a mistake in the file, reported.
 */
static int on_sql_statement(void *payload, const char *sql, size_t len, int line)
{
    sql_reader *r = payload;
    char word[32];
    switch (wl_classify(sql, len, r->d, word)) {
    case WL_QUERY:
        wl_add(r->w, r->ix, sql, len, r->d, r->file, line, 1, -1);
        break;
    case WL_OTHER:
        break;
    case WL_UNKNOWN: {
        const char *near = wl_suggest_query_word(word);
        if (near)
            wl_warn(r->w, r->file, line, "syntax error at '%s' (did you mean '%s'?), skipped", word,
                    near);
        else
            wl_warn(r->w, r->file, line, "syntax error at '%s': not a SQL statement, skipped",
                    word);
        break;
    }
    }
    return 0;
}

/* ---- format detection ---- */

enum wl_format { FMT_SQL, FMT_PG_LOG, FMT_MYSQL_SLOW };

/*
 * The format, from the first 50 non-empty lines: a line that starts with
 * "# Time:", "# User@Host:" or "# Query_time:", or the banner mysqld writes
 * at the top of a slow log ("..., Version: ... started with:"), makes it a
 * MySQL/MariaDB slow query log; a line holding a PostgreSQL severity
 * followed by "duration: ", "statement: " or "execute <name>: " (after any
 * log_line_prefix) makes it a PostgreSQL log. The first such line decides;
 * without one the file is plain SQL.
 */
static enum wl_format detect(const char *text)
{
    const char *p = text;
    int seen = 0;
    while (*p && seen < 50) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
            i++;
        if (i < n) {
            seen++;
            if (wl_looks_mysql_slow(p, n))
                return FMT_MYSQL_SLOW;
            if (wl_looks_pg_log(p, n))
                return FMT_PG_LOG;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    return FMT_SQL;
}

int borch_workload_parse(borch_workload *w, const char *text, const char *path, borch_error *err)
{
    (void)err;
    /* A UTF-8 byte-order mark (editors on Windows write one) is not SQL. */
    if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        text += 3;
    wl_index ix;
    wl_index_init(&ix, w);
    switch (detect(text)) {
    case FMT_MYSQL_SLOW:
        if (!w->format)
            w->format = "mysql-slow-log";
        wl_read_mysql_slow(w, &ix, text, path);
        break;
    case FMT_PG_LOG:
        if (!w->format)
            w->format = "postgres-log";
        wl_read_pg_log(w, &ix, text, path);
        break;
    case FMT_SQL: {
        if (!w->format)
            w->format = "sql";
        sql_reader r = {w, &ix, path, {0}};
        wl_split(text, strlen(text), 1, r.d, path, &w->warnings, on_sql_statement, &r);
        break;
    }
    }
    wl_index_release(&ix);
    return 0;
}

int borch_workload_read_file(borch_workload *w, const char *path, borch_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = borch_read_file(path, &text, &len, err);
    if (rc)
        return rc;
    if (memchr(text, '\0', len)) {
        free(text);
        return borch_error_set(err, BORCH_EINPUT, "'%s' is not a text file", path);
    }
    rc = borch_workload_parse(w, text, path, err);
    free(text);
    return rc;
}

void borch_workload_release(borch_workload *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nqueries; i++) {
        free(w->queries[i].sql);
        free(w->queries[i].fingerprint);
        free(w->queries[i].file);
    }
    free(w->queries);
    w->queries = NULL;
    w->nqueries = w->cap = 0;
    w->format = NULL;
    borch_strv_release(&w->warnings);
}
