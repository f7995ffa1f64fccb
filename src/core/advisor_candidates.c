/*
 * advisor_candidates.c - the indexes worth trying for one query, and the
 * existing indexes that already make some of them pointless.
 *
 * Per table the query reads: equality columns first (they can all be
 * used together, in any order, so a shared order — most often compared
 * first — lets different queries share one index), then one range column
 * (only the first range column of an index narrows a search), then the
 * ORDER BY or GROUP BY columns (so the index also delivers the order), and
 * a covering variant (every column the query reads) where that stays
 * narrow. Join columns of the inner side count as equality.
 */
#include "core/advisor_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

static int same(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static int has_col(const borch_strv *v, const char *c)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i] && same(v->items[i], c))
            return 1;
    return 0;
}

static void push_unique(borch_strv *v, const char *c)
{
    if (c && !has_col(v, c))
        borch_strv_push(v, c);
}

/* Whether a key part names column c (plain columns only). */
static int part_is(const char *part, const char *c)
{
    return part && same(part, c);
}

int adv_served_by_existing(const borch_table *t, const char *const *cols, size_t ncols)
{
    if (!t || ncols == 0)
        return 0;
    if (t->nprimary_key >= ncols) {
        size_t i = 0;
        while (i < ncols && part_is(t->primary_key[i], cols[i]))
            i++;
        if (i == ncols)
            return 1;
    }
    for (size_t k = 0; k < t->nindexes; k++) {
        const borch_index *ix = &t->indexes[k];
        if (ix->where || ix->method || ix->ncolumns < ncols)
            continue;
        size_t i = 0;
        while (i < ncols && !ix->expression && part_is(ix->columns[i], cols[i]))
            i++;
        if (i == ncols)
            return 1;
    }
    return 0;
}

static double freq_of(const borch_strv *keys, const double *counts, const char *table,
                      const char *col)
{
    for (size_t i = 0; i < keys->count; i++) {
        const char *k = keys->items[i];
        size_t tl = strlen(table);
        if (strncasecmp(k, table, tl) == 0 && k[tl] == '.' && same(k + tl + 1, col))
            return counts[i];
    }
    return 0;
}

void adv_equality_freq(const adv_query *qs, size_t n, borch_strv *keys, double **counts)
{
    size_t cap = 0;
    *counts = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!qs[i].ok)
            continue;
        for (size_t t = 0; t < qs[i].shape.ntables; t++) {
            const borch_table_use *u = &qs[i].shape.tables[t];
            const borch_strv *lists[2] = {&u->eq, &u->join};
            for (int l = 0; l < 2; l++) {
                for (size_t c = 0; c < lists[l]->count; c++) {
                    borch_buf b;
                    borch_buf_init(&b);
                    borch_buf_printf(&b, "%s.%s", u->table, lists[l]->items[c]);
                    size_t k = 0;
                    while (k < keys->count && strcasecmp(keys->items[k], b.data) != 0)
                        k++;
                    if (k == keys->count) {
                        borch_strv_push_owned(keys, borch_buf_detach(&b));
                        borch_grow((void **)counts, &cap, keys->count, sizeof(**counts));
                        (*counts)[k] = 0;
                    }
                    borch_buf_release(&b);
                    (*counts)[k] += 1;
                }
            }
        }
    }
}

/* The index of a candidate with these columns, adding it when new. */
static size_t intern(adv_cands *cands, const char *table, const borch_strv *cols)
{
    borch_buf key;
    borch_buf_init(&key);
    borch_buf_puts(&key, table);
    for (size_t i = 0; i < cols->count; i++) {
        borch_buf_putc(&key, '\n');
        borch_buf_puts(&key, cols->items[i]);
    }
    for (size_t i = 0; i < cands->count; i++) {
        if (strcasecmp(cands->items[i].key, key.data) == 0) {
            borch_buf_release(&key);
            return i;
        }
    }
    borch_grow((void **)&cands->items, &cands->cap, cands->count + 1, sizeof(adv_cand));
    adv_cand *c = &cands->items[cands->count];
    memset(c, 0, sizeof(*c));
    c->table = borch_xstrdup(table);
    for (size_t i = 0; i < cols->count; i++)
        borch_strv_push(&c->cols, cols->items[i]);
    c->key = borch_buf_detach(&key);
    borch_buf_release(&key);
    c->id = -1;
    return cands->count++;
}

