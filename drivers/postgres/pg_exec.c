/*
 * pg_exec.c - running SQL on PostgreSQL: scripts of many statements split
 * the way the server's grammar sees them (libpg_query), single statements
 * with text parameters, and transaction control. Every helper checks the
 * result status it expects, fills the borch_error from the server's
 * diagnostic fields and clears the result on every path.
 *
 * Why split at all: one PQexec of a whole script runs it as one implicit
 * transaction, so CREATE INDEX CONCURRENTLY (notx migrations) would fail,
 * and an error would not say which statement broke. Each statement is sent
 * on its own, and its line in the file is known from its offset.
 */
#include "pg_internal.h"

#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

int pg_result_error(PGconn *pg, const PGresult *res, borch_error *err)
{
    if (PQstatus(pg) == CONNECTION_BAD) {
        char msg[768];
        pg_conn_message(pg, NULL, msg, sizeof(msg));
        return borch_error_set(err, BORCH_ECONNECT, "lost the connection to the server: %s", msg);
    }
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    if (primary) {
        borch_error_set(err, BORCH_ESQL, "%s", primary);
    } else {
        char msg[768];
        pg_conn_message(pg, NULL, msg, sizeof(msg));
        borch_error_set(err, BORCH_ESQL, "%s", msg[0] ? msg : "the server refused the statement");
    }
    if (err) {
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state ? state : "");
        if (hint)
            borch_error_hint(err, "%s", hint);
    }
    return BORCH_ESQL;
}

int pg_run(PGconn *pg, const char *sql, int nparams, const char *const *params, PGresult **out,
           borch_error *err)
{
    if (out)
        *out = NULL;
    PGresult *res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = pg_result_error(pg, res, err);
        borch_error_statement(err, sql);
        PQclear(res);
        return rc;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return 0;
}

/* Number of '\n' in s[0, end). */
static int count_lines(const char *s, size_t end)
{
    int n = 0;
    for (size_t i = 0; i < end && s[i]; i++)
        if (s[i] == '\n')
            n++;
    return n;
}

/* Offset of the first token at or after pos: skips blanks, -- and nested comments. */
static size_t skip_blank(const char *s, size_t pos, size_t end)
{
    while (pos < end) {
        char c = s[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pos++;
        } else if (c == '-' && pos + 1 < end && s[pos + 1] == '-') {
            while (pos < end && s[pos] != '\n')
                pos++;
        } else if (c == '/' && pos + 1 < end && s[pos + 1] == '*') {
            int depth = 1;
            pos += 2;
            while (pos < end && depth > 0) {
                if (s[pos] == '/' && pos + 1 < end && s[pos + 1] == '*') {
                    depth++;
                    pos += 2;
                } else if (s[pos] == '*' && pos + 1 < end && s[pos + 1] == '/') {
                    depth--;
                    pos += 2;
                } else {
                    pos++;
                }
            }
        } else {
            break;
        }
    }
    return pos;
}

/* Byte offset of the 1-based character position pos (the server counts characters). */
static size_t char_to_byte(const char *s, long pos)
{
    size_t i = 0;
    for (long ch = 1; s[i] && ch < pos; ch++) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/*
 * Sends one statement and waits for all of its results. COPY ... FROM STDIN
 * has no data in a migration script, so it is ended with an error; COPY TO
 * STDOUT output is read and dropped.
 */
static int exec_one(PGconn *pg, const char *stmt, borch_error *err)
{
    PGresult *res = PQexec(pg, stmt);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
        PQclear(res);
        if (st == PGRES_COPY_IN) {
            PQputCopyEnd(pg, "COPY FROM STDIN is not supported in migration scripts");
        } else {
            char *row;
            while (PQgetCopyData(pg, &row, 0) > 0)
                PQfreemem(row);
        }
        while ((res = PQgetResult(pg)) != NULL) {
            st = PQresultStatus(res);
            if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && rc == 0)
                rc = pg_result_error(pg, res, err);
            PQclear(res);
        }
        return rc;
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = pg_result_error(pg, res, err);
    PQclear(res);
    return rc;
}

/* No split possible: one PQexec, and the line from the server's error position. */
static int exec_whole(PGconn *pg, const char *sql, const char *file, int first_line,
                      borch_error *err)
{
    PGresult *res = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        PQclear(res);
        return 0;
    }
    int rc = pg_result_error(pg, res, err);
    const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    size_t at = skip_blank(sql, 0, strlen(sql));
    if (pos && atol(pos) > 0)
        at = char_to_byte(sql, atol(pos));
    PQclear(res);
    borch_error_statement(err, sql);
    borch_error_at(err, file, first_line + count_lines(sql, at), 0);
    return rc;
}

/* Skips blanks, comments and the ';' that ended the previous statement. */
static size_t skip_separators(const char *s, size_t pos, size_t end)
{
    for (;;) {
        pos = skip_blank(s, pos, end);
        if (pos < end && s[pos] == ';')
            pos++;
        else
            return pos;
    }
}

