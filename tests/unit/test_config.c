/*
 * test_config.c - borch.yaml: every key, every error path with its
 * file:line:column, ${VAR} interpolation, the SPEC precedence (flag >
 * environment variable > borch.yaml > default), path resolution, finding
 * the file, and a replay of truncated and garbled inputs.
 *
 * Tests that touch the process environment or the current folder save and
 * restore what they change, so they also pass with CK_FORK=no.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/config_internal.h"
#include "support/harness.h"
#include "util/mem.h"

/* ---- helpers ---------------------------------------------------------- */

#define MAX_SAVED 8

/* Environment variables a test changed, to put back at its end. */
typedef struct saved_env {
    const char *name[MAX_SAVED];
    char *old[MAX_SAVED]; /* NULL: was unset */
    int n;
} saved_env;

static void env_save(saved_env *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->name[i], name))
            return;
    ck_assert_int_lt(s->n, MAX_SAVED);
    s->name[s->n] = name;
    s->old[s->n] = borch_xstrdup(getenv(name));
    s->n++;
}

static void env_set(saved_env *s, const char *name, const char *value)
{
    env_save(s, name);
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void env_restore(saved_env *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->old[i])
            setenv(s->name[i], s->old[i], 1);
        else
            unsetenv(s->name[i]);
        free(s->old[i]);
    }
    s->n = 0;
}

/* Parses text as path, expecting success. */
static borch_config *parse_ok(const char *text, const char *path)
{
    borch_config *cfg = NULL;
    borch_error err = {0};
    int rc = borch_config_parse(text, strlen(text), path, &cfg, &err);
    ck_assert_msg(rc == 0, "unexpected error: %s (line %d)", err.message, err.line);
    ck_assert_ptr_nonnull(cfg);
    borch_error_clear(&err);
    return cfg;
}

/*
 * Parses text as path, expecting BORCH_EINPUT at line:col with a message
 * containing want. The error is left in *err for further checks.
 */
static void parse_fails(const char *text, const char *path, int line, int col, const char *want,
                        borch_error *err)
{
    borch_config *cfg = NULL;
    borch_error_clear(err);
    int rc = borch_config_parse(text, strlen(text), path, &cfg, err);
    ck_assert_msg(rc == BORCH_EINPUT, "expected an input error for:\n%s", text);
    ck_assert_ptr_null(cfg);
    ck_assert_msg(strstr(err->message, want), "message '%s' lacks '%s'", err->message, want);
    ck_assert_str_eq(err->file, path);
    ck_assert_msg(err->line == line && err->column == col, "'%s' at %d:%d, expected %d:%d",
                  err->message, err->line, err->column, line, col);
}

static const char *const full_yaml =
    "# every key\n"
    "default: prod\n"
    "migrations: db/migrations\n"
    "models: db/models.json\n"
    "audit: /var/log/borch/audit.jsonl\n"
    "lock_timeout: 120\n"
    "connect_timeout: 5\n"
    "history_table: app_history\n"
    "environments:\n"
    "  dev:\n"
    "    url: sqlite:dev.db\n"
    "  prod:\n"
    "    url: \"postgres://app:s3cret@db:5432/shop\"\n"
    "    scratch: 'postgres://ci@localhost/postgres'\n"
    "    schema: shop\n"
    "  empty:\n";

/* ---- a valid file ----------------------------------------------------- */

START_TEST(full_file_reads_every_key)
{
    borch_config *cfg = parse_ok(full_yaml, "borch.yaml");
    ck_assert_str_eq(cfg->path, "borch.yaml");
    ck_assert_str_eq(cfg->dir, ".");
    ck_assert_str_eq(cfg->default_env, "prod");
    ck_assert_str_eq(cfg->migrations, "db/migrations");
    ck_assert_str_eq(cfg->models, "db/models.json");
    ck_assert_str_eq(cfg->audit, "/var/log/borch/audit.jsonl");
    ck_assert_int_eq(cfg->lock_timeout_s, 120);
    ck_assert_int_eq(cfg->connect_timeout_s, 5);
    ck_assert_str_eq(cfg->history_table, "app_history");
    ck_assert_uint_eq(cfg->nenvs, 3);
    ck_assert_str_eq(cfg->envs[0].name, "dev");
    ck_assert_int_eq(cfg->envs[0].line, 10);
    ck_assert_str_eq(cfg->envs[0].url, "sqlite:dev.db");
    ck_assert_ptr_null(cfg->envs[0].scratch);
    const borch_env_config *prod = borch_config_env(cfg, "prod");
    ck_assert_ptr_nonnull(prod);
    ck_assert_int_eq(prod->line, 12);
    ck_assert_str_eq(prod->url, "postgres://app:s3cret@db:5432/shop");
    ck_assert_str_eq(prod->scratch, "postgres://ci@localhost/postgres");
    ck_assert_str_eq(prod->schema, "shop");
    const borch_env_config *empty = borch_config_env(cfg, "empty");
    ck_assert_ptr_nonnull(empty);
    ck_assert_ptr_null(empty->url);
    ck_assert_ptr_null(borch_config_env(cfg, "staging"));
    borch_config_free(cfg);
}
END_TEST

