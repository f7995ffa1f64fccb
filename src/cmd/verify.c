/*
 * verify.c - `rollback --verify`: rehearse the migrations in a throwaway
 * database (core/verify) and report per migration, as text, --json or a
 * JUnit file for CI. The target database is never touched: not even
 * connected to. The run is recorded in the audit file.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/scratch.h"
#include "core/source.h"
#include "core/verify.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

static void on_progress(void *payload, size_t i, size_t n, const borch_migration *m)
{
    const borch_ctx *ctx = payload;
    borch_progress(ctx->cli, "rehearsing %zu/%zu %s_%s", i + 1, n, m->version, m->name);
}


/* "file:line: message" for a result with an error, else the detail. */
static char *reason(const borch_verify_result *r)
{
    borch_buf b;
    borch_buf_init(&b);
    if (r->file && r->line)
        borch_buf_printf(&b, "%s:%d: ", r->file, r->line);
    else if (r->file)
        borch_buf_printf(&b, "%s: ", r->file);
    borch_buf_puts(&b, r->detail ? r->detail : "");
    return b.data;
}

static int write_junit(const char *path, const borch_verify_result *res, size_t n,
                       long long total_ms, borch_error *err)
{
    size_t failures = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (res[i].outcome == BORCH_VERIFY_NOT_RUN)
            skipped++;
        else if (borch_verify_failed(res[i].outcome))
            failures++;
    }
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                     "  <testsuite name=\"rollback-verify\" tests=\"%zu\" failures=\"%zu\" "
                     "skipped=\"%zu\" time=\"%.3f\">\n",
                     n, failures, skipped, total_ms / 1000.0);
    for (size_t i = 0; i < n; i++) {
        const borch_verify_result *r = &res[i];
        borch_buf_puts(&b, "    <testcase classname=\"rollback-verify\" name=\"");
        borch_xml_escape(&b, r->migration->version);
        borch_buf_putc(&b, '_');
        borch_xml_escape(&b, r->migration->name);
        borch_buf_printf(&b, "\" time=\"%.3f\"", r->duration_ms / 1000.0);
        if (r->outcome == BORCH_VERIFY_OK) {
            borch_buf_puts(&b, "/>\n");
            continue;
        }
        borch_buf_puts(&b, ">\n");
        if (r->outcome == BORCH_VERIFY_NOT_RUN) {
            borch_buf_puts(&b, "      <skipped message=\"not run: an earlier migration failed\"/>\n");
        } else {
            char *why = reason(r);
            borch_buf_puts(&b, "      <failure message=\"");
            borch_xml_escape(&b, borch_verify_outcome_name(r->outcome));
            borch_buf_puts(&b, "\">");
            borch_xml_escape(&b, why);
            if (r->statement) {
                borch_buf_puts(&b, "\nstatement: ");
                borch_xml_escape(&b, r->statement);
            }
            borch_buf_puts(&b, "</failure>\n");
            free(why);
        }
        borch_buf_puts(&b, "    </testcase>\n");
    }
    borch_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
    int rc = borch_write_file_atomic(path, b.data, b.len, err);
    borch_buf_release(&b);
    return rc;
}


/* How many template copies of replayed prefixes a project keeps on its server. */
#define TEMPLATES_KEPT 3
/*
 * From how many migrations before the range a template copy pays. Measured
 * on PostgreSQL 15 here: 290 small migrations replay as fast as CREATE
 * DATABASE … TEMPLATE copies them (0.9 s either way); 1,190 replay in 4.0 s
 * and copy in 2.2 s.
 */
#define TEMPLATE_MIN_PREFIX 300

/*
 * The name under which the schema of the migrations up to `from` is kept as
 * a template: the same prefix (versions and checksums) and schema, the same
 * name, so any change to an earlier migration makes a new one.
 */
static void template_name(const borch_ctx *ctx, const char *from, char *out, size_t n)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s\n%s\n", ctx->url->scheme,
                     ctx->env && ctx->env->schema ? ctx->env->schema : "");
    for (size_t i = 0; i < ctx->migrations.count; i++) {
        const borch_migration *m = &ctx->migrations.items[i];
        if (borch_version_cmp(m->version, from) > 0)
            break;
        borch_buf_printf(&b, "%s %s\n", m->version, m->checksum);
    }
    char h[65];
    borch_checksum_text(b.data, b.len, h);
    borch_buf_release(&b);
    snprintf(out, n, "borch_scratch_tpl_%.24s", h);
}

/*
 * Remembers a template in .borch/templates (beside the audit file) and drops
 * the oldest beyond TEMPLATES_KEPT, so templates do not pile up on the server.
 */
