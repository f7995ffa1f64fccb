/*
 * migration_internal.h - what migration.c (folder loading), migration_parse.c
 * (file names and sections) and migration_sum.c (checksums, borch.sum) share.
 * Not for other modules: they use migration.h.
 */
#ifndef BORCH_MIGRATION_INTERNAL_H
#define BORCH_MIGRATION_INTERNAL_H

#include <stddef.h>

#include "core/migration.h"

/* What a file name in a migrations folder is. */
enum borch_migration_kind {
    BORCH_MIGRATION_IGNORED = 0, /* not a migration (README.md, borch.sum, .x.sql, notes.txt) */
    BORCH_MIGRATION_SINGLE,      /* <version>_<name>.sql with -- +borch sections */
    BORCH_MIGRATION_UP,          /* <version>_<name>.up.sql of a golang-migrate pair */
    BORCH_MIGRATION_DOWN,        /* <version>_<name>.down.sql of a golang-migrate pair */
};

/*
 * Sorts a file name (no folder part) into a kind. For a migration, *version
 * and *name get malloc'd copies (pass NULL to skip). A .sql file that is not
 * named <version>_<name>.sql is BORCH_EINPUT about path.
 */
int borch_migration_classify(const char *path, int *kind, char **version, char **name, borch_error *err);

/*
 * Adds the .down.sql half of a golang-migrate pair to m, which was parsed
 * from its .up.sql, and recomputes m's checksum over both halves.
 */
int borch_migration_add_down(borch_migration *m, const char *path, const char *text, size_t len,
                             borch_error *err);

/*
 * text with a leading UTF-8 BOM dropped and CRLF / lone CR turned into LF,
 * malloc'd and NUL-terminated; *out_len gets its length. This is the text
 * that checksums cover and that sections are cut from.
 */
char *borch_migration_normalize(const char *text, size_t len, size_t *out_len);

/* Checksum of a pair: SHA-256 over normalized up text, a NUL, normalized down text. */
void borch_checksum_pair(const char *up, size_t up_len, const char *down, size_t down_len,
                         char out[65]);

/* The file name part of path (borrowed). */
const char *borch_migration_basename(const char *path);

/*
 * Compares set->items with set->dir/borch.sum and fills has_sum, sum_ok and
 * sum_problem. A mismatch is not an error; an unreadable borch.sum is.
 */
int borch_sum_check(borch_migration_set *set, borch_error *err);

#endif
