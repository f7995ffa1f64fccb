/*
 * pg_scratch.c - throwaway databases for rehearsals and schema loading:
 * CREATE DATABASE "borch_scratch_<pid>_<random>" on the server of a URL,
 * and DROP DATABASE ... WITH (FORCE) afterwards. Only names with that
 * prefix are ever dropped, so a wrong URL cannot remove a real database.
 */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"

#define SCRATCH_PREFIX "borch_scratch_"

/*
 * Connects for administration: to the URL's own database, or to "postgres"
 * when that fails (the URL may name a database that does not exist yet, or
 * the scratch database itself).
 */
static int admin_connect(const borch_url *server, const char *avoid_db, PGconn **out,
                         borch_error *err)
{
    const char *db = server->database;
    if (db && avoid_db && strcmp(db, avoid_db) == 0)
        db = "postgres";
    int rc = pg_open(server, db, 0, out, err);
    if (rc == BORCH_ECONNECT && err && (!db || strcmp(db, "postgres") != 0)) {
        borch_error first = *err;
        first.statement = NULL;
        borch_error_clear(err);
        rc = pg_open(server, "postgres", 0, out, err);
        if (rc) {
            /* the first failure says more (e.g. a wrong password) */
            free(err->statement);
            *err = first;
        }
    }
    return rc;
}

/* 32 random bits: getentropy when the system has it, else time and pid. */
static unsigned random_bits(void)
{
    unsigned r = 0;
    if (getentropy(&r, sizeof(r)) == 0)
        return r;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (unsigned)ts.tv_nsec ^ ((unsigned)getpid() << 16);
}

/* Runs "<head> <quoted name> <tail>". */
static int run_named(PGconn *pg, const char *head, const char *name, const char *tail,
                     borch_error *err)
{
    char *q = PQescapeIdentifier(pg, name, strlen(name));
    if (!q)
        return borch_error_set(err, BORCH_EINPUT, "invalid database name '%s'", name);
    size_t n = strlen(head) + strlen(q) + strlen(tail) + 3;
    char *sql = borch_xmalloc(n);
    snprintf(sql, n, "%s %s %s", head, q, tail);
    PQfreemem(q);
    int rc = pg_run(pg, sql, 0, NULL, NULL, err);
    free(sql);
    return rc;
}

int pg_scratch_create(const borch_url *server, char **out_url, borch_error *err)
{
    *out_url = NULL;
    PGconn *pg;
    int rc = admin_connect(server, NULL, &pg, err);
    if (rc)
        return rc;
    char name[64];
    snprintf(name, sizeof(name), SCRATCH_PREFIX "%ld_%08x", (long)getpid(), random_bits());
    rc = run_named(pg, "CREATE DATABASE", name, "", err);
    PQfinish(pg);
    if (rc) {
        borch_error_hint(err, "the scratch URL's user needs the CREATEDB privilege");
        return rc;
    }
    *out_url = borch_url_with_database(server, name);
    return 0;
}

int pg_scratch_copy(const borch_url *server, const char *from_db, const char *to_db,
                    char **out_url, borch_error *err)
{
    *out_url = NULL;
    char name[64];
    if (to_db)
        snprintf(name, sizeof(name), "%s", to_db);
    else
        snprintf(name, sizeof(name), SCRATCH_PREFIX "%ld_%08x", (long)getpid(), random_bits());
    if (strncmp(name, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) != 0)
        return borch_error_set(err, BORCH_EINPUT,
                               "refusing to create '%s': not a borch-db throwaway name", name);
    PGconn *pg;
    int rc = admin_connect(server, from_db, &pg, err);
    if (rc)
        return rc;
    char *src = PQescapeIdentifier(pg, from_db, strlen(from_db));
    if (!src) {
        PQfinish(pg);
        return borch_error_set(err, BORCH_EINPUT, "invalid database name '%s'", from_db);
    }
    size_t n = strlen(src) + 16;
    char *tail = borch_xmalloc(n);
    snprintf(tail, n, "TEMPLATE %s", src);
    PQfreemem(src);
    rc = run_named(pg, "CREATE DATABASE", name, tail, err);
    free(tail);
    PQfinish(pg);
    if (rc)
        return rc;
    *out_url = borch_url_with_database(server, name);
    return 0;
}

int pg_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err)
{
    borch_url *u;
    int rc = borch_url_parse(scratch_url, NULL, &u, err);
    if (rc)
        return rc;
    if (!u->database || strncmp(u->database, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) != 0) {
        char *masked = borch_url_mask(scratch_url);
        rc = borch_error_set(err, BORCH_EINPUT,
                             "refusing to drop '%s': not a borch-db throwaway database", masked);
        free(masked);
        borch_url_free(u);
        return rc;
    }
    PGconn *pg;
    rc = admin_connect(server, u->database, &pg, err);
    if (rc == 0) {
        rc = run_named(pg, "DROP DATABASE IF EXISTS", u->database, "WITH (FORCE)", err);
        /* FORCE must signal every session in the database; a role that is
         * not superuser may not signal an autovacuum worker (42501). A
         * plain DROP waits for autovacuum instead, a few times. */
        for (int tries = 0; rc && err && strcmp(err->sqlstate, "42501") == 0 && tries < 5; tries++) {
            borch_error_clear(err);
            usleep(200 * 1000);
            rc = run_named(pg, "DROP DATABASE IF EXISTS", u->database, "", err);
        }
        PQfinish(pg);
    }
    borch_url_free(u);
    return rc;
}
