/*
 * baseline.c - `baseline --version V` and `repair`: the two commands that
 * change the history without running migrations, for databases a person
 * set up or fixed by hand.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "cmd/cmd.h"
#include "core/audit.h"
#include "core/runner.h"
#include "records.h"



int cmd_baseline(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *version = NULL;
    borch_opt opts[] = {{"version", 0, OPT_STR, &version}, {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if (!version)
        return borch_error_set(err, BORCH_EUSAGE, "baseline needs --version V");
    if (borch_migrations_find(&ctx->migrations, version) < 0)
        return borch_error_set(err, BORCH_EUSAGE, "no migration with version '%s' in %s", version,
                               ctx->migrations.dir);
    ctx->create = 1;
    if ((rc = borch_ctx_check_sum(ctx, err)) < 0 || (rc = borch_ctx_connect(ctx, err)) < 0 ||
        (rc = borch_ctx_lock(ctx, err)) < 0 || (rc = borch_history_ensure(ctx->conn, err)) < 0)
        return rc;
    borch_history h = {0};
    if ((rc = borch_history_load(ctx->conn, &h, err)) < 0)
        return rc;
    size_t had = h.count;
    borch_history_release(&h);
    if (had > 0)
        return borch_error_set(err, BORCH_ESTATE,
                               "the database already has %zu migration%s recorded; baseline is for "
                               "a database borch-db has never migrated",
                               had, had == 1 ? "" : "s");
    char at[32];
    borch_clock_utc(at, sizeof(at));
    char *actor = borch_audit_actor();
    size_t n = 0;
    if ((rc = borch_conn_begin(ctx->conn, err)) < 0)
        goto done;
    for (size_t i = 0; i < ctx->migrations.count; i++) {
        const borch_migration *m = &ctx->migrations.items[i];
        if (borch_version_cmp(m->version, version) > 0)
            break;
        borch_history_row row = {.version = m->version, .name = m->name, .checksum = m->checksum,
                                 .applied_at = at, .applied_by = actor, .duration_ms = 0,
                                 .state = "applied"};
        if ((rc = borch_history_insert(ctx->conn, &row, err)) < 0) {
            borch_conn_rollback_quietly(ctx->conn);
            goto done;
        }
        n++;
    }
    if ((rc = borch_conn_commit(ctx->conn, err)) < 0)
        goto done;
    borch_ctx_audit(ctx, "baseline", version, NULL, 0, 1, NULL, NULL);
    borch_ctx_write_models(ctx);
    borch_say(ctx->cli, "baselined %s at version %s (%zu migration%s recorded, none run)",
              ctx->url_masked, version, n, n == 1 ? "" : "s");
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:s, s:s, s:I, s:b}", "command", "baseline", "target",
                                   ctx->url_masked, "version", version, "recorded", (json_int_t)n,
                                   "ok", 1));
done:
    free(actor);
    return rc;
}

int cmd_repair(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int mark_applied = 0;
    borch_opt opts[] = {{"mark-applied", 0, OPT_FLAG, &mark_applied}, {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    if ((rc = borch_ctx_connect(ctx, err)) < 0 || (rc = borch_ctx_lock(ctx, err)) < 0)
        return rc;
    borch_history h = {0};
    if ((rc = borch_history_load(ctx->conn, &h, err)) < 0)
        return rc;
    borch_status_entry *st = NULL;
    size_t n = 0;
    borch_status_compute(&ctx->migrations, &h, &st, &n);
    json_t *fixed = json_array();
    size_t nfixed = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const borch_status_entry *e = &st[i];
        const char *what = NULL;
        if (e->state == BORCH_MIG_DIRTY && mark_applied) {
            rc = borch_history_set_state(ctx->conn, e->version, "applied", NULL,
                                         e->row->duration_ms, err);
            what = "dirty record marked applied";
        } else if (e->state == BORCH_MIG_DIRTY) {
            rc = borch_history_delete(ctx->conn, e->version, err);
            what = "dirty record cleared; the migration runs again on the next 'migrate up'";
        } else if (e->state == BORCH_MIG_CHANGED) {
            /* Realign the recorded checksum with the file, in one transaction. */
            borch_history_row row = *e->row;
            row.checksum = e->file->checksum;
            if ((rc = borch_conn_begin(ctx->conn, err)) == 0 &&
                (rc = borch_history_delete(ctx->conn, e->version, err)) == 0 &&
                (rc = borch_history_insert(ctx->conn, &row, err)) == 0)
                rc = borch_conn_commit(ctx->conn, err);
            if (rc < 0)
                borch_conn_rollback_quietly(ctx->conn);
            what = "checksum realigned with the file";
        }
        if (!what || rc < 0)
            continue;
        nfixed++;
        borch_ctx_audit(ctx, "repair", e->version, e->file ? e->file->checksum : NULL, 0, 1, NULL,
                        NULL);
        json_array_append_new(fixed, json_pack("{s:s, s:s, s:s}", "version", e->version, "name",
                                               e->name, "action", what));
        borch_say(ctx->cli, "%s_%s: %s", e->version, e->name, what);
    }
    if (rc == 0 && nfixed == 0)
        borch_say(ctx->cli, "nothing to repair");
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:s, s:b, s:o}", "command", "repair", "target",
                                   ctx->url_masked, "ok", rc == 0, "repaired", fixed));
    else
        json_decref(fixed);
    free(st);
    borch_history_release(&h);
    return rc;
}
