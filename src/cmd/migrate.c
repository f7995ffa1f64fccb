/*
 * migrate.c - `migrate up`, `migrate down` / `rollback`, `migrate hash`.
 * Parses flags, works out the plan from the folder and the history, calls
 * the runner one migration at a time, prints, writes models.json and the
 * audit trail. No SQL here.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/migrate.h"
#include "core/audit.h"
#include "core/runner.h"
#include "records.h"
#include "util/mem.h"

/* A --to value must name a migration in the folder. */
static int check_to(const borch_ctx *ctx, const char *to, borch_error *err)
{
    if (!to)
        return 0;
    if (!*to)
        return borch_error_set(err, BORCH_EUSAGE, "--to needs a version, not an empty value");
    for (const char *p = to; *p; p++)
        if (*p < '0' || *p > '9')
            return borch_error_set(err, BORCH_EUSAGE, "--to takes a version (digits), not '%s'", to);
    return 0;
    (void)ctx;
}

/* Loads history, refusing states a person must resolve first. */
static int load_history_checked(borch_ctx *ctx, borch_history *h, borch_status_entry **st,
                                size_t *nst, borch_error *err)
{
    int rc = borch_history_load(ctx->conn, h, err);
    if (rc < 0)
        return rc;
    borch_status_compute(&ctx->migrations, h, st, nst);
    for (size_t i = 0; i < *nst; i++) {
        const borch_status_entry *e = &(*st)[i];
        if (e->state == BORCH_MIG_DIRTY) {
            borch_error_set(err, BORCH_ESTATE, "migration %s_%s is dirty: it failed part-way%s%s",
                            e->version, e->name, e->row && e->row->error ? " at: " : "",
                            e->row && e->row->error ? e->row->error : "");
            borch_error_hint(err, "fix the database by hand, then run 'borch-db repair'");
            return BORCH_ESTATE;
        }
        if (e->state == BORCH_MIG_CHANGED) {
            borch_error_set(err, BORCH_ESTATE,
                            "migration %s_%s was changed after it was applied (checksum differs)",
                            e->version, e->name);
            if (e->file)
                borch_error_at(err, e->file->path, 0, 0);
            borch_error_hint(err, "restore the file, or if the change is intended run "
                                  "'borch-db repair' to accept the new checksum");
            return BORCH_ESTATE;
        }
        if (e->state == BORCH_MIG_MISSING)
            borch_warn(ctx->cli, "migration %s_%s is applied but its file is missing", e->version,
                       e->name);
    }
    return 0;
}

/* Completes and prints (with --json) or drops a command's JSON document. */
static void finish_doc(const borch_ctx *ctx, json_t *doc, int rc, const borch_error *err)
{
    if (!json_object_get(doc, "ok"))
        json_object_set_new(doc, "ok", json_boolean(rc == 0));
    if (rc < 0 && !json_object_get(doc, "failed")) {
        char line[2048];
        json_object_set_new(doc, "error", json_string(borch_error_format(err, line, sizeof(line))));
    }
    if (ctx->cli->json)
        borch_print_json(doc);
    else
        json_decref(doc);
}

static json_t *mig_json(const borch_migration *m, long long ms)
{
    return json_pack("{s:s, s:s, s:I}", "version", m->version, "name", m->name, "duration_ms",
                     (json_int_t)ms);
}

static void print_sql(const borch_ctx *ctx, const borch_migration *m, const borch_section *s,
                      const char *dir)
{
    if (ctx->cli->json)
        return;
    printf("%s-- %s_%s (%s%s)%s\n%s", borch_c_dim(ctx->cli), m->version, m->name, dir,
           s->notx ? ", notx" : "", borch_c_reset(ctx->cli), s->sql);
    if (s->sql[0] && s->sql[strlen(s->sql) - 1] != '\n')
        putchar('\n');
}

static void fail_json(json_t *doc, const borch_migration *m, const borch_error *err)
{
    char line[2048];
    json_object_set_new(doc, "ok", json_false());
    json_object_set_new(doc, "failed",
                        json_pack("{s:s, s:s, s:s, s:s?}", "version", m->version, "name", m->name,
                                  "error", borch_error_format(err, line, sizeof(line)),
                                  "statement", err->statement));
}

