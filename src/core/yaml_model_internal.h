/*
 * yaml_model_internal.h - what the yaml_model_*.c files share and nothing
 * else includes: the engine list, the neutral type map and its reverse,
 * the engine-side normalizations, "did you mean", and the reader's state
 * and node helpers.
 */
#ifndef BORCH_YAML_MODEL_INTERNAL_H
#define BORCH_YAML_MODEL_INTERNAL_H

#include <stddef.h>

#include <yaml.h>

#include "core/yaml_model.h"
#include "util/mem.h"

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

/* ---- the reader's shared state and node helpers (yaml_model_node.c) ---- */

/* What the reader remembers of a column beyond the model. */
typedef struct ym_col_note {
    int null_set;     /* -1 not given, else the value of "null:" */
    int identity;     /* "identity: true" was given */
    yaml_mark_t mark; /* the column's key */
} ym_col_note;

/* What the reader remembers of a table until the end. */
typedef struct ym_tbl_note {
    size_t index;        /* in s->tables */
    ym_col_note *cols;   /* one per column */
    yaml_node_t *fks;    /* "foreign_keys:", read in the second pass */
    yaml_mark_t pk_mark; /* "primary_key:" value, or the table's key */
    borch_strv cnames;   /* constraint names taken (key, foreign keys, checks) */
} ym_tbl_note;

/* A name in a namespace the engine keeps unique, and where it was declared. */
typedef struct ym_used_name {
    char *name;
    const char *kind;
    int line;
} ym_used_name;

/* What every reader needs; one per parse. */
typedef struct ym_ctx {
    yaml_document_t *doc;
    const char *file;
    int engine;
    borch_error *err;
    borch_schema *s;
    ym_tbl_note *tables;
    size_t ntables, captables;
    ym_used_name *rel; /* relation namespace: tables, views, indexes (sequences) */
    size_t nrel, caprel;
    size_t *rel_slots; /* hash of rel: index + 1, 0 for empty; nrel_slots a power of two */
    size_t nrel_slots;
    borch_table **by_name; /* the tables sorted by name, for the foreign-key pass */
    borch_schema *enums;   /* declared enums, whatever the engine */
} ym_ctx;

/* Sets a BORCH_EINPUT message at mark (file:line:column) and returns BORCH_EINPUT. */
int ym_fail(const ym_ctx *c, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
yaml_node_t *ym_node(const ym_ctx *c, int id);
/* "a mapping", "a list" or "a string", for messages. */
const char *ym_kind_name(const yaml_node_t *n);
/* A plain empty, "~" or "null" scalar: YAML's way to say "not set". */
int ym_is_null(const yaml_node_t *n);
/* A scalar's text (borrowed from the document). */
const char *ym_text(const yaml_node_t *n);
/* A non-empty scalar without NUL bytes; *out borrows its text. */
int ym_want_text(const ym_ctx *c, const yaml_node_t *n, const char *what, const char **out);
/* true/false (yes/no, on/off) into *out. */
int ym_want_bool(const ym_ctx *c, const yaml_node_t *n, const char *what, int *out);
int ym_want_mapping(const ym_ctx *c, const yaml_node_t *n, const char *what);
/* The key of pair p of mapping m: a non-empty name, not repeated; *name borrows it. */
int ym_read_key(const ym_ctx *c, const yaml_node_t *m, const yaml_node_pair_t *p, const char *where,
                const char **name);
/* The values of known keys of m (vals[i] for known[i], NULL when absent); unknown keys refused. */
int ym_split_keys(const ym_ctx *c, const yaml_node_t *m, const char *where,
                  const char *const *known, size_t count, yaml_node_t **vals);
/* Text, or a mapping of engine to text; *out is the target's text or NULL when left out. */
int ym_engine_text(const ym_ctx *c, const yaml_node_t *n, const char *what, const char **out);
/* "engines: [...]": *wanted says whether the target engine is listed. */
int ym_read_engines(const ym_ctx *c, const yaml_node_t *n, const char *what, int *wanted);
/* A declared name against the engine's length limit. */
int ym_check_name(const ym_ctx *c, const yaml_node_t *k, const char *what, const char *name);
/* Takes a name in the schema-wide relation namespace; refused when taken. */
int ym_take_rel_name(ym_ctx *c, yaml_mark_t mark, const char *kind, const char *name);
/* Takes a constraint name of one table; refused when taken. */
int ym_take_constraint_name(const ym_ctx *c, ym_tbl_note *tn, yaml_mark_t mark, const char *name);

/* ---- what the engine implies (yaml_model_finish.c) ---- */

/* Nullability and identity rules, and the key and constraint names the engine would give. */
int ym_finish_table(ym_ctx *c, ym_tbl_note *tn);
/* PostgreSQL's <table>_<column>_seq for each identity column not given a sequence. */
void ym_add_identity_sequences(ym_ctx *c);

#endif
