/*
 * advisor_internal.h - what the advisor's files share: candidate indexes
 * and per-query state. Not for other modules.
 */
#ifndef BORCH_ADVISOR_INTERNAL_H
#define BORCH_ADVISOR_INTERNAL_H

#include "core/advisor.h"
#include "core/sqlscan.h"

/* A candidate index: one table, its columns in key order. */
typedef struct adv_cand {
    char *table;
    borch_strv cols;
    char *key;       /* "table\ncol\ncol": identity for de-duplication */
    int id;          /* what-if id while present in the session, else -1 */
    int id_before_drop; /* the id it had before the last drop */
    int selected;    /* part of the suggestion set */
    int banned;      /* tried and found of no use */
} adv_cand;

typedef struct adv_cands {
    adv_cand *items;
    size_t count, cap;
} adv_cands;

/* Per workload query. */
typedef struct adv_query {
    const borch_query *q;
    borch_query_shape shape;
    int ok;                 /* analysed and planned */
    size_t *cands;          /* its own candidates (indexes into adv_cands) */
    size_t ncands, capcands;
    double cost0;           /* no candidate present */
    double cost_all;        /* every candidate present */
    size_t *best;           /* candidates the plan used with every candidate present */
    size_t nbest;
    double cost;            /* with the current suggestion set */
    borch_whatif_plan plan; /* the current plan */
} adv_query;

/*
 * Adds the candidates of query aq to cands (de-duplicated), skipping any
 * that an existing index or the primary key already serves. freq counts
 * how many queries compare each "table.column" by equality, so equality
 * columns go in a shared order and candidates of different queries share
 * prefixes.
 */
void adv_candidates_for(adv_cands *cands, adv_query *aq, const borch_schema *model,
                        const borch_strv *freq_keys, const double *freq, size_t max_columns,
                        const char *engine);

/* Counts equality/join columns over all queries (keys "table.column"). */
void adv_equality_freq(const adv_query *qs, size_t n, borch_strv *keys, double **counts);

/* Whether cols is a left-most prefix of (or equal to) an index or the PK of table t. */
int adv_served_by_existing(const borch_table *t, const char *const *cols, size_t ncols);

/* Existing indexes that are a left-most prefix of another one (or duplicates). */
void adv_redundant_existing(const borch_schema *model, borch_advice *out);

void adv_cands_release(adv_cands *c);

#endif
