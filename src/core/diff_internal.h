/*
 * diff_internal.h - what the files of the diff module share: the type
 * classifier (diff_types.c) and the dependency sort (diff_order.c) that
 * diff.c uses to order its phases. Not for other modules.
 */
#ifndef BORCH_DIFF_INTERNAL_H
#define BORCH_DIFF_INTERNAL_H

#include <stddef.h>

#include "core/diff.h"

/* How a column type change treats the values already stored. */
typedef enum borch_type_change {
    BORCH_TYPE_SAME,   /* same type (spelled alike or an alias) */
    BORCH_TYPE_WIDEN,  /* every old value fits: int -> bigint, varchar(10) -> varchar(20) */
    BORCH_TYPE_NARROW, /* same family, smaller: bigint -> int, varchar(20) -> varchar(10) */
    BORCH_TYPE_OTHER,  /* another family (text -> integer) or a change we cannot judge */
} borch_type_change;

/* Classifies the change of a column from type `from` to type `to` (both
 * normalized lowercase, as the model stores them) on engine. */
borch_type_change borch_diff_type_change(const char *from, const char *to, const char *engine);

/* An ordering constraint: node src comes before node dst; tag is the
 * caller's (the foreign key that made the edge, for instance). */
typedef struct borch_diff_edge {
    size_t src, dst;
    const void *tag;
} borch_diff_edge;

/*
 * Orders nodes 0..n-1 so that every edge's src comes before its dst,
 * choosing the lowest-numbered ready node first (nodes are numbered in
 * name order, so ties go by name). When only cycles are left it takes the
 * lowest node of one cycle anyway and calls broken(ctx, e) for each edge
 * into it that is thereby violated (broken may be NULL). Returns a
 * malloc'd array of n node numbers. O((n + ne) log n) without cycles.
 */
size_t *borch_diff_topo(size_t n, borch_diff_edge *edges, size_t ne,
                        void (*broken)(void *ctx, const borch_diff_edge *e), void *ctx);

/* The phases of a change list, in the order they run (see docs/diff.md). */
enum borch_diff_phase {
    PH_DROP_VIEW,
    PH_DROP_FK,
    PH_DROP_KEY, /* indexes, checks, primary keys */
    PH_DROP_COLUMN,
    PH_DROP_TABLE,
    PH_CREATE_ENUM,
    PH_CREATE_TABLE,
    PH_ADD_COLUMN,
    PH_ALTER_COLUMN,
    PH_ADD_PK,
    PH_ADD_CHECK,
    PH_ADD_INDEX,
    PH_ADD_FK,
    PH_CREATE_VIEW,
    PH_DROP_ENUM,
    PH_COUNT
};

/* What the table passes learned about a table of `to` that the foreign key
 * and view passes need. */
typedef struct borch_diff_table {
    const borch_table *from;       /* the same table in `from`, or NULL when created */
    const borch_column **cols;     /* the `to` columns sorted by name */
    const borch_column **old_cols; /* the `from` columns sorted by name */
    const char **touched;          /* columns altered or dropped, sorted */
    size_t ntouched, captouched;
    const char **dropped; /* columns dropped, sorted */
    size_t ndropped, capdropped;
    const borch_index **dropped_keys; /* unique indexes dropped or redefined */
    size_t ndropped_keys, capdropped_keys;
    int pk_changed;
    int shape_changed; /* columns, keys, checks or foreign keys change: views on it are rebuilt */
} borch_diff_table;

/* The state of one borch_diff call. */
typedef struct borch_diff_ctx {
    const borch_schema *from, *to;
    borch_changes phase[PH_COUNT];
    borch_diff_table *info; /* one per table of `to` */
} borch_diff_ctx;

/* Appends a change to a phase; the table pointers as in borch_change. */
borch_change *borch_diff_push(borch_diff_ctx *c, int phase, borch_change_kind kind,
                              const borch_table *table, const borch_table *old_table);
/* Marks a change destructive and adds a warning sentence (printf-style). */
void borch_diff_warn(borch_change *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The view and enum passes (diff_views.c); run after the table passes. */
void borch_diff_views(borch_diff_ctx *c);
void borch_diff_enums(borch_diff_ctx *c);
/* A table of a sorted schema by binary search, or NULL. */
const borch_table *borch_diff_find_table(const borch_schema *s, const char *name, size_t *index);

#endif
