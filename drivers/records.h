/*
 * records.h - storage of borch-db's two bookkeeping tables in the target
 * database: the migration history and the audit rows. The SQL lives here,
 * in the driver layer, written once over the driver's query/quote slots;
 * what the rows mean (pending, changed, the hash chain) is the core's.
 *
 * History table (conn->history_table, default borch_schema_history):
 *   version, name, checksum, applied_at (UTC RFC 3339), applied_by,
 *   duration_ms, state ('applied' | 'dirty'), error (failing statement of a
 *   dirty migration, or NULL).
 * Audit table (conn->audit_table, default borch_audit):
 *   seq, at, action, version, outcome, prev_hash, hash, record (the
 *   canonical JSON line the hash covers).
 */
#ifndef BORCH_RECORDS_H
#define BORCH_RECORDS_H

#include "driver.h"

typedef struct borch_history_row {
    char *version;
    char *name;
    char *checksum;
    char *applied_at;
    char *applied_by;
    long long duration_ms;
    char *state;  /* "applied" or "dirty" */
    char *error;  /* or NULL */
} borch_history_row;

typedef struct borch_history {
    borch_history_row *rows; /* in version order (numeric) */
    size_t count;
    size_t cap;
    int table_exists;        /* 0 when the database has never been migrated */
} borch_history;

/* Creates the history table if it does not exist. */
int borch_history_ensure(borch_conn *conn, borch_error *err);
/* Loads all rows; a missing table gives an empty history, not an error. */
int borch_history_load(borch_conn *conn, borch_history *out, borch_error *err);
void borch_history_release(borch_history *h);
/* The row for version, borrowed, or NULL. */
borch_history_row *borch_history_find(const borch_history *h, const char *version);
/* Reads one version inside the current transaction: *found 0/1. */
int borch_history_exists(borch_conn *conn, const char *version, int *found, borch_error *err);
int borch_history_insert(borch_conn *conn, const borch_history_row *row, borch_error *err);
/* Sets state (and error, may be NULL) of version, and its duration. */
int borch_history_set_state(borch_conn *conn, const char *version, const char *state,
                            const char *error, long long duration_ms, borch_error *err);
int borch_history_delete(borch_conn *conn, const char *version, borch_error *err);

typedef struct borch_audit_row {
    long long seq;
    char *at;
    char *action;
    char *version;  /* or NULL */
    char *outcome;
    char *prev_hash;
    char *hash;
    char *record;   /* canonical JSON the hash covers */
} borch_audit_row;

int borch_audit_table_ensure(borch_conn *conn, borch_error *err);
int borch_audit_table_insert(borch_conn *conn, const borch_audit_row *row, borch_error *err);
/* All rows by seq; a missing table gives none. *rows is the caller's (borch_audit_rows_free). */
int borch_audit_table_load(borch_conn *conn, borch_audit_row **rows, size_t *count,
                           borch_error *err);
/* The last row (highest seq): *found 0/1; out filled when found. */
int borch_audit_table_last(borch_conn *conn, borch_audit_row *out, int *found, borch_error *err);
void borch_audit_row_release(borch_audit_row *row);
void borch_audit_rows_free(borch_audit_row *rows, size_t count);

#endif
