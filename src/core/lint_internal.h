/*
 * lint_internal.h - what the lint rule files share: the rule ids, adding a
 * finding, and where in a section a statement or a name stands.
 */
#ifndef BORCH_LINT_INTERNAL_H
#define BORCH_LINT_INTERNAL_H

#include "core/lint.h"
#include "core/model.h"

/* Indexes into the rule table (borch_lint_rules), in its order. */
enum lint_rule_ix {
    LR_DESTRUCTIVE,     /* BD001 */
    LR_DATA_DEPENDENT,  /* BD002 */
    LR_NO_DOWN,         /* BD003 */
    LR_DOWN_DIFFERS,    /* BD004 */
    LR_INDEX_LOCKS,     /* BD005 */
    LR_TYPE_REWRITE,    /* BD006 */
    LR_VOLATILE_DEFAULT,/* BD007 */
    LR_EXCLUSIVE_LOCK,  /* BD008 */
    LR_MYSQL_MIXED,     /* BD009 */
    LR_SQLITE_REBUILD,  /* BD010 */
};

/* Appends a finding of rule ix for m at line of its up section; message is printf-style. */
void lint_add(borch_lint_report *r, enum lint_rule_ix ix, const borch_migration *m, int line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The 1-based file line of byte offset off in section sec. */
int lint_offset_line(const borch_section *sec, size_t off);

/*
 * PostgreSQL rules read from libpg_query's parse tree of m's up section:
 * CREATE INDEX without CONCURRENTLY, a volatile default on a new column,
 * DDL and DML on one existing table. before is the schema before m;
 * pg_major the server's major version. A section the parser refuses is
 * skipped: the server already ran it.
 */
void lint_pg_rules(const borch_migration *m, const borch_schema *before, int pg_major,
                   borch_lint_report *r);

/* MySQL: DDL and DML in one migration (DDL commits implicitly: not atomic). */
void lint_mysql_rules(const borch_migration *m, borch_lint_report *r);

#endif
