/*
 * config_internal.h - what the config_*.c files share and nothing else
 * includes: ${VAR} interpolation and the "did you mean" suggestion.
 */
#ifndef BORCH_CONFIG_INTERNAL_H
#define BORCH_CONFIG_INTERNAL_H

#include <stddef.h>

#include "core/config.h"

/*
 * Why an environment's value could not be read. An unset ${VAR} in an
 * environment is reported only when that environment is the target, so the
 * SPEC's example (prod's url: ${DATABASE_URL}) does not stop work on dev.
 * code 0 means the value was fine.
 */
typedef struct borch_env_defer {
    borch_error url;
    borch_error scratch;
    borch_error schema;
} borch_env_defer;

/*
 * What borch_config_load/parse really allocate: the public struct first, so
 * a borch_config * is a config_impl *, plus what only config_*.c reads.
 */
typedef struct borch_config_impl {
    borch_config pub;
    borch_env_defer *defer; /* one per pub.envs entry */
} borch_config_impl;

/*
 * Expands ${VAR}, ${VAR:-default} and "$$" in text (len bytes). On success
 * returns 0 and a malloc'd result in *out. On failure returns BORCH_EINPUT
 * with a message naming the variable and key_path (never the text, which
 * may hold a password); the caller adds the position.
 */
int borch_config_interpolate(const char *text, size_t len, const char *key_path, char **out,
                             borch_error *err);

/* "did you mean" for unknown keys: borch_suggest in util/suggest.h. */
#include "util/suggest.h"

/*
 * Parses the YAML of a config into cfg, whose defaults, path and dir are
 * already set; relative paths are left for the caller to resolve. file is
 * the name used in messages. Returns 0 or BORCH_EINPUT (BORCH_ENOMEM when
 * libyaml runs out) with file:line:column in err; cfg is then half filled
 * and only fit for borch_config_free.
 */
int borch_config_parse_into(borch_config_impl *cfg, const char *text, size_t len,
                            const char *file, borch_error *err);

#endif