START_TEST(empty_or_comment_only_file_gives_defaults)
{
    const char *texts[] = {"", "# nothing here\n", "---\n", "~\n", "environments:\n"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        borch_config *cfg = parse_ok(texts[i], "borch.yaml");
        ck_assert_str_eq(cfg->migrations, "migrations");
        ck_assert_str_eq(cfg->models, "models.json");
        ck_assert_str_eq(cfg->audit, ".borch/audit.jsonl");
        ck_assert_int_eq(cfg->lock_timeout_s, 60);
        ck_assert_int_eq(cfg->connect_timeout_s, 10);
        ck_assert_str_eq(cfg->history_table, "borch_schema_history");
        ck_assert_ptr_null(cfg->default_env);
        ck_assert_uint_eq(cfg->nenvs, 0);
        borch_config_free(cfg);
    }
}
END_TEST

START_TEST(null_values_keep_defaults)
{
    borch_config *cfg = parse_ok("migrations:\nlock_timeout: ~\nmodels: null\n", "borch.yaml");
    ck_assert_str_eq(cfg->migrations, "migrations");
    ck_assert_str_eq(cfg->models, "models.json");
    ck_assert_int_eq(cfg->lock_timeout_s, 60);
    borch_config_free(cfg);
}
END_TEST

START_TEST(flow_style_and_quoted_values_are_read)
{
    borch_config *cfg = parse_ok(
        "{migrations: \"m i g\", environments: {dev: {url: 'sqlite:a b.db'}}, lock_timeout: \"0\"}",
        "borch.yaml");
    ck_assert_str_eq(cfg->migrations, "m i g");
    ck_assert_str_eq(cfg->envs[0].url, "sqlite:a b.db");
    ck_assert_int_eq(cfg->lock_timeout_s, 0);
    borch_config_free(cfg);
}
END_TEST

START_TEST(aliases_reuse_an_environment)
{
    borch_config *cfg = parse_ok("environments:\n  dev: &dev\n    url: sqlite:a.db\n  test: *dev\n",
                                 "borch.yaml");
    ck_assert_uint_eq(cfg->nenvs, 2);
    ck_assert_str_eq(borch_config_env(cfg, "test")->url, "sqlite:a.db");
    ck_assert_int_eq(borch_config_env(cfg, "test")->line, 4);
    borch_config_free(cfg);
}
END_TEST

/* ---- errors ----------------------------------------------------------- */

