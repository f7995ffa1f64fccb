/* harness.c - process and file helpers for the end-to-end suites. */
#include "support/harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/url.h"
#include "driver.h"

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

extern char **environ;

/* Drains both pipes together so a chatty child never blocks on a full pipe. */
static void drain(int fo, int fe, borch_buf *out, borch_buf *err)
{
    struct pollfd p[2] = {{fo, POLLIN, 0}, {fe, POLLIN, 0}};
    int open_fds = 2;
    char chunk[8192];
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, chunk, sizeof(chunk));
            if (n > 0) {
                borch_buf_append(i == 0 ? out : err, chunk, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
            }
        }
    }
}

run_result run_borch(const char *cwd, const char *const *argv, const char *const *env)
{
    int po[2], pe[2];
    ck_assert(pipe(po) == 0 && pipe(pe) == 0);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        setenv("NO_COLOR", "1", 1);
        unsetenv("DATABASE_URL");
        unsetenv("BORCH_ENV");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        size_t n = 0;
        while (argv[n])
            n++;
        char **args = calloc(n + 2, sizeof(char *));
        args[0] = (char *)BORCH_BIN;
        for (size_t i = 0; i < n; i++)
            args[i + 1] = (char *)argv[i];
        execv(BORCH_BIN, args);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    borch_buf out, err;
    borch_buf_init(&out);
    borch_buf_init(&err);
    drain(po[0], pe[0], &out, &err);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    run_result r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = borch_buf_detach(&out);
    r.err = borch_buf_detach(&err);
    borch_buf_release(&out);
    borch_buf_release(&err);
    return r;
}

void run_result_release(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *make_temp_dir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof(tmpl), "%s/borch-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    char *d = mkdtemp(tmpl);
    ck_assert_msg(d != NULL, "mkdtemp failed");
    return borch_xstrdup(d);
}

void rm_rf(const char *path)
{
    if (!path || strlen(path) < 6)
        return;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
}

void write_text(const char *dir, const char *name, const char *text)
{
    char *p = borch_path_join(dir, name);
    borch_error e = {0};
    int rc = borch_write_file_atomic(p, text, strlen(text), &e);
    ck_assert_msg(rc == 0, "write %s: %s", p, e.message);
    free(p);
}

char *read_text(const char *dir, const char *name)
{
    char *p = borch_path_join(dir, name);
    char *data = NULL;
    borch_error e = {0};
    if (borch_read_file(p, &data, NULL, &e) != 0)
        data = NULL;
    free(p);
    return data;
}

void copy_sample_migrations(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp -r '%s/migrations' '%s/'", dir,
             BORCH_SOURCE_DIR, dir);
    ck_assert(system(cmd) == 0);
}

char *sqlite_scalar(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    ck_assert(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    ck_assert_msg(rc == SQLITE_OK, "prepare %s: %s", sql, sqlite3_errmsg(db));
    char *res;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        res = borch_xstrdup(v ? (const char *)v : "NULL");
    } else {
        res = borch_xstrdup("");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return res;
}

/* ---- additions for the engines suite ---- */

/* Opens url through the driver, aborting the test on failure. */
static borch_conn *open_url(const char *url_text)
{
    borch_url *u = NULL;
    borch_error e = {0};
    int rc = borch_url_parse(url_text, "/", &u, &e);
    ck_assert_msg(rc == 0, "parse url: %s", e.message);
    borch_conn_opts opts = {0};
    opts.connect_timeout_s = 10;
    borch_conn *c = NULL;
    rc = borch_conn_open(u, &opts, &c, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    borch_error_clear(&e);
    return c;
}

/* Keeps the first column of the first row. */
static int first_value(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    char **out = payload;
    if (!*out)
        *out = borch_xstrdup(ncols > 0 && values[0] ? values[0] : "NULL");
    return 1;
}

char *db_scalar(const char *url, const char *sql)
{
    borch_conn *c = open_url(url);
    borch_error e = {0};
    char *res = NULL;
    int rc = borch_conn_query(c, sql, 0, NULL, first_value, &res, &e);
    borch_conn_close(c);
    if (rc != 0) {
        free(res);
        ck_abort_msg("query %s: %s", sql, e.message);
    }
    borch_error_clear(&e);
    return res ? res : borch_xstrdup("");
}

long db_count(const char *url, const char *sql)
{
    char *v = db_scalar(url, sql);
    long n = atol(v);
    free(v);
    return n;
}

void db_exec(const char *url, const char *sql)
{
    borch_conn *c = open_url(url);
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, NULL, 1, &e);
    borch_conn_close(c);
    ck_assert_msg(rc == 0, "exec %s: %s", sql, e.message);
    borch_error_clear(&e);
}

char *db_create_scratch(const char *server_url)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(server_url, "/", &u, &e) == 0, "parse url: %s", e.message);
    char *out = NULL;
    int rc = borch_scratch_create(u, &out, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "scratch database: %s", e.message);
    borch_error_clear(&e);
    return out;
}

void db_drop_scratch(const char *server_url, const char *scratch_url)
{
    borch_url *u = NULL;
    borch_error e = {0};
    if (borch_url_parse(server_url, "/", &u, &e) == 0 &&
        borch_scratch_drop(u, scratch_url, &e) != 0)
        fprintf(stderr, "warning: could not drop a scratch database: %s\n", e.message);
    borch_url_free(u);
    borch_error_clear(&e);
}

void copy_fixture(const char *dir, const char *fixture)
{
    char cmd[1400];
    snprintf(cmd, sizeof(cmd),
             "mkdir -p '%s/migrations' && cp -r '%s/tests/e2e/fixtures/%s/.' '%s/migrations/'", dir,
             BORCH_SOURCE_DIR, fixture, dir);
    ck_assert_msg(system(cmd) == 0, "copy fixture %s", fixture);
}

pid_t spawn_borch(const char *cwd, const char *const *argv, const char *out_path)
{
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int devnull = open("/dev/null", O_RDONLY);
        if (fd < 0 || (cwd && chdir(cwd) != 0))
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        if (devnull >= 0)
            dup2(devnull, 0);
        setenv("NO_COLOR", "1", 1);
        unsetenv("DATABASE_URL");
        unsetenv("BORCH_ENV");
        size_t n = 0;
        while (argv[n])
            n++;
        char **args = calloc(n + 2, sizeof(char *));
        args[0] = (char *)BORCH_BIN;
        for (size_t i = 0; i < n; i++)
            args[i + 1] = (char *)argv[i];
        execv(BORCH_BIN, args);
        _exit(127);
    }
    return pid;
}

long long now_ms_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int wait_borch(pid_t pid, int timeout_ms)
{
    long long end = now_ms_mono() + timeout_ms;
    int st = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms_mono() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        usleep(20 * 1000);
    }
}
