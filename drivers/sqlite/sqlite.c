/*
 * sqlite.c - the SQLite driver's vtable and its connection, execution and
 * transaction slots. Schema reading, plans and throwaway files live in their
 * own files (see sqlite_int.h for the layout).
 *
 * Scripts are split by SQLite's own parser (sqlite3_prepare_v2 and its tail
 * pointer), so a trigger's BEGIN ... END or a string holding ';' runs exactly
 * as the sqlite3 shell would run it.
 */
#include "sqlite_int.h"

#include <ctype.h>
#include <errno.h>
#include <strings.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

int borch_sqlite_error(sqlite3 *db, int rc, borch_error *err)
{
    int prim = rc & 0xff;
    int code = (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) ? BORCH_ELOCK : BORCH_ESQL;
    borch_error_set(err, code, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (err)
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%d",
                 db ? sqlite3_extended_errcode(db) : rc);
    return code;
}

/* Opens the file and checks that it really is a database, so that a bad
 * file is reported at connect (exit 3) and not at the first query. */
static int sqlite_connect(const borch_url *url, const borch_conn_opts *opts, borch_conn **out,
                          borch_error *err)
{
    *out = NULL;
    borch_sqlite_conn *c = borch_xcalloc(1, sizeof(*c));
    borch_conn_base_init(&c->base, &borch_sqlite_driver, url, opts);
    /* SQLite has no schemas in the PostgreSQL sense: table names stay unqualified. */
    free(c->base.schema);
    c->base.schema = NULL;

    int rc;
    if (!url->path || !*url->path) {
        rc = borch_error_set(err, BORCH_ECONNECT, "no database file in '%s'", c->base.url_masked);
        goto fail;
    }
    c->lock_fd = -1;
    /*
     * A command that only reads (status, validate, --dry-run) must not leave
     * a file behind, nor turn a typo into a new database: a missing file in
     * an existing folder is read as an empty in-memory database instead. A
     * missing folder is a wrong path: that fails like a server that is down.
     */
    const char *path = url->path;
    int memory = strcmp(path, ":memory:") == 0;
    if (!memory && access(path, F_OK) != 0) {
        char *dir = borch_path_dir(path);
        int dir_ok = borch_dir_exists(dir);
        free(dir);
        if (!dir_ok) {
            rc = borch_error_set(err, BORCH_ECONNECT, "cannot open '%s': its folder does not exist",
                                 c->base.url_masked);
            goto fail;
        }
        if (!(opts && opts->create)) {
            path = ":memory:";
            memory = 1;
        }
    }
    if (!memory) {
        size_t n = strlen(path) + 16;
        c->lock_path = borch_xmalloc(n);
        snprintf(c->lock_path, n, "%s-borch.lock", path);
    }
    rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                         NULL);
    c->busy_ms = opts && opts->connect_timeout_s > 0 ? opts->connect_timeout_s * 1000
                                                     : BORCH_SQLITE_BUSY_MS;
    if (rc == SQLITE_OK) {
        /* Set before the first read: a writer in another process must make us wait, not fail. */
        sqlite3_busy_timeout(c->db, c->busy_ms);
        sqlite3_extended_result_codes(c->db, 1);
        rc = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master; PRAGMA foreign_keys=ON",
                          NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        rc = borch_error_set(err, BORCH_ECONNECT, "cannot open '%s': %s", c->base.url_masked,
                             c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        goto fail;
    }
    borch_sqlite_fp_open(c);
    *out = &c->base;
    return 0;

fail:
    sqlite3_close(c->db);
    free(c->lock_path);
    borch_conn_base_release(&c->base);
    free(c);
    return rc;
}

static void sqlite_close(borch_conn *conn)
{
    borch_sqlite_conn *c = (borch_sqlite_conn *)conn;
    if (!c)
        return;
    if (c->lock_fd >= 0)
        close(c->lock_fd); /* releases the flock */
    borch_sqlite_fp_close(c);
    sqlite3_close(c->db);
    free(c->lock_path);
    borch_conn_base_release(&c->base);
    free(c);
}

