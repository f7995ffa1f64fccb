/*
 * advise.c - `advise-indexes`: read a workload (file, log, or the server's
 * statement statistics), ask core/advisor for suggestions, print them as a
 * table or --json, and with --create write them as a migration. The target
 * is only read; the `advise` audit record goes to the audit file alone,
 * since writing the audit table would change the target.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/advisor.h"
#include "core/scratch.h"
#include "core/workload.h"
#include "util/buf.h"
#include "util/mem.h"

static void on_progress(void *payload, const char *phase, size_t done, size_t total)
{
    const borch_ctx *ctx = payload;
    if (total)
        borch_progress(ctx->cli, "%s %zu/%zu", phase, done + 1, total);
    else
        borch_progress(ctx->cli, "%s (round %zu)", phase, done + 1);
}

/* "file:line", or the source when the query came from server statistics. */
static void position(const borch_query *q, const char *format, char *buf, size_t n)
{
    if (q->file)
        snprintf(buf, n, "%s:%d", q->file, q->line);
    else
        snprintf(buf, n, "%s", format ? format : "stats");
}

/*
 * Statements skipped: those the workload reader could not take as a
 * statement (its warnings) and those read but not planned. One count for
 * the text, --strict and the audit record.
 */
static size_t skipped_count(const borch_advice *a, const borch_workload *w)
{
    size_t n = w->warnings.count;
    for (size_t i = 0; i < a->nqueries; i++)
        n += !a->queries[i].analysed;
    return n;
}

/* "workload.sql:12" for "path/to/workload.sql:12": the table stays narrow. */
static const char *short_pos(const char *pos)
{
    const char *slash = strrchr(pos, '/');
    return slash ? slash + 1 : pos;
}

/* The statement on one line, cut to width characters. */
static char *one_line(const char *sql, size_t width)
{
    borch_buf b;
    borch_buf_init(&b);
    int space = 0;
    for (const char *p = sql; *p && b.len < width; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
            space = b.len > 0;
            continue;
        }
        if (space)
            borch_buf_putc(&b, ' ');
        space = 0;
        borch_buf_putc(&b, *p);
    }
    if (b.len >= width && width > 3) {
        b.len = width - 3;
        b.data[b.len] = '\0';
        borch_buf_puts(&b, "...");
    }
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

static double pct(double before, double after)
{
    return before > 0 ? 100.0 * (before - after) / before : 0;
}

/*
 * A JSON string of s even when s is not valid UTF-8 (a Latin-1 workload, a
 * byte-mangled name): invalid bytes become U+FFFD, so no entry is lost.
 */
