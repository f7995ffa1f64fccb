/*
 * runner.h - applying and reverting one migration against a connection, with
 * its history row, and working out what state every migration is in. The
 * rules (SPEC "Records kept in the target database"):
 * - the caller holds the migration lock (a server-side advisory lock, or a
 *   lock file for SQLite) and read the history under it, so no other run
 *   applies the same migration meanwhile;
 * - transactional DDL and no notx: statements and history row commit in one
 *   transaction;
 * - otherwise (MySQL, notx sections): the row is written 'dirty' first and
 *   set 'applied' after the last statement, so a crash part-way is visible.
 */
#ifndef BORCH_RUNNER_H
#define BORCH_RUNNER_H

#include "core/migration.h"
#include "driver.h"
#include "records.h"

/*
 * Called once a migration's statements and history row are done, before the
 * transaction commits (or, without one, after the row is marked applied), so
 * that what the caller records there (the audit row) commits with it.
 */
typedef struct borch_runner_hook {
    int (*fn)(borch_conn *conn, const borch_migration *m, long long duration_ms, void *payload,
              borch_error *err);
    void *payload;
} borch_runner_hook;

/*
 * Applies m's up section. *duration_ms gets the time its statements took.
 * On failure err names the file, line and statement; on a transactional run
 * nothing is left behind, otherwise the row stays 'dirty' with the statement.
 */
int borch_runner_apply(borch_conn *conn, const borch_migration *m, const char *applied_by,
                       const borch_runner_hook *hook, long long *duration_ms, borch_error *err);

/* Runs m's down section and deletes its history row, by the same rules. */
int borch_runner_revert(borch_conn *conn, const borch_migration *m,
                        const borch_runner_hook *hook, long long *duration_ms, borch_error *err);

/* What a migration is, joining the folder and the history. */
typedef enum borch_mig_state {
    BORCH_MIG_APPLIED,
    BORCH_MIG_PENDING,
    BORCH_MIG_CHANGED, /* applied, but the file's checksum differs */
    BORCH_MIG_MISSING, /* applied, file gone */
    BORCH_MIG_DIRTY,   /* failed part-way on an engine without transactional DDL */
} borch_mig_state;

typedef struct borch_status_entry {
    const char *version;           /* borrowed from file or row */
    const char *name;
    borch_mig_state state;
    const borch_migration *file;   /* or NULL (missing) */
    const borch_history_row *row;  /* or NULL (pending) */
    int out_of_order;              /* pending, but older than an applied one */
} borch_status_entry;

/* Joins set and history in version order; *out is the caller's (free()). */
void borch_status_compute(const borch_migration_set *set, const borch_history *h,
                          borch_status_entry **out, size_t *count);
const char *borch_mig_state_name(borch_mig_state s);

#endif
