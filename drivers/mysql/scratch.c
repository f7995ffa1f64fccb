/*
 * scratch.c - throwaway databases for rehearsals and schema loading: a
 * database named borch_scratch_<pid>_<random> on the server of a URL, and
 * its removal. Dropping refuses any database not named like that, so a
 * wrong URL can never drop real data.
 */
#include "mysql/mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"

#define SCRATCH_PREFIX "borch_scratch_"

/* Random bits for the name; the clock when the kernel has none to give. */
static unsigned int random_bits(void)
{
    unsigned int r;
    if (getentropy(&r, sizeof(r)) == 0)
        return r;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (unsigned int)ts.tv_nsec ^ (unsigned int)ts.tv_sec;
}

/* Connects to the server of url without selecting its database, which may
 * not exist yet (a target that was never migrated). */
static MYSQL *open_server(const borch_url *url, borch_error *err)
{
    borch_url server_only = *url; /* shallow: only read, never freed */
    server_only.database = NULL;
    char *masked = borch_url_mask(url->raw);
    MYSQL *db = borch_mysql_open(&server_only, 10, masked, err);
    free(masked);
    return db;
}

int borch_mysql_scratch_create(const borch_url *server, char **out_url, borch_error *err)
{
    MYSQL *db = open_server(server, err);
    if (!db)
        return err ? err->code : BORCH_ECONNECT;
    char name[64];
    snprintf(name, sizeof(name), SCRATCH_PREFIX "%ld_%08x", (long)getpid(), random_bits());
    char sql[160];
    snprintf(sql, sizeof(sql), "CREATE DATABASE `%s` CHARACTER SET utf8mb4", name);
    int rc = borch_mysql_run(db, sql, err);
    mysql_close(db);
    if (rc)
        return rc;
    *out_url = borch_url_with_database(server, name);
    return 0;
}

int borch_mysql_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err)
{
    borch_url *u = NULL;
    int rc = borch_url_parse(scratch_url, NULL, &u, err);
    if (rc)
        return rc;
    const char *name = u->database ? u->database : "";
    if (strncmp(name, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) != 0 || strchr(name, '`')) {
        rc = borch_error_set(err, BORCH_EINPUT,
                             "refusing to drop '%s': not a throwaway database of borch-db", name);
        goto done;
    }
    MYSQL *db = open_server(server, err);
    if (!db) {
        rc = err ? err->code : BORCH_ECONNECT;
        goto done;
    }
    char sql[1100];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS `%s`", name);
    rc = borch_mysql_run(db, sql, err);
    mysql_close(db);
done:
    borch_url_free(u);
    return rc;
}
