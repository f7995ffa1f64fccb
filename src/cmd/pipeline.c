/*
 * pipeline.c - `pipeline`: the CI migration stage. Steps in order, stopping
 * at the first that fails: validate (borch.sum, applied files), lint and
 * rehearse the pending migrations in throwaway databases, plan (print their
 * SQL), apply (unless --plan-only), record (models.json), drift (the live
 * schema equals what the applied migrations produce). One audit record per
 * run; --junit has one testsuite per step, --report is JSON of the steps.
 * Nothing is applied unless validate, lint and rehearse passed; with
 * --plan-only nothing is written to the target at all.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/migrate.h"
#include "core/audit.h"
#include "core/lint.h"
#include "core/runner.h"
#include "core/scratch.h"
#include "core/source.h"
#include "core/verify.h"
#include "records.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

enum { S_VALIDATE, S_LINT, S_REHEARSE, S_PLAN, S_APPLY, S_RECORD, S_DRIFT, S_COUNT };

static const char *const step_names[S_COUNT] = {"validate", "lint",   "rehearse", "plan",
                                                 "apply",    "record", "drift"};

typedef struct step {
    const char *outcome; /* "ok", "failed", "skipped"; NULL while not reached */
    long long ms;
    json_t *findings;    /* array of {name, severity, message, ...} */
    char *note;          /* one line, or NULL */
} step;

typedef struct pipeline {
    borch_ctx *ctx;
    int plan_only, with_data;
    step steps[S_COUNT];
    size_t first_pending; /* index in ctx->migrations of the first pending one */
    size_t npending;
    size_t applied;       /* migrations the apply step applied */
    int touched;          /* the apply step ran: the target has its audit table */
} pipeline;

/* Adds a finding to a step; name is its JUnit test case name. */
static json_t *add_finding(step *s, const char *name, const char *severity, const char *message)
{
    json_t *f = json_pack("{s:s, s:s, s:s}", "name", name, "severity", severity, "message",
                          message ? message : "");
    json_array_append_new(s->findings, f);
    return f;
}

/* A finding from an error that stopped a step. */
static void add_error(step *s, const char *name, const borch_error *err)
{
    char line[2048];
    json_t *f = add_finding(s, name, "error", borch_error_format(err, line, sizeof(line)));
    if (err->statement)
        json_object_set_new(f, "statement", json_string(err->statement));
}

static void set_note(step *s, const char *note)
{
    free(s->note);
    s->note = note ? borch_xstrdup(note) : NULL;
}


static void mig_name(char *buf, size_t n, const borch_migration *m)
{
    snprintf(buf, n, "%s_%s", m->version, m->name);
}

/* Step 1: borch.sum (exit 2 when it does not match), connection, lock, and
 * the applied migrations' files: none changed, missing or dirty. */
static int step_validate(pipeline *p, step *s, borch_error *err)
{
    borch_ctx *ctx = p->ctx;
    int rc;
    if ((rc = borch_ctx_check_sum(ctx, err)) < 0) {
        add_error(s, "borch.sum", err);
        return rc;
    }
    ctx->create = !p->plan_only;
    if ((rc = borch_ctx_connect(ctx, err)) < 0 ||
        (!p->plan_only && (rc = borch_ctx_lock(ctx, err)) < 0)) {
        add_error(s, "connect", err);
        return rc;
    }
    borch_history h = {0};
    if ((rc = borch_history_load(ctx->conn, &h, err)) < 0) {
        add_error(s, "history", err);
        return rc;
    }
    borch_status_entry *st = NULL;
    size_t nst = 0, bad = 0;
    borch_status_compute(&ctx->migrations, &h, &st, &nst);
    p->first_pending = ctx->migrations.count;
    for (size_t i = 0; i < nst; i++) {
        const borch_status_entry *e = &st[i];
        char name[400], msg[800];
        snprintf(name, sizeof(name), "%s_%s", e->version, e->name);
        if (e->state == BORCH_MIG_PENDING) {
            long at = borch_migrations_find(&ctx->migrations, e->version);
            if (at >= 0 && (size_t)at < p->first_pending)
                p->first_pending = (size_t)at;
            p->npending++;
            continue;
        }
        if (e->state == BORCH_MIG_APPLIED)
            continue;
        if (e->state == BORCH_MIG_DIRTY)
            snprintf(msg, sizeof(msg), "migration %s is dirty: it failed part-way%s%s", name,
                     e->row && e->row->error ? " at: " : "",
                     e->row && e->row->error ? e->row->error : "");
        else if (e->state == BORCH_MIG_CHANGED)
            snprintf(msg, sizeof(msg),
                     "migration %s was changed after it was applied (checksum differs)", name);
        else
            snprintf(msg, sizeof(msg), "migration %s is applied but its file is missing", name);
        json_t *f = add_finding(s, name, "error", msg);
        if (e->file)
            json_object_set_new(f, "file", json_string(e->file->path));
        bad++;
    }
    free(st);
    borch_history_release(&h);
    if (bad) {
        set_note(s, "fix the database or restore the files, then 'borch-db repair' if intended");
        return 1;
    }
    char note[100];
    snprintf(note, sizeof(note), "%zu pending", p->npending);
    set_note(s, note);
    return 0;
}

