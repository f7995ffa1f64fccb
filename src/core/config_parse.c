/*
 * config_parse.c - borch.yaml text to a borch_config, with libyaml's document
 * API (the file is small, and a node tree gives every value its position).
 *
 * Layout: error helpers, then value readers (string, path, seconds, name),
 * then one reader per level: the top mapping, "environments:", and one
 * environment. Every error carries file:line:column of the node it is about
 * (libyaml marks are 0-based; messages are 1-based) and never the text of an
 * interpolated value.
 */
#include "core/config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/yaml_error.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Longest timeout accepted: a day. The lock wait is passed on in ms as int. */
#define MAX_SECONDS 86400

static const char *const top_keys[] = {"default", "migrations", "models",
                                       "audit", "environments", "lock_timeout",
                                       "connect_timeout", "history_table"};
static const char *const env_keys[] = {"url", "scratch", "schema"};

/* What every reader needs; one per parse. */
typedef struct ctx {
    borch_config_impl *cfg;
    yaml_document_t *doc;
    const char *file; /* name used in messages */
    borch_error *err;
} ctx;

/* Sets a BORCH_EINPUT message at mark and returns BORCH_EINPUT. */
static int fail(const ctx *c, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const ctx *c, yaml_mark_t mark, const char *fmt, ...)
{
    if (c->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
        va_end(ap);
        c->err->code = BORCH_EINPUT;
    }
    borch_error_at(c->err, c->file, (int)mark.line + 1, (int)mark.column + 1);
    return BORCH_EINPUT;
}

/* Adds mark's position to an error another function already described. */
static int fail_here(const ctx *c, yaml_mark_t mark, int code)
{
    borch_error_at(c->err, c->file, (int)mark.line + 1, (int)mark.column + 1);
    return code;
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a string";
    }
}

/* A plain empty, "~" or "null" scalar: YAML's way to say "not set". */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

/* Refuses a value that is not a scalar, or one C strings cannot hold. */
static int expect_scalar(const ctx *c, const yaml_node_t *n, const char *key_path, const char *what)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n->start_mark, "'%s' must be %s, not %s", key_path, what, kind_name(n));
    if (memchr(n->data.scalar.value, 0, n->data.scalar.length))
        return fail(c, n->start_mark, "'%s' holds a NUL character", key_path);
    return 0;
}

/* The scalar with ${VAR} expanded, malloc'd; the error is put at the value. */
static int expand(const ctx *c, const yaml_node_t *n, const char *key_path, char **out)
{
    int rc = borch_config_interpolate((const char *)n->data.scalar.value, n->data.scalar.length,
                                      key_path, out, c->err);
    return rc ? fail_here(c, n->start_mark, rc) : 0;
}

/*
 * Reads a string that must not be empty into *field (replacing it); a null
 * value keeps the default already there.
 */
static int read_string(const ctx *c, const yaml_node_t *n, const char *key_path, char **field)
{
    if (is_null(n))
        return 0;
    int rc = expect_scalar(c, n, key_path, "a string");
    char *v = NULL;
    if (rc || (rc = expand(c, n, key_path, &v)))
        return rc;
    if (!v[0]) {
        free(v);
        return fail(c, n->start_mark, "'%s' must not be empty", key_path);
    }
    free(*field);
    *field = v;
    return 0;
}

/* Reads a whole number of seconds, 0..MAX_SECONDS. */
static int read_seconds(const ctx *c, const yaml_node_t *n, const char *key_path, int *field)
{
    if (is_null(n))
        return 0;
    int rc = expect_scalar(c, n, key_path, "a whole number of seconds");
    char *v = NULL;
    if (rc || (rc = expand(c, n, key_path, &v)))
        return rc;
    long acc = 0;
    int ok = v[0] != '\0';
    for (const char *p = v; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9';
        acc = acc * 10 + (*p - '0');
        if (acc > MAX_SECONDS)
            ok = 0;
    }
    free(v);
    if (ok) {
        *field = (int)acc;
        return 0;
    }
    const char *raw = (const char *)n->data.scalar.value;
    /* Quote the text only when it came from the file itself, never a variable. */
    if (!strchr(raw, '$') && n->data.scalar.length <= 40)
        return fail(c, n->start_mark, "'%s' must be a whole number of seconds (0 to %d), not '%s'",
                    key_path, MAX_SECONDS, raw);
    return fail(c, n->start_mark, "'%s' must be a whole number of seconds (0 to %d)", key_path,
                MAX_SECONDS);
}

