/*
 * advisor_slots.c - the wrappers of the ABI 2 slots the index advisor uses
 * (what-if sessions, statement statistics, index usage). A driver built
 * for ABI 1, or one that leaves a slot NULL, answers with a clear
 * "not supported" error instead of a crash.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* The slot when the driver was built for ABI 2 or later, else NULL. */
#define ABI2_SLOT(conn, slot) \
    ((conn)->driver->abi_version >= BORCH_DRIVER_ABI_2 ? (conn)->driver->slot : NULL)

static int unsupported(const borch_conn *conn, const char *what, borch_error *err)
{
    return borch_error_set(err, BORCH_EUNSUPPORTED, "%s is not supported by the %s driver", what,
                           conn->driver->name);
}

void borch_whatif_plan_release(borch_whatif_plan *p)
{
    if (!p)
        return;
    free(p->candidates_used);
    for (size_t i = 0; i < p->nindexes_used; i++)
        free(p->indexes_used[i]);
    free(p->indexes_used);
    free(p->text);
    p->candidates_used = NULL;
    p->indexes_used = NULL;
    p->text = NULL;
    p->ncandidates_used = p->nindexes_used = 0;
}

void borch_whatif_plan_add_candidate(borch_whatif_plan *p, int id)
{
    for (size_t i = 0; i < p->ncandidates_used; i++)
        if (p->candidates_used[i] == id)
            return;
    p->candidates_used = borch_xrealloc(p->candidates_used, (p->ncandidates_used + 1) * sizeof(int));
    p->candidates_used[p->ncandidates_used++] = id;
}

void borch_whatif_plan_add_index(borch_whatif_plan *p, const char *name)
{
    for (size_t i = 0; i < p->nindexes_used; i++)
        if (strcmp(p->indexes_used[i], name) == 0)
            return;
    p->indexes_used = borch_xrealloc(p->indexes_used, (p->nindexes_used + 1) * sizeof(char *));
    p->indexes_used[p->nindexes_used++] = borch_xstrdup(name);
}

void borch_index_usage_free(borch_index_usage *u, size_t n)
{
    for (size_t i = 0; i < n && u; i++) {
        free(u[i].table);
        free(u[i].index);
    }
    free(u);
}

int borch_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                      borch_whatif **out, borch_error *err)
{
    *out = NULL;
    if (!ABI2_SLOT(target, whatif_open))
        return unsupported(target, "index advice", err);
    return target->driver->whatif_open(target, scratch, model, out, err);
}

int borch_whatif_add_index(borch_conn *target, borch_whatif *w, const char *table,
                           const char *const *columns, size_t ncolumns, int *out_id,
                           borch_error *err)
{
    return target->driver->whatif_add_index(w, table, columns, ncolumns, out_id, err);
}

int borch_whatif_drop_index(borch_conn *target, borch_whatif *w, int id, borch_error *err)
{
    return target->driver->whatif_drop_index(w, id, err);
}

int borch_whatif_explain(borch_conn *target, borch_whatif *w, const char *sql,
                         const char *const *param_columns, size_t nparams,
                         borch_whatif_plan *out, borch_error *err)
{
    return target->driver->whatif_explain(w, sql, param_columns, nparams, out, err);
}

void borch_whatif_close(borch_conn *target, borch_whatif *w)
{
    if (w)
        target->driver->whatif_close(w);
}

int borch_conn_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err)
{
    if (!ABI2_SLOT(conn, workload_stats))
        return unsupported(conn, "--from-stats", err);
    return conn->driver->workload_stats(conn, out, err);
}

int borch_conn_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n,
                           char **out_since, borch_error *err)
{
    *out = NULL;
    *out_n = 0;
    *out_since = NULL;
    if (!ABI2_SLOT(conn, index_usage))
        return unsupported(conn, "index usage statistics", err);
    return conn->driver->index_usage(conn, out, out_n, out_since, err);
}
