/*
 * diff.c - `diff --from SRC --to SRC` and the body of `new --from-diff`:
 * load two schema sources, compute the change list, and have the target's
 * driver render it in its dialect. No SQL here: the driver writes it.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/diff.h"
#include "core/source.h"
#include "util/buf.h"
#include "util/mem.h"

static void source_env(const borch_ctx *ctx, borch_source_env *env, borch_conn_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->connect_timeout_s = ctx->cfg ? ctx->cfg->connect_timeout_s : 10;
    opts->schema = ctx->env ? ctx->env->schema : NULL;
    env->target = ctx->url;
    env->scratch_server = ctx->env ? ctx->env->scratch : NULL;
    env->opts = opts;
    env->base_dir = NULL; /* relative to where the command runs, like any CLI path */
}

/* Renders the changes from -> to in the target's dialect into out. */
static int render(const borch_schema *from, const borch_schema *to,
                  borch_buf *out, size_t *nchanges, borch_error *err)
{
    /* Models from .sql files, migrations and YAML are built in the target's
     * engine; a live database URL brings its own. The dialect is the
     * models' engine, and both must agree. */
    if (strcmp(from->engine, to->engine) != 0)
        return borch_error_set(err, BORCH_EINPUT,
                               "cannot diff a %s schema against a %s schema: both sources must be "
                               "of one engine",
                               from->engine, to->engine);
    const borch_driver *d;
    int rc = borch_driver_for_scheme(from->engine, &d, err);
    if (rc < 0)
        return rc;
    if (!d->render)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "rendering DDL is not supported by the %s driver yet", d->name);
    borch_changes ch = {0};
    if ((rc = borch_diff(from, to, &ch, err)) == 0) {
        *nchanges = ch.count;
        if (ch.count)
            rc = d->render(from, to, &ch, out, err);
    }
    borch_changes_release(&ch);
    return rc;
}

int borch_render_create(const borch_schema *s, char **out, borch_error *err)
{
    *out = NULL;
    borch_schema *empty = borch_schema_new(s->engine);
    borch_buf b;
    borch_buf_init(&b);
    size_t n = 0;
    int rc = render(empty, s, &b, &n, err);
    borch_schema_free(empty);
    if (rc < 0) {
        borch_buf_release(&b);
        return rc;
    }
    *out = b.data;
    return 0;
}

int cmd_diff(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *from_spec = NULL, *to_spec = NULL;
    borch_opt opts[] = {{"from", 0, OPT_STR, &from_spec},
                        {"to", 0, OPT_STR, &to_spec},
                        {NULL, 0, OPT_FLAG, NULL}};
    int npos = 0, rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, &npos, err)) < 0)
        return rc;
    if (npos || !from_spec || !to_spec)
        return borch_error_set(err, BORCH_EUSAGE, "usage: borch-db diff --from SRC --to SRC");
    borch_source_env env;
    borch_conn_opts copts;
    source_env(ctx, &env, &copts);
    borch_schema *from = NULL, *to = NULL;
    borch_buf out;
    borch_buf_init(&out);
    size_t n = 0;
    if ((rc = borch_source_load(&env, from_spec, &from, err)) == 0 &&
        (rc = borch_source_load(&env, to_spec, &to, err)) == 0)
        rc = render(from, to, &out, &n, err);
    if (rc == 0) {
        if (ctx->cli->json)
            borch_print_json(json_pack("{s:s, s:I, s:s, s:b}", "command", "diff", "changes",
                                       (json_int_t)n, "sql", out.data, "ok", 1));
        else
            fputs(out.data, stdout); /* nothing to do prints nothing */
    }
    borch_buf_release(&out);
    borch_schema_free(from);
    borch_schema_free(to);
    return rc;
}

int borch_diff_migration(borch_ctx *ctx, const char *src, char **out, borch_error *err)
{
    *out = NULL;
    borch_source_env env;
    borch_conn_opts copts;
    source_env(ctx, &env, &copts);
    char *mig_spec = borch_xmalloc(strlen(ctx->cfg->migrations) + 12);
    sprintf(mig_spec, "migrations:%s", ctx->cfg->migrations);
    borch_schema *cur = NULL, *want = NULL;
    borch_buf up, down;
    borch_buf_init(&up);
    borch_buf_init(&down);
    size_t nup = 0, ndown = 0;
    int rc;
    if ((rc = borch_source_load(&env, mig_spec, &cur, err)) == 0 &&
        (rc = borch_source_load(&env, src, &want, err)) == 0 &&
        (rc = render(cur, want, &up, &nup, err)) == 0)
        rc = render(want, cur, &down, &ndown, err);
    if (rc == 0 && nup > 0) {
        borch_buf b;
        borch_buf_init(&b);
        /* DDL the renderer says must run outside a transaction gets a notx
         * section: atomicity is lost there, and the runner records it dirty
         * until it ends, as for any notx migration. */
        int up_notx = strstr(up.data, BORCH_RENDER_NOTX_MARK) != NULL;
        int down_notx = strstr(down.data, BORCH_RENDER_NOTX_MARK) != NULL;
        borch_buf_printf(&b, "-- generated by borch-db new --from-diff %s\n\n-- +borch up%s\n%s\n"
                             "-- +borch down%s\n%s",
                         src, up_notx ? " notx" : "", up.data, down_notx ? " notx" : "",
                         down.data);
        *out = b.data;
    }
    free(mig_spec);
    borch_buf_release(&up);
    borch_buf_release(&down);
    borch_schema_free(cur);
    borch_schema_free(want);
    return rc;
}
