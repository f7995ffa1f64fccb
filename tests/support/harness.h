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
