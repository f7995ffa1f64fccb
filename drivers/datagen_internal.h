/*
 * datagen_internal.h - what datagen.c (the filling) and datagen_values.c
 * (the values) share: a column's kind of value, read once from its type,
 * and the value of row n for it.
 */
#ifndef BORCH_DATAGEN_INTERNAL_H
#define BORCH_DATAGEN_INTERNAL_H

#include "core/model.h"
#include "util/mem.h"

typedef enum dg_kind {
    DG_STRING, /* char/varchar/text; len > 0 caps the length */
    DG_INT,    /* integer, bigint, mediumint */
    DG_SMALLINT,
    DG_TINYINT,
    DG_BOOL,    /* boolean, tinyint(1): "0" / "1" */
    DG_DECIMAL, /* numeric(p,s): p, s (p == 0: unbounded) */
    DG_FLOAT,
    DG_DATE,
    DG_TIMESTAMP,
    DG_TIME,
    DG_INTERVAL,
    DG_YEAR,
    DG_JSON,
    DG_UUID,
    DG_BINARY,
    DG_INET,
    DG_ARRAY,  /* PostgreSQL "x[]": "{}" */
    DG_CHOICE, /* one of choices (enum, set, CHECK IN list) */
    DG_OTHER,  /* unknown: the row number as text */
} dg_kind;

typedef struct dg_type {
    dg_kind kind;
    long len;           /* DG_STRING: max length, 0 = none; DG_DECIMAL: precision */
    long scale;         /* DG_DECIMAL */
    borch_strv choices; /* DG_CHOICE */
    int has_lo, has_hi; /* integer bounds a CHECK puts on a number column */
    long lo, hi;
} dg_type;

/* Reads a normalized column type of engine s->engine into t (enums of s
 * become choices); release with dg_type_release. */
void dg_type_read(dg_type *t, const borch_schema *s, const char *type);
void dg_type_release(dg_type *t);

/* Appends to out the single-quoted literals of text ('' is a quote). */
void dg_literals(const char *text, borch_strv *out);

/*
 * The choices a CHECK of table tbl allows for column col ("col IN ('a',
 * 'b')", "col = ANY (ARRAY['a'::text, ...])"), appended to out; nothing
 * when no check of that form names only that column.
 */
void dg_check_choices(const borch_table *tbl, const char *col, borch_strv *out);

/*
 * The bounds CHECKs of table tbl put on number column col ("col >= 0",
 * "col BETWEEN 1 AND 5", PostgreSQL's "(col >= 1) AND (col <= 5)"), as
 * inclusive integers in t; only checks that name no other column and hold
 * no OR count.
 */
void dg_check_range(const borch_table *tbl, const char *col, dg_type *t);

/* The value of column `name` of type t for row n (n >= 1); malloc'd. */
char *dg_value(const dg_type *t, const char *name, long n);

#endif
