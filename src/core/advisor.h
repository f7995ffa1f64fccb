/*
 * advisor.h - index advice from the engine's own planner (advise-indexes).
 *
 * The workload's queries are read against the schema model (sqlscan), each
 * gets candidate indexes (equality columns first, then one range column,
 * then ORDER BY / GROUP BY columns, a covering variant where cheap), and a
 * what-if session of the driver (HypoPG, an in-memory SQLite copy with the
 * target's statistics, a MySQL throwaway copy) plans every query with them.
 * Selection is greedy by weighted cost saved, so one index that serves many
 * queries wins over several that serve one each; a suggestion under the
 * minimum gain, one an existing index already serves (left-most prefix) or
 * one another suggestion makes redundant is dropped.
 *
 * Nothing is ever written to the target.
 *
 * Ownership: borch_advice owns everything in it except the queries'
 * borch_query, borrowed from the workload (which must outlive it).
 */
#ifndef BORCH_ADVISOR_H
#define BORCH_ADVISOR_H

#include <stddef.h>

#include "core/workload.h"
#include "driver.h"
#include "util/error.h"
#include "util/mem.h"

typedef struct borch_advise_opts {
    double min_gain_pct;  /* a suggestion saving less than this share of the cost of the
                             queries it serves is dropped; default 10 */
    size_t max_columns;   /* widest candidate; default 4 */
    /* Called now and then on long runs; may be NULL. */
    void (*progress)(void *payload, const char *phase, size_t done, size_t total);
    void *payload;
} borch_advise_opts;

typedef struct borch_advice_query {
    const borch_query *query; /* borrowed from the workload */
    int analysed;             /* 0: skipped (the reason is in the warnings) */
    double cost_before;       /* one run, as the engine estimates it */
    double cost_after;        /* with every suggestion in place */
    borch_strv uses;          /* the suggestions its plan then uses and gains
                                 --min-gain from */
    int served;               /* its plan then reads no table whole (no table scan, no
                                 whole-index walk unless a LIMIT may cut it short) */
    char *plan_after;         /* the plan text with the suggestions, or NULL */
} borch_advice_query;

typedef struct borch_suggestion {
    char *name;          /* index name, not clashing with the schema's */
    char *table;
    borch_strv columns;
    char *ddl;           /* CREATE INDEX ... in the target's dialect */
    char *down;          /* DROP INDEX ... */
    size_t nqueries;     /* queries whose plan uses it and gains --min-gain */
    double cost_before;  /* weighted cost of those queries without any suggestion */
    double cost_saved;   /* weighted cost they save with every suggestion */
    borch_strv supersedes; /* existing indexes that are a left-most prefix of this one:
                              redundant once it exists */
} borch_suggestion;

typedef struct borch_redundant_index {
    char *table;
    char *index;
    char *covered_by;    /* the index (or "PRIMARY KEY") it is a left-most prefix of */
} borch_redundant_index;

typedef struct borch_advice {
    const char *engine;           /* the driver's name */
    const char *method;           /* how candidates were evaluated (static text) */
    borch_advice_query *queries;  /* one per workload query, in workload order */
    size_t nqueries;
    borch_suggestion *suggestions;
    size_t nsuggestions;
    borch_redundant_index *redundant;
    size_t nredundant;
    borch_index_usage *unused;    /* never-used non-unique indexes, where the engine counts */
    size_t nunused;
    char *unused_since;           /* or NULL */
    borch_strv warnings;          /* "file:line: message" */
    char *migration_up;           /* every suggestion in one change list, rendered for a table
                                     in use (PostgreSQL CONCURRENTLY, SQLite ANALYZE after) */
    char *migration_down;
    int migration_notx;           /* the renderer said: outside a transaction */
    double total_before;          /* sum of weight x cost over analysed queries */
    double total_after;
    size_t explains;              /* plans asked for (for the performance notes) */
} borch_advice;

/*
 * Advises on workload w for target. scratch is an empty throwaway database
 * when the driver's caps have BORCH_CAP_WHATIF_SCRATCH, else NULL.
 * Statements that do not parse or name missing tables become warnings and
 * are skipped. Returns a negative code only when advice is impossible (no
 * what-if support, target unreadable).
 */
int borch_advise(borch_conn *target, borch_conn *scratch, const borch_workload *w,
                 const borch_advise_opts *opts, borch_advice *out, borch_error *err);

/*
 * The migration creating every suggestion (its sections notx when the
 * renderer says so: PostgreSQL CONCURRENTLY). malloc'd.
 */
char *borch_advice_migration(const borch_advice *a);

void borch_advice_release(borch_advice *a);

#endif
