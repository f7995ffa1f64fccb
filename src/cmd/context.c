/*
 * context.c - the shared setup of commands, done once by the runner from the
 * command's flags: config, target URL, migrations folder, connection. Also
 * the two things every schema-changing command does afterwards: write
 * models.json and append to the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/audit.h"
#include "core/models_json.h"
#include "core/scratch.h"
#include "records.h"
#include "core/migration.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

int borch_cmd_start(borch_ctx *ctx, const borch_opt *opts, int argc, char **argv, int *npos,
                    borch_error *err)
{
    int pos = 0;
    int rc = borch_opts_parse(ctx->cli, opts, argc, argv, &pos, err);
    if (rc < 0)
        return rc;
    if (!npos && pos > 0)
        return borch_error_set(err, BORCH_EUSAGE, "unexpected argument '%s'", argv[0]);
    if (npos)
        *npos = pos;
    borch_cli *cli = ctx->cli;
    const char *nc = getenv("NO_COLOR");
    int allowed = cli->color != -1 && !(nc && *nc);
    cli->color = allowed && isatty(STDOUT_FILENO) && !cli->json;
    cli->color_err = allowed && isatty(STDERR_FILENO);
    cli->progress = isatty(STDERR_FILENO) && !cli->quiet && !cli->json;
    return borch_ctx_setup(ctx, ctx->flags, err);
}

int borch_ctx_setup(borch_ctx *ctx, unsigned flags, borch_error *err)
{
    int rc;
    if ((flags & (CMD_CONFIG | CMD_TARGET | CMD_MIGRATIONS | CMD_CONNECT)) && !ctx->cfg) {
        if ((rc = borch_config_load(&ctx->cli->ov, &ctx->cfg, err)) < 0)
            return rc;
    }
    if ((flags & (CMD_TARGET | CMD_CONNECT)) && !ctx->url) {
        if ((rc = borch_config_target(ctx->cfg, &ctx->cli->ov, &ctx->env, &ctx->url_text, err)) < 0)
            return rc;
        ctx->url_masked = borch_url_mask(ctx->url_text);
        if ((rc = borch_url_parse(ctx->url_text, ctx->cfg->dir, &ctx->url, err)) < 0) {
            if (ctx->cfg->path && ctx->env && ctx->env->line > 0 && !ctx->cli->ov.url &&
                !getenv("DATABASE_URL"))
                borch_error_at(err, ctx->cfg->path, ctx->env->line, 0);
            return rc;
        }
    }
    if ((flags & CMD_MIGRATIONS) && !ctx->have_migrations) {
        if ((rc = borch_migrations_load(ctx->cfg->migrations, &ctx->migrations, err)) < 0)
            return rc;
        ctx->have_migrations = 1;
    }
    if (flags & CMD_CONNECT) {
        if ((rc = borch_ctx_connect(ctx, err)) < 0)
            return rc;
    }
    return 0;
}

int borch_ctx_connect(borch_ctx *ctx, borch_error *err)
{
    if (ctx->conn)
        return 0;
    borch_conn_opts opts = {0};
    opts.connect_timeout_s = ctx->cfg ? ctx->cfg->connect_timeout_s : 10;
    opts.schema = ctx->env ? ctx->env->schema : NULL;
    opts.history_table = ctx->cfg ? ctx->cfg->history_table : NULL;
    opts.create = ctx->create;
    return borch_conn_open(ctx->url, &opts, &ctx->conn, err);
}

int borch_ctx_open_scratch(borch_ctx *ctx, borch_scratch **out, borch_error *err)
{
    borch_conn_opts opts = {0};
    opts.connect_timeout_s = ctx->cfg->connect_timeout_s;
    opts.schema = ctx->env ? ctx->env->schema : NULL;
    const char *server = ctx->env ? ctx->env->scratch : NULL;
    int rc = borch_scratch_open(ctx->url, server, &opts, out, err);
    if (rc < 0 && rc != BORCH_ECONNECT) {
        char key[300], msg[sizeof(err->message)];
        snprintf(key, sizeof(key), "environments.%s.scratch", ctx->env ? ctx->env->name : "<env>");
        snprintf(msg, sizeof(msg), "%s", err->message);
        borch_error_set(err, BORCH_EINPUT,
                        "no usable scratch server for throwaway databases (%s): %s", key, msg);
        borch_error_hint(err, "set '%s' in borch.yaml to a server where borch-db may create "
                              "databases",
                         key);
        rc = BORCH_EINPUT;
    }
    return rc;
}

int borch_ctx_lock_timeout(const borch_ctx *ctx)
{
    if (ctx->cli->lock_timeout_s >= 0)
        return ctx->cli->lock_timeout_s;
    return ctx->cfg && ctx->cfg->lock_timeout_s >= 0 ? ctx->cfg->lock_timeout_s : 60;
}

int borch_ctx_lock(borch_ctx *ctx, borch_error *err)
{
    int rc = borch_conn_lock(ctx->conn, "borch_migrate", borch_ctx_lock_timeout(ctx) * 1000, err);
    if (rc == 0)
        ctx->locked = 1;
    return rc;
}

int borch_ctx_check_sum(borch_ctx *ctx, borch_error *err)
{
    const borch_migration_set *m = &ctx->migrations;
    if (!m->has_sum) {
        if (m->count > 0)
            borch_warn(ctx->cli, "%s has no borch.sum; run 'borch-db migrate hash' to guard against "
                                 "interleaved migrations",
                       m->dir);
        return 0;
    }
    if (m->sum_ok)
        return 0;
    char *sum = borch_xstrdup(m->dir);
    borch_error_set(err, BORCH_EINPUT, "migrations do not match borch.sum: %s",
                    m->sum_problem ? m->sum_problem : "checksum differs");
    char path[600];
    snprintf(path, sizeof(path), "%s/borch.sum", sum);
    borch_error_at(err, path, 0, 0);
    borch_error_hint(err, "if the change is intended, run 'borch-db migrate hash' and commit borch.sum");
    free(sum);
    return BORCH_EINPUT;
}

void borch_ctx_audit(borch_ctx *ctx, const char *action, const char *version,
                     const char *checksum, long long duration_ms, int ok, const char *error,
                     const char *detail_json)
{
    borch_audit_event ev = {
        .command = ctx->command,
        .target = ctx->url_masked,
        .action = action,
        .version = version,
        .checksum = checksum,
        .duration_ms = duration_ms,
        .ok = ok,
        .error = error,
        .detail_json = detail_json,
    };
    borch_error e = {0};
    const char *path = ctx->cfg ? ctx->cfg->audit : ".borch/audit.jsonl";
    if (borch_audit_append(path, ctx->conn, &ev, &e) < 0) {
        char line[1200];
        borch_warn(ctx->cli, "could not write the audit trail: %s",
                   borch_error_format(&e, line, sizeof(line)));
    }
    borch_error_clear(&e);
}

int borch_ctx_audit_in_tx(borch_conn *conn, const borch_migration *m, long long ms, void *payload,
                          borch_error *err)
{
    borch_ctx *ctx = payload;
    borch_audit_event ev = {
        .command = ctx->command,
        .target = ctx->url_masked,
        .action = ctx->action,
        .version = m->version,
        .checksum = m->checksum,
        .duration_ms = ms,
        .ok = 1,
    };
    return borch_audit_append_db(conn, &ev, err);
}

void borch_ctx_audit_file(borch_ctx *ctx, const borch_migration *m, long long ms)
{
    borch_audit_event ev = {
        .command = ctx->command,
        .target = ctx->url_masked,
        .action = ctx->action,
        .version = m->version,
        .checksum = m->checksum,
        .duration_ms = ms,
        .ok = 1,
    };
    borch_error e = {0};
    if (borch_audit_append_file(ctx->cfg->audit, &ev, 0, &e) < 0) {
        char line[1200];
        borch_warn(ctx->cli, "could not write the audit file: %s",
                   borch_error_format(&e, line, sizeof(line)));
    }
    borch_error_clear(&e);
}

void borch_ctx_audit_sync(borch_ctx *ctx)
{
    borch_error e = {0};
    if (ctx->cfg && borch_audit_sync_file(ctx->cfg->audit, &e) < 0) {
        char line[1200];
        borch_warn(ctx->cli, "could not sync the audit file: %s",
                   borch_error_format(&e, line, sizeof(line)));
    }
    borch_error_clear(&e);
}

/* The highest applied version, for models.json; malloc'd or NULL. */
static char *last_applied(borch_conn *conn)
{
    borch_history h = {0};
    borch_error e = {0};
    char *v = NULL;
    if (borch_history_load(conn, &h, &e) == 0) {
        for (size_t i = h.count; i > 0; i--) {
            if (strcmp(h.rows[i - 1].state, "applied") == 0) {
                v = borch_xstrdup(h.rows[i - 1].version);
                break;
            }
        }
    }
    borch_history_release(&h);
    borch_error_clear(&e);
    return v;
}

