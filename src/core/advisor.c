/*
 * advisor.c - advise-indexes: plan the workload without and with candidate
 * indexes in the driver's what-if session and keep the few indexes that
 * save the most weighted cost.
 *
 * 1. Each query is read against the model (sqlscan) and planned as it is.
 * 2. Every candidate of every query is added at once and each query planned
 *    again: the planner itself picks, per query, the candidates it would
 *    use and what the best achievable cost is.
 * 3. Greedy rounds: each round adds, per table, the candidate with the
 *    largest weighted saving still open over the queries whose best plan
 *    used it, then re-plans the queries of the tables that changed with
 *    just the chosen set (so an index chosen for one query is seen serving
 *    others, and a query already served well enough stops counting).
 * 4. Each chosen index must pay: dropped from the set, the queries using it
 *    are re-planned; if they lose less than --min-gain of their cost
 *    without it, it goes (this also removes an index another suggestion
 *    makes redundant).
 * 5. A last pass plans every query with the final set: the "after" of the
 *    report. About four plans per query in all, plus a few per round for
 *    the queries still open.
 */
#include "core/advisor_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diff.h"
#include "util/buf.h"

typedef struct adv_run {
    borch_conn *target;
    borch_whatif *w;
    const borch_schema *model;
    adv_cands cands;
    adv_query *qs;
    size_t nq;
    const borch_advise_opts *opts;
    borch_advice *out;
} adv_run;

static double weight(const adv_query *aq)
{
    return aq->q->weight > 0 ? aq->q->weight : 1;
}

static void warn_at(borch_advice *out, const borch_query *q, int line_in_sql, const char *msg)
{
    borch_buf b;
    borch_buf_init(&b);
    if (q->file)
        borch_buf_printf(&b, "%s:%d: ", q->file, q->line + (line_in_sql > 1 ? line_in_sql - 1 : 0));
    borch_buf_puts(&b, msg);
    if (!q->file) {
        /* From server statistics: no position, so name the statement. */
        size_t n = strlen(q->sql);
        borch_buf_printf(&b, ": %.*s%s", (int)(n > 120 ? 120 : n), q->sql, n > 120 ? "..." : "");
    }
    borch_strv_push_owned(&out->warnings, borch_buf_detach(&b));
    borch_buf_release(&b);
}

static int uses_table(const adv_query *aq, const char *table)
{
    for (size_t i = 0; i < aq->shape.ntables; i++)
        if (strcasecmp(aq->shape.tables[i].table, table) == 0)
            return 1;
    return 0;
}

/* The candidate present in the session under what-if id, or -1. */
static long cand_of_id(const adv_run *r, int id)
{
    for (size_t i = 0; i < r->cands.count; i++)
        if (r->cands.items[i].id == id)
            return (long)i;
    return -1;
}

static int plan_uses(const adv_run *r, const borch_whatif_plan *p, size_t cand)
{
    for (size_t i = 0; i < p->ncandidates_used; i++)
        if (cand_of_id(r, p->candidates_used[i]) == (long)cand)
            return 1;
    return 0;
}

/* Plans aq with whatever is in the session now; the plan goes to *out. */
static int plan(adv_run *r, adv_query *aq, borch_whatif_plan *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    r->out->explains++;
    return borch_whatif_explain(r->target, r->w, aq->q->sql,
                                (const char *const *)aq->shape.params.items,
                                aq->shape.params.count, out, err);
}

/* The engine's message, first line only, for a warning. */
static void first_line(const borch_error *e, char *buf, size_t n)
{
    const char *m = e->message[0] ? e->message : "the engine cannot plan this statement";
    size_t len = strcspn(m, "\n");
    snprintf(buf, n, "%.*s", (int)(len < 500 ? len : 500), m);
}

/*
 * Re-plans aq and keeps the result as its current plan. A query that
 * planned before but not now (a candidate the engine then refused) leaves
 * the advice with a warning; it does not end it.
 */
static int replan(adv_run *r, adv_query *aq, borch_error *err)
{
    (void)err;
    borch_whatif_plan p;
    borch_error e = {0};
    if (plan(r, aq, &p, &e) < 0) {
        char msg[600];
        first_line(&e, msg, sizeof(msg));
        warn_at(r->out, aq->q, 0, msg);
        borch_error_clear(&e);
        aq->ok = 0;
        return 0;
    }
    borch_whatif_plan_release(&aq->plan);
    aq->plan = p;
    aq->cost = p.cost;
    return 0;
}

