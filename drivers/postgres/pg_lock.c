/*
 * pg_lock.c - the migration lock: a session-level advisory lock on a 64-bit
 * key hashed from the schema and the lock name.
 *
 * The wait is a poll of pg_try_advisory_lock every 100 ms, each poll its own
 * short statement outside any transaction, never a blocking
 * pg_advisory_lock. That is what keeps notx migrations safe: CREATE INDEX
 * CONCURRENTLY waits for every transaction that holds a snapshot to end; a
 * second borch-db blocked inside pg_advisory_lock would be such a
 * transaction, waiting in turn for the lock the first one holds until its
 * migration ends - a deadlock across two sessions. A poller holds no
 * snapshot between polls, so the index build goes on. Being session level,
 * the lock survives the COMMIT of each migration and goes away with the
 * connection if the process dies.
 */
#include "pg_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/mem.h"

long long pg_lock_key(const char *schema, const char *name)
{
    /* FNV-1a 64: stable across builds and platforms, unlike hashtext(). */
    unsigned long long h = 14695981039346656037ULL;
    const char *parts[2] = {schema && *schema ? schema : "public", name};
    for (int i = 0; i < 2; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
            h ^= *p;
            h *= 1099511628211ULL;
        }
        h ^= 0xff; /* separator: ("ab","c") differs from ("a","bc") */
        h *= 1099511628211ULL;
    }
    long long key;
    memcpy(&key, &h, sizeof(key));
    return key;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Runs a one-row boolean query on the key; *out 1 for true. */
static int key_query(PGconn *pg, const char *sql, long long key, int *out, borch_error *err)
{
    char text[32];
    snprintf(text, sizeof(text), "%lld", key);
    const char *params[1] = {text};
    PGresult *res;
    int rc = pg_run(pg, sql, 1, params, &res, err);
    if (rc)
        return rc;
    *out = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return 0;
}

/* Adds "held by pid N (application)" to the hint when the server can tell. */
static void hint_holder(pg_conn *c, long long key, int timeout_ms, borch_error *err)
{
    unsigned long long u;
    memcpy(&u, &key, sizeof(u));
    char classid[16], objid[16];
    snprintf(classid, sizeof(classid), "%u", (unsigned)(u >> 32));
    snprintf(objid, sizeof(objid), "%u", (unsigned)(u & 0xffffffffu));
    const char *params[2] = {classid, objid};
    PGresult *res;
    borch_error scratch = {0};
    int rc = pg_run(c->pg,
                    "SELECT l.pid, coalesce(a.application_name, '') FROM pg_locks l "
                    "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                    "AND l.classid = $1::oid AND l.objid = $2::oid LIMIT 1",
                    2, params, &res, &scratch);
    borch_error_clear(&scratch);
    if (rc == 0 && PQntuples(res) == 1) {
        const char *app = PQgetvalue(res, 0, 1);
        borch_error_hint(err,
                         "the lock is held by server process %s%s%s%s; wait for it to finish "
                         "or raise the lock timeout (now %d ms)",
                         PQgetvalue(res, 0, 0), *app ? " ('" : "", app, *app ? "')" : "",
                         timeout_ms);
    } else {
        borch_error_hint(err, "another borch-db is migrating this database; wait for it to "
                              "finish or raise the lock timeout");
    }
    if (rc == 0)
        PQclear(res);
}

int pg_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err)
{
    pg_conn *c = pg_of(conn);
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return borch_error_set(err, BORCH_EFAIL,
                               "the migration lock '%s' must be taken outside a transaction",
                               name);
    long long key = pg_lock_key(conn->schema, name);
    long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int got = 0;
        int rc = key_query(c->pg, "SELECT pg_try_advisory_lock($1::bigint)", key, &got, err);
        if (rc)
            return rc;
        if (got)
            return 0;
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        sleep_ms(left < 100 ? left : 100);
    }
    if (timeout_ms % 1000 == 0)
        borch_error_set(err, BORCH_ELOCK, "could not take the migration lock within %d s on '%s'",
                        timeout_ms / 1000, conn->url_masked);
    else
        borch_error_set(err, BORCH_ELOCK,
                        "could not take the migration lock within %.1f s on '%s'",
                        timeout_ms / 1000.0, conn->url_masked);
    hint_holder(c, key, timeout_ms, err);
    return BORCH_ELOCK;
}

int pg_unlock(borch_conn *conn, const char *name, borch_error *err)
{
    int released = 0;
    int rc = key_query(pg_of(conn)->pg, "SELECT pg_advisory_unlock($1::bigint)",
                       pg_lock_key(conn->schema, name), &released, err);
    if (rc)
        return rc;
    if (!released)
        return borch_error_set(err, BORCH_EFAIL, "the migration lock '%s' was not held", name);
    return 0;
}
