/*
 * diff.h - the difference of two schema models as an ordered list of
 * changes, the one input every renderer (the drivers' dialects), lint rule
 * and report reads. Order respects dependencies: views that depend on
 * changed tables are dropped first and recreated last; foreign keys are
 * dropped before the tables or columns they point at and added after the
 * tables they reference exist; referenced tables are created before
 * referencing ones.
 *
 * Ownership: a change list borrows its tables, columns, indexes... from the
 * two schemas given to borch_diff; both must outlive it. The list owns only
 * its array and warning strings (borch_changes_release).
 */
#ifndef BORCH_DIFF_H
#define BORCH_DIFF_H

#include <stddef.h>

#include "core/model.h"
#include "util/error.h"

typedef enum borch_change_kind {
    BORCH_CH_DROP_VIEW,
    BORCH_CH_DROP_FOREIGN_KEY,
    BORCH_CH_DROP_INDEX,        /* also UNIQUE constraints (index->constraint) */
    BORCH_CH_DROP_CHECK,
    BORCH_CH_DROP_PRIMARY_KEY,
    BORCH_CH_DROP_COLUMN,
    BORCH_CH_DROP_TABLE,
    BORCH_CH_CREATE_ENUM,
    BORCH_CH_CREATE_TABLE,      /* with its columns, primary key, checks; not its indexes or FKs */
    BORCH_CH_ADD_COLUMN,
    BORCH_CH_ALTER_COLUMN,      /* see alter flags */
    BORCH_CH_ADD_PRIMARY_KEY,
    BORCH_CH_ADD_CHECK,
    BORCH_CH_ADD_INDEX,
    BORCH_CH_ADD_FOREIGN_KEY,
    BORCH_CH_CREATE_VIEW,
    BORCH_CH_DROP_ENUM,
} borch_change_kind;

/* What an ALTER_COLUMN changes (bits). */
enum borch_alter {
    BORCH_ALTER_TYPE = 1u << 0,
    BORCH_ALTER_NULLABLE = 1u << 1,
    BORCH_ALTER_DEFAULT = 1u << 2,
    BORCH_ALTER_IDENTITY = 1u << 3,
};

typedef struct borch_change {
    borch_change_kind kind;
    const borch_table *table;        /* the table in `to` (creates, adds, alters) or `from` (drops) */
    const borch_table *old_table;    /* for changes to a table that exists in both: the `from` one */
    const borch_column *column;      /* ADD/ALTER: in `to`; DROP: in `from` */
    const borch_column *old_column;  /* ALTER: in `from` */
    unsigned alter;                  /* enum borch_alter bits for ALTER_COLUMN */
    const borch_index *index;
    const borch_foreign_key *foreign_key;
    const borch_check *check;
    const borch_view *view;
    const borch_enum *enum_type;
    int destructive;  /* drops data or may fail on existing rows (drop table/column, narrowing, NOT NULL) */
    char *warning;    /* one line for a "-- warning:" comment when destructive, or NULL */
} borch_change;

/*
 * How a renderer should write index changes on tables that exist and are
 * in use (set by the caller after borch_diff; zero by default). A renderer
 * applies the bits its engine has and ignores the others.
 */
enum borch_render_flags {
    /* Build and drop indexes without blocking writes (PostgreSQL
     * CONCURRENTLY, which then needs a notx section). */
    BORCH_RENDER_CONCURRENT_INDEXES = 1u << 0,
    /* Refresh the planner statistics of tables that get an index (SQLite
     * ANALYZE: an index without them may go unused). */
    BORCH_RENDER_ANALYZE_INDEXED = 1u << 1,
};

typedef struct borch_changes {
    borch_change *items;
    size_t count;
    size_t cap;
    unsigned render_flags; /* enum borch_render_flags */
} borch_changes;

/*
 * Computes the changes that turn from into to. Both schemas must be sorted
 * (borch_schema_sort) and of the same engine family. Returns 0, or
 * BORCH_EINPUT when to is inconsistent (a foreign key to a missing table).
 */
int borch_diff(const borch_schema *from, const borch_schema *to, borch_changes *out,
               borch_error *err);
void borch_changes_release(borch_changes *c);

/* "drop table users" style one-line description, for reports and tests; malloc'd. */
char *borch_change_describe(const borch_change *c);

#endif