/*
 * The drift cache: drivers that can fingerprint their schema cheaply
 * (SQLite) let status skip introspection when neither the schema nor
 * models.json changed since a check that found no drift. One line per
 * target in .borch/drift-cache (beside the audit file): sha256 of the URL
 * (never the URL itself: it may hold a password), the schema fingerprint,
 * and sha256 of models.json.
 */
static char *drift_cache_path(const borch_ctx *ctx)
{
    char *dir = borch_path_dir(ctx->cfg->audit);
    char *p = borch_path_join(dir, "drift-cache");
    free(dir);
    return p;
}

/* The cache line for this target and state: "key fingerprint models\n". */
char *borch_ctx_drift_cache_line(borch_ctx *ctx, const char *models_text)
{
    if (!ctx->conn->driver->schema_fingerprint)
        return NULL;
    char fp[65], key[65], mh[65];
    borch_error e = {0};
    if (ctx->conn->driver->schema_fingerprint(ctx->conn, fp, &e) < 0) {
        borch_error_clear(&e);
        return NULL;
    }
    borch_checksum_text(ctx->url_text, strlen(ctx->url_text), key);
    borch_checksum_text(models_text, strlen(models_text), mh);
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s %s %s\n", key, fp, mh);
    return b.data;
}

int borch_ctx_drift_cache_hit(const borch_ctx *ctx, const char *line)
{
    char *path = drift_cache_path(ctx), *text = NULL;
    borch_error e = {0};
    int hit = line && borch_read_file(path, &text, NULL, &e) == 0 && strstr(text, line) != NULL;
    borch_error_clear(&e);
    free(text);
    free(path);
    return hit;
}

