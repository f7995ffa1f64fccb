/*
 * migration.h - migration files: discovery in a folder, parsing of the
 * `-- +borch up` / `-- +borch down` sections (and golang-migrate's
 * .up.sql/.down.sql pairs), checksums, and migrations/borch.sum.
 *
 * Versions are digit strings compared as numbers (leading zeros ignored;
 * lengths beyond 64 bits compare by length then text). Checksums are
 * lowercase hex SHA-256 over the file's text with CRLF and CR normalized to
 * LF; for a golang-migrate pair, over the up text, a NUL, then the down text.
 */
#ifndef BORCH_MIGRATION_H
#define BORCH_MIGRATION_H

#include <stddef.h>

#include "util/error.h"

typedef struct borch_section {
    char *sql;      /* the section's text (may be empty), LF line endings */
    int first_line; /* 1-based line in file where sql starts */
    int notx;       /* 1 for `-- +borch up notx`: run outside a transaction */
    char *file;     /* the file this section came from (pairs: .up.sql / .down.sql) */
} borch_section;

typedef struct borch_migration {
    char *version;     /* digits, as in the file name */
    char *name;        /* the part after "<version>_" without .sql/.up.sql */
    char *path;        /* main file path (the .up.sql for pairs) */
    char *checksum;    /* 64 hex chars */
    borch_section up;
    borch_section down;
    int has_down;      /* 0: irreversible */
    char **lint_ignores; /* "RULE reason" texts from `-- +borch lint:ignore`, for lint */
    size_t nlint_ignores;
} borch_migration;

typedef struct borch_migration_set {
    char *dir;
    borch_migration *items; /* sorted by version, ascending */
    size_t count;
    int has_sum;            /* borch.sum exists in dir */
    int sum_ok;             /* borch.sum matches the files (when has_sum) */
    char *sum_problem;      /* first mismatch, for the message, or NULL */
} borch_migration_set;

/*
 * Reads every migration in dir. BORCH_EINPUT (exit 2) with file:line for:
 * a missing folder, a file without `-- +borch up`, two files with one
 * version, an unpaired .down.sql, a misspelled `-- +borch` directive. Files
 * that do not look like migrations (README.md, borch.sum) are ignored.
 * Does not fail on a borch.sum mismatch: it sets has_sum/sum_ok so the
 * command decides (SPEC: refuse with a message saying to run `migrate hash`).
 */
int borch_migrations_load(const char *dir, borch_migration_set *out, borch_error *err);
void borch_migrations_release(borch_migration_set *set);

/* Parses one file's text (for tests and fuzzing). */
int borch_migration_parse(const char *path, const char *text, size_t len, borch_migration *out,
                          borch_error *err);
void borch_migration_release(borch_migration *m);

/* -1, 0, 1 comparing two version strings as numbers. */
int borch_version_cmp(const char *a, const char *b);

/* Index of version in set, or -1. */
long borch_migrations_find(const borch_migration_set *set, const char *version);

/* Lowercase hex SHA-256 of text with line endings normalized; out has 65 bytes. */
void borch_checksum_text(const char *text, size_t len, char out[65]);

/*
 * The text of borch.sum for the set: one "<sum> <version>_<name>.sql" line per
 * file in version order, preceded by a line "h1:<sha256 over those lines>".
 * malloc'd.
 */
char *borch_sum_render(const borch_migration_set *set);
/* Writes dir/borch.sum atomically. */
int borch_sum_write(const borch_migration_set *set, borch_error *err);

#endif