/*
 * Adds candidate k to the session. One the engine refuses (a key too long,
 * a type it cannot index) is left out for good, not an error of the run;
 * returns 1 then.
 */
static int cand_add(adv_run *r, size_t k, borch_error *err)
{
    (void)err;
    adv_cand *c = &r->cands.items[k];
    if (c->id >= 0)
        return 0;
    borch_error e = {0};
    if (borch_whatif_add_index(r->target, r->w, c->table, (const char *const *)c->cols.items,
                               c->cols.count, &c->id, &e) < 0) {
        c->id = -1;
        c->banned = 1;
        c->selected = 0;
        borch_error_clear(&e);
        return 1;
    }
    return 0;
}

static int cand_drop(adv_run *r, size_t k, borch_error *err)
{
    adv_cand *c = &r->cands.items[k];
    if (c->id < 0)
        return 0;
    int rc = borch_whatif_drop_index(r->target, r->w, c->id, err);
    c->id_before_drop = c->id;
    c->id = -1;
    return rc;
}

static void progress(const adv_run *r, const char *phase, size_t done, size_t total)
{
    if (r->opts->progress)
        r->opts->progress(r->opts->payload, phase, done, total);
}

/* Step 1: read and plan every query as it is; failures become warnings. */
static int analyse(adv_run *r, borch_error *err)
{
    (void)err;
    for (size_t i = 0; i < r->nq; i++) {
        adv_query *aq = &r->qs[i];
        progress(r, "planning", i, r->nq);
        borch_error e = {0};
        if (borch_sqlscan(aq->q->sql, r->model, &aq->shape, &e) < 0) {
            warn_at(r->out, aq->q, e.line, e.message[0] ? e.message : "cannot read this statement");
            borch_error_clear(&e);
            continue;
        }
        if (aq->shape.kind == BORCH_STMT_OTHER) {
            warn_at(r->out, aq->q, 0, "not a SELECT, UPDATE or DELETE: skipped");
            continue;
        }
        aq->ok = 1;
        replan(r, aq, &e); /* a statement the engine cannot plan: warned, not ok */
        if (!aq->ok)
            continue;
        aq->cost0 = aq->cost;
        aq->cost_all = aq->cost;
    }
    return 0;
}

/* Step 2: every candidate present; what would each query use? */
static int plan_with_all(adv_run *r, borch_error *err)
{
    borch_strv keys = {0};
    double *freq = NULL;
    adv_equality_freq(r->qs, r->nq, &keys, &freq);
    size_t maxc = r->opts->max_columns ? r->opts->max_columns : 4;
    for (size_t i = 0; i < r->nq; i++)
        if (r->qs[i].ok)
            adv_candidates_for(&r->cands, &r->qs[i], r->model, &keys, freq, maxc,
                               r->target->driver->name);
    borch_strv_release(&keys);
    free(freq);

    int rc = 0;
    for (size_t k = 0; k < r->cands.count; k++)
        cand_add(r, k, err);
    for (size_t i = 0; i < r->nq && rc == 0; i++) {
        adv_query *aq = &r->qs[i];
        if (!aq->ok || aq->ncands == 0)
            continue;
        progress(r, "trying candidates", i, r->nq);
        borch_whatif_plan p;
        borch_error e = {0};
        if (plan(r, aq, &p, &e) < 0) {
            borch_error_clear(&e); /* no better plan known: nothing to gain here */
            continue;
        }
        if (p.cost < aq->cost0) {
            aq->cost_all = p.cost;
            for (size_t u = 0; u < p.ncandidates_used; u++) {
                long k = cand_of_id(r, p.candidates_used[u]);
                if (k < 0)
                    continue;
                aq->best = borch_xrealloc(aq->best, (aq->nbest + 1) * sizeof(size_t));
                aq->best[aq->nbest++] = (size_t)k;
            }
        }
        borch_whatif_plan_release(&p);
    }
    for (size_t k = 0; k < r->cands.count; k++) {
        borch_error e = {0};
        if (cand_drop(r, k, &e) < 0 && rc == 0)
            rc = borch_error_set(err, e.code, "%s", e.message);
        borch_error_clear(&e);
    }
    return rc;
}