/* Sends sql[start, end) unless it holds no statement; errors get their line. */
static int run_piece(PGconn *pg, const char *sql, size_t start, size_t end, const char *file,
                     int first_line, borch_error *err)
{
    size_t first = skip_blank(sql, start, end);
    if (first >= end)
        return 0; /* only comments */
    char *stmt = borch_xstrndup(sql + start, end - start);
    int rc = exec_one(pg, stmt, err);
    if (rc) {
        borch_error_statement(err, stmt + (first - start));
        borch_error_at(err, file, first_line + count_lines(sql, first), 0);
    }
    free(stmt);
    return rc;
}

/*
 * Runs each split statement in order; stops at the first failure. Text the
 * split left uncovered is sent too: the scanner drops everything after an
 * unbalanced '(' ("CREATE TABLE b (id integer;"), and that text must reach
 * the server so that its error is reported, not silently skipped.
 */
static int exec_split(PGconn *pg, const char *sql, const PgQuerySplitResult *sr, const char *file,
                      int first_line, borch_error *err)
{
    size_t total = strlen(sql), done = 0;
    int rc = 0;
    for (int i = 0; i < sr->n_stmts && rc == 0; i++) {
        size_t start = (size_t)sr->stmts[i]->stmt_location;
        size_t len = (size_t)sr->stmts[i]->stmt_len;
        if (start > total || start < done)
            break;
        if (len == 0 || start + len > total) /* the parser's "to the end" */
            len = total - start;
        size_t gap = skip_separators(sql, done, start);
        if (gap < start)
            rc = run_piece(pg, sql, gap, start, file, first_line, err);
        if (rc == 0)
            rc = run_piece(pg, sql, start, start + len, file, first_line, err);
        done = start + len;
    }
    if (rc == 0) {
        size_t tail = skip_separators(sql, done, total);
        if (tail < total)
            rc = run_piece(pg, sql, tail, total, file, first_line, err);
    }
    return rc;
}

/*
 * The parser's split knows every statement form, including SQL-standard
 * function bodies (BEGIN ATOMIC ... END) whose inner ';' the scanner would
 * cut at; it needs the whole script to parse. When it does not (a syntax
 * error the server should report with its line, or syntax newer than
 * libpg_query), the scanner's split still respects quotes, dollar quotes and
 * comments. When even scanning fails (an unterminated quote), the script
 * goes in one piece and the server's error position gives the line.
 */
int pg_exec_script(borch_conn *conn, const char *sql, const char *file, int first_line,
                   borch_error *err)
{
    PGconn *pg = pg_of(conn)->pg;
    if (first_line < 1)
        first_line = 1;
    PgQuerySplitResult sr = pg_query_split_with_parser(sql);
    if (sr.error) {
        pg_query_free_split_result(sr);
        sr = pg_query_split_with_scanner(sql);
    }
    if (sr.error) {
        pg_query_free_split_result(sr);
        return exec_whole(pg, sql, file, first_line, err);
    }
    int rc = exec_split(pg, sql, &sr, file, first_line, err);
    pg_query_free_split_result(sr);
    return rc;
}

int pg_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
             borch_row_fn fn, void *payload, borch_error *err)
{
    PGresult *res;
    int rc = pg_run(pg_of(conn)->pg, sql, nparams, params, &res, err);
    if (rc)
        return rc;
    int ncols = PQnfields(res), nrows = PQntuples(res);
    if (fn && ncols > 0) {
        const char **names = borch_xcalloc((size_t)ncols, sizeof(*names));
        const char **values = borch_xcalloc((size_t)ncols, sizeof(*values));
        for (int c = 0; c < ncols; c++)
            names[c] = PQfname(res, c);
        for (int r = 0; r < nrows; r++) {
            for (int c = 0; c < ncols; c++)
                values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
            if (fn(payload, ncols, names, values))
                break;
        }
        free(names);
        free(values);
    }
    PQclear(res);
    return 0;
}

int pg_begin(borch_conn *conn, borch_error *err)
{
    return pg_run(pg_of(conn)->pg, "BEGIN", 0, NULL, NULL, err);
}

/*
 * COMMIT of a transaction in which a statement failed "succeeds" with the
 * command tag ROLLBACK; that is reported as the failure it is.
 */
int pg_commit(borch_conn *conn, borch_error *err)
{
    PGresult *res;
    int rc = pg_run(pg_of(conn)->pg, "COMMIT", 0, NULL, &res, err);
    if (rc)
        return rc;
    int rolled_back = strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
    PQclear(res);
    if (rolled_back) {
        borch_error_set(err, BORCH_ESQL,
                        "the transaction was rolled back because a statement in it failed");
        if (err)
            snprintf(err->sqlstate, sizeof(err->sqlstate), "25P02");
        return BORCH_ESQL;
    }
    return 0;
}

int pg_rollback(borch_conn *conn, borch_error *err)
{
    return pg_run(pg_of(conn)->pg, "ROLLBACK", 0, NULL, NULL, err);
}
