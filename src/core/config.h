/*
 * config.h - borch.yaml (libyaml), with ${VAR} interpolation and the SPEC
 * precedence: command-line flag > environment variable (DATABASE_URL,
 * BORCH_ENV) > borch.yaml > built-in default (sqlite:borch.db).
 *
 * Errors name file:line:column; an unknown key is an error that suggests the
 * closest known key ("unknown key 'migration', did you mean 'migrations'?").
 */
#ifndef BORCH_CONFIG_H
#define BORCH_CONFIG_H

#include "util/error.h"

typedef struct borch_env_config {
    char *name;
    char *url;     /* interpolated; may be NULL */
    char *scratch; /* where throwaway databases are made; may be NULL */
    char *schema;  /* PostgreSQL schema; may be NULL ("public") */
    int line;      /* line of the environment's key in the file, for messages */
} borch_env_config;

typedef struct borch_config {
    char *path;        /* the config file read, or NULL when none was found */
    char *dir;         /* folder of the config file (or the current folder) */
    char *default_env; /* "default:" key, or NULL */
    char *migrations;  /* folder, resolved against dir; default "migrations" */
    char *models;      /* models.json path, resolved against dir; default "models.json" */
    char *audit;       /* audit JSONL path, resolved against dir; default ".borch/audit.jsonl" */
    int lock_timeout_s;     /* "lock_timeout:" seconds; default 60 */
    int connect_timeout_s;  /* "connect_timeout:" seconds; default 10 */
    char *history_table;    /* "history_table:"; default "borch_schema_history" */
    borch_env_config *envs;
    size_t nenvs;
} borch_config;

/* What the command line said; NULL/0 fields were not given. */
typedef struct borch_config_overrides {
    const char *config_path; /* -c FILE */
    const char *env_name;    /* -e ENV */
    const char *url;         /* -u URL */
    const char *migrations;  /* -d DIR */
} borch_config_overrides;

/*
 * Loads the config: path from overrides->config_path, else ./borch.yaml if it
 * exists, else defaults only. Returns 0 and a config the caller frees with
 * borch_config_free, or BORCH_EINPUT with file:line:column in err. A -c file
 * that does not exist is an error; a missing ./borch.yaml is not.
 * Interpolation: ${VAR} and ${VAR:-default}; an unset VAR without a default
 * is an error naming the key's file:line.
 */
int borch_config_load(const borch_config_overrides *ov, borch_config **out, borch_error *err);

/*
 * Parses YAML text (for tests and fuzzing); path is used in messages and its
 * folder for relative paths.
 */
int borch_config_parse(const char *text, size_t len, const char *path, borch_config **out,
                       borch_error *err);
void borch_config_free(borch_config *cfg);

/* The environment config named name, borrowed, or NULL. */
const borch_env_config *borch_config_env(const borch_config *cfg, const char *name);

/*
 * Resolves the target: the environment name (flag > BORCH_ENV > default: >
 * "dev" if defined > the only one) and URL (flag > DATABASE_URL > env url >
 * "sqlite:borch.db"). *env_out may be NULL when no environments exist. The
 * returned url is borrowed from cfg or ov or the process environment.
 * BORCH_EINPUT when a named environment does not exist.
 */
int borch_config_target(const borch_config *cfg, const borch_config_overrides *ov,
                        const borch_env_config **env_out, const char **url_out, borch_error *err);

#endif