/* Replaces this target's line (same key) with line; keeps the others. */
void borch_ctx_drift_cache_store(const borch_ctx *ctx, const char *line)
{
    char *path = drift_cache_path(ctx), *text = NULL;
    borch_error e = {0};
    borch_buf b;
    borch_buf_init(&b);
    if (borch_read_file(path, &text, NULL, &e) == 0) {
        char *save = NULL;
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (strncmp(l, line, 64) != 0 && strlen(l) == 194)
                borch_buf_printf(&b, "%s\n", l);
    }
    borch_error_clear(&e);
    borch_buf_puts(&b, line);
    borch_write_file_atomic(path, b.data, b.len, &e); /* a cache: failure is harmless */
    borch_error_clear(&e);
    borch_buf_release(&b);
    free(text);
    free(path);
}

void borch_ctx_write_models(borch_ctx *ctx)
{
    if (!ctx->conn || !ctx->cfg)
        return;
    borch_schema *s = NULL;
    borch_error e = {0};
    char line[1200];
    if (borch_conn_introspect(ctx->conn, &s, &e) < 0) {
        borch_warn(ctx->cli, "could not read the schema for models.json: %s",
                   borch_error_format(&e, line, sizeof(line)));
        borch_error_clear(&e);
        return;
    }
    free(s->version);
    s->version = last_applied(ctx->conn);
    char *text = borch_models_json_render(s);
    if (borch_write_file_atomic(ctx->cfg->models, text, strlen(text), &e) < 0) {
        borch_warn(ctx->cli, "could not write models.json: %s",
                   borch_error_format(&e, line, sizeof(line)));
    } else {
        /* The live schema is what was just written: no drift, by definition. */
        char *cache = borch_ctx_drift_cache_line(ctx, text);
        if (cache)
            borch_ctx_drift_cache_store(ctx, cache);
        free(cache);
    }
    free(text);
    borch_error_clear(&e);
    borch_schema_free(s);
}

void borch_ctx_release(borch_ctx *ctx)
{
    if (ctx->conn) {
        if (ctx->locked) {
            borch_error e = {0};
            borch_conn_unlock(ctx->conn, "borch_migrate", &e);
            borch_error_clear(&e);
        }
        borch_conn_close(ctx->conn);
    }
    if (ctx->have_migrations)
        borch_migrations_release(&ctx->migrations);
    borch_url_free(ctx->url);
    free(ctx->url_masked);
    borch_config_free(ctx->cfg);
    memset(ctx, 0, sizeof(*ctx));
}
