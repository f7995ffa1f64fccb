/*
 * exec.c - running SQL on a MySQL/MariaDB connection: scripts (split on the
 * client, one mysql_real_query each), single queries (text protocol without
 * parameters, prepared statements with them), and transactions.
 *
 * Rows reach the caller through borch_row_fn; the pointers belong to the
 * client library or to buffers freed here, and live only for the call.
 */
#include "mysql/mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql/split.h"
#include "util/mem.h"

int borch_mysql_fail(MYSQL *db, const char *sql, borch_error *err)
{
    borch_error_set(err, BORCH_ESQL, "ERROR %u: %s", mysql_errno(db), mysql_error(db));
    if (err)
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_sqlstate(db));
    borch_error_statement(err, sql);
    return BORCH_ESQL;
}

/* The same for an error on a prepared statement handle. */
static int stmt_fail(MYSQL_STMT *st, const char *sql, borch_error *err)
{
    borch_error_set(err, BORCH_ESQL, "ERROR %u: %s", mysql_stmt_errno(st), mysql_stmt_error(st));
    if (err)
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_stmt_sqlstate(st));
    borch_error_statement(err, sql);
    return BORCH_ESQL;
}

/*
 * Reads every result set the last statement produced (a CALL may produce
 * several), handing rows to fn until it asks to stop; the rest is read and
 * dropped so the connection is ready for the next statement.
 */
static int read_results(MYSQL *db, const char *sql, borch_row_fn fn, void *payload,
                        borch_error *err)
{
    int stop = 0;
    for (;;) {
        MYSQL_RES *res = mysql_store_result(db);
        if (res) {
            unsigned int n = mysql_num_fields(res);
            MYSQL_FIELD *fields = mysql_fetch_fields(res);
            const char **names = borch_xcalloc(n ? n : 1, sizeof(*names));
            for (unsigned int i = 0; i < n; i++)
                names[i] = fields[i].name;
            MYSQL_ROW row;
            while (fn && !stop && (row = mysql_fetch_row(res)) != NULL)
                stop = fn(payload, (int)n, names, (const char *const *)row) != 0;
            free(names);
            mysql_free_result(res);
        } else if (mysql_field_count(db) != 0) {
            return borch_mysql_fail(db, sql, err);
        }
        int more = mysql_next_result(db);
        if (more > 0)
            return borch_mysql_fail(db, sql, err);
        if (more < 0)
            return 0;
    }
}

int borch_mysql_run(MYSQL *db, const char *sql, borch_error *err)
{
    if (mysql_real_query(db, sql, strlen(sql)) != 0)
        return borch_mysql_fail(db, sql, err);
    return read_results(db, sql, NULL, NULL, err);
}

int borch_mysql_exec_script(borch_conn *conn, const char *sql, const char *file, int first_line,
                            borch_error *err)
{
    borch_mysql_conn *c = (borch_mysql_conn *)conn;
    borch_mysql_stmts stmts = {0};
    /* The server tells whether sql_mode has NO_BACKSLASH_ESCAPES right now. */
    unsigned flags = (c->db->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES)
                         ? BORCH_MYSQL_SPLIT_NO_BACKSLASH_ESCAPES
                         : 0;
    int rc = borch_mysql_split(sql, first_line, flags, &stmts, err);
    if (rc) {
        borch_error_at(err, file, err ? err->line : 0, 0);
        goto done;
    }
    for (size_t i = 0; i < stmts.count; i++) {
        rc = borch_mysql_run(c->db, stmts.items[i].sql, err);
        if (rc) {
            borch_error_at(err, file, stmts.items[i].line, 0);
            goto done;
        }
    }
done:
    borch_mysql_stmts_release(&stmts);
    return rc;
}

/* Output buffers of a prepared statement's result, one per column. */
typedef struct out_cols {
    MYSQL_BIND *bind;
    char **buf;
    unsigned long *len;
    my_bool *isnull;
    my_bool *error;
    const char **names;
    const char **values;
    unsigned int n;
} out_cols;

/* Frees the buffers of out_cols_bind (safe on a zeroed one). */
static void out_cols_release(out_cols *o)
{
    for (unsigned int i = 0; i < o->n; i++)
        free(o->buf[i]);
    free(o->bind);
    free(o->buf);
    free(o->len);
    free(o->isnull);
    free(o->error);
    free(o->names);
    free(o->values);
}

/* Binds every column as a string buffer sized by the stored max_length. */
static void out_cols_bind(out_cols *o, MYSQL_RES *meta)
{
    unsigned int n = mysql_num_fields(meta);
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    unsigned int m = n ? n : 1;
    o->n = n;
    o->bind = borch_xcalloc(m, sizeof(*o->bind));
    o->buf = borch_xcalloc(m, sizeof(*o->buf));
    o->len = borch_xcalloc(m, sizeof(*o->len));
    o->isnull = borch_xcalloc(m, sizeof(*o->isnull));
    o->error = borch_xcalloc(m, sizeof(*o->error));
    o->names = borch_xcalloc(m, sizeof(*o->names));
    o->values = borch_xcalloc(m, sizeof(*o->values));
    for (unsigned int i = 0; i < n; i++) {
        /* 64 at least: numbers and dates are converted to text into it. */
        unsigned long cap = fields[i].max_length + 1 > 64 ? fields[i].max_length + 1 : 64;
        o->names[i] = fields[i].name;
        o->buf[i] = borch_xmalloc(cap);
        o->bind[i].buffer_type = MYSQL_TYPE_STRING;
        o->bind[i].buffer = o->buf[i];
        o->bind[i].buffer_length = cap;
        o->bind[i].length = &o->len[i];
        o->bind[i].is_null = &o->isnull[i];
        o->bind[i].error = &o->error[i];
    }
}

