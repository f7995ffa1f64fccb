/*
 * source.c - loading a schema from any source; see source.h. Throwaway
 * databases come from core/scratch, so they are dropped on every way out.
 */
#include "core/source.h"

#include <stdlib.h>
#include <string.h>

#include "core/models_json.h"
#include "core/scratch.h"
#include "core/yaml_model.h"
#include "util/fsutil.h"
#include "util/mem.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int borch_exec_section(borch_conn *conn, const borch_migration *m, int down, borch_error *err)
{
    const borch_section *sec = down ? &m->down : &m->up;
    const char *file = sec->file ? sec->file : m->path;
    int tx = borch_conn_transactional_ddl(conn) && !sec->notx;
    int rc = tx ? borch_conn_begin(conn, err) : 0;
    if (rc == 0)
        rc = borch_conn_exec(conn, sec->sql, file, sec->first_line, err);
    if (rc == 0 && tx)
        rc = borch_conn_commit(conn, err);
    if (rc < 0 && tx)
        borch_conn_rollback_quietly(conn);
    if (rc < 0 && !err->file[0])
        borch_error_at(err, file, err->line, 0);
    return rc;
}

int borch_replay(borch_conn *conn, const borch_migration_set *set, const char *upto,
                 borch_error *err)
{
    for (size_t i = 0; i < set->count; i++) {
        const borch_migration *m = &set->items[i];
        if (upto && borch_version_cmp(m->version, upto) > 0)
            break;
        int rc = borch_exec_section(conn, m, 0, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Introspects a throwaway database after fill() put a schema in it. */
static int via_scratch(const borch_source_env *env, int (*fill)(borch_conn *, void *, borch_error *),
                       void *payload, borch_schema **out, borch_error *err)
{
    borch_scratch *s = NULL;
    int rc = borch_scratch_open(env->target, env->scratch_server, env->opts, &s, err);
    if (rc < 0)
        return rc;
    if ((rc = fill(s->conn, payload, err)) == 0)
        rc = borch_conn_introspect(s->conn, out, err);
    borch_scratch_close(s);
    return rc;
}

static int fill_migrations(borch_conn *conn, void *payload, borch_error *err)
{
    return borch_replay(conn, payload, NULL, err);
}

static int fill_yaml(borch_conn *conn, void *payload, borch_error *err)
{
    return borch_yaml_model_apply(conn, payload, err);
}

typedef struct sql_file {
    const char *path;
    const char *text;
} sql_file;

static int fill_sql(borch_conn *conn, void *payload, borch_error *err)
{
    const sql_file *f = payload;
    int rc = borch_conn_exec(conn, f->text, f->path, 1, err);
    if (rc == BORCH_ESQL) { /* the file is the bad input here, not a migration run */
        err->code = BORCH_EINPUT;
        rc = BORCH_EINPUT;
    }
    return rc;
}

int borch_source_load(const borch_source_env *env, const char *spec, borch_schema **out,
                      borch_error *err)
{
    *out = NULL;
    int rc;
    if (strncmp(spec, "migrations:", 11) == 0) {
        char *dir = borch_path_join(env->base_dir, spec + 11);
        borch_migration_set set = {0};
        rc = borch_migrations_load(dir, &set, err);
        free(dir);
        if (rc == 0)
            rc = via_scratch(env, fill_migrations, &set, out, err);
        borch_migrations_release(&set);
    } else if (ends_with(spec, ".sql")) {
        char *path = borch_path_join(env->base_dir, spec), *text = NULL;
        if ((rc = borch_read_file(path, &text, NULL, err)) == 0) {
            sql_file f = {path, text};
            rc = via_scratch(env, fill_sql, &f, out, err);
        }
        free(text);
        free(path);
    } else if (ends_with(spec, ".json")) {
        char *path = borch_path_join(env->base_dir, spec);
        rc = borch_models_json_read(path, out, err);
        free(path);
    } else if (ends_with(spec, ".yaml") || ends_with(spec, ".yml")) {
        /* Read and checked first, with no database touched; then built in a
         * throwaway database, because servers rewrite check and view text
         * ("email <> ''" comes back as "(email)::text <> ''::text") and the
         * model must compare equal to what a database reports. */
        char *path = borch_path_join(env->base_dir, spec);
        borch_schema *m = NULL;
        if ((rc = borch_yaml_model_read(path, env->target->scheme, &m, err)) == 0)
            rc = via_scratch(env, fill_yaml, m, out, err);
        borch_schema_free(m);
        free(path);
    } else if (strchr(spec, ':')) {
        borch_url *u = NULL;
        if ((rc = borch_url_parse(spec, env->base_dir, &u, err)) < 0)
            return rc;
        borch_conn *c = NULL;
        if ((rc = borch_conn_open(u, env->opts, &c, err)) == 0) {
            rc = borch_conn_introspect(c, out, err);
            borch_conn_close(c);
        }
        borch_url_free(u);
    } else {
        rc = borch_error_set(err, BORCH_EUSAGE,
                             "'%s' is not a schema source (a URL, migrations:DIR, a .sql, .yaml "
                             "or .json file)",
                             spec);
    }
    if (rc == 0)
        borch_schema_sort(*out);
    return rc;
}
