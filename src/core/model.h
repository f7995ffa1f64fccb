/*
 * model.h - the schema model: the one value every schema source produces
 * (a live database, replayed migrations, YAML, DDL, models.json) and every
 * schema consumer reads (diff, verify, drift, models.json, ER diagrams).
 *
 * Ownership: a borch_schema owns everything below it; borch_schema_free
 * frees the whole tree. Strings are malloc'd; arrays grow with borch_grow.
 * Drivers fill it through the borch_schema_add_* / borch_table_add_*
 * helpers, which copy their string arguments.
 *
 * Normalization is the driver's job: it stores types, defaults and actions
 * in a form where equal schemas compare equal (lowercase type names, no
 * redundant "CONSTRAINT" noise, actions as "cascade", "set null", ...).
 */
#ifndef BORCH_MODEL_H
#define BORCH_MODEL_H

#include <stddef.h>

typedef struct borch_column {
    char *name;
    char *type;         /* normalized, lowercase: "integer", "varchar(200)" */
    int nullable;       /* 1 when NULL is allowed */
    char *default_expr; /* default as SQL text, or NULL for none */
    int identity;       /* 1 for identity / auto_increment / rowid alias */
} borch_column;

typedef struct borch_index {
    char *name;
    char **columns;  /* column names, or expression text for expression parts */
    size_t ncolumns;
    int unique;
    int expression;  /* 1 when any part is an expression, not a column */
    int constraint;  /* 1 when it backs a UNIQUE constraint, not CREATE INDEX */
    char *where;     /* partial index predicate, or NULL */
    char *method;    /* access method when not the default ("gin"), or NULL */
} borch_index;

typedef struct borch_foreign_key {
    char *name;         /* constraint name, or NULL when the engine has none */
    char **columns;
    size_t ncolumns;
    char *ref_table;
    char **ref_columns;
    size_t nref_columns;
    char *on_delete;    /* "no action", "restrict", "cascade", "set null", "set default" */
    char *on_update;
} borch_foreign_key;

typedef struct borch_check {
    char *name;       /* or NULL */
    char *expression; /* the predicate, without CHECK ( ) */
} borch_check;

typedef struct borch_table {
    char *name;
    borch_column *columns;   /* in declaration order */
    size_t ncolumns, capcolumns;
    char **primary_key;      /* column names in key order; npk == 0: none */
    size_t nprimary_key;
    char *primary_key_name;  /* or NULL */
    borch_index *indexes;    /* sorted by name by borch_schema_sort */
    size_t nindexes, capindexes;
    borch_foreign_key *foreign_keys;
    size_t nforeign_keys, capforeign_keys;
    borch_check *checks;
    size_t nchecks, capchecks;
    char *comment;           /* or NULL */
} borch_table;

typedef struct borch_view {
    char *name;
    char *definition; /* the SELECT, as the engine reports it */
} borch_view;

/* A PostgreSQL enum type, or the like on other engines. */
typedef struct borch_enum {
    char *name;
    char **values;
    size_t nvalues;
} borch_enum;

/* A sequence; owned_by is "table.column" for serial/identity-owned ones. */
typedef struct borch_sequence {
    char *name;
    char *owned_by; /* or NULL */
} borch_sequence;

typedef struct borch_schema {
    char *engine;  /* "sqlite", "postgres", "mysql" */
    char *version; /* last applied migration version, or NULL */
    borch_table *tables;
    size_t ntables, captables;
    borch_view *views;
    size_t nviews, capviews;
    borch_enum *enums;
    size_t nenums, capenums;
    borch_sequence *sequences;
    size_t nsequences, capsequences;
} borch_schema;

/* Creates an empty schema for engine; the caller frees it. */
borch_schema *borch_schema_new(const char *engine);
void borch_schema_free(borch_schema *s);

/* Each add_* copies its string arguments and returns the new element,
 * borrowed from its parent; arrays may move on the next add. */
borch_table *borch_schema_add_table(borch_schema *s, const char *name);
borch_view *borch_schema_add_view(borch_schema *s, const char *name, const char *definition);
borch_enum *borch_schema_add_enum(borch_schema *s, const char *name);
void borch_enum_add_value(borch_enum *e, const char *value);
borch_sequence *borch_schema_add_sequence(borch_schema *s, const char *name, const char *owned_by);

borch_column *borch_table_add_column(borch_table *t, const char *name, const char *type,
                                     int nullable, const char *default_expr);
void borch_table_add_pk_column(borch_table *t, const char *column);
borch_index *borch_table_add_index(borch_table *t, const char *name, int unique);
void borch_index_add_column(borch_index *ix, const char *column_or_expr);
borch_foreign_key *borch_table_add_foreign_key(borch_table *t, const char *name,
                                               const char *ref_table);
void borch_fk_add_pair(borch_foreign_key *fk, const char *column, const char *ref_column);
borch_check *borch_table_add_check(borch_table *t, const char *name, const char *expression);

/* Lookups; borrowed pointers or NULL. */
borch_table *borch_schema_table(const borch_schema *s, const char *name);
borch_column *borch_table_column(const borch_table *t, const char *name);
borch_index *borch_table_index(const borch_table *t, const char *name);
borch_view *borch_schema_view(const borch_schema *s, const char *name);

/*
 * Puts tables, views, enums, sequences, indexes, foreign keys and checks in
 * name order (columns keep declaration order) so that two models of the
 * same schema are element-for-element comparable and print the same bytes.
 */
void borch_schema_sort(borch_schema *s);

/*
 * Compares two sorted schemas. Returns the number of differences and, when
 * out is not NULL, appends one human line per difference to it (a
 * borch_buf*, e.g. "index posts_title_idx still present" style lines).
 */
struct borch_buf;
size_t borch_schema_compare(const borch_schema *a, const borch_schema *b, struct borch_buf *out);

/* Deep copy. */
borch_schema *borch_schema_clone(const borch_schema *s);

#endif