int borch_migrate_up_run(borch_ctx *ctx, const char *to, int step, int dry, json_t *doc,
                         borch_error *err)
{
    borch_history h = {0};
    borch_status_entry *st = NULL;
    size_t nst = 0;
    json_t *applied = json_object_get(doc, "applied");
    if (!applied) {
        applied = json_array();
        json_object_set_new(doc, "applied", applied);
    }
    char *actor = borch_audit_actor();
    int rc;
    if ((rc = load_history_checked(ctx, &h, &st, &nst, err)) < 0)
        goto done;

    /* The plan: pending migrations in order, cut by --to and --step. */
    size_t total = 0;
    const borch_migration **plan = borch_xcalloc(nst + 1, sizeof(*plan));
    for (size_t i = 0; i < nst; i++) {
        if (st[i].state != BORCH_MIG_PENDING)
            continue;
        if (to && borch_version_cmp(st[i].version, to) > 0)
            break;
        if (step > 0 && (int)total >= step)
            break;
        if (st[i].out_of_order)
            borch_warn(ctx->cli, "migration %s_%s is older than the newest applied one; applying it "
                                 "out of order",
                       st[i].version, st[i].name);
        plan[total++] = st[i].file;
    }
    if (total == 0)
        borch_say(ctx->cli, "nothing to migrate: %s is up to date", ctx->url_masked);

    long long t_all = borch_now_ms();
    ctx->action = "apply";
    borch_runner_hook hook = {borch_ctx_audit_in_tx, ctx};
    size_t done_n = 0;
    for (size_t i = 0; i < total; i++) {
        const borch_migration *m = plan[i];
        if (dry) {
            print_sql(ctx, m, &m->up, "up");
            json_array_append_new(applied, mig_json(m, 0));
            continue;
        }
        borch_progress(ctx->cli, "applying %zu/%zu %s_%s", i + 1, total, m->version, m->name);
        if (ctx->cli->verbose)
            print_sql(ctx, m, &m->up, "up");
        long long ms = 0;
        rc = borch_runner_apply(ctx->conn, m, actor, &hook, &ms, err);
        if (rc < 0) {
            borch_progress_done(ctx->cli);
            char line[2048];
            borch_ctx_audit(ctx, "apply", m->version, m->checksum, ms, 0,
                            borch_error_format(err, line, sizeof(line)), NULL);
            fail_json(doc, m, err);
            break;
        }
        done_n++;
        borch_ctx_audit_file(ctx, m, ms);
        json_array_append_new(applied, mig_json(m, ms));
        if (!ctx->cli->progress || total <= 20 || ctx->cli->verbose) {
            borch_progress_done(ctx->cli);
            borch_say(ctx->cli, "%sapplied%s %s_%s %s(%lld ms)%s", borch_c_green(ctx->cli),
                      borch_c_reset(ctx->cli), m->version, m->name, borch_c_dim(ctx->cli), ms,
                      borch_c_reset(ctx->cli));
        }
    }
    borch_progress_done(ctx->cli);
    free(plan);
    if (!dry && (done_n > 0 || rc < 0)) {
        borch_ctx_audit_sync(ctx);
        borch_ctx_write_models(ctx);
    }
    if (rc == 0 && !dry && total > 0)
        borch_say(ctx->cli, "%zu migration%s applied in %lld ms", done_n, done_n == 1 ? "" : "s",
                  borch_now_ms() - t_all);
done:
    free(actor);
    free(st);
    borch_history_release(&h);
    return rc;
}

int cmd_migrate_up(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *to = NULL;
    int step = 0, dry = 0;
    borch_opt opts[] = {{"to", 0, OPT_STR, &to},
                        {"step", 0, OPT_INT, &step},
                        {"dry-run", 0, OPT_FLAG, &dry},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0 || (rc = check_to(ctx, to, err)) < 0 ||
        (rc = borch_ctx_check_sum(ctx, err)) < 0)
        return rc;
    ctx->create = !dry;
    if ((rc = borch_ctx_connect(ctx, err)) < 0)
        return rc;
    if (!dry && (rc = borch_ctx_lock(ctx, err)) < 0)
        return rc;
    if (!dry && ((rc = borch_history_ensure(ctx->conn, err)) < 0 ||
                 (rc = borch_audit_table_ensure(ctx->conn, err)) < 0))
        return rc;

    json_t *doc = json_pack("{s:s, s:s, s:b}", "command", "migrate up", "target", ctx->url_masked,
                            "dry_run", dry);
    rc = borch_migrate_up_run(ctx, to, step, dry, doc, err);
    finish_doc(ctx, doc, rc, err);
    return rc;
}

