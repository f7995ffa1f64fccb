/*
 * mysql.c - the MySQL/MariaDB driver's vtable, and the connection: opening
 * it from a URL (host, port, user, password, database, ?socket=, TLS
 * options), the session settings every connection gets, closing, quoting.
 *
 * The other slots live in exec.c, lock.c, introspect.c, scratch.c,
 * explain.c and whatif*.c; mysql_int.h ties them together.
 */
#include "mysql/mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* URL parameters this driver understands; anything else is refused. */
static const char *const known_params[] = {"socket", "ssl-mode", "sslmode", "ssl-ca", NULL};

/* Refuses URL parameters we do not know, so that a typo is not ignored. */
static int check_params(const borch_url *url, const char *masked, borch_error *err)
{
    for (size_t i = 0; i < url->keys.count; i++) {
        int ok = 0;
        for (size_t k = 0; known_params[k]; k++)
            if (strcmp(url->keys.items[i], known_params[k]) == 0)
                ok = 1;
        if (!ok)
            return borch_error_set(err, BORCH_EINPUT,
                                   "unknown parameter '%s' in MySQL URL '%s' (known: socket, "
                                   "ssl-mode, ssl-ca)",
                                   url->keys.items[i], masked);
    }
    return 0;
}

/*
 * Applies ssl-mode (disabled, preferred, required, verify_ca,
 * verify_identity) and ssl-ca. Sets *need_tls when the mode requires TLS:
 * Connector/C quietly goes on without TLS when the server offers none
 * (MDEV-28634), so the caller checks after connecting.
 */
static int set_tls(MYSQL *db, const borch_url *url, const char *masked, int *need_tls,
                   borch_error *err)
{
    *need_tls = 0;
    const char *mode = borch_url_param(url, "ssl-mode");
    if (!mode)
        mode = borch_url_param(url, "sslmode");
    const char *ca = borch_url_param(url, "ssl-ca");
    if (ca)
        mysql_options(db, MYSQL_OPT_SSL_CA, ca);
    if (!mode || strcasecmp(mode, "disabled") == 0 || strcasecmp(mode, "disable") == 0 ||
        strcasecmp(mode, "preferred") == 0 || strcasecmp(mode, "prefer") == 0)
        return 0;
    my_bool yes = 1;
    if (strcasecmp(mode, "required") == 0 || strcasecmp(mode, "require") == 0) {
        mysql_options(db, MYSQL_OPT_SSL_ENFORCE, &yes);
        *need_tls = 1;
        return 0;
    }
    if (strcasecmp(mode, "verify_ca") == 0 || strcasecmp(mode, "verify_identity") == 0 ||
        strcasecmp(mode, "verify-ca") == 0 || strcasecmp(mode, "verify-full") == 0) {
        mysql_options(db, MYSQL_OPT_SSL_ENFORCE, &yes);
        mysql_options(db, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
        *need_tls = 1;
        return 0;
    }
    return borch_error_set(err, BORCH_EINPUT, "unknown ssl-mode '%s' in MySQL URL '%s'", mode,
                           masked);
}

MYSQL *borch_mysql_open(const borch_url *url, int timeout_s, const char *masked, borch_error *err)
{
    if (check_params(url, masked, err))
        return NULL;
    MYSQL *db = mysql_init(NULL);
    if (!db) {
        borch_error_set(err, BORCH_ENOMEM, "cannot allocate a MySQL client handle");
        return NULL;
    }
    unsigned int timeout = timeout_s > 0 ? (unsigned int)timeout_s : 10;
    mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    int need_tls;
    if (set_tls(db, url, masked, &need_tls, err)) {
        mysql_close(db);
        return NULL;
    }
    const char *host = url->host && url->host[0] ? url->host : NULL;
    const char *dbname = url->database && url->database[0] ? url->database : NULL;
    /* No CLIENT_MULTI_STATEMENTS: scripts are split on the client. */
    if (!mysql_real_connect(db, host, url->user, url->password, dbname,
                            url->port > 0 ? (unsigned int)url->port : 0,
                            borch_url_param(url, "socket"), 0)) {
        /* mysql_error names the user, never the password. */
        borch_error_set(err, BORCH_ECONNECT, "cannot connect to '%s': %s", masked, mysql_error(db));
        if (err)
            snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_sqlstate(db));
        mysql_close(db);
        return NULL;
    }
    if (need_tls && !mysql_get_ssl_cipher(db)) {
        borch_error_set(err, BORCH_ECONNECT,
                        "cannot connect to '%s': the server does not offer TLS, which ssl-mode "
                        "requires",
                        masked);
        mysql_close(db);
        return NULL;
    }
    return db;
}