/* Whether an engine can index this column as it is (MySQL: no TEXT/BLOB without a prefix). */
static int indexable(const borch_table *t, const char *col, const char *engine)
{
    const borch_column *c = borch_table_column(t, col);
    if (!c)
        return 0;
    if (strcmp(engine, "mysql") == 0 && c->type &&
        (strstr(c->type, "text") || strstr(c->type, "blob") || strstr(c->type, "json")))
        return 0;
    return 1;
}

static void offer(adv_cands *cands, adv_query *aq, const borch_table *t, const borch_strv *cols,
                  size_t max_columns, const char *engine)
{
    if (cols->count == 0)
        return;
    borch_strv use = {0};
    for (size_t i = 0; i < cols->count && use.count < max_columns; i++) {
        if (!indexable(t, cols->items[i], engine))
            break; /* a later column cannot stand in for this one's position */
        push_unique(&use, cols->items[i]);
    }
    if (use.count && !adv_served_by_existing(t, (const char *const *)use.items, use.count)) {
        size_t k = intern(cands, t->name, &use);
        int dup = 0;
        for (size_t i = 0; i < aq->ncands; i++)
            dup |= aq->cands[i] == k;
        if (!dup) {
            borch_grow((void **)&aq->cands, &aq->capcands, aq->ncands + 1, sizeof(size_t));
            aq->cands[aq->ncands++] = k;
        }
    }
    borch_strv_release(&use);
}

/* Whether the primary key of t is exactly the one column c. */
static int is_whole_pk(const borch_table *t, const char *c)
{
    return t->nprimary_key == 1 && same(t->primary_key[0], c);
}

/*
 * eq ++ join, most often compared columns first (stable for ties). A join
 * on the whole primary key is left out: the key serves it when this table
 * is the inner side, and it narrows nothing when it is the outer one.
 */
static void equality_order(const borch_table_use *u, const borch_table *t, const borch_strv *keys,
                           const double *counts, borch_strv *out)
{
    for (size_t i = 0; i < u->eq.count; i++)
        push_unique(out, u->eq.items[i]);
    for (size_t i = 0; i < u->join.count; i++)
        if (!is_whole_pk(t, u->join.items[i]))
            push_unique(out, u->join.items[i]);
    /* insertion sort by frequency, descending */
    for (size_t i = 1; i < out->count; i++) {
        char *c = out->items[i];
        double f = freq_of(keys, counts, u->table, c);
        size_t j = i;
        while (j > 0 && freq_of(keys, counts, u->table, out->items[j - 1]) < f) {
            out->items[j] = out->items[j - 1];
            j--;
        }
        out->items[j] = c;
    }
}

static void append_all(borch_strv *to, const borch_strv *from)
{
    for (size_t i = 0; i < from->count; i++)
        push_unique(to, from->items[i]);
}

/*
 * Whether every index of t already carries column c: SQLite indexes hold
 * the rowid (an INTEGER PRIMARY KEY is the rowid), InnoDB secondary indexes
 * hold the primary key. Such columns add nothing to a covering index.
 */
static int implicit_in_index(const borch_table *t, const char *c, const char *engine)
{
    int in_pk = 0;
    for (size_t i = 0; i < t->nprimary_key; i++)
        in_pk |= same(t->primary_key[i], c);
    if (!in_pk)
        return 0;
    if (strcmp(engine, "mysql") == 0)
        return 1;
    if (strcmp(engine, "sqlite") == 0 && t->nprimary_key == 1) {
        const borch_column *col = borch_table_column(t, c);
        return col && col->type && strcasecmp(col->type, "integer") == 0;
    }
    return 0;
}