static void remember_template(borch_ctx *ctx, const borch_url *server, const char *name)
{
    char *dir = borch_path_dir(ctx->cfg->audit);
    char *path = borch_path_join(dir, "templates");
    free(dir);
    char *text = NULL;
    borch_error e = {0};
    borch_strv names = {0};
    if (borch_read_file(path, &text, NULL, &e) == 0) {
        char *save = NULL;
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (strcmp(l, name) != 0)
                borch_strv_push(&names, l);
    }
    borch_error_clear(&e);
    borch_strv_push(&names, name);
    borch_buf b;
    borch_buf_init(&b);
    size_t drop = names.count > TEMPLATES_KEPT ? names.count - TEMPLATES_KEPT : 0;
    for (size_t i = 0; i < names.count; i++) {
        if (i < drop) {
            char *url = borch_url_with_database(server, names.items[i]);
            borch_scratch_drop(server, url, &e);
            borch_error_clear(&e);
            free(url);
        } else {
            borch_buf_printf(&b, "%s\n", names.items[i]);
        }
    }
    borch_write_file_atomic(path, b.data, b.len, &e); /* a cache: failure is harmless */
    borch_error_clear(&e);
    borch_buf_release(&b);
    borch_strv_release(&names);
    free(text);
    free(path);
}

/*
 * The throwaway database for a rehearsal from `from` on: where the driver
 * can copy databases (PostgreSQL), a copy of a kept template of the
 * migrations up to `from` (CREATE DATABASE … TEMPLATE is faster than
 * replaying them), made on the first run. *prefix_applied tells whether
 * the copy already holds them. Any trouble with templates falls back to
 * the plain way.
 */
static int open_for_rehearsal(borch_ctx *ctx, const char *from, borch_scratch **out,
                              int *prefix_applied, borch_error *err)
{
    *prefix_applied = 0;
    const borch_driver *d = NULL;
    borch_error e = {0};
    size_t prefix = 0;
    for (size_t i = 0; from && i < ctx->migrations.count; i++)
        prefix += borch_version_cmp(ctx->migrations.items[i].version, from) <= 0;
    if (prefix < TEMPLATE_MIN_PREFIX || borch_driver_for_scheme(ctx->url->scheme, &d, &e) < 0 ||
        !d->scratch_copy) {
        borch_error_clear(&e);
        return borch_ctx_open_scratch(ctx, out, err);
    }
    char tpl[64];
    template_name(ctx, from, tpl, sizeof(tpl));
    borch_conn_opts opts = {.connect_timeout_s = ctx->cfg->connect_timeout_s,
                            .schema = ctx->env ? ctx->env->schema : NULL};
    const char *server = ctx->env ? ctx->env->scratch : NULL;
    if (borch_scratch_open_copy(ctx->url, server, tpl, &opts, out, &e) == 0) {
        *prefix_applied = 1;
        return 0;
    }
    borch_error_clear(&e);
    int rc = borch_ctx_open_scratch(ctx, out, err);
    if (rc < 0)
        return rc;
    if ((rc = borch_replay((*out)->conn, &ctx->migrations, from, err)) < 0)
        return rc; /* the caller closes *out */
    *prefix_applied = 1;
    if (borch_scratch_save_copy(*out, tpl, &opts, &e) == 0)
        remember_template(ctx, (*out)->server, tpl);
    borch_error_clear(&e);
    return (*out)->conn ? 0 : borch_error_set(err, BORCH_ECONNECT, "lost the throwaway database");
}

