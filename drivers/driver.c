/*
 * driver.c - the wrappers the core calls instead of the vtable, so that a
 * missing optional slot becomes "not supported by the <name> driver" and the
 * bookkeeping of the base connection lives in one place.
 */
#include "driver.h"

#include <stdlib.h>

#include "util/mem.h"

void borch_plan_release(borch_plan *p)
{
    if (!p)
        return;
    free(p->text);
    free(p->json);
    p->text = p->json = NULL;
}

static int unsupported(const borch_conn *conn, const char *what, borch_error *err)
{
    return borch_error_set(err, BORCH_EUNSUPPORTED, "%s is not supported by the %s driver", what,
                           conn->driver->name);
}

void borch_conn_base_init(borch_conn *conn, const borch_driver *driver, const borch_url *url,
                          const borch_conn_opts *opts)
{
    conn->driver = driver;
    conn->url_masked = borch_url_mask(url->raw);
    conn->schema = borch_xstrdup(opts && opts->schema ? opts->schema : NULL);
    conn->history_table = borch_xstrdup(opts && opts->history_table ? opts->history_table
                                                                     : "borch_schema_history");
    conn->audit_table = borch_xstrdup(opts && opts->audit_table ? opts->audit_table : "borch_audit");
    conn->in_transaction = 0;
}

void borch_conn_base_release(borch_conn *conn)
{
    free(conn->url_masked);
    free(conn->schema);
    free(conn->history_table);
    free(conn->audit_table);
}

int borch_conn_open(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                    borch_error *err)
{
    const borch_driver *d;
    int rc = borch_driver_for_scheme(url->scheme, &d, err);
    if (rc)
        return rc;
    return d->connect(url, opts, out, err);
}

void borch_conn_close(borch_conn *conn)
{
    if (conn)
        conn->driver->close(conn);
}

int borch_conn_exec(borch_conn *conn, const char *sql, const char *file, int first_line,
                    borch_error *err)
{
    return conn->driver->exec_script(conn, sql, file, first_line, err);
}

int borch_conn_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                     borch_row_fn fn, void *payload, borch_error *err)
{
    return conn->driver->query(conn, sql, nparams, params, fn, payload, err);
}

int borch_conn_begin(borch_conn *conn, borch_error *err)
{
    int rc = conn->driver->begin(conn, err);
    if (rc == 0)
        conn->in_transaction = 1;
    return rc;
}

int borch_conn_commit(borch_conn *conn, borch_error *err)
{
    int rc = conn->driver->commit(conn, err);
    conn->in_transaction = 0;
    return rc;
}

int borch_conn_rollback(borch_conn *conn, borch_error *err)
{
    int rc = conn->driver->rollback(conn, err);
    conn->in_transaction = 0;
    return rc;
}

void borch_conn_rollback_quietly(borch_conn *conn)
{
    borch_error e = {0};
    borch_conn_rollback(conn, &e);
    borch_error_clear(&e);
}

int borch_conn_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err)
{
    return conn->driver->lock(conn, name, timeout_ms, err);
}

int borch_conn_unlock(borch_conn *conn, const char *name, borch_error *err)
{
    return conn->driver->unlock(conn, name, err);
}

int borch_conn_introspect(borch_conn *conn, borch_schema **out, borch_error *err)
{
    return conn->driver->introspect(conn, out, err);
}

int borch_conn_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err)
{
    if (!conn->driver->explain)
        return unsupported(conn, "EXPLAIN", err);
    return conn->driver->explain(conn, sql, out, err);
}

int borch_conn_transactional_ddl(const borch_conn *conn)
{
    return (conn->driver->caps & BORCH_CAP_TRANSACTIONAL_DDL) != 0;
}

int borch_scratch_create(const borch_url *server, char **out_url, borch_error *err)
{
    const borch_driver *d;
    int rc = borch_driver_for_scheme(server->scheme, &d, err);
    if (rc)
        return rc;
    if (!d->scratch_create)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "throwaway databases are not supported by the %s driver", d->name);
    return d->scratch_create(server, out_url, err);
}

int borch_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err)
{
    const borch_driver *d;
    int rc = borch_driver_for_scheme(server->scheme, &d, err);
    if (rc)
        return rc;
    if (!d->scratch_drop)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "throwaway databases are not supported by the %s driver", d->name);
    return d->scratch_drop(server, scratch_url, err);
}