static const char *severity_name(borch_lint_severity sv)
{
    return sv == BORCH_LINT_ERROR ? "error" : sv == BORCH_LINT_WARNING ? "warning" : "info";
}

/* Step 2: lint the pending migrations on a throwaway database. */
static int step_lint(pipeline *p, step *s, borch_error *err)
{
    borch_ctx *ctx = p->ctx;
    borch_scratch *sc = NULL;
    int rc = borch_ctx_open_scratch(ctx, &sc, err);
    if (rc < 0) {
        add_error(s, "scratch", err);
        return rc;
    }
    borch_lint_report rep = {0};
    rc = borch_lint_run(sc->conn, &ctx->migrations, p->first_pending,
                        ctx->migrations.count - p->first_pending, &rep, err);
    borch_scratch_close(sc);
    if (rc < 0) {
        add_error(s, "lint", err);
        borch_lint_report_release(&rep);
        return rc;
    }
    for (size_t i = 0; i < rep.count; i++) {
        const borch_lint_finding *f = &rep.items[i];
        char name[400];
        if (f->migration)
            snprintf(name, sizeof(name), "%s %s_%s", f->rule->id, f->migration->version,
                     f->migration->name);
        else
            snprintf(name, sizeof(name), "%s", f->rule->id);
        json_t *o = add_finding(s, name, severity_name(f->rule->severity), f->message);
        json_object_set_new(o, "rule", json_string(f->rule->id));
        if (f->rule->fix)
            json_object_set_new(o, "fix", json_string(f->rule->fix));
        if (f->file)
            json_object_set_new(o, "file", json_string(f->file));
        if (f->line)
            json_object_set_new(o, "line", json_integer(f->line));
        if (f->ignored) {
            json_object_set_new(o, "ignored", json_true());
            if (f->ignore_reason)
                json_object_set_new(o, "reason", json_string(f->ignore_reason));
        }
    }
    size_t errors = borch_lint_errors(&rep);
    char note[120];
    snprintf(note, sizeof(note), "%zu finding%s, %zu error%s", rep.count,
             rep.count == 1 ? "" : "s", errors, errors == 1 ? "" : "s");
    set_note(s, note);
    borch_lint_report_release(&rep);
    return errors ? 1 : 0;
}

static void on_progress(void *payload, size_t i, size_t n, const borch_migration *m)
{
    const borch_ctx *ctx = payload;
    borch_progress(ctx->cli, "rehearsing %zu/%zu %s_%s", i + 1, n, m->version, m->name);
}

/* Step 3: up, down, up of each pending migration on a throwaway database
 * where the applied ones were replayed first. */