int cmd_rollback_verify(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int verify = 0, with_data = 0, keep = 0, rows = 20;
    const char *from = NULL, *to = NULL, *junit = NULL;
    borch_opt opts[] = {{"verify", 0, OPT_FLAG, &verify},
                        {"from", 0, OPT_STR, &from},
                        {"to", 0, OPT_STR, &to},
                        {"with-data", 0, OPT_FLAG, &with_data},
                        {"rows", 0, OPT_INT, &rows},
                        {"keep", 0, OPT_FLAG, &keep},
                        {"junit", 0, OPT_STR, &junit},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if ((from && !*from) || (to && !*to))
        return borch_error_set(err, BORCH_EUSAGE, "--from and --to need a version");
    if ((rc = borch_ctx_check_sum(ctx, err)) < 0)
        return rc;
    borch_scratch *s = NULL;
    int prefix_applied = 0;
    if ((rc = open_for_rehearsal(ctx, from, &s, &prefix_applied, err)) < 0) {
        borch_scratch_close(s);
        return rc;
    }

    borch_verify_opts vo = {.from = from, .to = to, .with_data = with_data,
                            .rows_per_table = rows, .progress = on_progress, .payload = ctx,
                            .prefix_applied = prefix_applied};
    borch_verify_result *res = NULL;
    size_t n = 0;
    long long t0 = borch_now_ms();
    rc = borch_verify_run(s->conn, &ctx->migrations, &vo, &res, &n, err);
    long long total = borch_now_ms() - t0;
    borch_progress_done(ctx->cli);
    if (keep) {
        borch_say(ctx->cli, "kept the throwaway database: %s", s->url_masked);
        if (!ctx->cli->json)
            fprintf(stderr, "borch-db: kept the throwaway database %s\n", s->url_masked);
    }
    json_t *kept = keep ? json_string(s->url_masked) : json_null();
    if (keep)
        borch_scratch_keep(s);
    else
        borch_scratch_close(s);
    if (rc < 0) {
        json_decref(kept);
        return rc;
    }

    size_t failed = 0;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const borch_verify_result *r = &res[i];
        int bad = borch_verify_failed(r->outcome);
        failed += bad && r->outcome != BORCH_VERIFY_NOT_RUN;
        char *why = reason(r);
        json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "version", r->migration->version, "name",
                              r->migration->name, "outcome", borch_verify_outcome_name(r->outcome),
                              "duration_ms", (json_int_t)r->duration_ms);
        if (r->detail)
            json_object_set_new(o, "detail", json_string(r->detail));
        if (r->file)
            json_object_set_new(o, "file", json_string(r->file));
        if (r->line)
            json_object_set_new(o, "line", json_integer(r->line));
        if (r->statement)
            json_object_set_new(o, "statement", json_string(r->statement));
        if (with_data)
            json_object_set_new(o, "rows", json_integer(r->rows));
        json_array_append_new(items, o);
        if (!ctx->cli->json && !ctx->cli->quiet) {
            if (!bad) {
                printf("%sok%s      %s_%s %s(%lld ms)%s\n", borch_c_green(ctx->cli),
                       borch_c_reset(ctx->cli), r->migration->version, r->migration->name,
                       borch_c_dim(ctx->cli), r->duration_ms, borch_c_reset(ctx->cli));
            } else {
                printf("%s%-7s%s %s_%s: %s\n",
                       r->outcome == BORCH_VERIFY_NOT_RUN ? borch_c_dim(ctx->cli)
                                                          : borch_c_red(ctx->cli),
                       r->outcome == BORCH_VERIFY_NOT_RUN ? "skip" : "FAIL",
                       borch_c_reset(ctx->cli), r->migration->version, r->migration->name,
                       borch_verify_outcome_name(r->outcome));
                if (r->detail || r->file) {
                    /* One indented line per difference or error line. */
                    char *copy = borch_xstrdup(why), *save = NULL;
                    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                        printf("        %s\n", l);
                    free(copy);
                }
                if (r->statement)
                    printf("        statement: %s\n", r->statement);
            }
        }
        free(why);
    }
    size_t not_run = 0;
    for (size_t i = 0; i < n; i++)
        not_run += res[i].outcome == BORCH_VERIFY_NOT_RUN;
    if (!ctx->cli->json)
        borch_say(ctx->cli, "%zu migration%s rehearsed in %lld ms: %zu ok, %zu failed%s%s",
                  n, n == 1 ? "" : "s", total, n - failed - not_run, failed,
                  not_run ? ", not run: " : "", not_run ? "later ones" : "");
    int write_rc = 0;
    if (junit)
        write_rc = write_junit(junit, res, n, total, err);

    json_t *summary = json_pack("{s:I, s:I, s:I, s:I}", "migrations", (json_int_t)n, "ok",
                                (json_int_t)(n - failed - not_run), "failed", (json_int_t)failed,
                                "not_run", (json_int_t)not_run);
    char *detail = json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS);
    /* ctx has no connection: the record goes to the audit file only, and
     * the target stays untouched. */
    borch_ctx_audit(ctx, "verify", NULL, NULL, total, failed == 0,
                    failed ? "rehearsal found failures" : NULL, detail);
    free(detail);
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "command", "rollback --verify",
                                   "target", ctx->url_masked, "ok", failed == 0 && write_rc == 0,
                                   "summary", summary, "migrations", items, "kept", kept));
    else {
        json_decref(summary);
        json_decref(items);
        json_decref(kept);
    }
    borch_verify_results_free(res, n);
    if (write_rc < 0)
        return write_rc;
    return failed ? 1 : 0;
}