static char *sqlite_server_version(borch_conn *conn)
{
    (void)conn;
    return borch_xstrdup(sqlite3_libversion());
}

/* The buffer's text, handed over; the buffer is released. */
static char *take(borch_buf *b)
{
    char *s = borch_buf_detach(b);
    borch_buf_release(b);
    return s;
}

/* Counts newlines in [from, to), to turn a position into a line offset. */
static int count_lines(const char *from, const char *to)
{
    int n = 0;
    for (; from < to; from++)
        if (*from == '\n')
            n++;
    return n;
}

/*
 * The text of the statement that starts at p, for a message when prepare
 * failed (no tail pointer to trust then): up to the first ';' after which
 * sqlite3_complete says the text is a whole statement, or the rest.
 */
static char *statement_text(const char *p)
{
    borch_buf b;
    borch_buf_init(&b);
    for (const char *q = p; *q; q++) {
        if (*q != ';')
            continue;
        borch_buf_clear(&b);
        borch_buf_append(&b, p, (size_t)(q - p + 1));
        if (sqlite3_complete(b.data))
            return take(&b);
    }
    borch_buf_clear(&b);
    borch_buf_puts(&b, p);
    return take(&b);
}

/* Records where the failing statement starting at stmt is, and its text. */
static int script_error(borch_error *err, int code, const char *sql, const char *stmt,
                        const char *stmt_end, const char *file, int first_line)
{
    if (!err)
        return code;
    if (stmt_end) {
        char *t = borch_xstrndup(stmt, (size_t)(stmt_end - stmt));
        borch_error_statement(err, t);
        free(t);
    } else {
        char *t = statement_text(stmt);
        borch_error_statement(err, t);
        free(t);
    }
    borch_error_at(err, file, first_line + count_lines(sql, stmt), 0);
    return code;
}

/* True for BEGIN, COMMIT, END and ROLLBACK (but not ROLLBACK TO a savepoint). */
static int ends_transaction(const char *stmt)
{
    static const char *const words[] = {"BEGIN", "COMMIT", "END", "ROLLBACK"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = strlen(words[i]);
        if (strncasecmp(stmt, words[i], n) != 0 || isalnum((unsigned char)stmt[n]) || stmt[n] == '_')
            continue;
        if (i == 3) {
            const char *p = borch_sqlite_skip_blank(stmt + n);
            if (strncasecmp(p, "TRANSACTION", 11) == 0)
                p = borch_sqlite_skip_blank(p + 11);
            if (strncasecmp(p, "TO", 2) == 0 && !isalnum((unsigned char)p[2]))
                return 0;
        }
        return 1;
    }
    return 0;
}

static int sqlite_exec_script(borch_conn *conn, const char *sql, const char *file, int first_line,
                              borch_error *err)
{
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    const char *p = sql;
    while (*p) {
        /* Leading comments belong to no statement: the line is the keyword's. */
        const char *start = borch_sqlite_skip_blank(p);
        if (!*start)
            break;
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(db, start, -1, &st, &tail);
        if (rc != SQLITE_OK) {
            int code = borch_sqlite_error(db, rc, err);
            return script_error(err, code, sql, start, NULL, file, first_line);
        }
        /* A COMMIT or ROLLBACK in the script would end borch-db's own
         * transaction and commit half a migration without its history row. */
        if (st && conn->in_transaction && ends_transaction(start)) {
            sqlite3_finalize(st);
            borch_error_set(err, BORCH_ESQL,
                            "transaction control in a migration: borch-db runs each migration in "
                            "its own transaction; remove it, or mark the section notx");
            return script_error(err, BORCH_ESQL, sql, start, tail, file, first_line);
        }
        if (!st) { /* only blanks, comments or a lone ';' */
            if (tail == start)
                break;
            p = tail;
            continue;
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc != SQLITE_DONE) {
            int code = borch_sqlite_error(db, rc, err);
            sqlite3_finalize(st);
            return script_error(err, code, sql, start, tail, file, first_line);
        }
        sqlite3_finalize(st);
        /* The safety net for what the word check misses. */
        if (conn->in_transaction && sqlite3_get_autocommit(db)) {
            borch_error_set(err, BORCH_ESQL,
                            "this statement ends the migration's transaction; remove it, or mark "
                            "the section notx");
            return script_error(err, BORCH_ESQL, sql, start, tail, file, first_line);
        }
        p = tail;
    }
    return 0;
}