static int step_rehearse(pipeline *p, step *s, borch_error *err)
{
    borch_ctx *ctx = p->ctx;
    borch_scratch *sc = NULL;
    int rc = borch_ctx_open_scratch(ctx, &sc, err);
    if (rc < 0) {
        add_error(s, "scratch", err);
        return rc;
    }
    borch_verify_opts vo = {0};
    vo.from = p->first_pending > 0 ? ctx->migrations.items[p->first_pending - 1].version : NULL;
    vo.with_data = p->with_data;
    vo.rows_per_table = 20;
    vo.progress = on_progress;
    vo.payload = ctx;
    borch_verify_result *res = NULL;
    size_t n = 0, failed = 0;
    rc = borch_verify_run(sc->conn, &ctx->migrations, &vo, &res, &n, err);
    borch_progress_done(ctx->cli);
    borch_scratch_close(sc);
    if (rc < 0) {
        add_error(s, "rehearse", err);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const borch_verify_result *r = &res[i];
        char name[400];
        mig_name(name, sizeof(name), r->migration);
        int bad = borch_verify_failed(r->outcome) && r->outcome != BORCH_VERIFY_NOT_RUN;
        failed += bad;
        borch_buf msg;
        borch_buf_init(&msg);
        borch_buf_puts(&msg, borch_verify_outcome_name(r->outcome));
        if (r->file && r->line)
            borch_buf_printf(&msg, ": %s:%d", r->file, r->line);
        else if (r->file)
            borch_buf_printf(&msg, ": %s", r->file);
        if (r->detail)
            borch_buf_printf(&msg, ": %s", r->detail);
        json_t *o = add_finding(s, name,
                                bad ? "error" : r->outcome == BORCH_VERIFY_NOT_RUN ? "skipped"
                                                                                    : "info",
                                msg.data);
        borch_buf_release(&msg);
        json_object_set_new(o, "outcome", json_string(borch_verify_outcome_name(r->outcome)));
        json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
        if (r->statement)
            json_object_set_new(o, "statement", json_string(r->statement));
    }
    char note[120];
    snprintf(note, sizeof(note), "%zu rehearsed, %zu failed", n, failed);
    set_note(s, note);
    borch_verify_results_free(res, n);
    return failed ? 1 : 0;
}

/* Findings of the plan and apply steps: one per migration in doc's "applied". */
static void migration_findings(step *s, json_t *doc, const char *message)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "applied"), i, m)
    {
        char name[400];
        snprintf(name, sizeof(name), "%s_%s", json_string_value(json_object_get(m, "version")),
                 json_string_value(json_object_get(m, "name")));
        json_t *o = add_finding(s, name, "info", message);
        json_object_set(o, "duration_ms", json_object_get(m, "duration_ms"));
    }
}

/* Step 4: print the up sections of the pending migrations (as migrate up --dry-run). */
static int step_plan(pipeline *p, step *s, borch_error *err)
{
    if (p->npending == 0) {
        set_note(s, "nothing to apply");
        return 0;
    }
    json_t *doc = json_object();
    int rc = borch_migrate_up_run(p->ctx, NULL, 0, 1, doc, err);
    if (rc < 0)
        add_error(s, "plan", err);
    else
        migration_findings(s, doc, "pending");
    char note[80];
    size_t n = json_array_size(json_object_get(doc, "applied"));
    snprintf(note, sizeof(note), "%zu migration%s to apply", n, n == 1 ? "" : "s");
    set_note(s, note);
    json_decref(doc);
    return rc;
}

/* Step 5: apply the pending migrations through the migrate-up path. */
static int step_apply(pipeline *p, step *s, borch_error *err)
{
    borch_ctx *ctx = p->ctx;
    int rc;
    if ((rc = borch_history_ensure(ctx->conn, err)) < 0 ||
        (rc = borch_audit_table_ensure(ctx->conn, err)) < 0) {
        add_error(s, "apply", err);
        return rc;
    }
    p->touched = 1;
    if (p->npending == 0) {
        set_note(s, "0 applied");
        return 0;
    }
    json_t *doc = json_object();
    rc = borch_migrate_up_run(ctx, NULL, 0, 0, doc, err);
    migration_findings(s, doc, "applied");
    p->applied = json_array_size(json_object_get(doc, "applied"));
    json_t *failed = json_object_get(doc, "failed");
    if (rc < 0) {
        json_t *o = add_finding(s, "apply", "error", "");
        if (failed) {
            char name[400];
            snprintf(name, sizeof(name), "%s_%s",
                     json_string_value(json_object_get(failed, "version")),
                     json_string_value(json_object_get(failed, "name")));
            json_object_set_new(o, "name", json_string(name));
        }
        char line[2048];
        json_object_set_new(o, "message", json_string(borch_error_format(err, line, sizeof(line))));
        if (err->statement)
            json_object_set_new(o, "statement", json_string(err->statement));
    }
    json_decref(doc);
    char note[80];
    snprintf(note, sizeof(note), "%zu applied", p->applied);
    set_note(s, note);
    return rc;
}

