/*
 * workload.h - the queries the index advisor plans: read from a file of
 * SQL statements, a PostgreSQL log (log_min_duration_statement lines), a
 * MySQL/MariaDB slow query log (the format is detected from the content),
 * or from the server's statement statistics (drivers fill those through
 * borch_workload_add).
 *
 * Ownership: a borch_workload owns its queries and their strings;
 * borch_workload_release frees them.
 */
#ifndef BORCH_WORKLOAD_H
#define BORCH_WORKLOAD_H

#include <stddef.h>

#include "util/error.h"
#include "util/mem.h"

typedef struct borch_query {
    char *sql;         /* the statement as found, without its final ';' */
    char *fingerprint; /* literals -> ?, $n -> ?, IN lists -> (?), spaces collapsed, case-folded keywords */
    char *file;        /* where it came from, or NULL (server statistics) */
    int line;          /* 1-based line of its first token in file, 0 unknown */
    double calls;      /* times run (1 per occurrence in a plain SQL file) */
    double total_ms;   /* total run time when known, else 0 */
    double weight;     /* total_ms where known (= calls x mean), else calls */
} borch_query;

typedef struct borch_workload {
    borch_query *queries;
    size_t nqueries, cap;
    const char *format;   /* "sql", "postgres-log", "mysql-slow-log", "pg_stat_statements",
                             "performance_schema" (static strings) */
    borch_strv warnings;  /* "file:line: message" for statements skipped while reading */
} borch_workload;

/*
 * Reads path, detecting its format, and adds its statements. Statements
 * that the advisor cannot use (DDL, SET, BEGIN, ...) are skipped quietly;
 * an unterminated quote or comment is a warning naming file:line. Returns
 * BORCH_EIO when the file cannot be read.
 */
int borch_workload_read_file(borch_workload *w, const char *path, borch_error *err);

/* The same on text already in memory; path is used in positions only. */
int borch_workload_parse(borch_workload *w, const char *text, const char *path, borch_error *err);

/*
 * Adds one statement (copying sql and file), merging it into an earlier
 * query with the same fingerprint: calls and total_ms add up, the first
 * position and text are kept. total_ms < 0 means unknown.
 */
void borch_workload_add(borch_workload *w, const char *sql, const char *file, int line,
                        double calls, double total_ms);

/* The fingerprint of one statement (malloc'd); see borch_query. */
char *borch_sql_fingerprint(const char *sql);

void borch_workload_release(borch_workload *w);

#endif
