/*
 * config.c - finding and loading borch.yaml, and choosing the target
 * (environment and URL) by the SPEC's precedence: command-line flag >
 * environment variable > borch.yaml > built-in default.
 *
 * The YAML itself is read in config_parse.c; ${VAR} in config_interp.c.
 */
#include "core/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config_internal.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#define DEFAULT_URL "sqlite:borch.db"

/* A config holding only the built-in defaults; path may be NULL. */
static borch_config_impl *config_new(const char *path)
{
    borch_config_impl *impl = borch_xcalloc(1, sizeof(*impl));
    borch_config *cfg = &impl->pub;
    cfg->path = borch_xstrdup(path);
    cfg->dir = path ? borch_path_dir(path) : borch_xstrdup(".");
    cfg->migrations = borch_xstrdup("migrations");
    cfg->models = borch_xstrdup("models.json");
    cfg->audit = borch_xstrdup(".borch/audit.jsonl");
    cfg->lock_timeout_s = 60;
    cfg->connect_timeout_s = 10;
    cfg->history_table = borch_xstrdup("borch_schema_history");
    return impl;
}

/* Makes *p relative to the config's folder (absolute paths stay). */
static void resolve(const borch_config *cfg, char **p)
{
    char *joined = borch_path_join(cfg->dir, *p);
    free(*p);
    *p = joined;
}

void borch_config_free(borch_config *cfg)
{
    if (!cfg)
        return;
    borch_config_impl *impl = (borch_config_impl *)cfg;
    for (size_t i = 0; i < cfg->nenvs; i++) {
        free(cfg->envs[i].name);
        free(cfg->envs[i].url);
        free(cfg->envs[i].scratch);
        free(cfg->envs[i].schema);
    }
    free(cfg->envs);
    free(impl->defer);
    free(cfg->path);
    free(cfg->dir);
    free(cfg->default_env);
    free(cfg->migrations);
    free(cfg->models);
    free(cfg->audit);
    free(cfg->history_table);
    free(impl);
}

/*
 * Parses text into a new config for path (NULL: messages say "borch.yaml",
 * paths are relative to the current folder) and resolves relative paths.
 */
static int parse(const char *text, size_t len, const char *path, borch_config **out,
                 borch_error *err)
{
    borch_config_impl *impl = config_new(path);
    int rc = borch_config_parse_into(impl, text, len, path ? path : "borch.yaml", err);
    if (rc) {
        borch_config_free(&impl->pub);
        return rc;
    }
    resolve(&impl->pub, &impl->pub.migrations);
    resolve(&impl->pub, &impl->pub.models);
    resolve(&impl->pub, &impl->pub.audit);
    *out = &impl->pub;
    return 0;
}

int borch_config_parse(const char *text, size_t len, const char *path, borch_config **out,
                       borch_error *err)
{
    return parse(text, len, path, out, err);
}

int borch_config_load(const borch_config_overrides *ov, borch_config **out, borch_error *err)
{
    const char *path = ov ? ov->config_path : NULL;
    borch_config *cfg = NULL;
    struct stat st;
    if (path) {
        if (stat(path, &st) != 0)
            return borch_error_set(err, BORCH_EINPUT, "config file '%s' not found", path);
        if (S_ISDIR(st.st_mode))
            return borch_error_set(err, BORCH_EINPUT, "config file '%s' is a folder", path);
    } else if (stat("borch.yaml", &st) == 0) {
        path = "borch.yaml";
    }
    if (path) {
        char *text = NULL;
        size_t len = 0;
        int rc = borch_read_file(path, &text, &len, err);
        if (rc)
            return rc;
        rc = parse(text, len, path, &cfg, err);
        free(text);
        if (rc)
            return rc;
    } else {
        cfg = &config_new(NULL)->pub;
    }
    if (ov && ov->migrations) {
        /* -d is typed at the shell: relative to where the user stands. */
        free(cfg->migrations);
        cfg->migrations = borch_xstrdup(ov->migrations);
    }
    *out = cfg;
    return 0;
}

const borch_env_config *borch_config_env(const borch_config *cfg, const char *name)
{
    if (!cfg || !name)
        return NULL;
    for (size_t i = 0; i < cfg->nenvs; i++)
        if (!strcmp(cfg->envs[i].name, name))
            return &cfg->envs[i];
    return NULL;
}

/* A variable's value, or NULL when unset or empty (empty means "not given"). */
static const char *env_var(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

/* "unknown environment 'x' (known: a, b)", naming the config file. */
static int unknown_env(const borch_config *cfg, const char *name, const char *from,
                       borch_error *err)
{
    borch_buf list;
    borch_buf_init(&list);
    for (size_t i = 0; i < cfg->nenvs; i++)
        borch_buf_printf(&list, "%s%s", i ? ", " : "", cfg->envs[i].name);
    if (cfg->nenvs)
        borch_error_set(err, BORCH_EINPUT, "unknown environment '%s' (known: %s)", name, list.data);
    else if (cfg->path)
        borch_error_set(err, BORCH_EINPUT, "unknown environment '%s' (no environments defined)", name);
    else
        borch_error_set(err, BORCH_EINPUT, "unknown environment '%s' (no borch.yaml found)", name);
    borch_buf_release(&list);
    if (cfg->path)
        borch_error_at(err, cfg->path, 0, 0);
    borch_error_hint(err, "the name came from %s", from);
    return BORCH_EINPUT;
}

/* Copies a deferred error (an unset ${VAR} in the chosen environment). */
static int raise_deferred(const borch_error *d, borch_error *err)
{
    if (err) {
        borch_error_clear(err);
        *err = *d;
        err->statement = NULL;
    }
    return d->code;
}

int borch_config_target(const borch_config *cfg, const borch_config_overrides *ov,
                        const borch_env_config **env_out, const char **url_out, borch_error *err)
{
    const char *name = NULL, *from = NULL;
    const borch_env_config *env = NULL;
    if (ov && ov->env_name) {
        name = ov->env_name;
        from = "-e";
    } else if (env_var("BORCH_ENV")) {
        name = env_var("BORCH_ENV");
        from = "BORCH_ENV";
    } else if (cfg->default_env) {
        name = cfg->default_env;
        from = "'default:' in the config";
    }
    if (name) {
        env = borch_config_env(cfg, name);
        if (!env)
            return unknown_env(cfg, name, from, err);
    } else if ((env = borch_config_env(cfg, "dev")) == NULL && cfg->nenvs == 1) {
        env = &cfg->envs[0];
    }

    const char *url;
    int given = 1; /* the URL came from the flag or DATABASE_URL */
    if (ov && ov->url && ov->url[0]) {
        url = ov->url;
    } else if (env_var("DATABASE_URL")) {
        url = env_var("DATABASE_URL");
    } else {
        given = 0;
        url = env && env->url ? env->url : DEFAULT_URL;
    }

    if (env) {
        const borch_env_defer *d = &((const borch_config_impl *)cfg)->defer[env - cfg->envs];
        if (d->url.code && !given)
            return raise_deferred(&d->url, err);
        if (d->scratch.code)
            return raise_deferred(&d->scratch, err);
        if (d->schema.code)
            return raise_deferred(&d->schema, err);
    }
    if (env_out)
        *env_out = env;
    if (url_out)
        *url_out = url;
    return 0;
}