/* Step 6: models.json (the apply step wrote it when it applied something). */
static int step_record(pipeline *p, step *s)
{
    borch_ctx *ctx = p->ctx;
    if (p->applied == 0)
        borch_ctx_write_models(ctx);
    add_finding(s, "models.json", "info", ctx->cfg->models);
    set_note(s, ctx->cfg->models);
    return 0;
}

/* "table x still present" (in the live schema only) reads, for drift, as
 * what it is: compare's wording is for before/after pairs. */
static void drift_line(step *s, const char *line)
{
    char msg[1200];
    size_t n = strlen(line);
    const char *sp = " still present", *mi = " missing";
    if (n > strlen(sp) && strcmp(line + n - strlen(sp), sp) == 0)
        snprintf(msg, sizeof(msg), "%.*s exists in the live schema but no migration creates it",
                 (int)(n - strlen(sp)), line);
    else if (n > strlen(mi) && strcmp(line + n - strlen(mi), mi) == 0)
        snprintf(msg, sizeof(msg), "%.*s is created by the migrations but missing from the live "
                                   "schema",
                 (int)(n - strlen(mi)), line);
    else
        snprintf(msg, sizeof(msg), "%s", line);
    add_finding(s, line, "error", msg);
}

/* Step 7: the live schema against the applied migrations replayed in a
 * throwaway database; each difference is a finding. */