void adv_candidates_for(adv_cands *cands, adv_query *aq, const borch_schema *model,
                        const borch_strv *freq_keys, const double *freq, size_t max_columns,
                        const char *engine)
{
    for (size_t ti = 0; ti < aq->shape.ntables; ti++) {
        const borch_table_use *u = &aq->shape.tables[ti];
        const borch_table *t = borch_schema_table(model, u->table);
        if (!t)
            continue;
        borch_strv eq = {0}, v = {0};
        int pk_lookup = 0;
        for (size_t i = 0; i < u->eq.count; i++)
            pk_lookup |= is_whole_pk(t, u->eq.items[i]);
        if (pk_lookup)
            continue; /* one row by its key: nothing to add */
        equality_order(u, t, freq_keys, freq, &eq);
        const char *range = u->range.count ? u->range.items[0] : NULL;
        if (range && has_col(&eq, range))
            range = NULL;

        offer(cands, aq, t, &eq, max_columns, engine);
        if (range) {
            append_all(&v, &eq);
            push_unique(&v, range);
            offer(cands, aq, t, &v, max_columns, engine);
            borch_strv_release(&v);
        }
        const borch_strv *sorted[2] = {&u->order, &u->group};
        for (int s = 0; s < 2; s++) {
            if (!sorted[s]->count)
                continue;
            append_all(&v, &eq);
            append_all(&v, sorted[s]);
            offer(cands, aq, t, &v, max_columns, engine);
            borch_strv_release(&v);
        }
        /* Each join column on its own: the classic foreign-key index. */
        if (eq.count > 1 || (eq.count == 1 && range))
            for (size_t i = 0; i < u->join.count; i++) {
                push_unique(&v, u->join.items[i]);
                offer(cands, aq, t, &v, max_columns, engine);
                borch_strv_release(&v);
            }
        /* Covering: the query then never reads the table itself. */
        if (aq->shape.kind == BORCH_STMT_SELECT && !u->star && (eq.count || range) &&
            u->used.count <= max_columns + 1 && u->used.count < t->ncolumns) {
            append_all(&v, &eq);
            if (range)
                push_unique(&v, range);
            append_all(&v, &u->order);
            for (size_t i = 0; i < u->used.count; i++)
                if (!implicit_in_index(t, u->used.items[i], engine))
                    push_unique(&v, u->used.items[i]);
            if (v.count <= max_columns)
                offer(cands, aq, t, &v, max_columns, engine);
            borch_strv_release(&v);
        }
        borch_strv_release(&eq);
    }
}

void adv_redundant_existing(const borch_schema *model, borch_advice *out)
{
    size_t cap = 0;
    for (size_t ti = 0; ti < model->ntables; ti++) {
        const borch_table *t = &model->tables[ti];
        for (size_t i = 0; i < t->nindexes; i++) {
            const borch_index *a = &t->indexes[i];
            if (a->unique || a->expression || a->where || a->method)
                continue; /* a unique index enforces something; partial ones serve their own */
            const char *by = NULL;
            if (t->nprimary_key >= a->ncolumns) {
                size_t k = 0;
                while (k < a->ncolumns && part_is(t->primary_key[k], a->columns[k]))
                    k++;
                if (k == a->ncolumns)
                    by = "PRIMARY KEY";
            }
            for (size_t j = 0; j < t->nindexes && !by; j++) {
                const borch_index *b = &t->indexes[j];
                if (j == i || b->expression || b->where || b->method || b->ncolumns < a->ncolumns)
                    continue;
                /* Of two identical indexes, report only the later name. */
                if (b->ncolumns == a->ncolumns && !b->unique && j > i)
                    continue;
                size_t k = 0;
                while (k < a->ncolumns && part_is(b->columns[k], a->columns[k]))
                    k++;
                if (k == a->ncolumns)
                    by = b->name;
            }
            if (!by)
                continue;
            borch_grow((void **)&out->redundant, &cap, out->nredundant + 1,
                       sizeof(*out->redundant));
            borch_redundant_index *r = &out->redundant[out->nredundant++];
            r->table = borch_xstrdup(t->name);
            r->index = borch_xstrdup(a->name);
            r->covered_by = borch_xstrdup(by);
        }
    }
}

void adv_cands_release(adv_cands *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->items[i].table);
        free(c->items[i].key);
        borch_strv_release(&c->items[i].cols);
    }
    free(c->items);
    memset(c, 0, sizeof(*c));
}