/* history_table goes into SQL: only a plain name is allowed. */
static int read_table_name(const ctx *c, const yaml_node_t *n, const char *key_path, char **field)
{
    int rc = read_string(c, n, key_path, field);
    if (rc || is_null(n))
        return rc;
    const char *s = *field;
    int ok = strlen(s) <= 63 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_');
    for (const char *p = s; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '_';
    if (!ok)
        return fail(c, n->start_mark,
                    "'%s' must be a plain SQL name (letters, digits and '_', at most 63, not starting with a digit)",
                    key_path);
    return 0;
}

/*
 * Checks the key of pair i of mapping m: a string, and not the same as an
 * earlier key. *name gets the key's text (borrowed from the document).
 */
static int read_key(const ctx *c, const yaml_node_t *m, yaml_node_pair_t *pair,
                    const char *where, const char **name)
{
    yaml_node_t *k = yaml_document_get_node(c->doc, pair->key);
    if (k->type != YAML_SCALAR_NODE)
        return fail(c, k->start_mark, "keys %s must be plain names, not %s", where, kind_name(k));
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < pair; p++) {
        yaml_node_t *pk = yaml_document_get_node(c->doc, p->key);
        if (pk->type == YAML_SCALAR_NODE && pk->data.scalar.length == k->data.scalar.length &&
            !memcmp(pk->data.scalar.value, k->data.scalar.value, k->data.scalar.length))
            return fail(c, k->start_mark, "duplicate key '%s' %s (first at line %d)",
                        (const char *)k->data.scalar.value, where, (int)pk->start_mark.line + 1);
    }
    *name = (const char *)k->data.scalar.value;
    return 0;
}

/* "unknown key" with the closest known key, or the list of known keys. */
static int unknown_key(const ctx *c, const yaml_node_t *k, const char *name, const char *where,
                       const char *const *known, size_t count)
{
    const char *near = borch_suggest(name, known, count);
    if (near)
        return fail(c, k->start_mark, "unknown key '%s' %s, did you mean '%s'?", name, where, near);
    borch_buf list;
    borch_buf_init(&list);
    for (size_t i = 0; i < count; i++)
        borch_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
    fail(c, k->start_mark, "unknown key '%s' %s (known: %s)", name, where, list.data);
    borch_buf_release(&list);
    return BORCH_EINPUT;
}

/*
 * Reads one of url/scratch/schema. An unset variable is kept in *deferred
 * (reported if this environment is the target) instead of failing now.
 */
static int read_env_value(const ctx *c, const yaml_node_t *n, const char *key_path, char **field,
                          borch_error *deferred)
{
    if (is_null(n))
        return 0;
    int rc = expect_scalar(c, n, key_path, "a string");
    if (rc)
        return rc;
    char *v = NULL;
    borch_error local = {0};
    rc = borch_config_interpolate((const char *)n->data.scalar.value, n->data.scalar.length,
                                  key_path, &v, &local);
    if (rc) {
        borch_error_at(&local, c->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1);
        *deferred = local;
        return 0;
    }
    if (!v[0]) { /* "${X:-}" and '' both mean "not set here" */
        free(v);
        return 0;
    }
    free(*field);
    *field = v;
    return 0;
}

/* One environment: a mapping of url/scratch/schema, or null. */
static int read_env(const ctx *c, const yaml_node_t *n, borch_env_config *env, borch_env_defer *d)
{
    char where[300], path[300];
    if (is_null(n))
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n->start_mark, "environment '%s' must be a mapping (url, scratch, schema), not %s",
                    env->name, kind_name(n));
    snprintf(where, sizeof(where), "under 'environments.%s' in %s", env->name, c->file);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *key;
        int rc = read_key(c, n, p, where, &key);
        if (rc)
            return rc;
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        snprintf(path, sizeof(path), "environments.%s.%s", env->name, key);
        if (!strcmp(key, "url"))
            rc = read_env_value(c, v, path, &env->url, &d->url);
        else if (!strcmp(key, "scratch"))
            rc = read_env_value(c, v, path, &env->scratch, &d->scratch);
        else if (!strcmp(key, "schema"))
            rc = read_env_value(c, v, path, &env->schema, &d->schema);
        else
            rc = unknown_key(c, yaml_document_get_node(c->doc, p->key), key, where, env_keys,
                             COUNT(env_keys));
        if (rc)
            return rc;
    }
    return 0;
}

