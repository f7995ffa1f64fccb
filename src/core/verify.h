/*
 * verify.h - rollback rehearsal: every migration in a range goes up, down
 * and up again in a throwaway database, and the schema model is compared
 * after each step: the down must restore exactly the schema before the up
 * (S2 = S0), and the second up the schema after the first (S3 = S1). One
 * pass, three introspections per migration: the cost is linear.
 */
#ifndef BORCH_VERIFY_H
#define BORCH_VERIFY_H

#include "core/migration.h"
#include "driver.h"

typedef enum borch_verify_outcome {
    BORCH_VERIFY_OK,
    BORCH_VERIFY_IRREVERSIBLE,  /* no down section */
    BORCH_VERIFY_UP_FAILED,     /* the up itself does not run */
    BORCH_VERIFY_DOWN_FAILED,   /* the down does not run */
    BORCH_VERIFY_DOWN_DIFFERS,  /* the down leaves the schema other than before the up */
    BORCH_VERIFY_REUP_FAILED,   /* the up cannot run again after the down */
    BORCH_VERIFY_REUP_DIFFERS,  /* the second up gives another schema than the first */
    BORCH_VERIFY_DATA_FAILED,   /* with --with-data: the down fails only when rows exist */
    BORCH_VERIFY_NOT_RUN,       /* an earlier failure left the database unusable */
} borch_verify_outcome;

typedef struct borch_verify_result {
    const borch_migration *migration; /* borrowed from the set */
    borch_verify_outcome outcome;
    char *detail;         /* engine error, or one line per difference; or NULL */
    char *file;           /* where an error is, or NULL */
    int line;
    char *statement;      /* the failing statement, or NULL */
    long long duration_ms;
    long rows;            /* rows generated before the down (--with-data) */
} borch_verify_result;

typedef struct borch_verify_opts {
    const char *from;   /* rehearse the migrations after this version (NULL: all) */
    const char *to;     /* ... up to and including this one (NULL: the last) */
    int with_data;      /* generate rows before each down */
    int rows_per_table; /* default 20 */
    int prefix_applied; /* conn already holds the migrations up to `from` (a template copy) */
    /* Called before each migration, for progress lines; may be NULL. */
    void (*progress)(void *payload, size_t i, size_t n, const borch_migration *m);
    void *payload;
} borch_verify_opts;

/*
 * Rehearses set's migrations on conn, a throwaway database that is empty
 * on entry. Migrations up to opts->from are first applied as they are.
 * *out is an array the caller frees with borch_verify_results_free, one
 * entry per rehearsed migration. Returns 0 when the rehearsal ran (whatever
 * its findings), or an error when setting it up failed (a migration before
 * the range does not apply: that error names its file and line).
 */
int borch_verify_run(borch_conn *conn, const borch_migration_set *set,
                     const borch_verify_opts *opts, borch_verify_result **out, size_t *count,
                     borch_error *err);
void borch_verify_results_free(borch_verify_result *r, size_t count);
const char *borch_verify_outcome_name(borch_verify_outcome o);
/* Whether an outcome fails the rehearsal (everything but ok). Irreversible counts as a failure. */
int borch_verify_failed(borch_verify_outcome o);

#endif
