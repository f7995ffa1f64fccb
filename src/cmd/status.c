/*
 * status.c - `status` and `validate`: join the folder and the history and
 * say what each migration is; status also checks drift, by comparing the
 * live schema with models.json when that records the same version.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/models_json.h"
#include "core/migration.h"
#include "core/runner.h"
#include "records.h"
#include "util/buf.h"
#include "util/fsutil.h"

/* Colour of a state in the table. */
static const char *state_color(const borch_cli *cli, borch_mig_state s)
{
    switch (s) {
    case BORCH_MIG_APPLIED: return borch_c_green(cli);
    case BORCH_MIG_PENDING: return borch_c_yellow(cli);
    default: return borch_c_red(cli);
    }
}

/*
 * Drift: the live schema against models.json, which every schema-changing
 * command writes. Only meaningful when models.json is at the same version
 * and engine; otherwise drift is reported as not checked. The usual answer
 * is "no drift", found by rendering the live schema and comparing bytes
 * (models.json is deterministic); only a difference pays for parsing the
 * file and comparing models to name each difference. *checked 0/1;
 * differences go to out.
 */
static size_t check_drift(borch_ctx *ctx, const char *last_version, int *checked, borch_buf *out,
                          char **why_not)
{
    *checked = 0;
    *why_not = NULL;
    if (!borch_file_exists(ctx->cfg->models)) {
        *why_not = strdup("no models.json");
        return 0;
    }
    borch_schema *recorded = NULL, *live = NULL;
    borch_error e = {0};
    char *text = NULL, *rendered = NULL;
    size_t n = 0;
    char *cache_line = NULL;
    if (borch_read_file(ctx->cfg->models, &text, NULL, &e) < 0) {
        *why_not = strdup("models.json cannot be read");
        goto done;
    }
    cache_line = borch_ctx_drift_cache_line(ctx, text);
    if (borch_ctx_drift_cache_hit(ctx, cache_line)) {
        *checked = 1;
        goto done;
    }
    if (borch_conn_introspect(ctx->conn, &live, &e) < 0) {
        *why_not = strdup("the live schema could not be read");
        goto done;
    }
    live->version = last_version ? strdup(last_version) : NULL;
    rendered = borch_models_json_render(live);
    if (strcmp(rendered, text) == 0) {
        *checked = 1;
        if (cache_line)
            borch_ctx_drift_cache_store(ctx, cache_line);
        goto done;
    }
    if (borch_models_json_parse(text, ctx->cfg->models, &recorded, &e) < 0) {
        *why_not = strdup("models.json does not parse");
        goto done;
    }
    if (strcmp(recorded->engine ? recorded->engine : "", ctx->conn->driver->name) != 0) {
        *why_not = strdup("models.json is for another engine");
        goto done;
    }
    if (strcmp(recorded->version ? recorded->version : "", last_version ? last_version : "") != 0) {
        char buf[200];
        snprintf(buf, sizeof(buf), "models.json is at version %s",
                 recorded->version ? recorded->version : "none");
        *why_not = strdup(buf);
        goto done;
    }
    borch_schema_sort(recorded);
    n = borch_schema_compare(recorded, live, out);
    *checked = 1;
done:
    borch_error_clear(&e);
    free(cache_line);
    free(text);
    free(rendered);
    borch_schema_free(recorded);
    borch_schema_free(live);
    return n;
}

/* Connects and joins the folder with the history: what status and validate report on. */
static int load_status(borch_ctx *ctx, borch_history *h, borch_status_entry **st, size_t *n,
                       borch_error *err)
{
    int rc;
    if ((rc = borch_ctx_connect(ctx, err)) < 0 || (rc = borch_history_load(ctx->conn, h, err)) < 0)
        return rc;
    borch_status_compute(&ctx->migrations, h, st, n);
    return 0;
}

