/*
 * runner.c - one migration up or down, with its history row; see runner.h
 * for the rules and why they differ by engine.
 */
#include "util/clock.h"
#include "core/runner.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"




/* Keeps the first error's detail but makes sure it names the file. */
static int fail_at(const borch_section *sec, const borch_migration *m, borch_error *err, int rc)
{
    if (!err->file[0])
        borch_error_at(err, sec->file ? sec->file : m->path, err->line, 0);
    return rc;
}

static borch_history_row row_for(const borch_migration *m, const char *applied_by, char *at,
                                 const char *state)
{
    borch_history_row row = {0};
    row.version = m->version;
    row.name = m->name;
    row.checksum = m->checksum;
    row.applied_at = at;
    row.applied_by = (char *)applied_by;
    row.duration_ms = 0;
    row.state = (char *)state;
    return row;
}

/* Runs the caller's hook, if any. */
static int run_hook(const borch_runner_hook *hook, borch_conn *conn, const borch_migration *m,
                    long long ms, borch_error *err)
{
    return hook && hook->fn ? hook->fn(conn, m, ms, hook->payload, err) : 0;
}

/* Which way a section runs: what is recorded before, on failure and after. */
typedef enum { UP, DOWN } direction;

/* The final record of a section that ran: the row applied, or gone. */
static int record_done(borch_conn *conn, const borch_migration *m, direction dir,
                       const char *applied_by, char *at, long long ms, int row_exists,
                       borch_error *err)
{
    if (dir == DOWN)
        return borch_history_delete(conn, m->version, err);
    if (row_exists)
        return borch_history_set_state(conn, m->version, "applied", NULL, ms, err);
    borch_history_row row = row_for(m, applied_by, at, "applied");
    row.duration_ms = ms;
    return borch_history_insert(conn, &row, err);
}

/*
 * Runs one section of m with its history record, by the rules in runner.h.
 * The caller holds the migration lock and read the history under it, so no
 * other run touches m meanwhile; should one have, the history insert fails
 * on the primary key rather than applying m twice.
 */
static int run_section(borch_conn *conn, const borch_migration *m, direction dir,
                       const char *applied_by, const borch_runner_hook *hook,
                       long long *duration_ms, borch_error *err)
{
    const borch_section *sec = dir == UP ? &m->up : &m->down;
    const char *file = sec->file ? sec->file : m->path;
    char at[32];
    borch_clock_utc(at, sizeof(at));
    *duration_ms = 0;
    int rc;
    int atomic = borch_conn_transactional_ddl(conn) && !sec->notx;

    if (!atomic) {
        /* No atomic DDL: record the attempt first so a crash leaves it visible. */
        if (dir == UP) {
            borch_history_row row = row_for(m, applied_by, at, "dirty");
            rc = borch_history_insert(conn, &row, err);
        } else {
            rc = borch_history_set_state(conn, m->version, "dirty", "rolling back", 0, err);
        }
        if (rc < 0)
            return rc;
    } else if ((rc = borch_conn_begin(conn, err)) < 0) {
        return rc;
    }

    long long t0 = borch_clock_ms();
    rc = borch_conn_exec(conn, sec->sql, file, sec->first_line, err);
    *duration_ms = borch_clock_ms() - t0;
    if (rc < 0) {
        if (atomic) {
            borch_conn_rollback_quietly(conn);
        } else {
            borch_error e2 = {0};
            char *what = err->statement ? err->statement : err->message;
            borch_history_set_state(conn, m->version, "dirty", what, *duration_ms, &e2);
            borch_error_clear(&e2);
            borch_error_hint(err,
                             "the %s stopped part-way and is recorded as dirty: finish or undo it "
                             "by hand, then run 'borch-db repair'",
                             dir == UP ? "migration" : "rollback");
        }
        return fail_at(sec, m, err, rc);
    }

    /* The row's final state and the caller's record commit together. */
    if (!atomic && (rc = borch_conn_begin(conn, err)) < 0)
        return rc;
    if ((rc = record_done(conn, m, dir, applied_by, at, *duration_ms, !atomic, err)) < 0 ||
        (rc = run_hook(hook, conn, m, *duration_ms, err)) < 0) {
        borch_conn_rollback_quietly(conn);
        return rc;
    }
    return borch_conn_commit(conn, err);
}

int borch_runner_apply(borch_conn *conn, const borch_migration *m, const char *applied_by,
                       const borch_runner_hook *hook, long long *duration_ms, borch_error *err)
{
    return run_section(conn, m, UP, applied_by, hook, duration_ms, err);
}

int borch_runner_revert(borch_conn *conn, const borch_migration *m,
                        const borch_runner_hook *hook, long long *duration_ms, borch_error *err)
{
    return run_section(conn, m, DOWN, NULL, hook, duration_ms, err);
}

const char *borch_mig_state_name(borch_mig_state s)
{
    switch (s) {
    case BORCH_MIG_APPLIED: return "applied";
    case BORCH_MIG_PENDING: return "pending";
    case BORCH_MIG_CHANGED: return "changed";
    case BORCH_MIG_MISSING: return "missing";
    case BORCH_MIG_DIRTY: return "dirty";
    }
    return "?";
}

void borch_status_compute(const borch_migration_set *set, const borch_history *h,
                          borch_status_entry **out, size_t *count)
{
    size_t cap = set->count + h->count, n = 0;
    borch_status_entry *e = borch_xcalloc(cap ? cap : 1, sizeof(*e));
    size_t i = 0, j = 0;
    const char *max_applied = NULL;
    for (size_t k = 0; k < h->count; k++)
        if (!max_applied || borch_version_cmp(h->rows[k].version, max_applied) > 0)
            max_applied = h->rows[k].version;
    /* Both lists are in version order: merge them. */
    while (i < set->count || j < h->count) {
        const borch_migration *m = i < set->count ? &set->items[i] : NULL;
        const borch_history_row *r = j < h->count ? &h->rows[j] : NULL;
        int c = !m ? 1 : !r ? -1 : borch_version_cmp(m->version, r->version);
        borch_status_entry *x = &e[n++];
        if (c < 0) {
            x->version = m->version;
            x->name = m->name;
            x->file = m;
            x->state = BORCH_MIG_PENDING;
            x->out_of_order = max_applied && borch_version_cmp(m->version, max_applied) < 0;
            i++;
        } else if (c > 0) {
            x->version = r->version;
            x->name = r->name;
            x->row = r;
            x->state = strcmp(r->state, "dirty") == 0 ? BORCH_MIG_DIRTY : BORCH_MIG_MISSING;
            j++;
        } else {
            x->version = m->version;
            x->name = m->name;
            x->file = m;
            x->row = r;
            if (strcmp(r->state, "dirty") == 0)
                x->state = BORCH_MIG_DIRTY;
            else if (strcmp(r->checksum ? r->checksum : "", m->checksum) != 0)
                x->state = BORCH_MIG_CHANGED;
            else
                x->state = BORCH_MIG_APPLIED;
            i++;
            j++;
        }
    }
    *out = e;
    *count = n;
}
