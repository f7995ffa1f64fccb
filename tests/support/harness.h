/*
 * harness.h - what the end-to-end tests need: run the built borch-db in a
 * folder and capture its exit code, stdout and stderr; make scratch folders;
 * write files; ask a SQLite file a question. The target engines other than
 * SQLite come from the environment (BORCH_TEST_PG_URL, BORCH_TEST_MYSQL_URL);
 * tests/support/servers.sh starts real servers and sets them.
 */
#ifndef BORCH_TEST_HARNESS_H
#define BORCH_TEST_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

typedef struct run_result {
    int status;  /* exit code, or 128+signal */
    char *out;   /* stdout, malloc'd */
    char *err;   /* stderr, malloc'd */
} run_result;

/*
 * Runs BORCH_BIN with argv (NULL-terminated, without argv[0]) in cwd, with
 * extra "K=V" environment entries (NULL-terminated, may be NULL). NO_COLOR is
 * set. Free with run_result_release.
 */
run_result run_borch(const char *cwd, const char *const *argv, const char *const *env);
void run_result_release(run_result *r);

/* A fresh folder under $TMPDIR; malloc'd. Removed by rm_rf. */
char *make_temp_dir(const char *tag);
void rm_rf(const char *path);
/* Writes text to dir/name (making folders); aborts the test on failure. */
void write_text(const char *dir, const char *name, const char *text);
/* Reads dir/name, malloc'd, or NULL. */
char *read_text(const char *dir, const char *name);
/* Copies the sample application's migrations/ into dir/migrations. */
void copy_sample_migrations(const char *dir);

/* Runs one SQL query against a SQLite file and returns the first column of
 * the first row as a malloc'd string ("" for none, "NULL" for SQL NULL). */
char *sqlite_scalar(const char *db_path, const char *sql);

#endif

/* ---- additions for the engines suite (PostgreSQL, MariaDB, SQLite) ---- */

/*
 * Runs one SQL query through the driver API against any URL borch-db
 * understands and returns the first column of the first row, malloc'd
 * ("" for no row, "NULL" for SQL NULL). Aborts the test on failure.
 */
char *db_scalar(const char *url, const char *sql);
/* db_scalar read as a number. */
long db_count(const char *url, const char *sql);
/* Runs a script (many statements) through the driver; aborts the test on failure. */
void db_exec(const char *url, const char *sql);
/* A fresh empty database on the server of url (borch_scratch_create); malloc'd URL. */
char *db_create_scratch(const char *server_url);
/* Drops what db_create_scratch made; failures are printed, not fatal. */
void db_drop_scratch(const char *server_url, const char *scratch_url);

/* Copies tests/e2e/fixtures/<fixture>/ into dir/migrations/. */
void copy_fixture(const char *dir, const char *fixture);

/*
 * Starts BORCH_BIN with argv in cwd, with stdout and stderr going to
 * out_path (truncated); returns the pid. NO_COLOR is set.
 */
pid_t spawn_borch(const char *cwd, const char *const *argv, const char *out_path);
/*
 * Waits for pid up to timeout_ms; returns its exit code (128+signal when
 * killed), or -1 after killing it with SIGKILL when it did not end in time.
 */
int wait_borch(pid_t pid, int timeout_ms);
/* Milliseconds from a monotonic clock, for timing. */
long long now_ms_mono(void);
