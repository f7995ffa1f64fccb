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
#include "util/buf.h"
#include "util/mem.h"

int borch_mysql_fail(MYSQL *db, const char *sql, borch_error *err)
{
    borch_error_set(err, BORCH_ESQL, "ERROR %u: %s", mysql_errno(db), mysql_error(db));
    if (err)
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_sqlstate(db));
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


/*
 * Parameters go into the text of the query as literals escaped by
 * mysql_real_escape_string (which follows the connection's character set
 * and NO_BACKSLASH_ESCAPES), not through a prepared statement: a prepared
 * statement costs a second round trip (prepare, then execute) on every
 * call, and borch-db's bookkeeping queries run once per migration, a
 * thousand times in a long run. '?' inside quotes or backticks is left alone.
 */
static int query_with_params(MYSQL *db, const char *sql, int nparams, const char *const *params,
                             borch_row_fn fn, void *payload, borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    int used = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        char c = *p;
        if (quote) {
            borch_buf_putc(&b, c);
            if (c == '\\' && quote != '`' && p[1]) {
                borch_buf_putc(&b, *++p);
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            borch_buf_putc(&b, c);
        } else if (c == '?') {
            if (used >= nparams) {
                borch_buf_release(&b);
                return borch_error_set(err, BORCH_EINPUT, "more placeholders than parameters");
            }
            const char *v = params[used++];
            if (!v) {
                borch_buf_puts(&b, "NULL");
            } else {
                size_t n = strlen(v);
                char *esc = borch_xmalloc(2 * n + 1);
                unsigned long m = mysql_real_escape_string(db, esc, v, (unsigned long)n);
                borch_buf_putc(&b, '\'');
                borch_buf_append(&b, esc, m);
                borch_buf_putc(&b, '\'');
                free(esc);
            }
        } else {
            borch_buf_putc(&b, c);
        }
    }
    if (used != nparams) {
        borch_buf_release(&b);
        return borch_error_set(err, BORCH_EINPUT, "%d parameters given for %d placeholders",
                               nparams, used);
    }
    int rc = mysql_real_query(db, b.data, b.len) != 0 ? borch_mysql_fail(db, sql, err)
                                                      : read_results(db, sql, fn, payload, err);
    borch_buf_release(&b);
    return rc;
}

int borch_mysql_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                      borch_row_fn fn, void *payload, borch_error *err)
{
    MYSQL *db = ((borch_mysql_conn *)conn)->db;
    if (nparams > 0)
        return query_with_params(db, sql, nparams, params, fn, payload, err);
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