/* "environments:": a mapping of name to environment. */
static int read_envs(const ctx *c, const yaml_node_t *n)
{
    borch_config *cfg = &c->cfg->pub;
    char where[300];
    if (is_null(n))
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n->start_mark, "'environments' must be a mapping of environment names, not %s",
                    kind_name(n));
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    cfg->envs = borch_xcalloc(count, sizeof(*cfg->envs));
    c->cfg->defer = borch_xcalloc(count, sizeof(*c->cfg->defer));
    snprintf(where, sizeof(where), "under 'environments' in %s", c->file);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *name;
        int rc = read_key(c, n, p, where, &name);
        if (rc)
            return rc;
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        if (!name[0])
            return fail(c, k->start_mark, "an environment name must not be empty");
        borch_env_config *env = &cfg->envs[cfg->nenvs];
        env->name = borch_xstrdup(name);
        env->line = (int)k->start_mark.line + 1;
        cfg->nenvs++;
        rc = read_env(c, yaml_document_get_node(c->doc, p->value), env,
                      &c->cfg->defer[cfg->nenvs - 1]);
        if (rc)
            return rc;
    }
    return 0;
}

/* "default:" must name one of the environments, when there are any. */
static int check_default(const ctx *c, yaml_mark_t mark)
{
    const borch_config *cfg = &c->cfg->pub;
    if (!cfg->default_env || borch_config_env(cfg, cfg->default_env))
        return 0;
    borch_buf list;
    borch_buf_init(&list);
    for (size_t i = 0; i < cfg->nenvs; i++)
        borch_buf_printf(&list, "%s%s", i ? ", " : "", cfg->envs[i].name);
    fail(c, mark, "'default' names environment '%s', which is not under 'environments' (known: %s)",
         cfg->default_env, cfg->nenvs ? list.data : "none");
    borch_buf_release(&list);
    return BORCH_EINPUT;
}

/* The top-level mapping. */
static int read_top(const ctx *c, const yaml_node_t *root)
{
    borch_config *cfg = &c->cfg->pub;
    char where[600];
    yaml_mark_t default_mark = root->start_mark;
    if (is_null(root))
        return 0; /* a file with only comments or "---" */
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root->start_mark, "%s must be a mapping of keys (like 'migrations: migrations'), not %s",
                    c->file, kind_name(root));
    snprintf(where, sizeof(where), "in %s", c->file);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const char *key;
        int rc = read_key(c, root, p, where, &key);
        if (rc)
            return rc;
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        if (!strcmp(key, "default")) {
            rc = read_string(c, v, key, &cfg->default_env);
            default_mark = v->start_mark;
        } else if (!strcmp(key, "migrations"))
            rc = read_string(c, v, key, &cfg->migrations);
        else if (!strcmp(key, "models"))
            rc = read_string(c, v, key, &cfg->models);
        else if (!strcmp(key, "audit"))
            rc = read_string(c, v, key, &cfg->audit);
        else if (!strcmp(key, "environments"))
            rc = read_envs(c, v);
        else if (!strcmp(key, "lock_timeout"))
            rc = read_seconds(c, v, key, &cfg->lock_timeout_s);
        else if (!strcmp(key, "connect_timeout"))
            rc = read_seconds(c, v, key, &cfg->connect_timeout_s);
        else if (!strcmp(key, "history_table"))
            rc = read_table_name(c, v, key, &cfg->history_table);
        else
            rc = unknown_key(c, yaml_document_get_node(c->doc, p->key), key, where, top_keys,
                             COUNT(top_keys));
        if (rc)
            return rc;
    }
    return check_default(c, default_mark);
}



int borch_config_parse_into(borch_config_impl *cfg, const char *text, size_t len,
                            const char *file, borch_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    ctx c = {cfg, &doc, file, err};
    if (!yaml_parser_initialize(&parser))
        return borch_error_set(err, BORCH_ENOMEM, "out of memory reading %s", file);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = borch_yaml_parser_error(&parser, text, len, c.file, c.err);
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    int rc = root ? read_top(&c, root) : 0; /* no root: an empty file */
    yaml_document_delete(&doc);
    if (rc == 0 && root) {
        /* A second document would be silently ignored; say so instead. */
        if (!yaml_parser_load(&parser, &doc)) {
            rc = borch_yaml_parser_error(&parser, text, len, c.file, c.err);
        } else {
            yaml_node_t *extra = yaml_document_get_root_node(&doc);
            if (extra)
                rc = fail(&c, extra->start_mark, "%s holds more than one YAML document", file);
            yaml_document_delete(&doc);
        }
    }
    yaml_parser_delete(&parser);
    return rc;
}
