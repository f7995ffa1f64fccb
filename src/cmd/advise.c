/*
 * advise.c - `advise-indexes`: read a workload (file, log, or the server's
 * statement statistics), ask core/advisor for suggestions, print them as a
 * table or --json, and with --create write them as a migration. The target
 * is only read; the `advise` audit record goes to the audit file alone,
 * since writing the audit table would change the target.
 */
#include <jansson.h>
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

static json_t *strv_json(const borch_strv *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->count; i++)
        json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static json_t *advice_json(const borch_ctx *ctx, const borch_advice *a, const char *format,
                           double min_gain, const char *created)
{
    json_t *qs = json_array();
    for (size_t i = 0; i < a->nqueries; i++) {
        const borch_advice_query *q = &a->queries[i];
        char pos[600];
        position(q->query, format, pos, sizeof(pos));
        json_t *o = json_pack("{s:s, s:s, s:f, s:b}", "position", pos, "sql", q->query->sql,
                              "weight", q->query->weight, "analysed", q->analysed);
        if (q->analysed) {
            json_object_set_new(o, "cost_before", json_real(q->cost_before));
            json_object_set_new(o, "cost_after", json_real(q->cost_after));
            json_object_set_new(o, "gain_pct", json_real(pct(q->cost_before, q->cost_after)));
            json_object_set_new(o, "indexes", strv_json(&q->uses));
            json_object_set_new(o, "served", json_boolean(q->served));
            if (q->plan_after)
                json_object_set_new(o, "plan_after", json_string(q->plan_after));
        }
        json_array_append_new(qs, o);
    }
    json_t *sug = json_array();
    for (size_t i = 0; i < a->nsuggestions; i++) {
        const borch_suggestion *s = &a->suggestions[i];
        json_array_append_new(
            sug, json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:f, s:f, s:o}", "name", s->name,
                           "table", s->table, "columns", strv_json(&s->columns), "ddl",
                           s->ddl ? s->ddl : "", "down", s->down ? s->down : "", "queries",
                           (json_int_t)s->nqueries, "cost_saved", s->cost_saved, "gain_pct",
                           pct(s->cost_before, s->cost_before - s->cost_saved), "supersedes",
                           strv_json(&s->supersedes)));
    }
    json_t *red = json_array();
    for (size_t i = 0; i < a->nredundant; i++)
        json_array_append_new(red, json_pack("{s:s, s:s, s:s}", "table", a->redundant[i].table,
                                             "index", a->redundant[i].index, "covered_by",
                                             a->redundant[i].covered_by));
    json_t *unused = json_array();
    for (size_t i = 0; i < a->nunused; i++)
        json_array_append_new(unused, json_pack("{s:s, s:s, s:f}", "table", a->unused[i].table,
                                                "index", a->unused[i].index, "scans",
                                                a->unused[i].scans));
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:I}", "command",
        "advise-indexes", "engine", a->engine, "target", ctx->url_masked, "method", a->method,
        "workload_format", format ? format : "", "min_gain_pct", min_gain, "total_cost_before",
        a->total_before, "total_cost_after", a->total_after, "total_gain_pct",
        pct(a->total_before, a->total_after), "queries", qs, "suggestions", sug,
        "redundant_indexes", red, "unused_indexes", unused, "warnings", strv_json(&a->warnings),
        "plans", (json_int_t)a->explains);
    json_object_set_new(doc, "unused_since",
                        a->unused_since ? json_string(a->unused_since) : json_null());
    json_object_set_new(doc, "migration", created ? json_string(created) : json_null());
    return doc;
}

static void print_text(const borch_ctx *ctx, const borch_advice *a, const char *format)
{
    const borch_cli *cli = ctx->cli;
    if (cli->json || cli->quiet)
        return;
    size_t analysed = 0;
    for (size_t i = 0; i < a->nqueries; i++)
        analysed += a->queries[i].analysed;
    printf("%sadvise-indexes%s %s: %zu quer%s analysed, %zu skipped (%s)\n", borch_c_bold(cli),
           borch_c_reset(cli), ctx->url_masked, analysed, analysed == 1 ? "y" : "ies",
           a->nqueries - analysed, a->method);
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
    if (a->nsuggestions == 0) {
        printf("no index to suggest: no candidate saves %s of the cost of the queries it would serve\n",
               "the minimum gain");
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
    int npos = 0, rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, &npos, err)) < 0)
        return rc;
    if (npos)
        return borch_error_set(err, BORCH_EUSAGE, "unexpected argument '%s'", argv[0]);
    if (!workload && !from_stats)
        return borch_error_set(err, BORCH_EUSAGE,
                               "advise-indexes needs a workload: --workload FILE or --from-stats");
    double min_gain = 10;
    if (min_gain_text) {
        char *end = NULL;
        min_gain = strtod(min_gain_text, &end);
        if (end == min_gain_text || (*end && strcmp(end, "%") != 0) || min_gain < 0 ||
            min_gain > 100)
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

    if (rc == 0 && create && a.nsuggestions) {
        char *body = borch_advice_migration(&a);
        rc = borch_ctx_write_migration(ctx, create, body, &created, NULL, err);
        free(body);
    }
    long long ms = borch_now_ms() - t0;
    if (rc == 0) {
        for (size_t i = 0; i < a.warnings.count && !ctx->cli->json; i++)
            borch_warn(ctx->cli, "%s", a.warnings.items[i]);
        print_text(ctx, &a, w.format);
        if (create && created)
            borch_say(ctx->cli, "wrote %s", created);
        else if (create)
            borch_say(ctx->cli, "no migration written: nothing to suggest");
        if (ctx->cli->json)
            borch_print_json(advice_json(ctx, &a, w.format, min_gain, created));
    }
    json_t *detail = json_pack("{s:I, s:I, s:I, s:f, s:f}", "queries", (json_int_t)w.nqueries,
                               "suggestions", (json_int_t)a.nsuggestions, "skipped",
                               (json_int_t)a.warnings.count, "cost_before", a.total_before,
                               "cost_after", a.total_after);
    if (created)
        json_object_set_new(detail, "migration", json_string(created));
    char *detail_text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    borch_ctx_audit(ctx, "advise", NULL, NULL, ms, rc == 0, rc < 0 ? err->message : NULL,
                    detail_text);
    free(detail_text);
    if (rc == 0 && strict && a.warnings.count)
        rc = borch_error_set(err, BORCH_EFAIL, "%zu statement%s of the workload could not be analysed (--strict)",
                             a.warnings.count, a.warnings.count == 1 ? "" : "s");
    free(created);
    borch_advice_release(&a);
    borch_workload_release(&w);
    return rc;
}
