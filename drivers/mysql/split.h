/*
 * split.h - cuts a MySQL/MariaDB script into statements the way the mysql
 * command-line client does, because the server runs one statement per
 * mysql_real_query (CLIENT_MULTI_STATEMENTS stays off).
 *
 * Understood: `DELIMITER xx` lines (for procedures and triggers), '...',
 * "..." and `...` quotes (backslash escapes in the first two, doubled quotes
 * in all three), -- comments (dash dash and a space), # comments and
 * block comments. Executable comments (opened by slash-star-bang or
 * slash-star-M-bang) and optimizer hints (slash-star-plus) count as code
 * and stay in the statement.
 * Comments before a statement are dropped; comments inside one are kept.
 * No server is needed, so the splitter is tested on its own.
 */
#ifndef BORCH_MYSQL_SPLIT_H
#define BORCH_MYSQL_SPLIT_H

#include <stddef.h>

#include "util/error.h"

/* One statement of a script. */
typedef struct borch_mysql_stmt {
    char *sql; /* the text without its delimiter, trimmed, malloc'd */
    int line;  /* first_line + line offset of its first non-blank character */
} borch_mysql_stmt;

typedef struct borch_mysql_stmts {
    borch_mysql_stmt *items;
    size_t count;
    size_t cap;
} borch_mysql_stmts;

/* Flags for borch_mysql_split. */
enum borch_mysql_split_flags {
    /* sql_mode NO_BACKSLASH_ESCAPES: a backslash in a string is a plain character */
    BORCH_MYSQL_SPLIT_NO_BACKSLASH_ESCAPES = 1u << 0,
};

/*
 * Splits sql into out (which must be zeroed, and which the caller releases
 * with borch_mysql_stmts_release, also on failure). Statements that are only
 * comments and blanks are left out. Returns 0, or BORCH_EINPUT for an
 * unterminated quote or block comment or a DELIMITER line without a
 * delimiter; err->line then names the line (first_line-based).
 */
int borch_mysql_split(const char *sql, int first_line, unsigned flags, borch_mysql_stmts *out,
                      borch_error *err);
void borch_mysql_stmts_release(borch_mysql_stmts *s);

#endif