/* migrate down and rollback: the last N applied, or all above --to. */
static int run_down(borch_ctx *ctx, int argc, char **argv, const char *name, borch_error *err)
{
    const char *to = NULL;
    int step = 0, dry = 0;
    borch_opt opts[] = {{"to", 0, OPT_STR, &to},
                        {"step", 0, OPT_INT, &step},
                        {"dry-run", 0, OPT_FLAG, &dry},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0 || (rc = check_to(ctx, to, err)) < 0)
        return rc;
    if (to && step)
        return borch_error_set(err, BORCH_EUSAGE, "give --to or --step, not both");
    if ((rc = borch_ctx_check_sum(ctx, err)) < 0 || (rc = borch_ctx_connect(ctx, err)) < 0)
        return rc;
    if (!dry && ((rc = borch_ctx_lock(ctx, err)) < 0 ||
                 (rc = borch_audit_table_ensure(ctx->conn, err)) < 0))
        return rc;

    borch_history h = {0};
    borch_status_entry *st = NULL;
    size_t nst = 0;
    json_t *doc = json_pack("{s:s, s:s, s:b}", "command", name, "target", ctx->url_masked,
                            "dry_run", dry);
    json_t *reverted = json_array();
    json_object_set_new(doc, "rolled_back", reverted);
    const borch_migration **plan = NULL;
    size_t total = 0;
    if ((rc = load_history_checked(ctx, &h, &st, &nst, err)) < 0)
        goto done;
    if (!to && step == 0)
        step = 1;

    /* Newest first; check every one can be rolled back before touching anything. */
    plan = borch_xcalloc(nst + 1, sizeof(*plan));
    for (size_t i = nst; i > 0; i--) {
        const borch_status_entry *e = &st[i - 1];
        if (e->state == BORCH_MIG_PENDING)
            continue;
        if (to && borch_version_cmp(e->version, to) <= 0)
            break;
        if (step > 0 && (int)total >= step)
            break;
        if (!e->file) {
            rc = borch_error_set(err, BORCH_EINPUT,
                                 "cannot roll back %s_%s: its migration file is missing",
                                 e->version, e->name);
            goto done;
        }
        if (!e->file->has_down) {
            rc = borch_error_set(err, BORCH_EINPUT,
                                 "cannot roll back %s_%s: it has no '-- +borch down' section "
                                 "(irreversible)",
                                 e->version, e->name);
            borch_error_at(err, e->file->path, 0, 0);
            borch_error_hint(err, "write a down section, or restore from a backup");
            goto done;
        }
        plan[total++] = e->file;
    }
    if (total == 0)
        borch_say(ctx->cli, "nothing to roll back");
    size_t done_n = 0;
    ctx->action = "rollback";
    borch_runner_hook hook = {borch_ctx_audit_in_tx, ctx};
    for (size_t i = 0; i < total; i++) {
        const borch_migration *m = plan[i];
        if (dry) {
            print_sql(ctx, m, &m->down, "down");
            json_array_append_new(reverted, mig_json(m, 0));
            continue;
        }
        borch_progress(ctx->cli, "rolling back %zu/%zu %s_%s", i + 1, total, m->version, m->name);
        if (ctx->cli->verbose)
            print_sql(ctx, m, &m->down, "down");
        long long ms = 0;
        rc = borch_runner_revert(ctx->conn, m, &hook, &ms, err);
        if (rc < 0) {
            borch_progress_done(ctx->cli);
            char line[2048];
            borch_ctx_audit(ctx, "rollback", m->version, m->checksum, ms, 0,
                            borch_error_format(err, line, sizeof(line)), NULL);
            fail_json(doc, m, err);
            break;
        }
        done_n++;
        borch_ctx_audit_file(ctx, m, ms);
        json_array_append_new(reverted, mig_json(m, ms));
        borch_progress_done(ctx->cli);
        borch_say(ctx->cli, "%srolled back%s %s_%s %s(%lld ms)%s", borch_c_green(ctx->cli),
                  borch_c_reset(ctx->cli), m->version, m->name, borch_c_dim(ctx->cli), ms,
                  borch_c_reset(ctx->cli));
    }
    if (!dry && (done_n > 0 || rc < 0)) {
        borch_ctx_audit_sync(ctx);
        borch_ctx_write_models(ctx);
    }
done:
    finish_doc(ctx, doc, rc, err);
    free(plan);
    free(st);
    borch_history_release(&h);
    return rc;
}

int cmd_migrate_down(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    return run_down(ctx, argc, argv, "migrate down", err);
}

int cmd_rollback(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--verify") == 0) {
            ctx->command = "rollback --verify";
            return cmd_rollback_verify(ctx, argc, argv, err);
        }
    return run_down(ctx, argc, argv, "rollback", err);
}

int cmd_migrate_hash(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int rc;
    if ((rc = borch_cmd_start(ctx, NULL, argc, argv, NULL, err)) < 0)
        return rc;
    if ((rc = borch_sum_write(&ctx->migrations, err)) < 0)
        return rc;
    borch_say(ctx->cli, "wrote %s/borch.sum (%zu migration%s)", ctx->migrations.dir,
              ctx->migrations.count, ctx->migrations.count == 1 ? "" : "s");
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:I, s:b}", "command", "migrate hash", "migrations",
                                   (json_int_t)ctx->migrations.count, "ok", 1));
    return 0;
}