START_TEST(malformed_yaml_reports_libyaml_problem_and_position)
{
    borch_error err = {0};
    parse_fails("migrations: a\n  models: b\n", "borch.yaml", 2, 9,
                "malformed YAML: mapping values are not allowed in this context", &err);
    parse_fails("environments:\n  dev:\n    url: \"sqlite:x\n", "conf/b.yaml", 4, 1,
                "found unexpected end of stream (while scanning a quoted scalar at line 3, column 10)",
                &err);
    parse_fails("migrations: [a, b\n", "borch.yaml", 2, 1, "malformed YAML", &err);
    parse_fails("models: *nowhere\n", "borch.yaml", 1, 9, "found undefined alias", &err);
    parse_fails("migrations: x\n\tmodels: y\n", "borch.yaml", 2, 1, "malformed YAML", &err);
    /* invalid UTF-8: libyaml gives only an offset, turned into line:column */
    parse_fails("migrations: x\nmodels: \xff\n", "borch.yaml", 2, 9, "invalid", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(top_level_must_be_a_mapping)
{
    borch_error err = {0};
    parse_fails("- migrations\n- models\n", "borch.yaml", 1, 1,
                "borch.yaml must be a mapping of keys", &err);
    ck_assert_ptr_nonnull(strstr(err.message, "not a list"));
    parse_fails("just words\n", "x/borch.yaml", 1, 1, "x/borch.yaml must be a mapping", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(unknown_top_level_key_suggests_closest)
{
    borch_error err = {0};
    parse_fails("models: m.json\nmigration: db\n", "borch.yaml", 2, 1,
                "unknown key 'migration' in borch.yaml, did you mean 'migrations'?", &err);
    ck_assert_str_eq(err.message, "unknown key 'migration' in borch.yaml, did you mean 'migrations'?");
    parse_fails("lock_timout: 3\n", "conf/app.yaml", 1, 1,
                "unknown key 'lock_timout' in conf/app.yaml, did you mean 'lock_timeout'?", &err);
    parse_fails("enviroments: {}\n", "borch.yaml", 1, 1, "did you mean 'environments'?", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(unknown_key_far_from_all_lists_known_keys)
{
    borch_error err = {0};
    parse_fails("colour: blue\n", "borch.yaml", 1, 1, "unknown key 'colour' in borch.yaml (known: default, migrations, models, audit, environments, lock_timeout, connect_timeout, history_table)", &err);
    ck_assert_ptr_null(strstr(err.message, "did you mean"));
    borch_error_clear(&err);
}
END_TEST

START_TEST(unknown_environment_key_suggests_closest)
{
    borch_error err = {0};
    parse_fails("environments:\n  prod:\n    url: sqlite:a.db\n    uri: x\n", "borch.yaml", 4, 5,
                "unknown key 'uri' under 'environments.prod' in borch.yaml, did you mean 'url'?", &err);
    parse_fails("environments:\n  prod:\n    schmea: app\n", "borch.yaml", 3, 5,
                "did you mean 'schema'?", &err);
    parse_fails("environments:\n  prod:\n    password: x\n", "borch.yaml", 3, 5,
                "(known: url, scratch, schema)", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(wrong_value_kinds_are_reported_at_the_value)
{
    borch_error err = {0};
    parse_fails("migrations:\n  dir: x\n", "borch.yaml", 2, 3,
                "'migrations' must be a string, not a mapping", &err);
    parse_fails("models: [a, b]\n", "borch.yaml", 1, 9, "'models' must be a string, not a list", &err);
    parse_fails("environments: [dev, prod]\n", "borch.yaml", 1, 15,
                "'environments' must be a mapping of environment names, not a list", &err);
    parse_fails("environments:\n  dev: sqlite:dev.db\n", "borch.yaml", 2, 8,
                "environment 'dev' must be a mapping (url, scratch, schema), not a string", &err);
    parse_fails("environments:\n  dev:\n    url: {a: b}\n", "borch.yaml", 3, 10,
                "'environments.dev.url' must be a string, not a mapping", &err);
    parse_fails("? [a, b]\n: c\n", "borch.yaml", 1, 3, "keys in borch.yaml must be plain names, not a list",
                &err);
    parse_fails("migrations: \"a\\0b\"\n", "borch.yaml", 1, 13, "'migrations' holds a NUL character", &err);
    parse_fails("migrations: ''\n", "borch.yaml", 1, 13, "'migrations' must not be empty", &err);
    parse_fails("environments:\n  '': {url: x}\n", "borch.yaml", 2, 3,
                "an environment name must not be empty", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(bad_timeouts_are_refused)
{
    borch_error err = {0};
    parse_fails("lock_timeout: abc\n", "borch.yaml", 1, 15,
                "'lock_timeout' must be a whole number of seconds (0 to 86400), not 'abc'", &err);
    parse_fails("lock_timeout: -5\n", "borch.yaml", 1, 15, "not '-5'", &err);
    parse_fails("lock_timeout: 1.5\n", "borch.yaml", 1, 15, "not '1.5'", &err);
    parse_fails("lock_timeout: 99999999999999999999\n", "borch.yaml", 1, 15, "whole number", &err);
    parse_fails("lock_timeout: 86401\n", "borch.yaml", 1, 15, "whole number", &err);
    parse_fails("lock_timeout: ''\n", "borch.yaml", 1, 15, "whole number", &err);
    parse_fails("connect_timeout: {s: 3}\n", "borch.yaml", 1, 18,
                "'connect_timeout' must be a whole number of seconds, not a mapping", &err);
    borch_config *cfg = parse_ok("lock_timeout: 86400\nconnect_timeout: 0\n", "borch.yaml");
    ck_assert_int_eq(cfg->lock_timeout_s, 86400);
    ck_assert_int_eq(cfg->connect_timeout_s, 0);
    borch_config_free(cfg);
    borch_error_clear(&err);
}
END_TEST

START_TEST(bad_history_table_is_refused)
{
    borch_error err = {0};
    parse_fails("history_table: \"x; drop table users\"\n", "borch.yaml", 1, 16,
                "'history_table' must be a plain SQL name", &err);
    parse_fails("history_table: 1st\n", "borch.yaml", 1, 16, "plain SQL name", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(duplicate_keys_are_reported_at_the_second)
{
    borch_error err = {0};
    parse_fails("models: a\nmigrations: m\nmodels: b\n", "borch.yaml", 3, 1,
                "duplicate key 'models' in borch.yaml (first at line 1)", &err);
    parse_fails("environments:\n  dev: {url: a}\n  dev: {url: b}\n", "borch.yaml", 3, 3,
                "duplicate key 'dev' under 'environments' in borch.yaml (first at line 2)", &err);
    parse_fails("environments:\n  dev:\n    url: a\n    url: b\n", "borch.yaml", 4, 5,
                "duplicate key 'url' under 'environments.dev'", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(default_must_name_a_defined_environment)
{
    borch_error err = {0};
    parse_fails("default: stage\nenvironments:\n  dev: {url: a}\n  prod: {url: b}\n", "borch.yaml", 1,
                10, "'default' names environment 'stage', which is not under 'environments' (known: dev, prod)",
                &err);
    parse_fails("default: dev\n", "borch.yaml", 1, 10, "(known: none)", &err);
    borch_error_clear(&err);
}
END_TEST

START_TEST(second_document_is_refused)
{
    borch_error err = {0};
    parse_fails("migrations: a\n---\nmigrations: b\n", "borch.yaml", 3, 1,
                "borch.yaml holds more than one YAML document", &err);
    borch_error_clear(&err);
}
END_TEST

/* ---- interpolation ---------------------------------------------------- */

/* Interpolates s as key "k", expecting success. */
static char *interp(const char *s)
{
    char *out = NULL;
    borch_error err = {0};
    int rc = borch_config_interpolate(s, strlen(s), "k", &out, &err);
    ck_assert_msg(rc == 0, "interpolating '%s': %s", s, err.message);
    return out;
}

static void interp_fails(const char *s, const char *want)
{
    char *out = NULL;
    borch_error err = {0};
    int rc = borch_config_interpolate(s, strlen(s), "k", &out, &err);
    ck_assert_int_eq(rc, BORCH_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert_msg(strstr(err.message, want), "'%s' lacks '%s'", err.message, want);
}

START_TEST(interpolation_expands_vars_defaults_and_dollars)
{
    saved_env s = {0};
    env_set(&s, "BORCH_T_USER", "app");
    env_set(&s, "BORCH_T_EMPTY", "");
    env_set(&s, "BORCH_T_UNSET", NULL);
    struct {
        const char *in, *want;
    } cases[] = {
        {"${BORCH_T_USER}", "app"},
        {"pg://${BORCH_T_USER}@h/${BORCH_T_USER}", "pg://app@h/app"},
        {"${BORCH_T_UNSET:-fallback}", "fallback"},
        {"${BORCH_T_UNSET:-}", ""},
        {"${BORCH_T_EMPTY:-x}", "x"},
        {"${BORCH_T_EMPTY}", ""},
        {"${BORCH_T_USER:-x}", "app"},
        {"${BORCH_T_UNSET:-a:-b $$}", "a:-b $$"},
        {"$$", "$"},
        {"pa$$word", "pa$word"},
        {"$${BORCH_T_USER}", "${BORCH_T_USER}"},
        {"pa$word", "pa$word"},
        {"cost $5 $", "cost $5 $"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = interp(cases[i].in);
        ck_assert_msg(!strcmp(got, cases[i].want), "'%s' gave '%s', want '%s'", cases[i].in, got,
                      cases[i].want);
        free(got);
    }
    interp_fails("${BORCH_T_UNSET}", "environment variable 'BORCH_T_UNSET' is not set (used by 'k')");
    interp_fails("x${BORCH_T_USER", "unterminated '${' in 'k'");
    interp_fails("${}", "bad variable reference in 'k'");
    interp_fails("${1X}", "bad variable reference");
    interp_fails("${BORCH_T_USER:x}", "bad variable reference");
    interp_fails("${BORCH_T_USER-x}", "bad variable reference");
    env_restore(&s);
}
END_TEST

START_TEST(interpolation_applies_to_every_string_value)
{
    saved_env s = {0};
    env_set(&s, "BORCH_T_DIR", "sql");
    env_set(&s, "BORCH_T_SECS", "30");
    env_set(&s, "BORCH_T_ENV", "prod");
    env_set(&s, "BORCH_T_PW", "pw");
    borch_config *cfg = parse_ok("default: ${BORCH_T_ENV}\n"
                                 "migrations: ${BORCH_T_DIR}/up\n"
                                 "models: ${BORCH_T_NOPE:-m.json}\n"
                                 "audit: a$$b.jsonl\n"
                                 "lock_timeout: ${BORCH_T_SECS}\n"
                                 "connect_timeout: \"${BORCH_T_NOPE:-7}\"\n"
                                 "history_table: h_${BORCH_T_DIR}\n"
                                 "environments:\n"
                                 "  prod:\n"
                                 "    url: postgres://u:${BORCH_T_PW}@h/db\n"
                                 "    scratch: ${BORCH_T_NOPE:-postgres://h/postgres}\n"
                                 "    schema: s_${BORCH_T_DIR}\n",
                                 "borch.yaml");
    ck_assert_str_eq(cfg->default_env, "prod");
    ck_assert_str_eq(cfg->migrations, "sql/up");
    ck_assert_str_eq(cfg->models, "m.json");
    ck_assert_str_eq(cfg->audit, "a$b.jsonl");
    ck_assert_int_eq(cfg->lock_timeout_s, 30);
    ck_assert_int_eq(cfg->connect_timeout_s, 7);
    ck_assert_str_eq(cfg->history_table, "h_sql");
    ck_assert_str_eq(cfg->envs[0].url, "postgres://u:pw@h/db");
    ck_assert_str_eq(cfg->envs[0].scratch, "postgres://h/postgres");
    ck_assert_str_eq(cfg->envs[0].schema, "s_sql");
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

START_TEST(unset_variable_in_top_level_value_fails_at_its_line)
{
    saved_env s = {0};
    env_set(&s, "BORCH_T_UNSET", NULL);
    borch_error err = {0};
    parse_fails("models: m.json\nmigrations: ${BORCH_T_UNSET}/x\n", "conf/borch.yaml", 2, 13,
                "environment variable 'BORCH_T_UNSET' is not set (used by 'migrations')", &err);
    borch_error_clear(&err);
    env_restore(&s);
}
END_TEST

START_TEST(interpolated_values_never_appear_in_errors)
{
    saved_env s = {0};
    env_set(&s, "BORCH_T_SECRET", "hunter2-secret");
    borch_error err = {0};
    parse_fails("lock_timeout: ${BORCH_T_SECRET}\n", "borch.yaml", 1, 15,
                "'lock_timeout' must be a whole number of seconds (0 to 86400)", &err);
    ck_assert_ptr_null(strstr(err.message, "hunter2"));
    ck_assert_ptr_null(strstr(err.hint, "hunter2"));
    parse_fails("history_table: ${BORCH_T_SECRET}\n", "borch.yaml", 1, 16, "plain SQL name", &err);
    ck_assert_ptr_null(strstr(err.message, "hunter2"));
    borch_error_clear(&err);
    env_restore(&s);
}
END_TEST

START_TEST(unset_variable_in_environment_fails_only_when_targeted)
{
    saved_env s = {0};
    env_set(&s, "DATABASE_URL", NULL);
    env_set(&s, "BORCH_ENV", NULL);
    env_set(&s, "BORCH_T_SCRATCH", NULL);
    /* The SPEC's own example: prod's url is ${DATABASE_URL}. */
    const char *text = "environments:\n"
                       "  dev:\n"
                       "    url: sqlite:dev.db\n"
                       "  prod:\n"
                       "    url: ${DATABASE_URL}\n"
                       "  ci:\n"
                       "    url: sqlite:ci.db\n"
                       "    scratch: ${BORCH_T_SCRATCH}\n";
    borch_config *cfg = parse_ok(text, "borch.yaml");
    const borch_env_config *env = NULL;
    const char *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_target(cfg, NULL, &env, &url, &err), 0);
    ck_assert_str_eq(env->name, "dev");
    ck_assert_str_eq(url, "sqlite:dev.db");

    borch_config_overrides ov = {.env_name = "prod"};
    ck_assert_int_eq(borch_config_target(cfg, &ov, &env, &url, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message,
                     "environment variable 'DATABASE_URL' is not set (used by 'environments.prod.url')");
    ck_assert_str_eq(err.file, "borch.yaml");
    ck_assert_int_eq(err.line, 5);
    ck_assert_int_eq(err.column, 10);
    borch_error_clear(&err);

    /* With -u the unset url is not needed. */
    ov.url = "sqlite:other.db";
    ck_assert_int_eq(borch_config_target(cfg, &ov, &env, &url, &err), 0);
    ck_assert_str_eq(url, "sqlite:other.db");

    /* A scratch that is needed by whoever targets ci fails for ci. */
    borch_config_overrides ci = {.env_name = "ci"};
    ck_assert_int_eq(borch_config_target(cfg, &ci, &env, &url, &err), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "'BORCH_T_SCRATCH' is not set (used by 'environments.ci.scratch')"));
    ck_assert_int_eq(err.line, 8);
    borch_error_clear(&err);
    borch_config_free(cfg);

    /* Once DATABASE_URL is set, prod's url reads it. */
    env_set(&s, "DATABASE_URL", "postgres://h/db");
    cfg = parse_ok(text, "borch.yaml");
    ov.url = NULL;
    ck_assert_int_eq(borch_config_target(cfg, &ov, &env, &url, &err), 0);
    ck_assert_str_eq(env->url, "postgres://h/db");
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

/* ---- precedence ------------------------------------------------------- */

static const char *const two_envs = "environments:\n"
                                    "  dev:\n"
                                    "    url: sqlite:dev.db\n"
                                    "  prod:\n"
                                    "    url: sqlite:prod.db\n";

/* Runs borch_config_target, expecting success; returns the env name or "". */
static const char *target(const borch_config *cfg, const borch_config_overrides *ov, const char **url)
{
    const borch_env_config *env = NULL;
    borch_error err = {0};
    int rc = borch_config_target(cfg, ov, &env, url, &err);
    ck_assert_msg(rc == 0, "target failed: %s", err.message);
    return env ? env->name : "";
}

START_TEST(environment_name_precedence)
{
    saved_env s = {0};
    env_set(&s, "BORCH_ENV", NULL);
    env_set(&s, "DATABASE_URL", NULL);
    const char *url;
    borch_config *cfg = parse_ok(two_envs, "borch.yaml");
    /* "dev" when defined and nothing else says otherwise */
    ck_assert_str_eq(target(cfg, NULL, &url), "dev");
    ck_assert_str_eq(url, "sqlite:dev.db");
    /* BORCH_ENV beats the "dev" rule; an empty BORCH_ENV is not a name */
    env_set(&s, "BORCH_ENV", "");
    ck_assert_str_eq(target(cfg, NULL, &url), "dev");
    env_set(&s, "BORCH_ENV", "prod");
    ck_assert_str_eq(target(cfg, NULL, &url), "prod");
    ck_assert_str_eq(url, "sqlite:prod.db");
    /* -e beats BORCH_ENV */
    borch_config_overrides ov = {.env_name = "dev"};
    ck_assert_str_eq(target(cfg, &ov, &url), "dev");
    borch_config_free(cfg);

    /* default: beats "dev"; BORCH_ENV beats default: */
    cfg = parse_ok("default: prod\nenvironments:\n  dev: {url: sqlite:d.db}\n  prod: {url: sqlite:p.db}\n",
                   "borch.yaml");
    env_set(&s, "BORCH_ENV", NULL);
    ck_assert_str_eq(target(cfg, NULL, &url), "prod");
    env_set(&s, "BORCH_ENV", "dev");
    ck_assert_str_eq(target(cfg, NULL, &url), "dev");
    borch_config_free(cfg);

    /* the only environment, whatever its name */
    env_set(&s, "BORCH_ENV", NULL);
    cfg = parse_ok("environments:\n  staging: {url: sqlite:s.db}\n", "borch.yaml");
    ck_assert_str_eq(target(cfg, NULL, &url), "staging");
    borch_config_free(cfg);

    /* two environments, none "dev", no default: none chosen, built-in URL */
    cfg = parse_ok("environments:\n  a: {url: sqlite:a.db}\n  b: {url: sqlite:b.db}\n", "borch.yaml");
    borch_env_config sentinel = {0};
    const borch_env_config *env = &sentinel; /* must be overwritten */
    borch_error err = {0};
    ck_assert_int_eq(borch_config_target(cfg, NULL, &env, &url, &err), 0);
    ck_assert_ptr_null(env);
    ck_assert_str_eq(url, "sqlite:borch.db");
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

START_TEST(url_precedence)
{
    saved_env s = {0};
    env_set(&s, "BORCH_ENV", NULL);
    env_set(&s, "DATABASE_URL", NULL);
    const char *url;
    borch_config *cfg = parse_ok(two_envs, "borch.yaml");
    borch_config_overrides ov = {0};
    /* borch.yaml */
    target(cfg, &ov, &url);
    ck_assert_str_eq(url, "sqlite:dev.db");
    /* environment variable beats borch.yaml */
    env_set(&s, "DATABASE_URL", "postgres://env/db");
    target(cfg, &ov, &url);
    ck_assert_str_eq(url, "postgres://env/db");
    /* flag beats the environment variable */
    ov.url = "mysql://flag/db";
    ck_assert_str_eq(target(cfg, &ov, &url), "dev");
    ck_assert_str_eq(url, "mysql://flag/db");
    borch_config_free(cfg);

    /* built-in default when nothing gives one */
    env_set(&s, "DATABASE_URL", "");
    cfg = parse_ok("environments:\n  dev: {schema: app}\n", "borch.yaml");
    ck_assert_str_eq(target(cfg, NULL, &url), "dev");
    ck_assert_str_eq(url, "sqlite:borch.db");
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

START_TEST(unknown_environment_names_the_known_ones)
{
    saved_env s = {0};
    env_set(&s, "BORCH_ENV", NULL);
    env_set(&s, "DATABASE_URL", NULL);
    borch_config *cfg = parse_ok(two_envs, "conf/borch.yaml");
    borch_config_overrides ov = {.env_name = "staging"};
    const borch_env_config *env = NULL;
    const char *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_target(cfg, &ov, &env, &url, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "unknown environment 'staging' (known: dev, prod)");
    ck_assert_str_eq(err.file, "conf/borch.yaml");
    ck_assert_ptr_nonnull(strstr(err.hint, "-e"));
    borch_error_clear(&err);

    /* the same through BORCH_ENV */
    env_set(&s, "BORCH_ENV", "qa");
    ck_assert_int_eq(borch_config_target(cfg, NULL, &env, &url, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "unknown environment 'qa' (known: dev, prod)");
    ck_assert_ptr_nonnull(strstr(err.hint, "BORCH_ENV"));
    borch_error_clear(&err);
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

/* ---- paths and finding the file -------------------------------------- */

START_TEST(relative_paths_resolve_against_the_config_folder)
{
    borch_config *cfg = parse_ok("models: db/models.json\naudit: /abs/audit.jsonl\n", "conf/app/borch.yaml");
    ck_assert_str_eq(cfg->dir, "conf/app");
    ck_assert_str_eq(cfg->migrations, "conf/app/migrations");
    ck_assert_str_eq(cfg->models, "conf/app/db/models.json");
    ck_assert_str_eq(cfg->audit, "/abs/audit.jsonl");
    borch_config_free(cfg);

    cfg = parse_ok("migrations: m\n", "/etc/borch.yaml");
    ck_assert_str_eq(cfg->dir, "/etc");
    ck_assert_str_eq(cfg->migrations, "/etc/m");
    borch_config_free(cfg);
}
END_TEST

/* Runs fn in a fresh temporary folder, then returns to where we were. */
typedef struct in_dir {
    char *old;
    char *dir;
} in_dir;

static in_dir enter_temp_dir(const char *tag)
{
    in_dir d;
    d.old = getcwd(NULL, 0);
    ck_assert_ptr_nonnull(d.old);
    d.dir = make_temp_dir(tag);
    ck_assert_int_eq(chdir(d.dir), 0);
    return d;
}

static void leave_temp_dir(in_dir *d)
{
    ck_assert_int_eq(chdir(d->old), 0);
    rm_rf(d->dir);
    free(d->dir);
    free(d->old);
}

START_TEST(missing_config_flag_file_is_an_error)
{
    in_dir d = enter_temp_dir("cfg-missing");
    borch_config_overrides ov = {.config_path = "nope/borch.yaml"};
    borch_config *cfg = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_load(&ov, &cfg, &err), BORCH_EINPUT);
    ck_assert_ptr_null(cfg);
    ck_assert_str_eq(err.message, "config file 'nope/borch.yaml' not found");
    borch_error_clear(&err);

    write_text(d.dir, "sub/keep", "");
    ov.config_path = "sub";
    ck_assert_int_eq(borch_config_load(&ov, &cfg, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "config file 'sub' is a folder");
    borch_error_clear(&err);
    leave_temp_dir(&d);
}
END_TEST

START_TEST(no_file_at_all_gives_defaults)
{
    saved_env s = {0};
    env_set(&s, "BORCH_ENV", NULL);
    env_set(&s, "DATABASE_URL", NULL);
    in_dir d = enter_temp_dir("cfg-none");
    borch_config *cfg = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_load(NULL, &cfg, &err), 0);
    ck_assert_ptr_null(cfg->path);
    ck_assert_str_eq(cfg->dir, ".");
    ck_assert_str_eq(cfg->migrations, "migrations");
    ck_assert_str_eq(cfg->models, "models.json");
    ck_assert_str_eq(cfg->audit, ".borch/audit.jsonl");
    ck_assert_int_eq(cfg->lock_timeout_s, 60);
    ck_assert_int_eq(cfg->connect_timeout_s, 10);
    ck_assert_str_eq(cfg->history_table, "borch_schema_history");
    ck_assert_uint_eq(cfg->nenvs, 0);
    const borch_env_config *env = NULL;
    const char *url = NULL;
    ck_assert_int_eq(borch_config_target(cfg, NULL, &env, &url, &err), 0);
    ck_assert_ptr_null(env);
    ck_assert_str_eq(url, "sqlite:borch.db");
    /* -e with no file at all still refuses a name it cannot know */
    borch_config_overrides ov = {.env_name = "prod"};
    ck_assert_int_eq(borch_config_target(cfg, &ov, &env, &url, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "unknown environment 'prod' (no borch.yaml found)");
    ck_assert_str_eq(err.file, "");
    borch_error_clear(&err);
    borch_config_free(cfg);
    leave_temp_dir(&d);
    env_restore(&s);
}
END_TEST

START_TEST(borch_yaml_in_current_folder_is_found)
{
    in_dir d = enter_temp_dir("cfg-cwd");
    write_text(d.dir, "borch.yaml", "migrations: sql\nlock_timeout: 5\n");
    borch_config *cfg = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_load(NULL, &cfg, &err), 0);
    ck_assert_str_eq(cfg->path, "borch.yaml");
    ck_assert_str_eq(cfg->dir, ".");
    ck_assert_str_eq(cfg->migrations, "sql");
    ck_assert_int_eq(cfg->lock_timeout_s, 5);
    borch_config_free(cfg);

    /* a broken ./borch.yaml is an error naming it */
    write_text(d.dir, "borch.yaml", "migrations: [\n");
    ck_assert_int_eq(borch_config_load(NULL, &cfg, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.file, "borch.yaml");
    ck_assert_int_eq(err.line, 2);
    borch_error_clear(&err);
    leave_temp_dir(&d);
}
END_TEST

START_TEST(config_flag_and_migrations_flag)
{
    in_dir d = enter_temp_dir("cfg-flag");
    write_text(d.dir, "borch.yaml", "migrations: ignored\n");
    write_text(d.dir, "deploy/db.yaml", "migrations: sql\nmodels: out/models.json\n");
    borch_config_overrides ov = {.config_path = "deploy/db.yaml"};
    borch_config *cfg = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_config_load(&ov, &cfg, &err), 0);
    ck_assert_str_eq(cfg->path, "deploy/db.yaml");
    ck_assert_str_eq(cfg->dir, "deploy");
    ck_assert_str_eq(cfg->migrations, "deploy/sql");
    ck_assert_str_eq(cfg->models, "deploy/out/models.json");
    borch_config_free(cfg);

    /* -d is relative to the current folder, not the config's */
    ov.migrations = "other/migs";
    ck_assert_int_eq(borch_config_load(&ov, &cfg, &err), 0);
    ck_assert_str_eq(cfg->migrations, "other/migs");
    ck_assert_str_eq(cfg->models, "deploy/out/models.json");
    borch_config_free(cfg);

    /* errors name the -c file */
    write_text(d.dir, "deploy/bad.yaml", "migrations: a\nmigratoins: b\n");
    ov.config_path = "deploy/bad.yaml";
    ck_assert_int_eq(borch_config_load(&ov, &cfg, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "unknown key 'migratoins' in deploy/bad.yaml, did you mean 'migrations'?");
    ck_assert_str_eq(err.file, "deploy/bad.yaml");
    ck_assert_int_eq(err.line, 2);
    borch_error_clear(&err);
    leave_temp_dir(&d);
}
END_TEST

START_TEST(shipped_template_is_valid)
{
    saved_env s = {0};
    env_set(&s, "DATABASE_URL", NULL);
    env_set(&s, "BORCH_ENV", NULL);
    borch_config_overrides ov = {.config_path = BORCH_SOURCE_DIR "/templates/borch.yaml"};
    borch_config *cfg = NULL;
    borch_error err = {0};
    ck_assert_msg(borch_config_load(&ov, &cfg, &err) == 0, "template: %s", err.message);
    const borch_env_config *env = NULL;
    const char *url = NULL;
    ck_assert_int_eq(borch_config_target(cfg, NULL, &env, &url, &err), 0);
    ck_assert_str_eq(env->name, "dev");
    ck_assert_str_eq(url, "sqlite:dev.db");
    borch_config_free(cfg);
    env_restore(&s);
}
END_TEST

/* ---- suggestions ------------------------------------------------------ */

START_TEST(suggestion_uses_edit_distance_with_a_limit)
{
    static const char *const known[] = {"url", "scratch", "schema"};
    ck_assert_uint_eq(borch_edit_distance("kitten", "sitting"), 3);
    ck_assert_uint_eq(borch_edit_distance("", "abc"), 3);
    ck_assert_uint_eq(borch_edit_distance("same", "same"), 0);
    ck_assert_str_eq(borch_suggest("ulr", known, 3), "url");
    ck_assert_str_eq(borch_suggest("scheme", known, 3), "schema");
    ck_assert_str_eq(borch_suggest("scrach", known, 3), "scratch");
    ck_assert_ptr_null(borch_suggest("password", known, 3));
    ck_assert_ptr_null(borch_suggest("abc", known, 3));
}
END_TEST

/* ---- replay of truncated and garbled inputs -------------------------- */

/* Parses any bytes; passes if it either succeeds or fails cleanly. */
static void replay_one(const char *text, size_t len)
{
    borch_config *cfg = NULL;
    borch_error err = {0};
    int rc = borch_config_parse(text, len, "fuzz.yaml", &cfg, &err);
    if (rc == 0) {
        ck_assert_ptr_nonnull(cfg);
        ck_assert_ptr_nonnull(cfg->migrations);
        borch_config_free(cfg);
    } else {
        ck_assert_msg(rc == BORCH_EINPUT, "unexpected code %d", rc);
        ck_assert_ptr_null(cfg);
        ck_assert_msg(err.message[0] != '\0', "error without a message");
        ck_assert_str_eq(err.file, "fuzz.yaml");
        ck_assert_msg(err.line >= 1 && err.column >= 1, "'%s' has no position", err.message);
    }
    borch_error_clear(&err);
}

START_TEST(replay_truncated_and_garbled_inputs_fails_cleanly)
{
    saved_env s = {0};
    env_set(&s, "BORCH_T_UNSET", NULL);
    static const char *const garbled[] = {
        "\xff\xfe\x00\x01", "{{{{{{{{", "}}}", "- - - - -", "&a [*a, *a]", "*b",
        "a: &x {b: *x}\n", "key: \"unterminated", "'", "? ? ? ?", ":\n:\n:", "\t\t\tx: y",
        "environments: {dev: {url: ${}}}", "environments:\n  dev:\n    url: ${BORCH_T_UNSET\n",
        "%YAML 9.9\n---\na: b", "!!binary x: y", "lock_timeout: !!int", "default:\n  - a\n",
        "environments:\n  ? [x]\n  : y\n", "\xef\xbb\xbfmigrations: bom\n",
    };
    for (size_t i = 0; i < sizeof(garbled) / sizeof(garbled[0]); i++)
        replay_one(garbled[i], strlen(garbled[i]));
    replay_one("migrations: a\0b", 15); /* a NUL byte in the stream */

    /* every prefix of a full file */
    size_t n = strlen(full_yaml);
    for (size_t cut = 0; cut <= n; cut++)
        replay_one(full_yaml, cut);

    /* deterministic byte mutations of the full file */
    char *buf = borch_xmalloc(n + 1);
    uint32_t seed = 12345;
    static const char bytes[] = ":{}[]-?&*!|>'\"%@`#,\n\t $\\\x80\xff\0";
    for (int round = 0; round < 1500; round++) {
        memcpy(buf, full_yaml, n + 1);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            buf[pos] = bytes[(seed >> 8) % (sizeof(bytes) - 1)];
        }
        replay_one(buf, n);
    }
    free(buf);
    env_restore(&s);
}
END_TEST

Suite *suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, full_file_reads_every_key);
    tcase_add_test(tc, empty_or_comment_only_file_gives_defaults);
    tcase_add_test(tc, null_values_keep_defaults);
    tcase_add_test(tc, flow_style_and_quoted_values_are_read);
    tcase_add_test(tc, aliases_reuse_an_environment);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, malformed_yaml_reports_libyaml_problem_and_position);
    tcase_add_test(tc, top_level_must_be_a_mapping);
    tcase_add_test(tc, unknown_top_level_key_suggests_closest);
    tcase_add_test(tc, unknown_key_far_from_all_lists_known_keys);
    tcase_add_test(tc, unknown_environment_key_suggests_closest);
    tcase_add_test(tc, wrong_value_kinds_are_reported_at_the_value);
    tcase_add_test(tc, bad_timeouts_are_refused);
    tcase_add_test(tc, bad_history_table_is_refused);
    tcase_add_test(tc, duplicate_keys_are_reported_at_the_second);
    tcase_add_test(tc, default_must_name_a_defined_environment);
    tcase_add_test(tc, second_document_is_refused);
    tcase_add_test(tc, suggestion_uses_edit_distance_with_a_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("interpolation");
    tcase_add_test(tc, interpolation_expands_vars_defaults_and_dollars);
    tcase_add_test(tc, interpolation_applies_to_every_string_value);
    tcase_add_test(tc, unset_variable_in_top_level_value_fails_at_its_line);
    tcase_add_test(tc, interpolated_values_never_appear_in_errors);
    tcase_add_test(tc, unset_variable_in_environment_fails_only_when_targeted);
    suite_add_tcase(s, tc);

    tc = tcase_create("target");
    tcase_add_test(tc, environment_name_precedence);
    tcase_add_test(tc, url_precedence);
    tcase_add_test(tc, unknown_environment_names_the_known_ones);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, relative_paths_resolve_against_the_config_folder);
    tcase_add_test(tc, missing_config_flag_file_is_an_error);
    tcase_add_test(tc, no_file_at_all_gives_defaults);
    tcase_add_test(tc, borch_yaml_in_current_folder_is_found);
    tcase_add_test(tc, config_flag_and_migrations_flag);
    tcase_add_test(tc, shipped_template_is_valid);
    suite_add_tcase(s, tc);

    tc = tcase_create("replay");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, replay_truncated_and_garbled_inputs_fails_cleanly);
    suite_add_tcase(s, tc);
    return s;
}
