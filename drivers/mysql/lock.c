/*
 * lock.c - the migration lock as a MySQL/MariaDB named lock (GET_LOCK).
 * Such a lock belongs to the session: it survives commits and goes away
 * when the connection does, so a crashed borch-db never leaves it behind.
 * Lock names are server-wide, so the database name is part of the name.
 */
#include "mysql/mysql_int.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void borch_mysql_lock_name(const char *database, const char *name, char out[65])
{
    char full[1024];
    snprintf(full, sizeof(full), "%s.%s", database ? database : "", name);
    size_t n = strlen(full);
    if (n <= 64) {
        memcpy(out, full, n + 1);
        return;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(full, n, md, &mdlen, EVP_sha256(), NULL);
    char hex[41];
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(out, 65, "%.23s-%s", full, hex);
}

/* Keeps the first column of the first row ("1", "0" or NULL as -1). */
static int first_int(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    int *out = payload;
    *out = ncols > 0 && values[0] ? (values[0][0] == '1') : -1;
    return 1;
}

int borch_mysql_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err)
{
    borch_mysql_conn *c = (borch_mysql_conn *)conn;
    char lock_name[65];
    borch_mysql_lock_name(c->database, name, lock_name);
    /*
     * Whole seconds, rounded up. A negative timeout waits without limit:
     * a year, as MariaDB answers NULL to GET_LOCK's own -1.
     */
    int seconds = timeout_ms < 0 ? 31536000 : (int)(((long long)timeout_ms + 999) / 1000);
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT GET_LOCK(?, %d)", seconds);
    const char *params[] = {lock_name};
    int got = -1;
    int rc = borch_mysql_query(conn, sql, 1, params, first_int, &got, err);
    if (rc)
        return rc;
    if (got == 1)
        return 0;
    if (got == 0) {
        borch_error_set(err, BORCH_ELOCK, "could not take the migration lock within %d s", seconds);
        borch_error_hint(err,
                         "another borch-db is migrating '%s'; wait for it or raise the "
                         "lock timeout",
                         conn->url_masked);
        return BORCH_ELOCK;
    }
    return borch_error_set(err, BORCH_ESQL, "GET_LOCK('%s') failed", lock_name);
}

int borch_mysql_unlock(borch_conn *conn, const char *name, borch_error *err)
{
    borch_mysql_conn *c = (borch_mysql_conn *)conn;
    char lock_name[65];
    borch_mysql_lock_name(c->database, name, lock_name);
    const char *params[] = {lock_name};
    int released = -1;
    int rc =
        borch_mysql_query(conn, "SELECT RELEASE_LOCK(?)", 1, params, first_int, &released, err);
    if (rc)
        return rc;
    if (released != 1)
        return borch_error_set(err, BORCH_ELOCK,
                               "the migration lock '%s' was not held by this session", name);
    return 0;
}