static int step_drift(pipeline *p, step *s, borch_error *err)
{
    borch_ctx *ctx = p->ctx;
    borch_history h = {0};
    int rc = borch_history_load(ctx->conn, &h, err);
    if (rc < 0) {
        add_error(s, "history", err);
        return rc;
    }
    /* A shallow set of the applied migrations that have files. */
    borch_migration_set applied = ctx->migrations;
    applied.items = borch_xcalloc(ctx->migrations.count + 1, sizeof(*applied.items));
    applied.count = 0;
    for (size_t i = 0; i < h.count; i++) {
        if (strcmp(h.rows[i].state, "applied") != 0)
            continue;
        long at = borch_migrations_find(&ctx->migrations, h.rows[i].version);
        if (at >= 0)
            applied.items[applied.count++] = ctx->migrations.items[at];
    }
    borch_history_release(&h);
    /* Replay needs version order: history is in apply order. */
    for (size_t i = 1; i < applied.count; i++)
        for (size_t j = i; j > 0 && borch_version_cmp(applied.items[j - 1].version,
                                                      applied.items[j].version) > 0;
             j--) {
            borch_migration t = applied.items[j];
            applied.items[j] = applied.items[j - 1];
            applied.items[j - 1] = t;
        }

    borch_scratch *sc = NULL;
    borch_schema *want = NULL, *live = NULL;
    if ((rc = borch_ctx_open_scratch(ctx, &sc, err)) < 0) {
        add_error(s, "scratch", err);
        goto done;
    }
    if ((rc = borch_replay(sc->conn, &applied, NULL, err)) < 0 ||
        (rc = borch_conn_introspect(sc->conn, &want, err)) < 0 ||
        (rc = borch_conn_introspect(ctx->conn, &live, err)) < 0) {
        add_error(s, "drift", err);
        goto done;
    }
    borch_schema_sort(want);
    borch_schema_sort(live);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(want, live, &diff);
    if (n) {
        char *save = NULL;
        for (char *l = strtok_r(diff.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            drift_line(s, l);
        rc = 1;
    }
    char note[80];
    snprintf(note, sizeof(note), "%zu difference%s", n, n == 1 ? "" : "s");
    set_note(s, note);
    borch_buf_release(&diff);
done:
    borch_scratch_close(sc);
    borch_schema_free(want);
    borch_schema_free(live);
    free(applied.items);
    return rc;
}


/* One <testsuite> per step; a test case per finding, or one for the step. */
static int write_junit(const pipeline *p, const char *path, borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"borch-db "
                       "pipeline\">\n");
    for (int i = 0; i < S_COUNT; i++) {
        const step *s = &p->steps[i];
        const char *outcome = s->outcome ? s->outcome : "skipped";
        size_t n = json_array_size(s->findings), failures = 0, skipped = 0;
        size_t k;
        json_t *f;
        json_array_foreach(s->findings, k, f)
        {
            const char *sv = json_string_value(json_object_get(f, "severity"));
            if (json_is_true(json_object_get(f, "ignored")) || strcmp(sv, "skipped") == 0)
                skipped++;
            else if (strcmp(sv, "error") == 0)
                failures++;
        }
        size_t tests = n ? n : 1;
        if (!n && strcmp(outcome, "failed") == 0)
            failures = 1;
        if (!n && strcmp(outcome, "skipped") == 0)
            skipped = 1;
        borch_buf_printf(&b,
                         "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                         "skipped=\"%zu\" time=\"%.3f\">\n",
                         step_names[i], tests, failures, skipped, s->ms / 1000.0);
        if (!n) {
            borch_buf_printf(&b, "    <testcase classname=\"pipeline.%s\" name=\"%s\" time=\"%.3f\"",
                             step_names[i], step_names[i], s->ms / 1000.0);
            if (strcmp(outcome, "ok") == 0) {
                borch_buf_puts(&b, "/>\n  </testsuite>\n");
                continue;
            }
            borch_buf_printf(&b, ">\n      <%s message=\"", failures ? "failure" : "skipped");
            borch_xml_escape(&b, s->note ? s->note : outcome);
            borch_buf_puts(&b, "\"/>\n    </testcase>\n  </testsuite>\n");
            continue;
        }
        json_array_foreach(s->findings, k, f)
        {
            const char *sv = json_string_value(json_object_get(f, "severity"));
            const char *msg = json_string_value(json_object_get(f, "message"));
            json_t *ms = json_object_get(f, "duration_ms");
            borch_buf_printf(&b, "    <testcase classname=\"pipeline.%s\" name=\"", step_names[i]);
            borch_xml_escape(&b, json_string_value(json_object_get(f, "name")));
            borch_buf_printf(&b, "\" time=\"%.3f\">\n",
                             ms ? (double)json_integer_value(ms) / 1000.0 : 0.0);
            if (json_is_true(json_object_get(f, "ignored"))) {
                borch_buf_puts(&b, "      <skipped message=\"ignored: ");
                borch_xml_escape(&b, json_string_value(json_object_get(f, "reason")));
                borch_buf_puts(&b, "\"/>\n");
            } else if (strcmp(sv, "error") == 0) {
                borch_buf_puts(&b, "      <failure message=\"");
                borch_xml_escape(&b, msg);
                borch_buf_puts(&b, "\">");
                borch_xml_escape(&b, json_string_value(json_object_get(f, "statement")));
                borch_buf_puts(&b, "</failure>\n");
            } else if (strcmp(sv, "skipped") == 0) {
                borch_buf_puts(&b, "      <skipped message=\"");
                borch_xml_escape(&b, msg);
                borch_buf_puts(&b, "\"/>\n");
            } else {
                borch_buf_puts(&b, "      <system-out>");
                borch_xml_escape(&b, sv);
                borch_buf_puts(&b, ": ");
                borch_xml_escape(&b, msg);
                borch_buf_puts(&b, "</system-out>\n");
            }
            borch_buf_puts(&b, "    </testcase>\n");
        }
        borch_buf_puts(&b, "  </testsuite>\n");
    }
    borch_buf_puts(&b, "</testsuites>\n");
    int rc = borch_write_file_atomic(path, b.data, b.len, err);
    borch_buf_release(&b);
    return rc;
}

/* The report: each step's name, outcome, duration and findings. */
static json_t *report_json(const pipeline *p, int ok, long long total_ms)
{
    json_t *steps = json_array();
    for (int i = 0; i < S_COUNT; i++) {
        const step *s = &p->steps[i];
        json_t *o = json_pack("{s:s, s:s, s:I, s:O}", "name", step_names[i], "outcome",
                              s->outcome ? s->outcome : "skipped", "duration_ms",
                              (json_int_t)s->ms, "findings", s->findings);
        if (s->note)
            json_object_set_new(o, "note", json_string(s->note));
        json_array_append_new(steps, o);
    }
    return json_pack("{s:s, s:s, s:b, s:b, s:I, s:o}", "command", "pipeline", "target",
                     p->ctx->url_masked, "plan_only", p->plan_only, "ok", ok, "duration_ms",
                     (json_int_t)total_ms, "steps", steps);
}

/* The step's line: a mark, its name, its note and time; then what failed. */
static void print_step(const pipeline *p, int i)
{
    const borch_cli *cli = p->ctx->cli;
    const step *s = &p->steps[i];
    if (cli->json || cli->quiet)
        return;
    int tty = isatty(STDOUT_FILENO);
    const char *mark, *color;
    if (strcmp(s->outcome, "ok") == 0)
        mark = tty ? "\u2713" : "[ok]", color = borch_c_green(cli);
    else if (strcmp(s->outcome, "failed") == 0)
        mark = tty ? "\u2717" : "[FAIL]", color = borch_c_red(cli);
    else
        mark = tty ? "-" : "[skip]", color = borch_c_dim(cli);
    printf("%s%s%s %-9s %s%s%s(%lld ms)%s\n", color, mark, borch_c_reset(cli), step_names[i],
           s->note ? s->note : "", s->note ? " " : "", borch_c_dim(cli), s->ms, borch_c_reset(cli));
    size_t k;
    json_t *f;
    json_array_foreach(s->findings, k, f)
    {
        const char *sv = json_string_value(json_object_get(f, "severity"));
        if (strcmp(sv, "error") != 0 && strcmp(sv, "warning") != 0)
            continue;
        const char *rule = json_string_value(json_object_get(f, "rule"));
        const char *file = json_string_value(json_object_get(f, "file"));
        json_t *line = json_object_get(f, "line");
        printf("    %s%s%s%s%s", json_is_true(json_object_get(f, "ignored")) ? "ignored " : "",
               sv, rule ? " " : "", rule ? rule : "", ": ");
        if (file && line)
            printf("%s:%lld: ", file, (long long)json_integer_value(line));
        /* A multi-line message (one line per difference) stays indented. */
        for (const char *m = json_string_value(json_object_get(f, "message")); *m; m++) {
            putchar(*m);
            if (*m == '\n' && m[1])
                fputs("      ", stdout);
        }
        putchar('\n');
        const char *stmt = json_string_value(json_object_get(f, "statement"));
        if (stmt)
            printf("      statement: %s\n", stmt);
    }
}

/* Runs the steps in order; stops at the first that fails (1 or an error code). */
static int run_steps(pipeline *p, borch_error *err)
{
    int rc = 0;
    for (int i = 0; i < S_COUNT && rc == 0; i++) {
        step *s = &p->steps[i];
        long long t0 = borch_now_ms();
        int skip = 0;
        if ((i == S_LINT || i == S_REHEARSE) && p->npending == 0)
            skip = 1, set_note(s, "no pending migrations");
        if ((i == S_APPLY || i == S_RECORD) && p->plan_only)
            skip = 1, set_note(s, "--plan-only");
        if (!skip) {
            switch (i) {
            case S_VALIDATE: rc = step_validate(p, s, err); break;
            case S_LINT: rc = step_lint(p, s, err); break;
            case S_REHEARSE: rc = step_rehearse(p, s, err); break;
            case S_PLAN: rc = step_plan(p, s, err); break;
            case S_APPLY: rc = step_apply(p, s, err); break;
            case S_RECORD: rc = step_record(p, s); break;
            default: rc = step_drift(p, s, err); break;
            }
        }
        s->ms = borch_now_ms() - t0;
        s->outcome = skip ? "skipped" : rc == 0 ? "ok" : "failed";
        print_step(p, i);
    }
    for (int i = 0; i < S_COUNT; i++)
        if (!p->steps[i].outcome) {
            p->steps[i].outcome = "skipped";
            set_note(&p->steps[i], "an earlier step failed");
            print_step(p, i);
        }
    return rc;
}

/* The audit record of the run. Only a run that reached the apply step
 * writes to the target's audit table; the others leave the target as it was. */
static void record_audit(pipeline *p, int ok, long long ms, const char *failed_step)
{
    borch_ctx *ctx = p->ctx;
    json_t *detail = json_object();
    for (int i = 0; i < S_COUNT; i++)
        json_object_set_new(detail, step_names[i], json_string(p->steps[i].outcome));
    json_object_set_new(detail, "applied", json_integer((json_int_t)p->applied));
    json_object_set_new(detail, "plan_only", json_boolean(p->plan_only));
    char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    char error[120];
    snprintf(error, sizeof(error), "step '%s' failed", failed_step ? failed_step : "");
    borch_conn *conn = ctx->conn;
    if (!p->touched)
        ctx->conn = NULL;
    borch_ctx_audit(ctx, "pipeline", NULL, NULL, ms, ok, ok ? NULL : error, text);
    ctx->conn = conn;
    free(text);
}

int cmd_pipeline(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *junit = NULL, *report = NULL;
    int plan_only = 0, with_data = 0;
    borch_opt opts[] = {{"junit", 0, OPT_STR, &junit},
                        {"report", 0, OPT_STR, &report},
                        {"plan-only", 0, OPT_FLAG, &plan_only},
                        {"with-data", 0, OPT_FLAG, &with_data},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if ((junit && !*junit) || (report && !*report))
        return borch_error_set(err, BORCH_EUSAGE, "--junit and --report need a file name");

    pipeline p = {.ctx = ctx, .plan_only = plan_only, .with_data = with_data};
    for (int i = 0; i < S_COUNT; i++)
        p.steps[i].findings = json_array();
    long long t0 = borch_now_ms();
    rc = run_steps(&p, err);
    long long total = borch_now_ms() - t0;
    const char *failed = NULL;
    for (int i = 0; i < S_COUNT && !failed; i++)
        if (strcmp(p.steps[i].outcome, "failed") == 0)
            failed = step_names[i];
    int ok = rc == 0;
    record_audit(&p, ok, total, failed);

    /* Report files are written on every outcome, so CI can show the failure. */
    borch_error werr = {0};
    int wrc = 0;
    if (junit && (wrc = write_junit(&p, junit, &werr)) < 0)
        borch_print_error(ctx->cli, &werr);
    json_t *doc = report_json(&p, ok, total);
    if (report) {
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        size_t len = strlen(text);
        text = borch_xrealloc(text, len + 2);
        text[len] = '\n';
        text[len + 1] = 0;
        borch_error_clear(&werr);
        int r2 = borch_write_file_atomic(report, text, len + 1, &werr);
        if (r2 < 0) {
            borch_print_error(ctx->cli, &werr);
            wrc = r2;
        }
        free(text);
    }
    borch_error_clear(&werr);
    if (!ctx->cli->json)
        borch_say(ctx->cli, "%spipeline %s%s in %lld ms%s%s%s", ok ? borch_c_green(ctx->cli)
                                                                   : borch_c_red(ctx->cli),
                  ok ? "passed" : "failed", borch_c_reset(ctx->cli), total,
                  failed ? " (at step '" : "", failed ? failed : "", failed ? "')" : "");
    if (ctx->cli->json && rc >= 0)
        borch_print_json(doc);
    else
        json_decref(doc);
    for (int i = 0; i < S_COUNT; i++) {
        json_decref(p.steps[i].findings);
        free(p.steps[i].note);
    }
    if (rc == 0 && wrc < 0)
        return 1;
    return rc;
}