/* True when the rest of a query holds no further statement. */
static int only_blank(const char *p)
{
    for (;;) {
        p = borch_sqlite_skip_blank(p);
        if (*p != ';')
            return *p == '\0';
        p++;
    }
}

static int sqlite_query(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                        borch_row_fn fn, void *payload, borch_error *err)
{
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
    if (rc != SQLITE_OK) {
        int code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
        return code;
    }
    if (!st)
        return borch_error_set(err, BORCH_EINPUT, "empty query");
    if (!only_blank(tail)) {
        sqlite3_finalize(st);
        borch_error_set(err, BORCH_EINPUT, "query holds more than one statement");
        borch_error_statement(err, sql);
        return BORCH_EINPUT;
    }
    if (sqlite3_bind_parameter_count(st) != nparams) {
        int want = sqlite3_bind_parameter_count(st);
        sqlite3_finalize(st);
        borch_error_set(err, BORCH_EINPUT, "query takes %d parameters, %d given", want, nparams);
        borch_error_statement(err, sql);
        return BORCH_EINPUT;
    }
    for (int i = 0; i < nparams; i++) {
        rc = params[i] ? sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT)
                       : sqlite3_bind_null(st, i + 1);
        if (rc != SQLITE_OK) {
            int code = borch_sqlite_error(db, rc, err);
            sqlite3_finalize(st);
            return code;
        }
    }

    int ncols = sqlite3_column_count(st);
    const char **names = borch_xcalloc((size_t)ncols + 1, sizeof(*names));
    const char **values = borch_xcalloc((size_t)ncols + 1, sizeof(*values));
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(st, i);
    int code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn)
            continue;
        for (int i = 0; i < ncols; i++)
            values[i] = (const char *)sqlite3_column_text(st, i); /* NULL for SQL NULL */
        if (fn(payload, ncols, names, values))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
    }
    free(names);
    free(values);
    sqlite3_finalize(st);
    return code;
}

/*
 * BEGIN IMMEDIATE takes the write lock now, so two borch-db processes on one
 * file serialize here (waiting up to the busy timeout) instead of failing
 * half-way through a migration.
 */
static int sqlite_begin(borch_conn *conn, borch_error *err)
{
    borch_sqlite_conn *c = (borch_sqlite_conn *)conn;
    int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    int code = borch_sqlite_error(c->db, rc, err);
    if (code == BORCH_ELOCK) {
        borch_error_set(err, BORCH_ELOCK,
                        "database '%s' is locked by another process (waited %d ms)",
                        conn->url_masked, c->busy_ms);
        borch_error_hint(err, "wait for the other migration to finish, or raise the lock timeout");
    }
    return code;
}

static int sqlite_commit(borch_conn *conn, borch_error *err)
{
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : borch_sqlite_error(db, rc, err);
}

/* Some errors end the transaction by themselves; rolling back then is a no-op. */
static int sqlite_rollback(borch_conn *conn, borch_error *err)
{
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    borch_sqlite_fp_invalidate((borch_sqlite_conn *)conn);
    if (sqlite3_get_autocommit(db))
        return 0;
    int rc = sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : borch_sqlite_error(db, rc, err);
}

/*
 * SQLite has no named locks. Mutual exclusion between processes comes from
 * the file lock that each BEGIN IMMEDIATE takes: the core re-reads the
 * history inside every such transaction, so a migration another process
 * applied meanwhile is seen and each migration is applied exactly once.
 * "Taking the lock" therefore only sets how long BEGIN IMMEDIATE may wait
 * for the file lock before it fails with BORCH_ELOCK.
 */