/*
 * Turns the fetched row into C strings. A value longer than its buffer
 * (max_length is a hint, not a promise) is fetched again into a larger one,
 * and the bigger buffer is bound for the rows after.
 */
static int out_cols_row(out_cols *o, MYSQL_STMT *st, int *rebind)
{
    for (unsigned int i = 0; i < o->n; i++) {
        if (o->isnull[i]) {
            o->values[i] = NULL;
            continue;
        }
        if (o->len[i] >= o->bind[i].buffer_length) {
            free(o->buf[i]);
            o->buf[i] = borch_xmalloc(o->len[i] + 1);
            o->bind[i].buffer = o->buf[i];
            o->bind[i].buffer_length = o->len[i] + 1;
            if (mysql_stmt_fetch_column(st, &o->bind[i], i, 0) != 0)
                return -1;
            *rebind = 1;
        }
        o->buf[i][o->len[i]] = '\0';
        o->values[i] = o->buf[i];
    }
    return 0;
}

/* A query with parameters, through the prepared statement API. */
static int query_prepared(MYSQL *db, const char *sql, int nparams, const char *const *params,
                          borch_row_fn fn, void *payload, borch_error *err)
{
    int rc = 0;
    MYSQL_RES *meta = NULL;
    MYSQL_BIND *in = NULL;
    unsigned long *in_len = NULL;
    out_cols out = {0};
    MYSQL_STMT *st = mysql_stmt_init(db);
    if (!st)
        return borch_mysql_fail(db, sql, err);
    if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
        rc = stmt_fail(st, sql, err);
        goto done;
    }
    if (mysql_stmt_param_count(st) != (unsigned long)nparams) {
        rc = borch_error_set(err, BORCH_EINPUT, "statement has %lu placeholders but %d values",
                             mysql_stmt_param_count(st), nparams);
        borch_error_statement(err, sql);
        goto done;
    }
    in = borch_xcalloc((size_t)nparams, sizeof(*in));
    in_len = borch_xcalloc((size_t)nparams, sizeof(*in_len));
    for (int i = 0; i < nparams; i++) {
        if (!params[i]) {
            in[i].buffer_type = MYSQL_TYPE_NULL;
            continue;
        }
        in_len[i] = strlen(params[i]);
        in[i].buffer_type = MYSQL_TYPE_STRING;
        in[i].buffer = (void *)params[i];
        in[i].buffer_length = in_len[i];
        in[i].length = &in_len[i];
    }
    my_bool yes = 1;
    if (mysql_stmt_bind_param(st, in) != 0 ||
        mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &yes) != 0 ||
        mysql_stmt_execute(st) != 0) {
        rc = stmt_fail(st, sql, err);
        goto done;
    }
    meta = mysql_stmt_result_metadata(st);
    if (!meta)
        goto done; /* no result set: INSERT, UPDATE, ... */
    if (mysql_stmt_store_result(st) != 0) {
        rc = stmt_fail(st, sql, err);
        goto done;
    }
    out_cols_bind(&out, meta);
    if (mysql_stmt_bind_result(st, out.bind) != 0) {
        rc = stmt_fail(st, sql, err);
        goto done;
    }
    for (;;) {
        int f = mysql_stmt_fetch(st);
        if (f == MYSQL_NO_DATA)
            break;
        if (f == 1) {
            rc = stmt_fail(st, sql, err);
            goto done;
        }
        int rebind = 0;
        if (out_cols_row(&out, st, &rebind) != 0 ||
            (rebind && mysql_stmt_bind_result(st, out.bind) != 0)) {
            rc = stmt_fail(st, sql, err);
            goto done;
        }
        if (fn && fn(payload, (int)out.n, out.names, out.values) != 0)
            break;
    }
done:
    out_cols_release(&out);
    if (meta)
        mysql_free_result(meta);
    free(in);
    free(in_len);
    mysql_stmt_close(st);
    return rc;
}

int borch_mysql_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                      borch_row_fn fn, void *payload, borch_error *err)
{
    MYSQL *db = ((borch_mysql_conn *)conn)->db;
    if (nparams > 0)
        return query_prepared(db, sql, nparams, params, fn, payload, err);
    if (mysql_real_query(db, sql, strlen(sql)) != 0)
        return borch_mysql_fail(db, sql, err);
    return read_results(db, sql, fn, payload, err);
}

int borch_mysql_begin(borch_conn *conn, borch_error *err)
{
    return borch_mysql_run(((borch_mysql_conn *)conn)->db, "START TRANSACTION", err);
}

int borch_mysql_commit(borch_conn *conn, borch_error *err)
{
    return borch_mysql_run(((borch_mysql_conn *)conn)->db, "COMMIT", err);
}

int borch_mysql_rollback(borch_conn *conn, borch_error *err)
{
    return borch_mysql_run(((borch_mysql_conn *)conn)->db, "ROLLBACK", err);
}
