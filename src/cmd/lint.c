/*
 * lint.c - `lint [--format text|json|junit] [--all] [--junit FILE]`: the
 * pending migrations (or all) are applied one by one to a throwaway
 * database and checked against the rules of core/lint. The target is only
 * read, for its history; it is never written.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/lint.h"
#include "core/scratch.h"
#include "records.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

static const char *severity_name(borch_lint_severity s)
{
    switch (s) {
    case BORCH_LINT_ERROR: return "error";
    case BORCH_LINT_WARNING: return "warning";
    case BORCH_LINT_INFO: return "info";
    }
    return "?";
}


/* Whether the target database is missing altogether (then every migration is pending). */
static int target_missing(const borch_ctx *ctx, const borch_error *e)
{
    if (strcmp(ctx->url->scheme, "sqlite") == 0)
        return ctx->url->path && strcmp(ctx->url->path, ":memory:") != 0 &&
               !borch_file_exists(ctx->url->path);
    return e && e->code == BORCH_ECONNECT &&
           (strstr(e->message, "does not exist") || strstr(e->message, "Unknown database"));
}

/* The index of the first migration not applied to the target: the pending ones start there. */
static int first_pending(borch_ctx *ctx, size_t *out, borch_error *err)
{
    *out = 0;
    if (target_missing(ctx, NULL))
        return 0;
    int rc = borch_ctx_connect(ctx, err);
    if (rc < 0) {
        if (!target_missing(ctx, err))
            return rc;
        borch_error_clear(err);
        return 0;
    }
    borch_history h = {0};
    if ((rc = borch_history_load(ctx->conn, &h, err)) < 0)
        return rc;
    const borch_migration_set *set = &ctx->migrations;
    size_t i = 0;
    while (i < set->count) {
        const borch_history_row *row = borch_history_find(&h, set->items[i].version);
        if (!row || strcmp(row->state, "applied") != 0)
            break;
        i++;
    }
    *out = i;
    borch_history_release(&h);
    return 0;
}


/* JUnit: one testcase per linted migration, failing on its un-ignored errors. */
static char *junit_text(const borch_migration_set *set, size_t first, size_t n,
                        const borch_lint_report *r)
{
    size_t failures = 0;
    for (size_t i = first; i < first + n; i++) {
        for (size_t k = 0; k < r->count; k++)
            if (r->items[k].migration == &set->items[i] && !r->items[k].ignored &&
                r->items[k].rule->severity == BORCH_LINT_ERROR) {
                failures++;
                break;
            }
    }
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                     "  <testsuite name=\"lint\" tests=\"%zu\" failures=\"%zu\">\n",
                     n, failures);
    for (size_t i = first; i < first + n; i++) {
        const borch_migration *m = &set->items[i];
        borch_buf fail, out;
        borch_buf_init(&fail);
        borch_buf_init(&out);
        for (size_t k = 0; k < r->count; k++) {
            const borch_lint_finding *f = &r->items[k];
            if (f->migration != m)
                continue;
            borch_buf *to = !f->ignored && f->rule->severity == BORCH_LINT_ERROR ? &fail : &out;
            borch_buf_printf(to, "%s:%d: %s %s %s", f->file ? f->file : m->path, f->line,
                             f->ignored ? "ignored" : severity_name(f->rule->severity), f->rule->id,
                             f->message);
            if (f->ignored)
                borch_buf_printf(to, " (reason: %s)\n", f->ignore_reason);
            else
                borch_buf_printf(to, " - %s\n", f->rule->fix);
        }
        borch_buf_puts(&b, "    <testcase classname=\"lint\" name=\"");
        borch_xml_escape(&b, m->version);
        borch_buf_putc(&b, '_');
        borch_xml_escape(&b, m->name);
        borch_buf_puts(&b, "\"");
        if (!fail.len && !out.len) {
            borch_buf_puts(&b, "/>\n");
        } else {
            borch_buf_puts(&b, ">\n");
            if (fail.len) {
                borch_buf_puts(&b, "      <failure message=\"lint errors\">");
                borch_xml_escape(&b, fail.data);
                borch_buf_puts(&b, "</failure>\n");
            }
            if (out.len) {
                borch_buf_puts(&b, "      <system-out>");
                borch_xml_escape(&b, out.data);
                borch_buf_puts(&b, "</system-out>\n");
            }
            borch_buf_puts(&b, "    </testcase>\n");
        }
        borch_buf_release(&fail);
        borch_buf_release(&out);
    }
    borch_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
    return borch_buf_detach(&b);
}

