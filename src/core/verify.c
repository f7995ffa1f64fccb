/*
 * verify.c - the rehearsal loop; see verify.h for what it proves. The
 * schema after one migration's second up is the schema before the next
 * one's up, so each step costs three introspections, not four.
 */
#include "util/clock.h"
#include "core/verify.h"

#include <stdlib.h>
#include <string.h>

#include "datagen.h"
#include "core/source.h"
#include "util/buf.h"
#include "util/mem.h"


const char *borch_verify_outcome_name(borch_verify_outcome o)
{
    switch (o) {
    case BORCH_VERIFY_OK: return "ok";
    case BORCH_VERIFY_IRREVERSIBLE: return "irreversible";
    case BORCH_VERIFY_UP_FAILED: return "up fails";
    case BORCH_VERIFY_DOWN_FAILED: return "down fails";
    case BORCH_VERIFY_DOWN_DIFFERS: return "down leaves differences";
    case BORCH_VERIFY_REUP_FAILED: return "up cannot run again after down";
    case BORCH_VERIFY_REUP_DIFFERS: return "second up differs";
    case BORCH_VERIFY_DATA_FAILED: return "down fails with data";
    case BORCH_VERIFY_NOT_RUN: return "not run";
    }
    return "?";
}

int borch_verify_failed(borch_verify_outcome o)
{
    return o != BORCH_VERIFY_OK;
}

void borch_verify_results_free(borch_verify_result *r, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(r[i].detail);
        free(r[i].file);
        free(r[i].statement);
    }
    free(r);
}

/* Keeps an engine error's detail in the result. */
static void take_error(borch_verify_result *r, borch_verify_outcome o, const borch_error *e)
{
    r->outcome = o;
    r->detail = borch_xstrdup(e->message);
    r->file = e->file[0] ? borch_xstrdup(e->file) : NULL;
    r->line = e->line;
    r->statement = borch_xstrdup(e->statement);
}

/* Introspects conn into *out, sorted. */
static int snapshot(borch_conn *conn, borch_schema **out, borch_error *err)
{
    int rc = borch_conn_introspect(conn, out, err);
    if (rc == 0)
        borch_schema_sort(*out);
    return rc;
}

