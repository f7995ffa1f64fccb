/*
 * yaml_model_internal.h - what the yaml_model_*.c files share and nothing
 * else includes: the engine list, the neutral type map and its reverse,
 * the engine-side normalizations, and "did you mean".
 */
#ifndef BORCH_YAML_MODEL_INTERNAL_H
#define BORCH_YAML_MODEL_INTERNAL_H

#include <stddef.h>

#include "core/yaml_model.h"

/* The target engines, in the order of the engines[] names. */
enum ym_engine { YM_SQLITE, YM_POSTGRES, YM_MYSQL, YM_NENGINES };

extern const char *const ym_engine_names[YM_NENGINES];
extern const char *const ym_neutral_names[]; /* NULL-terminated */

/* The engine for a name, or -1. */
int ym_engine_of(const char *name);

/*
 * The engine's text for a neutral type ("string(200)" -> "character
 * varying(200)"), malloc'd in *out. Returns 0; 1 when the name is not a
 * neutral type at all; 2 when the name is known but its arguments are
 * wrong, with why in why (size n).
 */
int ym_type_map(const char *neutral, int engine, char **out, char *why, size_t n);

/* The neutral spelling that maps back to exactly type on engine, malloc'd, or NULL. */
char *ym_type_neutral(const char *type, int engine);

/* An override type as the engine's introspection would report it ("varchar(20)" on
 * PostgreSQL -> "character varying(20)"), malloc'd. */
char *ym_type_normalize(const char *raw, int engine);

/* Lowercased outside quotes, blanks squeezed, none around '(' ')' ','; malloc'd. */
char *ym_squeeze(const char *s);

/* Whether type is an integer type on engine (identity needs one). */
int ym_type_is_integer(const char *type);

/* The word of known (NULL-terminated or count) closest to word, or NULL when none is close. */
const char *ym_suggest(const char *word, const char *const *known, size_t count);

/*
 * Whether a foreign key's columns lead t's primary key or one of its
 * indexes other than except; MySQL adds an index for a key when not.
 */
struct borch_table;
struct borch_foreign_key;
struct borch_index;
int ym_fk_covered(const struct borch_table *t, const struct borch_foreign_key *fk,
                  const struct borch_index *except);

/* PostgreSQL's and MySQL's longest identifiers (bytes); SQLite has no limit. */
#define YM_PG_NAME_MAX 63
#define YM_MY_NAME_MAX 64

#endif