static json_t *findings_json(const borch_lint_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->count; i++) {
        const borch_lint_finding *f = &r->items[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "rule", f->rule->id,
                              "severity", severity_name(f->rule->severity), "message", f->message,
                              "fix", f->rule->fix, "version", f->migration->version, "name",
                              f->migration->name, "ignored", f->ignored);
        json_object_set_new(o, "file", f->file ? json_string(f->file) : json_null());
        json_object_set_new(o, "line", json_integer(f->line));
        json_object_set_new(o, "ignore_reason",
                            f->ignore_reason ? json_string(f->ignore_reason) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static void print_text(const borch_ctx *ctx, const borch_lint_report *r, size_t n)
{
    const borch_cli *cli = ctx->cli;
    size_t by[3] = {0}, ignored = 0;
    for (size_t i = 0; i < r->count; i++) {
        const borch_lint_finding *f = &r->items[i];
        if (f->ignored) {
            ignored++;
            if (!cli->quiet)
                printf("%s:%d: %signored%s %s %s (reason: %s)\n", f->file, f->line,
                       borch_c_dim(cli), borch_c_reset(cli), f->rule->id, f->message,
                       f->ignore_reason);
            continue;
        }
        by[f->rule->severity]++;
        const char *col = f->rule->severity == BORCH_LINT_ERROR     ? borch_c_red(cli)
                          : f->rule->severity == BORCH_LINT_WARNING ? borch_c_yellow(cli)
                                                                    : borch_c_dim(cli);
        const char *sev = f->rule->severity == BORCH_LINT_ERROR     ? "ERROR"
                          : f->rule->severity == BORCH_LINT_WARNING ? "WARNING"
                                                                    : "INFO";
        if (!cli->quiet || f->rule->severity == BORCH_LINT_ERROR)
            printf("%s:%d: %s%s%s %s %s \xe2\x80\x94 %s\n", f->file, f->line, col, sev,
                   borch_c_reset(cli), f->rule->id, f->message, f->rule->fix);
    }
    borch_say(cli, "%zu migration%s linted: %zu error%s, %zu warning%s, %zu info, %zu ignored", n,
              n == 1 ? "" : "s", by[BORCH_LINT_ERROR], by[BORCH_LINT_ERROR] == 1 ? "" : "s",
              by[BORCH_LINT_WARNING], by[BORCH_LINT_WARNING] == 1 ? "" : "s", by[BORCH_LINT_INFO],
              ignored);
}

int cmd_lint(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *format = NULL, *junit = NULL;
    int all = 0;
    borch_opt opts[] = {{"format", 0, OPT_STR, &format},
                        {"all", 0, OPT_FLAG, &all},
                        {"junit", 0, OPT_STR, &junit},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if (!format)
        format = ctx->cli->json ? "json" : "text";
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "junit") != 0)
        return borch_error_set(err, BORCH_EUSAGE,
                               "unknown format '%s' (expected text, json or junit)", format);
    if (junit && !*junit)
        return borch_error_set(err, BORCH_EUSAGE, "--junit needs a file name");
    if ((rc = borch_ctx_check_sum(ctx, err)) < 0)
        return rc;
    const borch_migration_set *set = &ctx->migrations;
    size_t first = 0;
    if (!all && (rc = first_pending(ctx, &first, err)) < 0)
        return rc;
    size_t n = set->count - first;

    borch_lint_report rep = {0};
    if (n > 0) {
        borch_scratch *s = NULL;
        if ((rc = borch_ctx_open_scratch(ctx, &s, err)) < 0)
            return rc;
        borch_progress(ctx->cli, "linting %zu migration%s", n, n == 1 ? "" : "s");
        rc = borch_lint_run(s->conn, set, first, n, &rep, err);
        borch_progress_done(ctx->cli);
        borch_scratch_close(s);
        if (rc < 0)
            return rc;
    }
    size_t errors = borch_lint_errors(&rep);
    char *xml = NULL;
    if (junit || strcmp(format, "junit") == 0)
        xml = junit_text(set, first, n, &rep);
    if (junit && (rc = borch_write_file_atomic(junit, xml, strlen(xml), err)) < 0) {
        free(xml);
        borch_lint_report_release(&rep);
        return rc;
    }
    if (strcmp(format, "junit") == 0) {
        fputs(xml, stdout);
    } else if (strcmp(format, "json") == 0) {
        size_t by[3] = {0}, ignored = 0;
        for (size_t i = 0; i < rep.count; i++) {
            if (rep.items[i].ignored)
                ignored++;
            else
                by[rep.items[i].rule->severity]++;
        }
        json_t *summary = json_pack("{s:I, s:I, s:I, s:I, s:I}", "migrations", (json_int_t)n,
                                    "errors", (json_int_t)by[BORCH_LINT_ERROR], "warnings",
                                    (json_int_t)by[BORCH_LINT_WARNING], "infos",
                                    (json_int_t)by[BORCH_LINT_INFO], "ignored", (json_int_t)ignored);
        json_t *linted = json_array();
        for (size_t i = first; i < set->count; i++)
            json_array_append_new(linted, json_string(set->items[i].version));
        borch_print_json(json_pack("{s:s, s:s, s:b, s:b, s:o, s:o, s:o}", "command", "lint",
                                   "target", ctx->url_masked, "ok", errors == 0, "all", all,
                                   "linted", linted, "summary", summary, "findings",
                                   findings_json(&rep)));
    } else {
        print_text(ctx, &rep, n);
    }
    free(xml);
    borch_lint_report_release(&rep);
    return errors ? 1 : 0;
}
