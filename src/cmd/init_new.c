/*
 * init_new.c - `init` (borch.yaml and migrations/ from the templates) and
 * `new NAME` (a timestamped migration file from the template, and borch.sum
 * brought up to date).
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/templates.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

int cmd_init(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int rc;
    if ((rc = borch_cmd_start(ctx, NULL, argc, argv, NULL, err)) < 0)
        return rc;
    const char *cfg_path = ctx->cli->ov.config_path ? ctx->cli->ov.config_path : "borch.yaml";
    if (borch_file_exists(cfg_path))
        return borch_error_set(err, BORCH_EINPUT, "'%s' already exists; init will not overwrite it",
                               cfg_path);
    const borch_template *t = borch_template_find("borch.yaml");
    if (!t)
        return borch_error_set(err, BORCH_EIO, "this build has no borch.yaml template");
    char *dir = borch_path_dir(cfg_path);
    char *mig = borch_path_join(dir, ctx->cli->ov.migrations ? ctx->cli->ov.migrations
                                                               : "migrations");
    int made_dir = !borch_dir_exists(mig);
    if ((rc = borch_mkdir_p(mig, err)) == 0)
        rc = borch_write_file_atomic(cfg_path, t->data, t->len, err);
    /* A project starts with borch.sum, so interleaved branches conflict from day one. */
    borch_migration_set set = {0};
    if (rc == 0 && (rc = borch_migrations_load(mig, &set, err)) == 0 && !set.has_sum)
        rc = borch_sum_write(&set, err);
    borch_migrations_release(&set);
    if (rc == 0) {
        borch_say(ctx->cli, "wrote %s", cfg_path);
        if (made_dir)
            borch_say(ctx->cli, "made %s/", mig);
        borch_say(ctx->cli, "next: borch-db new create_users, then borch-db migrate up");
        if (ctx->cli->json)
            borch_print_json(json_pack("{s:s, s:s, s:s, s:b}", "command", "init", "config",
                                       cfg_path, "migrations", mig, "ok", 1));
    }
    free(dir);
    free(mig);
    return rc;
}

/* Lowercase words joined by '_': "Add Users!" -> "add_users". */
static char *slug(const char *name)
{
    borch_buf b;
    borch_buf_init(&b);
    int sep = 0;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c)) {
            if (sep && b.len)
                borch_buf_putc(&b, '_');
            borch_buf_putc(&b, (char)tolower(c));
            sep = 0;
        } else {
            sep = 1;
        }
    }
    return b.data;
}

/* Decimal +1 of a digit string, of any length. */
static void next_version(const char *v, char *out, size_t n)
{
    size_t len = strlen(v);
    if (len + 2 > n) {
        snprintf(out, n, "%s", v);
        return;
    }
    memcpy(out + 1, v, len + 1);
    out[0] = '0';
    int carry = 1;
    for (size_t i = len; i > 0 && carry; i--) {
        if (out[i] == '9') {
            out[i] = '0';
        } else {
            out[i]++;
            carry = 0;
        }
    }
    if (carry)
        out[0] = '1';
    else
        memmove(out, out + 1, len + 1);
}

int borch_ctx_write_migration(borch_ctx *ctx, const char *title, const char *body,
                              char **out_path, char **out_version, borch_error *err)
{
    *out_path = NULL;
    if (out_version)
        *out_version = NULL;
    char *name = slug(title);
    if (!*name) {
        free(name);
        return borch_error_set(err, BORCH_EUSAGE, "migration name '%s' has no letters or digits",
                               title);
    }
    const char *dir = ctx->cfg->migrations;
    int rc;
    if ((rc = borch_mkdir_p(dir, err)) < 0) {
        free(name);
        return rc;
    }
    /* The folder must be valid before we add to it. */
    borch_migration_set set = {0};
    if ((rc = borch_migrations_load(dir, &set, err)) < 0) {
        free(name);
        return rc;
    }
    if (set.has_sum && !set.sum_ok) {
        rc = borch_error_set(err, BORCH_EINPUT, "migrations do not match borch.sum: %s",
                             set.sum_problem ? set.sum_problem : "checksum differs");
        borch_error_hint(err, "resolve that first (if intended, run 'borch-db migrate hash')");
        borch_migrations_release(&set);
        free(name);
        return rc;
    }
    time_t now = time(NULL);
    char version[64], path_name[512];
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(version, sizeof(version), "%Y%m%d%H%M%S", &tm);
    /* Two `new` in one second, or a newer version already there (a clock
     * behind, a hand-made number): the new file takes the newest + 1, so
     * it always sorts last. */
    if (set.count && borch_version_cmp(set.items[set.count - 1].version, version) >= 0)
        next_version(set.items[set.count - 1].version, version, sizeof(version));
    snprintf(path_name, sizeof(path_name), "%s_%s.sql", version, name);
    char *path = borch_path_join(dir, path_name);
    rc = borch_write_file_atomic(path, body, strlen(body), err);
    if (rc == 0 && set.has_sum) {
        borch_migration_set again = {0};
        if ((rc = borch_migrations_load(dir, &again, err)) == 0)
            rc = borch_sum_write(&again, err);
        borch_migrations_release(&again);
    }
    borch_migrations_release(&set);
    free(name);
    if (rc < 0) {
        free(path);
        return rc;
    }
    *out_path = path;
    if (out_version)
        *out_version = borch_xstrdup(version);
    return 0;
}

int cmd_new(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *from_diff = NULL;
    borch_opt opts[] = {{"from-diff", 0, OPT_STR, &from_diff}, {NULL, 0, OPT_FLAG, NULL}};
    int npos = 0, rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, &npos, err)) < 0)
        return rc;
    if (npos != 1)
        return borch_error_set(err, BORCH_EUSAGE, "usage: borch-db new NAME");
    char *generated = NULL;
    if (from_diff) {
        /* Up turns the migrations' schema into SRC, down turns it back. */
        if ((rc = borch_ctx_setup(ctx, CMD_TARGET, err)) < 0 ||
            (rc = borch_diff_migration(ctx, from_diff, &generated, err)) < 0)
            return rc;
        if (!generated) {
            borch_say(ctx->cli, "nothing to write: the migrations already produce that schema");
            return 0;
        }
    }
    const borch_template *t = borch_template_find("migration.sql");
    char *body = generated ? generated
                           : t ? borch_xstrndup(t->data, t->len)
                               : borch_xstrdup("-- +borch up\n\n-- +borch down\n");
    char *path = NULL, *version = NULL;
    rc = borch_ctx_write_migration(ctx, argv[0], body, &path, &version, err);
    if (rc == 0) {
        borch_say(ctx->cli, "wrote %s", path);
        if (ctx->cli->json)
            borch_print_json(json_pack("{s:s, s:s, s:s, s:b}", "command", "new", "path", path,
                                       "version", version, "ok", 1));
    }
    free(path);
    free(version);
    free(body);
    return rc;
}