/* Differences between two snapshots as lines, or NULL when equal. */
static char *differences(const borch_schema *want, const borch_schema *got)
{
    borch_buf b;
    borch_buf_init(&b);
    if (borch_schema_compare(want, got, &b) == 0) {
        borch_buf_release(&b);
        return NULL;
    }
    if (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    return b.data;
}

/*
 * With --with-data: rows in every table, then the down once more. The
 * structural rehearsal already passed without rows, so a failure here is
 * one that only data brings out. On engines with transactional DDL the
 * failed down rolls back and the rehearsal goes on; a down that succeeds is
 * followed by the up again, to leave the database where it was.
 * Returns 0 to go on, 1 when the database is no longer usable.
 */
static int rehearse_with_data(borch_conn *conn, const borch_migration *m, const borch_schema *s1,
                              const borch_verify_opts *opts, borch_verify_result *r)
{
    borch_error e = {0};
    long rows = 0;
    if (borch_datagen_fill(conn, s1, opts->rows_per_table > 0 ? opts->rows_per_table : 20, &rows,
                           &e) < 0) {
        take_error(r, BORCH_VERIFY_DATA_FAILED, &e);
        borch_error_clear(&e);
        return 1;
    }
    r->rows = rows;
    if (borch_exec_section(conn, m, 1, &e) < 0) {
        take_error(r, BORCH_VERIFY_DATA_FAILED, &e);
        borch_error_clear(&e);
        return borch_conn_transactional_ddl(conn) && !m->down.notx ? 0 : 1;
    }
    if (borch_exec_section(conn, m, 0, &e) < 0) {
        take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
        borch_error_clear(&e);
        return 1;
    }
    return 0;
}

/* Runs a section's statements on conn as they are, without a transaction of its own. */
static int exec_plain(borch_conn *conn, const borch_migration *m, int down, borch_error *err)
{
    const borch_section *sec = down ? &m->down : &m->up;
    int rc = borch_conn_exec(conn, sec->sql, sec->file ? sec->file : m->path, sec->first_line, err);
    if (rc < 0 && !err->file[0])
        borch_error_at(err, sec->file ? sec->file : m->path, err->line, 0);
    return rc;
}


/*
 * A cheap fingerprint of the schema where the driver has one (SQLite: a
 * hash of sqlite_master, from which SQLite derives the whole schema): equal
 * fingerprints mean equal schemas, so the comparison needs no introspection
 * in the usual case of a down and an up that do their job. "" when none.
 */
static void fingerprint(borch_conn *conn, char out[65])
{
    out[0] = '\0';
    if (!conn->driver->schema_fingerprint)
        return;
    borch_error e = {0};
    if (conn->driver->schema_fingerprint(conn, out, &e) < 0)
        out[0] = '\0';
    borch_error_clear(&e);
}

/* Whether the schema now is the one fingerprinted as known (never when unknown). */
static int unchanged_since(borch_conn *conn, const char *known)
{
    if (!known[0])
        return 0;
    char now[65];
    fingerprint(conn, now);
    return now[0] && strcmp(now, known) == 0;
}

/*
 * down, S2 = S0?, up again, S3 = S1? inside one transaction that is then
 * rolled back: the database is back after the first up whatever happened,
 * so one broken down never hides the findings of the migrations after it.
 * Only for engines with transactional DDL and sections that are not notx.
 */
static int rehearse_in_tx(borch_conn *conn, const borch_migration *m, const borch_schema *s0,
                          const borch_schema *s1, const char *fp0, const char *fp1,
                          borch_verify_result *r, borch_error *err)
{
    borch_error e = {0};
    borch_schema *s2 = NULL, *s3 = NULL;
    int rc = borch_conn_begin(conn, err);
    if (rc < 0)
        return rc;
    if (exec_plain(conn, m, 1, &e) < 0) {
        take_error(r, BORCH_VERIFY_DOWN_FAILED, &e);
    } else if (!unchanged_since(conn, fp0) && (rc = snapshot(conn, &s2, err)) < 0) {
        /* error below */
    } else if (s2 && (r->detail = differences(s0, s2)) != NULL) {
        r->outcome = BORCH_VERIFY_DOWN_DIFFERS;
    } else if (exec_plain(conn, m, 0, &e) < 0) {
        take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
    } else if (!unchanged_since(conn, fp1) && (rc = snapshot(conn, &s3, err)) < 0) {
        /* error below */
    } else if (s3 && (r->detail = differences(s1, s3)) != NULL) {
        r->outcome = BORCH_VERIFY_REUP_DIFFERS;
    } else {
        r->outcome = BORCH_VERIFY_OK;
    }
    borch_conn_rollback_quietly(conn);
    borch_error_clear(&e);
    borch_schema_free(s2);
    borch_schema_free(s3);
    return rc;
}

/*
 * The same steps committed one by one, for MySQL and notx sections, where
 * nothing rolls back. Returns 1 in *broken when the database no longer
 * stands after this migration's up, so the rest cannot be rehearsed.
 */
static int rehearse_committed(borch_conn *conn, const borch_migration *m, const borch_schema *s0,
                              const borch_schema *s1, borch_verify_result *r, int *broken,
                              borch_error *err)
{
    borch_error e = {0};
    borch_schema *s2 = NULL, *s3 = NULL;
    int rc = 0;
    if (borch_exec_section(conn, m, 1, &e) < 0) {
        take_error(r, BORCH_VERIFY_DOWN_FAILED, &e);
        *broken = 1;
    } else if ((rc = snapshot(conn, &s2, err)) < 0) {
        /* error below */
    } else {
        r->detail = differences(s0, s2);
        if (borch_exec_section(conn, m, 0, &e) < 0) {
            if (!r->detail)
                take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
            else
                r->outcome = BORCH_VERIFY_DOWN_DIFFERS;
            *broken = 1;
        } else if ((rc = snapshot(conn, &s3, err)) < 0) {
            /* error below */
        } else {
            char *again = differences(s1, s3);
            if (r->detail) {
                r->outcome = BORCH_VERIFY_DOWN_DIFFERS;
                *broken = again != NULL;
                free(again);
            } else if (again) {
                r->outcome = BORCH_VERIFY_REUP_DIFFERS;
                r->detail = again;
                *broken = 1;
            } else {
                r->outcome = BORCH_VERIFY_OK;
            }
        }
    }
    borch_error_clear(&e);
    borch_schema_free(s2);
    borch_schema_free(s3);
    return rc;
}

/*
 * The rehearsal on an engine with transactional DDL and a schema
 * fingerprint (SQLite), where a migration costs no introspection at all
 * when its down and second up do their job: up, down and up run in one
 * transaction, fingerprints stand in for the models, and the transaction
 * commits the state after the second up (the same schema as after the
 * first). Only a mismatch pays: the transaction is rolled back to before
 * the up, the models are read, and the up is applied again.
 * Returns 0, or an error from introspection; *broken as elsewhere.
 */
static int rehearse_fast(borch_conn *conn, const borch_migration *m, const char *fp0,
                         const borch_verify_opts *opts, borch_verify_result *r, int *broken,
                         borch_error *err)
{
    borch_error e = {0};
    borch_schema *before = NULL, *after_down = NULL, *after_up = NULL, *again = NULL;
    char fp1[65];
    int rc = borch_conn_begin(conn, err);
    if (rc < 0)
        return rc;
    int redo_up = 0; /* rolled back to before the up: apply it again, committed */
    if (exec_plain(conn, m, 0, &e) < 0) {
        take_error(r, BORCH_VERIFY_UP_FAILED, &e);
        borch_conn_rollback_quietly(conn);
        *broken = 1;
        goto done;
    }
    fingerprint(conn, fp1);
    if (!m->has_down) {
        r->outcome = BORCH_VERIFY_IRREVERSIBLE;
        rc = borch_conn_commit(conn, err);
        goto done;
    }
    if (exec_plain(conn, m, 1, &e) < 0) {
        take_error(r, BORCH_VERIFY_DOWN_FAILED, &e);
        borch_conn_rollback_quietly(conn);
        redo_up = 1;
        goto done;
    }
    if (!unchanged_since(conn, fp0)) {
        /* Read the state after the down, then the one before the up. */
        if ((rc = snapshot(conn, &after_down, err)) < 0) {
            borch_conn_rollback_quietly(conn);
            goto done;
        }
        borch_conn_rollback_quietly(conn);
        redo_up = 1;
        if ((rc = snapshot(conn, &before, err)) < 0)
            goto done;
        if ((r->detail = differences(before, after_down)) != NULL) {
            r->outcome = BORCH_VERIFY_DOWN_DIFFERS;
            goto done;
        }
        /* Equal models in other words (a CREATE statement spelled anew):
         * rehearse the second up the slow way. */
        borch_conn_begin(conn, err);
        if ((rc = exec_plain(conn, m, 0, &e)) == 0 && (rc = snapshot(conn, &after_up, err)) == 0 &&
            (rc = exec_plain(conn, m, 1, &e)) == 0)
            rc = exec_plain(conn, m, 0, &e);
        if (rc == BORCH_ESQL || (rc < 0 && e.message[0])) {
            take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
            borch_conn_rollback_quietly(conn);
            rc = 0;
            goto done;
        }
        if (rc == 0 && (rc = snapshot(conn, &again, err)) == 0 &&
            (r->detail = differences(after_up, again)) != NULL)
            r->outcome = BORCH_VERIFY_REUP_DIFFERS;
        else if (rc == 0)
            r->outcome = BORCH_VERIFY_OK;
        borch_conn_rollback_quietly(conn);
        goto done;
    }
    if (exec_plain(conn, m, 0, &e) < 0) {
        take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
        borch_conn_rollback_quietly(conn);
        redo_up = 1;
        goto done;
    }
    if (!unchanged_since(conn, fp1)) {
        if ((rc = snapshot(conn, &again, err)) < 0) {
            borch_conn_rollback_quietly(conn);
            goto done;
        }
        borch_conn_rollback_quietly(conn);
        redo_up = 1;
        if ((rc = borch_exec_section(conn, m, 0, &e)) < 0) {
            take_error(r, BORCH_VERIFY_REUP_FAILED, &e);
            redo_up = 0;
            *broken = 1;
            rc = 0;
            goto done;
        }
        redo_up = 0;
        if ((rc = snapshot(conn, &after_up, err)) < 0)
            goto done;
        r->detail = differences(after_up, again);
        r->outcome = r->detail ? BORCH_VERIFY_REUP_DIFFERS : BORCH_VERIFY_OK;
        goto done;
    }
    r->outcome = BORCH_VERIFY_OK;
    rc = borch_conn_commit(conn, err);
done:
    if (rc == 0 && redo_up && borch_exec_section(conn, m, 0, &e) < 0)
        *broken = 1;
    if (rc == 0 && !*broken && opts->with_data && r->outcome == BORCH_VERIFY_OK) {
        borch_schema *now = NULL;
        if ((rc = snapshot(conn, &now, err)) == 0)
            *broken = rehearse_with_data(conn, m, now, opts, r);
        borch_schema_free(now);
    }
    borch_error_clear(&e);
    borch_schema_free(before);
    borch_schema_free(after_down);
    borch_schema_free(after_up);
    borch_schema_free(again);
    return rc;
}

int borch_verify_run(borch_conn *conn, const borch_migration_set *set,
                     const borch_verify_opts *opts, borch_verify_result **out, size_t *count,
                     borch_error *err)
{
    *out = NULL;
    *count = 0;
    size_t first = 0, last = set->count;
    for (size_t i = 0; i < set->count; i++) {
        if (opts->from && borch_version_cmp(set->items[i].version, opts->from) <= 0)
            first = i + 1;
        if (opts->to && borch_version_cmp(set->items[i].version, opts->to) > 0 && last > i)
            last = i;
    }
    if (last < first)
        last = first;
    int rc;
    if (opts->from && !opts->prefix_applied && (rc = borch_replay(conn, set, opts->from, err)) < 0)
        return rc;

    size_t n = last - first;
    borch_verify_result *res = borch_xcalloc(n ? n : 1, sizeof(*res));
    borch_schema *s0 = NULL;
    if ((rc = snapshot(conn, &s0, err)) < 0) {
        free(res);
        return rc;
    }
    int broken = 0; /* the database no longer stands where the migrations say */
    char fp0[65], fp1[65];
    fingerprint(conn, fp0);
    /* Fingerprints and transactional DDL: no model needed unless something is wrong. */
    int fast = fp0[0] && borch_conn_transactional_ddl(conn);
    int s0_stale = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const borch_migration *m = &set->items[first + k];
        borch_verify_result *r = &res[k];
        r->migration = m;
        if (broken) {
            r->outcome = BORCH_VERIFY_NOT_RUN;
            continue;
        }
        if (opts->progress)
            opts->progress(opts->payload, k, n, m);
        long long t0 = borch_clock_ms();
        borch_error e = {0};
        borch_schema *s1 = NULL;
        if (fast && !m->up.notx && !m->down.notx) {
            rc = rehearse_fast(conn, m, fp0, opts, r, &broken, err);
            r->duration_ms = borch_clock_ms() - t0;
            fingerprint(conn, fp0);
            s0_stale = 1;
            continue;
        }
        if (s0_stale) { /* the slow path compares models: read the one fingerprints stood for */
            borch_schema_free(s0);
            s0 = NULL;
            if ((rc = snapshot(conn, &s0, err)) < 0)
                break;
            s0_stale = 0;
        }
        if (borch_exec_section(conn, m, 0, &e) < 0) {
            take_error(r, BORCH_VERIFY_UP_FAILED, &e);
            broken = 1;
        } else if ((rc = snapshot(conn, &s1, err)) < 0) {
            /* ends the loop */
        } else if (!m->has_down) {
            r->outcome = BORCH_VERIFY_IRREVERSIBLE;
        } else if (borch_conn_transactional_ddl(conn) && !m->up.notx && !m->down.notx) {
            fingerprint(conn, fp1);
            rc = rehearse_in_tx(conn, m, s0, s1, fp0, fp1, r, err);
        } else {
            rc = rehearse_committed(conn, m, s0, s1, r, &broken, err);
        }
        if (rc == 0 && !broken && opts->with_data && r->outcome == BORCH_VERIFY_OK)
            broken = rehearse_with_data(conn, m, s1, opts, r);
        borch_error_clear(&e);
        r->duration_ms = borch_clock_ms() - t0;
        /* The database stands after this migration's up: the next S0. */
        if (s1) {
            borch_schema_free(s0);
            s0 = s1;
            fingerprint(conn, fp0);
        }
    }
    borch_schema_free(s0);
    if (rc < 0) {
        borch_verify_results_free(res, n);
        return rc;
    }
    *out = res;
    *count = n;
    return 0;
}
