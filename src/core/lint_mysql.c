/*
 * lint_mysql.c - the MySQL statement rule: DDL and DML in one migration.
 * MySQL commits every DDL statement implicitly, so such a migration is not
 * atomic. Statements are told apart by their first keyword; the scan skips
 * comments and quoted text so a semicolon inside a string does not split.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/lint_internal.h"

/* Whether the word at p (n letters) is one of list. */
static int word_in(const char *p, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(p, list[i], n) == 0)
            return 1;
    return 0;
}

void lint_mysql_rules(const borch_migration *m, borch_lint_report *r)
{
    static const char *const DDL[] = {"create", "alter", "drop", "rename", "truncate", NULL};
    static const char *const DML[] = {"insert", "update", "delete", "replace", "load", NULL};
    const char *sql = m->up.sql ? m->up.sql : "";
    int ddl_line = 0, dml_line = 0, at_start = 1;
    for (size_t i = 0; sql[i];) {
        char c = sql[i];
        if (c == '-' && sql[i + 1] == '-') {
            while (sql[i] && sql[i] != '\n')
                i++;
        } else if (c == '#') {
            while (sql[i] && sql[i] != '\n')
                i++;
        } else if (c == '/' && sql[i + 1] == '*') {
            const char *e = strstr(sql + i + 2, "*/");
            i = e ? (size_t)(e - sql) + 2 : strlen(sql);
        } else if (c == '\'' || c == '"' || c == '`') {
            for (i++; sql[i] && sql[i] != c; i++)
                if (sql[i] == '\\' && sql[i + 1])
                    i++;
            if (sql[i])
                i++;
            at_start = 0;
        } else if (c == ';') {
            at_start = 1;
            i++;
        } else if (isspace((unsigned char)c)) {
            i++;
        } else {
            if (at_start && isalpha((unsigned char)c)) {
                size_t n = 0;
                while (isalpha((unsigned char)sql[i + n]))
                    n++;
                int line = lint_offset_line(&m->up, i);
                if (!ddl_line && word_in(sql + i, n, DDL))
                    ddl_line = line;
                if (!dml_line && word_in(sql + i, n, DML))
                    dml_line = line;
                i += n;
            } else {
                i++;
            }
            at_start = 0;
        }
    }
    if (ddl_line && dml_line)
        lint_add(r, LR_MYSQL_MIXED, m, ddl_line > dml_line ? ddl_line : dml_line,
                 "mixes DDL (line %d) and DML (line %d): MySQL commits the DDL implicitly, so "
                 "the migration is not atomic",
                 ddl_line, dml_line);
}
