/*
 * pg_driver.c - the PostgreSQL driver instance and its connection: URL parts
 * become libpq keyword/value arrays (the way PostgreSQL's own frontend tools
 * connect, so no value is ever parsed as conninfo syntax), every URL query
 * parameter is passed on as a libpq keyword, and failures are reported with
 * the masked URL and the password scrubbed from libpq's text.
 */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static const char *const schemes[] = {"postgres", "postgresql", NULL};

/* libpq prints notices to stderr by default; a driver never prints. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}


void pg_conn_message(PGconn *pg, const borch_url *url, char *buf, size_t n)
{
    const char *raw = pg ? PQerrorMessage(pg) : "out of memory";
    borch_buf b;
    borch_buf_init(&b);
    /* One line: libpq's text is several lines ending in '\n'. */
    for (const char *p = raw; *p; p++) {
        if (*p == '\n') {
            while (b.len && b.data[b.len - 1] == ' ')
                b.data[--b.len] = '\0';
            if (p[1])
                borch_buf_puts(&b, "; ");
        } else if (*p == ' ' && b.len && b.data[b.len - 1] == ' ') {
            continue; /* "FATAL:  password" */
        } else {
            borch_buf_putc(&b, *p);
        }
    }
    /* libpq never echoes the password (we pass keyword/value arrays, not a
     * conninfo string), so the server's words are kept as they are; only
     * URL-shaped text or a password= keyword in them is masked. Masking
     * the password's characters wherever they occur would garble the
     * message and tell which letters the password is made of. */
    (void)url;
    char *masked = borch_url_mask(b.data);
    snprintf(buf, n, "%s", masked);
    free(masked);
    borch_buf_release(&b);
}

/* True when key is a connection keyword this libpq knows. */
static int known_keyword(const PQconninfoOption *defs, const char *key)
{
    for (const PQconninfoOption *o = defs; o && o->keyword; o++)
        if (strcmp(o->keyword, key) == 0)
            return 1;
    return 0;
}

int pg_open(const borch_url *url, const char *dbname_override, int timeout_s, PGconn **out,
            borch_error *err)
{
    *out = NULL;
    size_t cap = 12 + url->keys.count;
    const char **keys = borch_xcalloc(cap, sizeof(*keys));
    const char **vals = borch_xcalloc(cap, sizeof(*vals));
    char port[16], timeout[16];
    size_t n = 0;
    int rc = 0;

    PQconninfoOption *defs = PQconndefaults();
    for (size_t i = 0; i < url->keys.count; i++) {
        if (!known_keyword(defs, url->keys.items[i])) {
            char *masked = borch_url_mask(url->raw);
            rc = borch_error_set(err, BORCH_EINPUT,
                                 "unknown PostgreSQL connection parameter '%s' in '%s'",
                                 url->keys.items[i], masked);
            borch_error_hint(err, "any libpq keyword may follow '?', e.g. sslmode=disable");
            free(masked);
            goto done;
        }
    }

#define KV(k, v) (keys[n] = (k), vals[n] = (v), n++)
    if (url->host)
        KV("host", url->host);
    if (url->port) {
        snprintf(port, sizeof(port), "%d", url->port);
        KV("port", port);
    }
    if (dbname_override || url->database)
        KV("dbname", dbname_override ? dbname_override : url->database);
    if (url->user)
        KV("user", url->user);
    if (url->password)
        KV("password", url->password);
    KV("fallback_application_name", "borch-db");
    KV("client_encoding", "UTF8");
    if (timeout_s <= 0)
        KV("connect_timeout", "10");
    /* URL parameters come after the parts, so ?host=/run/postgresql wins. */
    for (size_t i = 0; i < url->keys.count; i++) {
        if (dbname_override && strcmp(url->keys.items[i], "dbname") == 0)
            continue;
        KV(url->keys.items[i], url->values.items[i]);
    }
    if (timeout_s > 0) {
        snprintf(timeout, sizeof(timeout), "%d", timeout_s);
        KV("connect_timeout", timeout);
    }
#undef KV
    keys[n] = vals[n] = NULL;

    PGconn *pg = PQconnectdbParams(keys, vals, 0);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        char msg[768];
        char *masked = borch_url_mask(url->raw);
        pg_conn_message(pg, url, msg, sizeof(msg));
        rc = borch_error_set(err, BORCH_ECONNECT, "could not connect to '%s': %s", masked, msg);
        free(masked);
        PQfinish(pg);
        goto done;
    }
    PQsetNoticeProcessor(pg, quiet_notices, NULL);
    PGresult *res = PQexec(pg, "SET client_min_messages = warning");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_result_error(pg, res, err);
        PQclear(res);
        PQfinish(pg);
        goto done;
    }
    PQclear(res);
    *out = pg;