/*
 * The migration lock: an exclusive flock on "<database>-borch.lock", polled
 * until timeout_ms. BEGIN IMMEDIATE alone serializes transactions but not a
 * whole run: notx migrations, repair and baseline need the same guarantee
 * as on the servers. The kernel drops the lock when the process dies, as a
 * server drops a session's advisory lock. The busy timeout is set to the
 * same value so that transactions wait as long.
 */
static int sqlite_lock(borch_conn *conn, const char *name, int timeout_ms, borch_error *err)
{
    (void)name;
    borch_sqlite_conn *c = (borch_sqlite_conn *)conn;
    c->busy_ms = timeout_ms > 0 ? timeout_ms : 0;
    sqlite3_busy_timeout(c->db, c->busy_ms);
    if (!c->lock_path || c->lock_fd >= 0)
        return 0;
    int fd = open(c->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return borch_error_set(err, BORCH_ELOCK, "cannot open the lock file '%s': %s",
                               c->lock_path, strerror(errno));
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            c->lock_fd = fd;
            return 0;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int e = errno;
            close(fd);
            return borch_error_set(err, BORCH_ELOCK, "cannot lock '%s': %s", c->lock_path,
                                   strerror(e));
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long waited = (now.tv_sec - t0.tv_sec) * 1000LL + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (waited >= timeout_ms)
            break;
        usleep(20 * 1000);
    }
    close(fd);
    borch_error_set(err, BORCH_ELOCK,
                    "could not take the migration lock on '%s' within %d s: another borch-db is "
                    "migrating it",
                    conn->url_masked, (timeout_ms + 999) / 1000);
    borch_error_hint(err, "wait for it, or raise --lock-timeout");
    return BORCH_ELOCK;
}

static int sqlite_unlock(borch_conn *conn, const char *name, borch_error *err)
{
    (void)name;
    (void)err;
    borch_sqlite_conn *c = (borch_sqlite_conn *)conn;
    if (c->lock_fd >= 0) {
        flock(c->lock_fd, LOCK_UN);
        close(c->lock_fd);
        c->lock_fd = -1;
    }
    return 0;
}

/* "name" with embedded quotes doubled. */
static char *sqlite_quote_ident(const char *ident)
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
    return take(&b);
}

static void sqlite_placeholder(int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "?");
}

static const char *const schemes[] = {"sqlite", "sqlite3", NULL};

/* render.c: the change list as SQLite DDL (belongs in sqlite_int.h). */
int borch_sqlite_render(const borch_schema *from, const borch_schema *to,
                        const struct borch_changes *changes, struct borch_buf *out,
                        borch_error *err);

const borch_driver borch_sqlite_driver = {
    .abi_version = BORCH_DRIVER_ABI_2,
    .name = "sqlite",
    .schemes = schemes,
    .caps = BORCH_CAP_TRANSACTIONAL_DDL | BORCH_CAP_SCRATCH | BORCH_CAP_EXPLAIN,
    .connect = sqlite_connect,
    .close = sqlite_close,
    .server_version = sqlite_server_version,
    .exec_script = sqlite_exec_script,
    .query = sqlite_query,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
    .introspect = borch_sqlite_introspect,
    .quote_ident = sqlite_quote_ident,
    .placeholder = sqlite_placeholder,
    .scratch_create = borch_sqlite_scratch_create,
    .scratch_drop = borch_sqlite_scratch_drop,
    .explain = borch_sqlite_explain,
    .schema_fingerprint = borch_sqlite_schema_fingerprint,
    .render = borch_sqlite_render,
    .text_type = "TEXT",
    .key_text_type = "TEXT",
    .bigint_type = "INTEGER",
    .whatif_open = borch_sqlite_whatif_open,
    .whatif_add_index = borch_sqlite_whatif_add_index,
    .whatif_drop_index = borch_sqlite_whatif_drop_index,
    .whatif_explain = borch_sqlite_whatif_explain,
    .whatif_close = borch_sqlite_whatif_close,
};
