/*
 * lint.h - rules that flag unsafe or irreversible migrations. Findings come
 * from the change model (the schema before and after each migration, read
 * from a throwaway database) and, on PostgreSQL, from libpg_query's parse
 * tree of the migration's statements.
 */
#ifndef BORCH_LINT_H
#define BORCH_LINT_H

#include <stddef.h>

#include "core/migration.h"
#include "driver.h"

typedef enum borch_lint_severity {
    BORCH_LINT_INFO,
    BORCH_LINT_WARNING,
    BORCH_LINT_ERROR,
} borch_lint_severity;

/* A rule: id, severity, and one line of why and how to fix it. */
typedef struct borch_lint_rule {
    const char *id;       /* "BD001" style, stable */
    borch_lint_severity severity;
    const char *engines;  /* NULL for all, else e.g. "postgres" */
    const char *summary;  /* one line: what it flags */
    const char *fix;      /* one line: why it matters and how to fix it */
} borch_lint_rule;

typedef struct borch_lint_finding {
    const borch_lint_rule *rule;    /* borrowed from the rule table */
    const borch_migration *migration; /* borrowed */
    char *message;                  /* what exactly, e.g. "drops column users.email" */
    char *file;                     /* or NULL */
    int line;                       /* or 0 */
    int ignored;                    /* silenced by `-- +borch lint:ignore RULE reason` */
    char *ignore_reason;            /* the reason given, or NULL */
} borch_lint_finding;

typedef struct borch_lint_report {
    borch_lint_finding *items;
    size_t count, cap;
} borch_lint_report;

/* The rule table, NULL-id terminated. */
const borch_lint_rule *borch_lint_rules(void);

/*
 * Lints migrations [first, first+n) of set. conn is a throwaway database of
 * the target's engine, empty on entry: the migrations before `first` are
 * applied to it first, then each linted migration is applied (up) so that
 * the schema before and after it can be compared. The rehearsal result of
 * `rollback --verify` is not needed: the "down does not reverse up" rule
 * runs the down in a rolled-back transaction where the engine allows.
 */
int borch_lint_run(borch_conn *conn, const borch_migration_set *set, size_t first, size_t n,
                   borch_lint_report *out, borch_error *err);
void borch_lint_report_release(borch_lint_report *r);
/* The number of findings at error severity that are not ignored. */
size_t borch_lint_errors(const borch_lint_report *r);

#endif