done:
    PQconninfoFree(defs);
    free(keys);
    free(vals);
    return rc;
}

/* Opens the connection and points search_path at the configured schema. */
static int pg_connect(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                      borch_error *err)
{
    PGconn *pg;
    *out = NULL;
    int rc = pg_open(url, NULL, opts ? opts->connect_timeout_s : 0, &pg, err);
    if (rc)
        return rc;
    if (opts && opts->schema && *opts->schema) {
        char *q = PQescapeIdentifier(pg, opts->schema, strlen(opts->schema));
        if (!q) {
            rc = borch_error_set(err, BORCH_EINPUT, "invalid schema name '%s'", opts->schema);
            PQfinish(pg);
            return rc;
        }
        char *sql = borch_xmalloc(strlen(q) + 32);
        sprintf(sql, "SET search_path = %s", q);
        PQfreemem(q);
        rc = pg_run(pg, sql, 0, NULL, NULL, err);
        free(sql);
        if (rc) {
            PQfinish(pg);
            return rc;
        }
    }
    pg_conn *c = borch_xcalloc(1, sizeof(*c));
    borch_conn_base_init(&c->base, &borch_postgres_driver, url, opts);
    c->pg = pg;
    *out = &c->base;
    return 0;
}

/* Ends the session; the server releases the session's advisory locks. */
static void pg_close(borch_conn *conn)
{
    if (!conn)
        return;
    pg_conn *c = pg_of(conn);
    PQfinish(c->pg);
    borch_conn_base_release(conn);
    free(c);
}

/* The server_version the server reported at startup, e.g. "15.18 (Debian ...)". */
static char *pg_server_version(borch_conn *conn)
{
    const char *v = PQparameterStatus(pg_of(conn)->pg, "server_version");
    return borch_xstrdup(v ? v : "");
}

/* PQescapeIdentifier without a connection: always quoted, '"' doubled. */
static char *pg_quote_ident(const char *ident)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_putc(&b, '"');
    for (const char *p = ident; *p; p++) {
        if (*p == '"')
            borch_buf_putc(&b, '"');
        borch_buf_putc(&b, *p);
    }
    borch_buf_putc(&b, '"');
    return b.data;
}

/* PostgreSQL numbers its parameters: $1, $2, ... */
static void pg_placeholder(int i, char *buf, size_t n)
{
    snprintf(buf, n, "$%d", i);
}

/* pg_render.c: the change list as PostgreSQL DDL (driver.h, render slot). */
int pg_render(const borch_schema *from, const borch_schema *to,
              const struct borch_changes *changes, struct borch_buf *out, borch_error *err);

const borch_driver borch_postgres_driver = {
    .abi_version = BORCH_DRIVER_ABI_2,
    .name = "postgres",
    .schemes = schemes,
    .caps = BORCH_CAP_TRANSACTIONAL_DDL | BORCH_CAP_ADVISORY_LOCK | BORCH_CAP_SCRATCH |
            BORCH_CAP_EXPLAIN | BORCH_CAP_HYPO_INDEX,
    .connect = pg_connect,
    .close = pg_close,
    .server_version = pg_server_version,
    .exec_script = pg_exec_script,
    .query = pg_query,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .lock = pg_lock,
    .unlock = pg_unlock,
    .introspect = pg_introspect,
    .quote_ident = pg_quote_ident,
    .placeholder = pg_placeholder,
    .scratch_create = pg_scratch_create,
    .scratch_drop = pg_scratch_drop,
    .scratch_copy = pg_scratch_copy,
    .schema_fingerprint = pg_schema_fingerprint,
    .explain = pg_explain,
    .render = pg_render,
    .whatif_open = pg_whatif_open,
    .whatif_add_index = pg_whatif_add_index,
    .whatif_drop_index = pg_whatif_drop_index,
    .whatif_explain = pg_whatif_explain,
    .whatif_close = pg_whatif_close,
    .text_type = "text",
    .key_text_type = "text",
    .bigint_type = "bigint",
    .workload_stats = pg_workload_stats,
    .index_usage = pg_index_usage,
};