static json_t *text(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    borch_buf b;
    borch_buf_init(&b);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        size_t k = 1;
        while (n > 1 && k < n && (p[k] & 0xC0) == 0x80)
            k++;
        if (n == 0 || k < n) {
            borch_buf_puts(&b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        borch_buf_append(&b, (const char *)p, n);
        p += n;
    }
    j = json_string(b.data ? b.data : "");
    borch_buf_release(&b);
    return j ? j : json_string("");
}

/* A JSON number, or null for a value that is not finite (JSON has no inf/NaN). */
static json_t *number(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *strv_json(const borch_strv *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->count; i++)
        json_array_append_new(a, text(v->items[i]));
    return a;
}

/* Sets key in o to v (a new reference); keeps the building readable. */
static void put(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static json_t *advice_json(const borch_ctx *ctx, const borch_advice *a, const char *format,
                           double min_gain, const char *created)
{
    json_t *qs = json_array();
    for (size_t i = 0; i < a->nqueries; i++) {
        const borch_advice_query *q = &a->queries[i];
        char pos[600];
        position(q->query, format, pos, sizeof(pos));
        json_t *o = json_object();
        put(o, "position", text(pos));
        put(o, "sql", text(q->query->sql));
        put(o, "weight", number(q->query->weight));
        put(o, "analysed", json_boolean(q->analysed));
        if (q->analysed) {
            put(o, "cost_before", number(q->cost_before));
            put(o, "cost_after", number(q->cost_after));
            put(o, "gain_pct", number(pct(q->cost_before, q->cost_after)));
            put(o, "indexes", strv_json(&q->uses));
            put(o, "served", json_boolean(q->served));
            if (q->plan_after)
                put(o, "plan_after", text(q->plan_after));
        }
        json_array_append_new(qs, o);
    }
    json_t *sug = json_array();
    for (size_t i = 0; i < a->nsuggestions; i++) {
        const borch_suggestion *s = &a->suggestions[i];
        json_t *o = json_object();
        put(o, "name", text(s->name));
        put(o, "table", text(s->table));
        put(o, "columns", strv_json(&s->columns));
        put(o, "ddl", text(s->ddl ? s->ddl : ""));
        put(o, "down", text(s->down ? s->down : ""));
        put(o, "queries", json_integer((json_int_t)s->nqueries));
        put(o, "cost_saved", number(s->cost_saved));
        put(o, "gain_pct", number(pct(s->cost_before, s->cost_before - s->cost_saved)));
        put(o, "supersedes", strv_json(&s->supersedes));
        json_array_append_new(sug, o);
    }
    json_t *red = json_array();
    for (size_t i = 0; i < a->nredundant; i++) {
        json_t *o = json_object();
        put(o, "table", text(a->redundant[i].table));
        put(o, "index", text(a->redundant[i].index));
        put(o, "covered_by", text(a->redundant[i].covered_by));
        json_array_append_new(red, o);
    }
    json_t *unused = json_array();
    for (size_t i = 0; i < a->nunused; i++) {
        json_t *o = json_object();
        put(o, "table", text(a->unused[i].table));
        put(o, "index", text(a->unused[i].index));
        put(o, "scans", number(a->unused[i].scans));
        json_array_append_new(unused, o);
    }
    json_t *doc = json_object();
    put(doc, "command", json_string("advise-indexes"));
    put(doc, "engine", text(a->engine));
    put(doc, "target", text(ctx->url_masked));
    put(doc, "method", text(a->method));
    put(doc, "workload_format", text(format ? format : ""));
    put(doc, "min_gain_pct", number(min_gain));
    put(doc, "total_cost_before", number(a->total_before));
    put(doc, "total_cost_after", number(a->total_after));
    put(doc, "total_gain_pct", number(pct(a->total_before, a->total_after)));
    put(doc, "queries", qs);
    put(doc, "suggestions", sug);
    put(doc, "redundant_indexes", red);
    put(doc, "unused_indexes", unused);
    put(doc, "warnings", strv_json(&a->warnings));
    put(doc, "plans", json_integer((json_int_t)a->explains));
    put(doc, "unused_since", text(a->unused_since));
    put(doc, "migration", text(created));
    return doc;
}

static void print_text(const borch_ctx *ctx, const borch_advice *a, const borch_workload *w)
{
    const char *format = w->format;
    const borch_cli *cli = ctx->cli;
    if (cli->json || cli->quiet)
        return;
    size_t analysed = 0;
    for (size_t i = 0; i < a->nqueries; i++)
        analysed += a->queries[i].analysed;
    printf("%sadvise-indexes%s %s: %zu quer%s analysed, %zu skipped (%s)\n", borch_c_bold(cli),
           borch_c_reset(cli), ctx->url_masked, analysed, analysed == 1 ? "y" : "ies",
           skipped_count(a, w), a->method);
    if (analysed) {
        printf("\n  %-18s %-40s %12s %12s %7s  %s\n", "query", "statement", "cost before",
               "cost after", "gain", "index");
        for (size_t i = 0; i < a->nqueries; i++) {
            const borch_advice_query *q = &a->queries[i];
            if (!q->analysed)
                continue;
            char pos[600];
            position(q->query, format, pos, sizeof(pos));
            char *sql = one_line(q->query->sql, 40);
            double g = pct(q->cost_before, q->cost_after);
            printf("  %-18s %-40s %12.1f %12.1f %s%6.1f%%%s  %s%s\n", short_pos(pos), sql, q->cost_before,
                   q->cost_after, g >= 10 ? borch_c_green(cli) : "", g, borch_c_reset(cli),
                   q->uses.count ? q->uses.items[0] : "-",
                   q->uses.count > 1 ? " (+more)" : "");
            free(sql);
        }
    }
    printf("\n");
    if (analysed == 0) {
        printf("nothing to advise on: the workload has no SELECT, UPDATE or DELETE that could "
               "be planned\n");
    } else if (a->nsuggestions == 0) {
        printf("no index to suggest: no candidate saves the minimum gain of the cost of the "
               "queries it would serve\n");
    } else {
        printf("%zu suggested index%s:\n", a->nsuggestions, a->nsuggestions == 1 ? "" : "es");
        for (size_t i = 0; i < a->nsuggestions; i++) {
            const borch_suggestion *s = &a->suggestions[i];
            printf("  %s%s%s\n      %s-- serves %zu quer%s, saves %.1f%% of their cost%s\n",
                   borch_c_green(cli), s->ddl ? s->ddl : s->name, borch_c_reset(cli),
                   borch_c_dim(cli), s->nqueries, s->nqueries == 1 ? "y" : "ies",
                   pct(s->cost_before, s->cost_before - s->cost_saved), borch_c_reset(cli));
            for (size_t k = 0; k < s->supersedes.count; k++)
                printf("      %s-- makes %s redundant (a left-most prefix of it)%s\n",
                       borch_c_dim(cli), s->supersedes.items[k], borch_c_reset(cli));
        }
    }
    if (a->nredundant) {
        printf("\nredundant existing indexes (a left-most prefix of another):\n");
        for (size_t i = 0; i < a->nredundant; i++)
            printf("  %s on %s: covered by %s\n", a->redundant[i].index, a->redundant[i].table,
                   a->redundant[i].covered_by);
    }
    if (a->nunused) {
        printf("\nunused existing indexes (no scans since %s):\n",
               a->unused_since ? a->unused_since : "statistics were reset");
        for (size_t i = 0; i < a->nunused; i++)
            printf("  %s on %s\n", a->unused[i].index, a->unused[i].table);
    }
    printf("\nworkload estimated cost: %.1f -> %.1f (%s%.1f%% less%s)\n", a->total_before,
           a->total_after, borch_c_green(cli), pct(a->total_before, a->total_after),
           borch_c_reset(cli));
}

/* Reads the workload sources into w; a file that cannot be read is bad input. */
static int read_workload(borch_ctx *ctx, const char *file, int from_stats, borch_workload *w,
                         borch_error *err)
{
    int rc;
    if (file && (rc = borch_workload_read_file(w, file, err)) < 0) {
        if (rc == BORCH_EIO)
            err->code = rc = BORCH_EINPUT;
        return rc;
    }
    if (from_stats) {
        if ((rc = borch_ctx_connect(ctx, err)) < 0)
            return rc;
        const char *file_format = w->format;
        if ((rc = borch_conn_workload_stats(ctx->conn, w, err)) < 0)
            return rc;
        if (file && file_format)
            w->format = file_format;
    }
    return 0;
}

int cmd_advise_indexes(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *workload = NULL, *min_gain_text = NULL, *create = NULL;
    int from_stats = 0, strict = 0, max_columns = 4;
    borch_opt opts[] = {{"workload", 0, OPT_STR, &workload},
                        {"from-stats", 0, OPT_FLAG, &from_stats},
                        {"min-gain", 0, OPT_STR, &min_gain_text},
                        {"create", 0, OPT_STR, &create},
                        {"strict", 0, OPT_FLAG, &strict},
                        {"max-columns", 0, OPT_INT, &max_columns},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if (!workload && !from_stats)
        return borch_error_set(err, BORCH_EUSAGE,
                               "advise-indexes needs a workload: --workload FILE or --from-stats");
    double min_gain = 10;
    if (min_gain_text) {
        char *end = NULL;
        min_gain = strtod(min_gain_text, &end);
        if (end == min_gain_text || (*end && strcmp(end, "%") != 0) || !isfinite(min_gain) ||
            min_gain < 0 || min_gain > 100)
            return borch_error_set(err, BORCH_EUSAGE,
                                   "--min-gain takes a percentage from 0 to 100, not '%s'",
                                   min_gain_text);
    }
    if (max_columns < 1 || max_columns > 16)
        return borch_error_set(err, BORCH_EUSAGE, "--max-columns takes 1 to 16");
    if (create && !*create)
        return borch_error_set(err, BORCH_EUSAGE, "--create needs a migration name");

    long long t0 = borch_now_ms();
    borch_workload w = {0};
    borch_advice a = {0};
    borch_scratch *s = NULL;
    char *created = NULL;
    rc = read_workload(ctx, workload, from_stats, &w, err);
    if (rc == 0)
        rc = borch_ctx_connect(ctx, err);
    if (rc == 0 && (ctx->conn->driver->caps & BORCH_CAP_WHATIF_SCRATCH))
        rc = borch_ctx_open_scratch(ctx, &s, err);
    if (rc == 0) {
        borch_advise_opts ao = {.min_gain_pct = min_gain, .max_columns = (size_t)max_columns,
                                .progress = on_progress, .payload = ctx};
        rc = borch_advise(ctx->conn, s ? s->conn : NULL, &w, &ao, &a, err);
        borch_progress_done(ctx->cli);
    }
    borch_scratch_close(s);
    /* From here on the target is not needed: the audit record must not go
     * into its table. */
    borch_conn_close(ctx->conn);
    ctx->conn = NULL;

    size_t skipped = rc == 0 ? skipped_count(&a, &w) : 0;
    /* --strict refuses before anything is written: bad input changes nothing. */
    int strict_failed = rc == 0 && strict && skipped > 0;
    if (rc == 0 && create && a.nsuggestions && !strict_failed) {
        char *body = borch_advice_migration(&a);
        rc = borch_ctx_write_migration(ctx, create, body, &created, NULL, err);
        free(body);
    }
    long long ms = borch_now_ms() - t0;
    if (rc == 0) {
        for (size_t i = 0; i < a.warnings.count && !ctx->cli->json; i++)
            borch_warn(ctx->cli, "%s", a.warnings.items[i]);
        print_text(ctx, &a, &w);
        if (create && created)
            borch_say(ctx->cli, "wrote %s", created);
        else if (create && strict_failed)
            borch_say(ctx->cli, "no migration written: statements were skipped (--strict)");
        else if (create)
            borch_say(ctx->cli, "no migration written: nothing to suggest");
        if (ctx->cli->json)
            borch_print_json(advice_json(ctx, &a, w.format, min_gain, created));
    }
    if (strict_failed)
        rc = borch_error_set(err, BORCH_EFAIL,
                             "%zu statement%s of the workload could not be analysed (--strict)",
                             skipped, skipped == 1 ? "" : "s");
    json_t *detail = json_object();
    put(detail, "queries", json_integer((json_int_t)a.nqueries));
    put(detail, "skipped", json_integer((json_int_t)skipped));
    put(detail, "suggestions", json_integer((json_int_t)a.nsuggestions));
    put(detail, "cost_before", number(a.total_before));
    put(detail, "cost_after", number(a.total_after));
    if (created)
        put(detail, "migration", text(created));
    char *detail_text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    borch_ctx_audit(ctx, "advise", NULL, NULL, ms, rc == 0, rc < 0 ? err->message : NULL,
                    detail_text);
    free(detail_text);
    free(created);
    borch_advice_release(&a);
    borch_workload_release(&w);
    return rc;
}