/*
 * Session settings every connection gets: the server's sql_mode plus
 * STRICT_TRANS_TABLES (so bad data fails instead of being truncated), and
 * UTC, so that the timestamps borch-db writes do not depend on the server.
 */
static const char session_sql[] =
    "SET SESSION sql_mode = TRIM(BOTH ',' FROM CONCAT(@@SESSION.sql_mode, ',STRICT_TRANS_TABLES')),"
    " time_zone = '+00:00'";

/* The connect slot: a client connection plus the session settings. */
static int my_connect(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                      borch_error *err)
{
    char *masked = borch_url_mask(url->raw);
    MYSQL *db = borch_mysql_open(url, opts ? opts->connect_timeout_s : 0, masked, err);
    free(masked);
    if (!db)
        return err ? err->code : BORCH_ECONNECT;
    int rc = borch_mysql_run(db, session_sql, err);
    if (rc) {
        mysql_close(db);
        return rc;
    }
    borch_mysql_conn *c = borch_xcalloc(1, sizeof(*c));
    borch_conn_base_init(&c->base, &borch_mysql_driver, url, opts);
    c->db = db;
    c->database = borch_xstrdup(url->database && url->database[0] ? url->database : NULL);
    c->mariadb = strstr(mysql_get_server_info(db), "MariaDB") != NULL;
    c->version = mysql_get_server_version(db);
    *out = &c->base;
    return 0;
}

/* The close slot; accepts NULL. */
static void my_close(borch_conn *conn)
{
    borch_mysql_conn *c = (borch_mysql_conn *)conn;
    if (!c)
        return;
    mysql_close(c->db);
    free(c->database);
    borch_conn_base_release(&c->base);
    free(c);
}

/* "10.11.6-MariaDB-..." or "8.0.36", malloc'd. */
static char *my_server_version(borch_conn *conn)
{
    return borch_xstrdup(mysql_get_server_info(((borch_mysql_conn *)conn)->db));
}

/* Backticks, with backticks inside doubled: `a``b`. */
static char *my_quote_ident(const char *ident)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_putc(&b, '`');
    for (const char *p = ident; *p; p++) {
        if (*p == '`')
            borch_buf_putc(&b, '`');
        borch_buf_putc(&b, *p);
    }
    borch_buf_putc(&b, '`');
    return borch_mysql_take(&b);
}

/* MySQL placeholders are all "?", whatever their position. */
static void my_placeholder(int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "?");
}

static const char *const schemes[] = {"mysql", "mariadb", NULL};

/* render.c: a change list as MySQL/MariaDB DDL (driver.h, render slot). */
int borch_mysql_render(const borch_schema *from, const borch_schema *to,
                       const struct borch_changes *changes, struct borch_buf *out,
                       borch_error *err);

const borch_driver borch_mysql_driver = {
    .abi_version = BORCH_DRIVER_ABI_2,
    .name = "mysql",
    .schemes = schemes,
    .caps =
        BORCH_CAP_ADVISORY_LOCK | BORCH_CAP_SCRATCH | BORCH_CAP_EXPLAIN | BORCH_CAP_WHATIF_SCRATCH,
    .connect = my_connect,
    .close = my_close,
    .server_version = my_server_version,
    .exec_script = borch_mysql_exec_script,
    .query = borch_mysql_query,
    .begin = borch_mysql_begin,
    .commit = borch_mysql_commit,
    .rollback = borch_mysql_rollback,
    .lock = borch_mysql_lock,
    .unlock = borch_mysql_unlock,
    .introspect = borch_mysql_introspect,
    .quote_ident = my_quote_ident,
    .placeholder = my_placeholder,
    .scratch_create = borch_mysql_scratch_create,
    .scratch_drop = borch_mysql_scratch_drop,
    .explain = borch_mysql_explain,
    .render = borch_mysql_render,
    .workload_stats = borch_mysql_workload_stats,
    .index_usage = borch_mysql_index_usage,
    .text_type = "TEXT",
    .key_text_type = "VARCHAR(191)",
    .bigint_type = "BIGINT",
    .whatif_open = borch_mysql_whatif_open,
    .whatif_add_index = borch_mysql_whatif_add_index,
    .whatif_drop_index = borch_mysql_whatif_drop_index,
    .whatif_explain = borch_mysql_whatif_explain,
    .whatif_close = borch_mysql_whatif_close,
};