int cmd_status(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int exit_code = 0;
    int strict = 0;
    borch_opt opts[] = {{"exit-code", 0, OPT_FLAG, &exit_code},
                        {"strict", 0, OPT_FLAG, &strict}, /* SPEC's exit-code table names it */
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    borch_history h = {0};
    borch_status_entry *st = NULL;
    size_t n = 0;
    if ((rc = load_status(ctx, &h, &st, &n, err)) < 0)
        return rc;

    size_t count[5] = {0};
    const char *last = NULL;
    for (size_t i = 0; i < n; i++) {
        count[st[i].state]++;
        if (st[i].row && st[i].state != BORCH_MIG_DIRTY)
            last = st[i].version;
    }
    borch_buf drift;
    borch_buf_init(&drift);
    int drift_checked = 0;
    char *drift_why = NULL;
    size_t ndrift = check_drift(ctx, last, &drift_checked, &drift, &drift_why);
    int sum_bad = ctx->migrations.has_sum && !ctx->migrations.sum_ok;

    if (ctx->cli->json) {
        json_t *rows = json_array();
        for (size_t i = 0; i < n; i++) {
            const borch_status_entry *e = &st[i];
            json_t *r = json_pack("{s:s, s:s, s:s}", "version", e->version, "name", e->name,
                                  "state", borch_mig_state_name(e->state));
            if (e->row) {
                json_object_set_new(r, "applied_at", json_string(e->row->applied_at));
                json_object_set_new(r, "applied_by", json_string(e->row->applied_by));
                json_object_set_new(r, "duration_ms", json_integer(e->row->duration_ms));
                if (e->row->error)
                    json_object_set_new(r, "error", json_string(e->row->error));
            }
            if (e->file)
                json_object_set_new(r, "checksum", json_string(e->file->checksum));
            if (e->out_of_order)
                json_object_set_new(r, "out_of_order", json_true());
            json_array_append_new(rows, r);
        }
        json_t *d = json_array();
        if (drift_checked) {
            char *save = NULL;
            for (char *l = strtok_r(drift.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                json_array_append_new(d, json_string(l));
        }
        json_t *doc = json_pack(
            "{s:s, s:s, s:s?, s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:{s:b, s:o, s:s?}, s:b}",
            "command", "status", "target", ctx->url_masked, "version", last, "migrations", rows,
            "counts", "applied", (json_int_t)count[BORCH_MIG_APPLIED], "pending",
            (json_int_t)count[BORCH_MIG_PENDING], "changed", (json_int_t)count[BORCH_MIG_CHANGED],
            "missing", (json_int_t)count[BORCH_MIG_MISSING], "dirty",
            (json_int_t)count[BORCH_MIG_DIRTY], "drift", "checked", drift_checked, "differences",
            d, "not_checked_because", drift_why, "borch_sum_ok", !sum_bad);
        borch_print_json(doc);
    } else if (!ctx->cli->quiet) {
        const borch_cli *cli = ctx->cli;
        printf("%starget%s   %s\n%sversion%s  %s\n\n", borch_c_bold(cli), borch_c_reset(cli),
               ctx->url_masked, borch_c_bold(cli), borch_c_reset(cli), last ? last : "none");
        size_t wname = 4;
        for (size_t i = 0; i < n; i++)
            if (strlen(st[i].name) > wname)
                wname = strlen(st[i].name);
        if (wname > 48)
            wname = 48;
        printf("%s%-16s %-*s %-8s %s%s\n", borch_c_bold(cli), "VERSION", (int)wname, "NAME",
               "STATE", "APPLIED AT", borch_c_reset(cli));
        for (size_t i = 0; i < n; i++) {
            const borch_status_entry *e = &st[i];
            printf("%-16s %-*.*s %s%-8s%s %s%s\n", e->version, (int)wname, (int)wname, e->name,
                   state_color(cli, e->state), borch_mig_state_name(e->state), borch_c_reset(cli),
                   e->row ? e->row->applied_at : "-",
                   e->out_of_order ? "  (older than applied ones)" : "");
        }
        printf("\n%zu applied, %zu pending", count[BORCH_MIG_APPLIED], count[BORCH_MIG_PENDING]);
        if (count[BORCH_MIG_CHANGED])
            printf(", %s%zu changed%s", borch_c_red(cli), count[BORCH_MIG_CHANGED], borch_c_reset(cli));
        if (count[BORCH_MIG_MISSING])
            printf(", %s%zu missing%s", borch_c_red(cli), count[BORCH_MIG_MISSING], borch_c_reset(cli));
        if (count[BORCH_MIG_DIRTY])
            printf(", %s%zu dirty%s", borch_c_red(cli), count[BORCH_MIG_DIRTY], borch_c_reset(cli));
        printf("\n");
        if (drift_checked && ndrift == 0)
            printf("drift: none (live schema matches models.json)\n");
        else if (drift_checked)
            printf("%sdrift: %zu difference%s from models.json%s\n%s", borch_c_red(cli), ndrift,
                   ndrift == 1 ? "" : "s", borch_c_reset(cli), drift.data);
        else
            printf("drift: not checked (%s)\n", drift_why ? drift_why : "?");
        if (sum_bad)
            printf("%sborch.sum: does not match the folder (%s)%s\n", borch_c_red(cli),
                   ctx->migrations.sum_problem ? ctx->migrations.sum_problem : "",
                   borch_c_reset(cli));
    }
    int bad = count[BORCH_MIG_PENDING] || count[BORCH_MIG_CHANGED] ||
              count[BORCH_MIG_MISSING] || count[BORCH_MIG_DIRTY];
    free(drift_why);
    borch_buf_release(&drift);
    free(st);
    borch_history_release(&h);
    return (exit_code || strict) && bad ? 1 : 0;
}

int cmd_validate(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int rc;
    if ((rc = borch_cmd_start(ctx, NULL, argc, argv, NULL, err)) < 0)
        return rc;
    borch_history h = {0};
    borch_status_entry *st = NULL;
    size_t n = 0;
    if ((rc = load_status(ctx, &h, &st, &n, err)) < 0)
        return rc;
    json_t *problems = json_array();
    for (size_t i = 0; i < n; i++) {
        const borch_status_entry *e = &st[i];
        const char *what = NULL;
        if (e->state == BORCH_MIG_CHANGED)
            what = "changed since it was applied (checksum differs)";
        else if (e->state == BORCH_MIG_MISSING)
            what = "applied, but its file is missing";
        else if (e->state == BORCH_MIG_DIRTY)
            what = "dirty: it failed part-way";
        if (!what)
            continue;
        json_array_append_new(problems, json_pack("{s:s, s:s, s:s, s:s}", "version", e->version,
                                                  "name", e->name, "state",
                                                  borch_mig_state_name(e->state), "problem", what));
        if (!ctx->cli->json)
            fprintf(stdout, "%s%s_%s%s: %s\n", borch_c_red(ctx->cli), e->version, e->name,
                    borch_c_reset(ctx->cli), what);
    }
    if (ctx->migrations.has_sum && !ctx->migrations.sum_ok) {
        const char *p = ctx->migrations.sum_problem ? ctx->migrations.sum_problem : "mismatch";
        json_array_append_new(problems, json_pack("{s:s, s:s}", "state", "borch.sum", "problem", p));
        if (!ctx->cli->json)
            printf("%sborch.sum%s: %s\n", borch_c_red(ctx->cli), borch_c_reset(ctx->cli), p);
    }
    size_t np = json_array_size(problems);
    if (np == 0)
        borch_say(ctx->cli, "%sok%s: %zu applied migration%s match their files",
                  borch_c_green(ctx->cli), borch_c_reset(ctx->cli), h.count,
                  h.count == 1 ? "" : "s");
    borch_ctx_audit(ctx, "validate", NULL, NULL, 0, np == 0,
                    np ? "applied migrations differ from their files" : NULL, NULL);
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:s, s:b, s:o}", "command", "validate", "target",
                                   ctx->url_masked, "ok", np == 0, "problems", problems));
    else
        json_decref(problems);
    free(st);
    borch_history_release(&h);
    return np ? 1 : 0;
}