/* The saving still open for aq: how far its current cost is from its best. */
static double open_saving(const adv_run *r, const adv_query *aq)
{
    double gap = aq->cost - aq->cost_all;
    if (gap <= 0 || gap < aq->cost * r->opts->min_gain_pct / 100.0)
        return 0;
    return weight(aq) * gap;
}

/*
 * Re-plans the analysed queries that read one of the marked tables and
 * still had a saving open. A query already within --min-gain of its best
 * keeps its plan for now (still valid: the set only grew); the final pass
 * re-plans everything once.
 */
static int replan_tables(adv_run *r, const borch_strv *tables, borch_error *err)
{
    for (size_t i = 0; i < r->nq; i++) {
        adv_query *aq = &r->qs[i];
        if (!aq->ok || open_saving(r, aq) <= 0)
            continue;
        int hit = 0;
        for (size_t t = 0; t < tables->count && !hit; t++)
            hit = uses_table(aq, tables->items[t]);
        if (hit) {
            int rc = replan(r, aq, err);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* Step 3: greedy rounds, one pick per table per round. */
static int greedy(adv_run *r, borch_error *err)
{
    double *score = borch_xcalloc(r->cands.count ? r->cands.count : 1, sizeof(double));
    int rc = 0;
    for (int round = 0; round < 64 && rc == 0; round++) {
        progress(r, "choosing", (size_t)round, 0);
        memset(score, 0, (r->cands.count ? r->cands.count : 1) * sizeof(double));
        for (size_t i = 0; i < r->nq; i++) {
            const adv_query *aq = &r->qs[i];
            if (!aq->ok)
                continue;
            double s = open_saving(r, aq);
            if (s <= 0)
                continue;
            for (size_t b = 0; b < aq->nbest; b++)
                score[aq->best[b]] += s;
        }
        borch_strv tables = {0};
        size_t picks[256];
        size_t npicks = 0;
        for (size_t k = 0; k < r->cands.count && npicks < 256; k++) {
            adv_cand *c = &r->cands.items[k];
            if (c->selected || c->banned || score[k] <= 0 || borch_strv_contains(&tables, c->table))
                continue;
            /* the best on its table this round */
            size_t best = k;
            for (size_t j = k + 1; j < r->cands.count; j++) {
                const adv_cand *o = &r->cands.items[j];
                if (!o->selected && !o->banned && score[j] > score[best] &&
                    strcasecmp(o->table, c->table) == 0)
                    best = j;
            }
            borch_strv_push(&tables, c->table);
            picks[npicks++] = best;
        }
        if (npicks == 0) {
            borch_strv_release(&tables);
            break;
        }
        for (size_t p = 0; p < npicks; p++) {
            r->cands.items[picks[p]].selected = 1;
            cand_add(r, picks[p], err); /* refused: banned and unselected */
        }
        if (rc == 0)
            rc = replan_tables(r, &tables, err);
        /* A pick that no plan uses helps nobody: out, and never again. */
        for (size_t p = 0; p < npicks && rc == 0; p++) {
            int used = 0;
            for (size_t i = 0; i < r->nq && !used; i++)
                used = r->qs[i].ok && plan_uses(r, &r->qs[i].plan, picks[p]);
            if (!used) {
                r->cands.items[picks[p]].selected = 0;
                r->cands.items[picks[p]].banned = 1;
                rc = cand_drop(r, picks[p], err);
            }
        }
        borch_strv_release(&tables);
    }
    free(score);
    return rc;
}

/* Whether candidate a's columns are a left-most prefix of b's, on the same table. */
static int is_prefix_of(const adv_cand *a, const adv_cand *b)
{
    if (strcasecmp(a->table, b->table) != 0 || a->cols.count > b->cols.count)
        return 0;
    for (size_t i = 0; i < a->cols.count; i++)
        if (strcasecmp(a->cols.items[i], b->cols.items[i]) != 0)
            return 0;
    return 1;
}

/*
 * A chosen index that is a left-most prefix of another chosen one is
 * redundant by definition: the longer serves every lookup it does. It goes
 * whatever it saves, and its users are re-planned with the longer one.
 */
static int drop_prefixes(adv_run *r, borch_error *err)
{
    for (size_t k = 0; k < r->cands.count; k++) {
        adv_cand *c = &r->cands.items[k];
        if (!c->selected)
            continue;
        int covered = 0;
        for (size_t j = 0; j < r->cands.count && !covered; j++)
            covered = j != k && r->cands.items[j].selected &&
                      r->cands.items[j].cols.count > c->cols.count &&
                      is_prefix_of(c, &r->cands.items[j]);
        if (!covered)
            continue;
        int rc = cand_drop(r, k, err);
        c->selected = 0;
        c->banned = 1;
        for (size_t i = 0; i < r->nq && rc == 0; i++) {
            adv_query *aq = &r->qs[i];
            int used = 0;
            for (size_t u = 0; aq->ok && u < aq->plan.ncandidates_used; u++)
                used |= aq->plan.candidates_used[u] == c->id_before_drop;
            if (used)
                rc = replan(r, aq, err);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Step 4: every chosen index must pay for itself given the others. */
static int prune(adv_run *r, borch_error *err)
{
    int prc = drop_prefixes(r, err);
    if (prc < 0)
        return prc;
    for (size_t k = 0; k < r->cands.count; k++) {
        adv_cand *c = &r->cands.items[k];
        if (!c->selected)
            continue;
        double with = 0;
        size_t *users = NULL, nusers = 0;
        for (size_t i = 0; i < r->nq; i++) {
            adv_query *aq = &r->qs[i];
            if (aq->ok && plan_uses(r, &aq->plan, k)) {
                users = borch_xrealloc(users, (nusers + 1) * sizeof(size_t));
                users[nusers++] = i;
                with += weight(aq) * aq->cost;
            }
        }
        int rc = cand_drop(r, k, err);
        double without = 0;
        borch_whatif_plan *alt = borch_xcalloc(nusers ? nusers : 1, sizeof(*alt));
        int unplanned = 0;
        for (size_t u = 0; u < nusers && rc == 0 && !unplanned; u++) {
            borch_error e = {0};
            unplanned = plan(r, &r->qs[users[u]], &alt[u], &e) < 0;
            borch_error_clear(&e);
            without += weight(&r->qs[users[u]]) * alt[u].cost;
        }
        /* Kept when its users cannot be planned without it, too. */
        int keep = rc == 0 && nusers > 0 &&
                   (unplanned || (without > 0 && (without - with) >=
                                                     without * r->opts->min_gain_pct / 100.0));
        if (rc == 0 && !keep) {
            c->selected = 0;
            c->banned = 1;
            for (size_t u = 0; u < nusers; u++) {
                borch_whatif_plan_release(&r->qs[users[u]].plan);
                r->qs[users[u]].plan = alt[u];
                r->qs[users[u]].cost = alt[u].cost;
                memset(&alt[u], 0, sizeof(alt[u]));
            }
        } else if (rc == 0) {
            int old_id = c->id_before_drop;
            if (cand_add(r, k, err) != 0) {
                /* refused now: the users' plans without it are the truth */
                for (size_t u = 0; u < nusers; u++)
                    replan(r, &r->qs[users[u]], err);
            }
            /* Back as it was, under a new id: the kept plans name the old one. */
            for (size_t i = 0; i < r->nq && rc == 0; i++) {
                borch_whatif_plan *p = &r->qs[i].plan;
                for (size_t u = 0; u < p->ncandidates_used; u++)
                    if (p->candidates_used[u] == old_id)
                        p->candidates_used[u] = c->id;
            }
        }
        for (size_t u = 0; u < nusers; u++)
            borch_whatif_plan_release(&alt[u]);
        free(alt);
        free(users);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A name for the index that no index of the schema or earlier suggestion has. */
static char *index_name(const adv_run *r, const adv_cand *c)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, c->table);
    for (size_t i = 0; i < c->cols.count; i++) {
        borch_buf_putc(&b, '_');
        borch_buf_puts(&b, c->cols.items[i]);
    }
    for (char *p = b.data; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9'))
            *p = '_';
    if (b.len > 50) {
        /* Long names are cut and told apart by a hash of the whole. */
        unsigned h = 2166136261u;
        for (const char *p = b.data; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        b.len = 50;
        b.data[50] = '\0';
        borch_buf_printf(&b, "_%08x", h);
    }
    char *base = borch_buf_detach(&b);
    borch_buf_release(&b);
    for (int n = 1;; n++) {
        char name[128];
        if (n == 1)
            snprintf(name, sizeof(name), "%s_idx", base);
        else
            snprintf(name, sizeof(name), "%s_idx%d", base, n);
        int taken = 0;
        /* Indexes share one namespace with tables and views (SQLite,
         * PostgreSQL): none of those names either. */
        for (size_t t = 0; t < r->model->ntables && !taken; t++)
            taken = borch_table_index(&r->model->tables[t], name) != NULL ||
                    strcasecmp(r->model->tables[t].name, name) == 0;
        for (size_t v = 0; v < r->model->nviews && !taken; v++)
            taken = strcasecmp(r->model->views[v].name, name) == 0;
        for (size_t s = 0; s < r->out->nsuggestions && !taken; s++)
            taken = strcasecmp(r->out->suggestions[s].name, name) == 0;
        if (!taken) {
            free(base);
            return borch_xstrdup(name);
        }
    }
}

/*
 * The driver's DDL for the difference from -> to, with index changes
 * written for a table in use (render flags). *notx is set when the
 * renderer says the DDL must run outside a transaction; its warning lines
 * saying so are left out of the text, the migration's section says it.
 */
static char *render(const borch_driver *d, const borch_schema *from, const borch_schema *to,
                    unsigned flags, int *notx)
{
    borch_changes ch = {0};
    borch_buf raw, b;
    borch_buf_init(&raw);
    borch_buf_init(&b);
    borch_error e = {0};
    if (borch_diff(from, to, &ch, &e) == 0 && d->render) {
        ch.render_flags = flags;
        d->render(from, to, &ch, &raw, &e);
    }
    borch_changes_release(&ch);
    borch_error_clear(&e);
    for (const char *p = raw.data ? raw.data : ""; *p;) {
        size_t n = strcspn(p, "\n");
        int mark = strncmp(p, "-- ", 3) == 0 && strstr(p, BORCH_RENDER_NOTX_MARK) &&
                   (size_t)(strstr(p, BORCH_RENDER_NOTX_MARK) - p) < n;
        if (mark)
            *notx = 1;
        else
            borch_buf_append(&b, p, n + (p[n] == '\n'));
        p += n + (p[n] == '\n');
    }
    borch_buf_release(&raw);
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.data[--b.len] = '\0';
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out ? out : borch_xstrdup("");
}

/* The schema with an index added for each suggestion so far (the caller frees it). */
static borch_schema *with_suggestions(const borch_schema *model, const borch_suggestion *s,
                                      size_t n)
{
    borch_schema *to = borch_schema_clone(model);
    for (size_t k = 0; k < n; k++) {
        borch_table *t = borch_schema_table(to, s[k].table);
        if (!t)
            continue;
        borch_index *ix = borch_table_add_index(t, s[k].name, 0);
        for (size_t i = 0; i < s[k].columns.count; i++)
            borch_index_add_column(ix, s[k].columns.items[i]);
    }
    borch_schema_sort(to);
    return to;
}

/*
 * Whether aq's final plan gains from suggestion k: it uses it and saves at
 * least --min-gain of its cost. A plan that merely switched to a tied new
 * index, or walks a whole index instead of the table, is not helped.
 */
static int helped_by(const adv_run *r, const adv_query *aq, size_t k)
{
    return aq->ok && plan_uses(r, &aq->plan, k) &&
           aq->cost <= aq->cost0 * (1.0 - r->opts->min_gain_pct / 100.0) && aq->cost < aq->cost0;
}

/* Turns the chosen candidates into suggestions with DDL and figures. */
static void report(adv_run *r)
{
    borch_advice *out = r->out;
    size_t cap = 0;
    for (size_t k = 0; k < r->cands.count; k++) {
        const adv_cand *c = &r->cands.items[k];
        if (!c->selected)
            continue;
        borch_grow((void **)&out->suggestions, &cap, out->nsuggestions + 1,
                   sizeof(*out->suggestions));
        borch_suggestion *s = &out->suggestions[out->nsuggestions];
        memset(s, 0, sizeof(*s));
        s->name = index_name(r, c);
        out->nsuggestions++;
        s->table = borch_xstrdup(c->table);
        for (size_t i = 0; i < c->cols.count; i++)
            borch_strv_push(&s->columns, c->cols.items[i]);
        int notx = 0;
        borch_schema *to = with_suggestions(r->model, s, 1);
        s->ddl = render(r->target->driver, r->model, to, BORCH_RENDER_CONCURRENT_INDEXES, &notx);
        s->down = render(r->target->driver, to, r->model, BORCH_RENDER_CONCURRENT_INDEXES, &notx);
        borch_schema_free(to);
        const borch_table *old = borch_schema_table(r->model, c->table);
        for (size_t x = 0; old && x < old->nindexes; x++) {
            const borch_index *ix = &old->indexes[x];
            if (ix->unique || ix->expression || ix->where || ix->method ||
                ix->ncolumns >= c->cols.count)
                continue;
            size_t m = 0;
            while (m < ix->ncolumns && strcasecmp(ix->columns[m], c->cols.items[m]) == 0)
                m++;
            if (m == ix->ncolumns)
                borch_strv_push(&s->supersedes, ix->name);
        }
        for (size_t i = 0; i < r->nq; i++) {
            const adv_query *aq = &r->qs[i];
            if (helped_by(r, aq, k)) {
                s->nqueries++;
                s->cost_before += weight(aq) * aq->cost0;
                s->cost_saved += weight(aq) * (aq->cost0 - aq->cost);
            }
        }
    }
    /* The migration: one change list, so each table is analysed once. */
    if (out->nsuggestions) {
        const unsigned flags = BORCH_RENDER_CONCURRENT_INDEXES | BORCH_RENDER_ANALYZE_INDEXED;
        borch_schema *to = with_suggestions(r->model, out->suggestions, out->nsuggestions);
        out->migration_up = render(r->target->driver, r->model, to, flags, &out->migration_notx);
        out->migration_down =
            render(r->target->driver, to, r->model, flags, &out->migration_notx);
        borch_schema_free(to);
    }
    out->nqueries = r->nq;
    out->queries = borch_xcalloc(r->nq ? r->nq : 1, sizeof(*out->queries));
    for (size_t i = 0; i < r->nq; i++) {
        adv_query *aq = &r->qs[i];
        borch_advice_query *o = &out->queries[i];
        o->query = aq->q;
        o->analysed = aq->ok;
        if (!aq->ok)
            continue;
        o->cost_before = aq->cost0;
        o->cost_after = aq->cost;
        /* No table read whole, by a scan or by walking a whole index (which
         * a LIMIT may cut short). */
        o->served = aq->plan.full_scans == 0 &&
                    (aq->plan.index_scans == 0 || aq->shape.has_limit);
        o->plan_after = aq->plan.text ? borch_xstrdup(aq->plan.text) : NULL;
        size_t si = 0;
        for (size_t k = 0; k < r->cands.count; k++) {
            if (!r->cands.items[k].selected)
                continue;
            if (helped_by(r, aq, k))
                borch_strv_push(&o->uses, out->suggestions[si].name);
            si++;
        }
        out->total_before += weight(aq) * o->cost_before;
        out->total_after += weight(aq) * o->cost_after;
    }
}

static const char *method_of(const char *engine)
{
    if (strcmp(engine, "postgres") == 0)
        return "HypoPG hypothetical indexes in the target's session (nothing written)";
    if (strcmp(engine, "sqlite") == 0)
        return "an in-memory copy of the schema with the target's statistics";
    if (strcmp(engine, "mysql") == 0)
        return "a throwaway copy of the schema and sampled rows on the scratch server";
    return "the driver's what-if session";
}

/* Unused existing indexes, where the engine keeps counters; silent where it does not. */
static void unused_indexes(adv_run *r)
{
    borch_index_usage *u = NULL;
    size_t n = 0;
    char *since = NULL;
    borch_error e = {0};
    if (borch_conn_index_usage(r->target, &u, &n, &since, &e) < 0) {
        borch_error_clear(&e);
        return;
    }
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        const borch_table *t = borch_schema_table(r->model, u[i].table);
        const borch_index *ix = t ? borch_table_index(t, u[i].index) : NULL;
        if (u[i].scans > 0 || !ix || ix->unique || ix->constraint)
            continue;
        borch_grow((void **)&r->out->unused, &cap, r->out->nunused + 1, sizeof(*r->out->unused));
        borch_index_usage *o = &r->out->unused[r->out->nunused++];
        o->table = borch_xstrdup(u[i].table);
        o->index = borch_xstrdup(u[i].index);
        o->scans = 0;
    }
    r->out->unused_since = since;
    borch_index_usage_free(u, n);
}

int borch_advise(borch_conn *target, borch_conn *scratch, const borch_workload *w,
                 const borch_advise_opts *opts, borch_advice *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    borch_advise_opts dflt = {.min_gain_pct = 10, .max_columns = 4};
    if (!opts)
        opts = &dflt;
    out->engine = target->driver->name;
    out->method = method_of(out->engine);
    for (size_t i = 0; i < w->warnings.count; i++)
        borch_strv_push(&out->warnings, w->warnings.items[i]);

    borch_schema *model = NULL;
    int rc = borch_conn_introspect(target, &model, err);
    if (rc < 0)
        return rc;
    adv_run r = {.target = target, .model = model, .opts = opts, .out = out, .nq = w->nqueries};
    r.qs = borch_xcalloc(w->nqueries ? w->nqueries : 1, sizeof(adv_query));
    for (size_t i = 0; i < w->nqueries; i++)
        r.qs[i].q = &w->queries[i];
    adv_redundant_existing(model, out);
    unused_indexes(&r);

    rc = borch_whatif_open(target, scratch, model, &r.w, err);
    if (rc == 0)
        rc = analyse(&r, err);
    if (rc == 0)
        rc = plan_with_all(&r, err);
    if (rc == 0)
        rc = greedy(&r, err);
    if (rc == 0)
        rc = prune(&r, err);
    for (size_t i = 0; i < r.nq && rc == 0; i++) {
        progress(&r, "final plans", i, r.nq);
        if (r.qs[i].ok)
            rc = replan(&r, &r.qs[i], err);
    }
    if (rc == 0)
        report(&r);
    borch_whatif_close(target, r.w);
    for (size_t i = 0; i < r.nq; i++) {
        borch_query_shape_release(&r.qs[i].shape);
        borch_whatif_plan_release(&r.qs[i].plan);
        free(r.qs[i].cands);
        free(r.qs[i].best);
    }
    free(r.qs);
    adv_cands_release(&r.cands);
    borch_schema_free(model);
    if (rc < 0)
        borch_advice_release(out);
    return rc;
}

char *borch_advice_migration(const borch_advice *a)
{
    const char *notx = a->migration_notx ? " notx" : "";
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "-- +borch up%s\n-- Suggested by borch-db advise-indexes.\n%s\n", notx,
                     a->migration_up ? a->migration_up : "");
    borch_buf_printf(&b, "\n-- +borch down%s\n%s\n", notx,
                     a->migration_down ? a->migration_down : "");
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

void borch_advice_release(borch_advice *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nqueries; i++) {
        borch_strv_release(&a->queries[i].uses);
        free(a->queries[i].plan_after);
    }
    free(a->queries);
    for (size_t i = 0; i < a->nsuggestions; i++) {
        borch_suggestion *s = &a->suggestions[i];
        free(s->name);
        free(s->table);
        free(s->ddl);
        free(s->down);
        borch_strv_release(&s->columns);
        borch_strv_release(&s->supersedes);
    }
    free(a->suggestions);
    for (size_t i = 0; i < a->nredundant; i++) {
        free(a->redundant[i].table);
        free(a->redundant[i].index);
        free(a->redundant[i].covered_by);
    }
    free(a->redundant);
    borch_index_usage_free(a->unused, a->nunused);
    free(a->unused_since);
    borch_strv_release(&a->warnings);
    free(a->migration_up);
    free(a->migration_down);
    memset(a, 0, sizeof(*a));
}
