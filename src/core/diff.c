/*
 * diff.c - the change list that turns one schema model into another
 * (diff.h; the rules are in docs/diff.md).
 *
 * Layout: checks on the input (sorted, `to` self-consistent), then the
 * table passes over the two sorted table arrays walked side by side:
 * columns, indexes, checks and primary keys first (they record which
 * columns and keys change), then the ordered drops and creates of whole
 * tables, then foreign keys (which need to know what changed on the table
 * they point at). Views and enums follow (diff_views.c). Each change goes
 * into the list of its phase, in table-name order; the lists are joined in
 * phase order at the end. Lookups are binary searches over sorted arrays,
 * so the whole diff is O(n log n) in the number of objects.
 */
#include "core/diff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff_internal.h"
#include "util/buf.h"
#include "util/mem.h"

#define NONE ((size_t)-1)

/* Model strings may be NULL where "none" is meant; compare them as "". */
static const char *nz(const char *s)
{
    return s ? s : "";
}

/* NULL-tolerant string equality. */
static int streq(const char *a, const char *b)
{
    return strcmp(nz(a), nz(b)) == 0;
}

/* Orders two name lists element by element, shorter first on a tie. */
static int strs_cmp(char *const *a, size_t na, char *const *b, size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++) {
        int r = strcmp(nz(a[i]), nz(b[i]));
        if (r)
            return r;
    }
    return na < nb ? -1 : na > nb;
}

/* Joins names with ", " for messages; malloc'd. */
static char *join(char *const *v, size_t n)
{
    borch_buf b;
    borch_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(&b, ", ");
        borch_buf_puts(&b, nz(v[i]));
    }
    return borch_buf_detach(&b);
}

/* Zeroed, so that each pass sets only the fields its kind uses. */
borch_change *borch_diff_push(borch_diff_ctx *c, int phase, borch_change_kind kind,
                              const borch_table *table, const borch_table *old_table)
{
    borch_changes *l = &c->phase[phase];
    borch_grow((void **)&l->items, &l->cap, l->count + 1, sizeof(borch_change));
    borch_change *ch = &l->items[l->count++];
    memset(ch, 0, sizeof(*ch));
    ch->kind = kind;
    ch->table = table;
    ch->old_table = old_table;
    return ch;
}

/* Several risks of one change share its one warning line. */
void borch_diff_warn(borch_change *ch, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    borch_buf b;
    borch_buf_init(&b);
    if (ch->warning) {
        borch_buf_puts(&b, ch->warning);
        borch_buf_puts(&b, "; ");
        free(ch->warning);
    }
    borch_buf_puts(&b, line);
    ch->warning = borch_buf_detach(&b);
    ch->destructive = 1;
}

/* Tables are sorted by borch_schema_sort (strcmp), so binary search. */
const borch_table *borch_diff_find_table(const borch_schema *s, const char *name, size_t *index)
{
    size_t lo = 0, hi = s->ntables;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(s->tables[mid].name, name);
        if (r == 0) {
            if (index)
                *index = mid;
            return &s->tables[mid];
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- sorted pointer arrays ---------------------------------------------- */

/* qsort order of column pointers: by name. */
static int cmp_colp(const void *a, const void *b)
{
    return strcmp((*(const borch_column *const *)a)->name, (*(const borch_column *const *)b)->name);
}

/* The columns of t sorted by name, for lookups in a table of many columns. */
static const borch_column **sorted_columns(const borch_table *t)
{
    const borch_column **v = borch_xmalloc((t->ncolumns ? t->ncolumns : 1) * sizeof(*v));
    for (size_t i = 0; i < t->ncolumns; i++)
        v[i] = &t->columns[i];
    if (t->ncolumns > 1)
        qsort(v, t->ncolumns, sizeof(*v), cmp_colp);
    return v;
}

/* Binary search in a sorted_columns array. */
static const borch_column *find_column(const borch_column **v, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(v[mid]->name, name);
        if (r == 0)
            return v[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* qsort/bsearch order of name pointers. */
static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is s in the sorted name list v? */
static int in_sorted(const char **v, size_t n, const char *s)
{
    return n && bsearch(&s, v, n, sizeof(char *), cmp_strp) != NULL;
}

/* Is engine MySQL (or MariaDB, which introspects as "mysql")? */
static int is_mysql(const char *engine)
{
    return engine && (strcmp(engine, "mysql") == 0 || strcmp(engine, "mariadb") == 0);
}

/*
 * A foreign key action as MySQL enforces it: InnoDB checks "restrict" and
 * "no action" alike and immediately, and MariaDB reports an unstated action
 * as "restrict" where MySQL 8 says "no action"; so on MySQL both (and an
 * unstated one) are one action.
 */
static const char *mysql_action(const char *action)
{
    if (!action || !*action || strcmp(action, "restrict") == 0)
        return "no action";
    return action;
}

/* Foreign keys compare by what they enforce, never by name: engines name
 * them on their own. The relationship (columns and target) sorts first so
 * that a change of actions only lands next to the old one. */
static int fk_rel_cmp(const borch_foreign_key *x, const borch_foreign_key *y)
{
    int r = strs_cmp(x->columns, x->ncolumns, y->columns, y->ncolumns);
    if (!r)
        r = strcmp(nz(x->ref_table), nz(y->ref_table));
    if (!r)
        r = strs_cmp(x->ref_columns, x->nref_columns, y->ref_columns, y->nref_columns);
    return r;
}

/*
 * The full definition: relationship, then actions. Actions compare first
 * as MySQL sees them, then (unless mysql) as written, so that one sort
 * order serves both engines' merge walks: with mysql set, equal means
 * equal as MySQL enforces them.
 */
static int fk_def_cmp(const borch_foreign_key *x, const borch_foreign_key *y, int mysql)
{
    int r = fk_rel_cmp(x, y);
    if (!r)
        r = strcmp(mysql_action(x->on_delete), mysql_action(y->on_delete));
    if (!r)
        r = strcmp(mysql_action(x->on_update), mysql_action(y->on_update));
    if (!r && !mysql)
        r = strcmp(nz(x->on_delete), nz(y->on_delete));
    if (!r && !mysql)
        r = strcmp(nz(x->on_update), nz(y->on_update));
    return r;
}

/* qsort order of foreign key pointers by definition (the finer order,
 * which is also sorted for the MySQL comparison). */
static int cmp_fkp(const void *a, const void *b)
{
    return fk_def_cmp(*(const borch_foreign_key *const *)a, *(const borch_foreign_key *const *)b,
                      0);
}

/* bsearch for the same relationship, whatever its actions. */
static int cmp_fkp_rel(const void *a, const void *b)
{
    return fk_rel_cmp(*(const borch_foreign_key *const *)a, *(const borch_foreign_key *const *)b);
}

/* A table's foreign keys in definition order, for a merge walk: the
 * model sorts them partly by name, which must not count here. */
static const borch_foreign_key **sorted_fks(const borch_table *t)
{
    size_t n = t->nforeign_keys;
    const borch_foreign_key **v = borch_xmalloc((n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = &t->foreign_keys[i];
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_fkp);
    return v;
}

/* Checks compare by expression: a name alone is the engine's choice. */
static int cmp_checkp(const void *a, const void *b)
{
    const borch_check *x = *(const borch_check *const *)a, *y = *(const borch_check *const *)b;
    int r = strcmp(nz(x->expression), nz(y->expression));
    return r ? r : strcmp(nz(x->name), nz(y->name));
}

/* A table's checks in expression order, for a merge walk. */
static const borch_check **sorted_checks(const borch_table *t)
{
    size_t n = t->nchecks;
    const borch_check **v = borch_xmalloc((n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = &t->checks[i];
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_checkp);
    return v;
}

/* ---- input checks ------------------------------------------------------- */

/* The merge walks below are only right on sorted input; say so rather
 * than return a wrong list. */
static int check_sorted(const borch_schema *s, const char *which, borch_error *err)
{
    for (size_t i = 1; i < s->ntables; i++) {
        int r = strcmp(s->tables[i - 1].name, s->tables[i].name);
        if (r == 0)
            return borch_error_set(err, BORCH_EINPUT, "duplicate table '%s' in the %s schema",
                                   s->tables[i].name, which);
        if (r > 0)
            return borch_error_set(err, BORCH_EINPUT,
                                   "the %s schema is not sorted: table '%s' before '%s'", which,
                                   s->tables[i - 1].name, s->tables[i].name);
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const borch_table *t = &s->tables[i];
        for (size_t j = 1; j < t->nindexes; j++)
            if (strcmp(nz(t->indexes[j - 1].name), nz(t->indexes[j].name)) > 0)
                return borch_error_set(err, BORCH_EINPUT,
                                       "the %s schema is not sorted: index '%s' before '%s'", which,
                                       nz(t->indexes[j - 1].name), nz(t->indexes[j].name));
    }
    for (size_t i = 1; i < s->nviews; i++)
        if (strcmp(s->views[i - 1].name, s->views[i].name) >= 0)
            return borch_error_set(err, BORCH_EINPUT,
                                   "the %s schema is not sorted or repeats view '%s'", which,
                                   s->views[i].name);
    for (size_t i = 1; i < s->nenums; i++)
        if (strcmp(s->enums[i - 1].name, s->enums[i].name) >= 0)
            return borch_error_set(err, BORCH_EINPUT,
                                   "the %s schema is not sorted or repeats type '%s'", which,
                                   s->enums[i].name);
    return 0;
}

/*
 * Does a foreign key point at a table of another schema? The PostgreSQL
 * introspection writes those as "schema.table" (unquoted), and a table of
 * the model may itself have a dot in its name; so: a dot outside double
 * quotes, and no table of `to` by that exact name (the renderer's rule).
 */
static int ref_is_external(const borch_schema *to, const char *ref)
{
    int quoted = 0, dot = 0;
    for (const char *p = nz(ref); *p && !dot; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '.' && !quoted)
            dot = 1;
    }
    return dot && !borch_diff_find_table(to, ref, NULL);
}

/* `to` must describe a schema that can exist: every key names columns of
 * its table and every foreign key a table and columns that are there. */
static int check_target(borch_diff_ctx *c, borch_error *err)
{
    const borch_schema *to = c->to;
    for (size_t i = 0; i < to->ntables; i++) {
        const borch_table *t = &to->tables[i];
        borch_diff_table *ti = &c->info[i];
        ti->cols = sorted_columns(t);
        for (size_t k = 1; k < t->ncolumns; k++)
            if (strcmp(ti->cols[k - 1]->name, ti->cols[k]->name) == 0)
                return borch_error_set(err, BORCH_EINPUT, "duplicate column '%s.%s'", t->name,
                                       ti->cols[k]->name);
        for (size_t k = 0; k < t->nprimary_key; k++)
            if (!find_column(ti->cols, t->ncolumns, nz(t->primary_key[k])))
                return borch_error_set(err, BORCH_EINPUT,
                                       "primary key of '%s' uses missing column '%s.%s'", t->name,
                                       t->name, nz(t->primary_key[k]));
    }
    for (size_t i = 0; i < to->ntables; i++) {
        const borch_table *t = &to->tables[i];
        for (size_t f = 0; f < t->nforeign_keys; f++) {
            const borch_foreign_key *fk = &t->foreign_keys[f];
            size_t ri;
            if (fk->ncolumns == 0 || fk->ncolumns != fk->nref_columns)
                return borch_error_set(err, BORCH_EINPUT,
                                       "foreign key on '%s' to '%s' has %zu columns and %zu "
                                       "referenced columns",
                                       t->name, nz(fk->ref_table), fk->ncolumns, fk->nref_columns);
            if (ref_is_external(to, fk->ref_table))
                continue; /* outside the model: nothing to check it against */
            if (!borch_diff_find_table(to, nz(fk->ref_table), &ri))
                return borch_error_set(err, BORCH_EINPUT,
                                       "foreign key on '%s' references missing table '%s'", t->name,
                                       nz(fk->ref_table));
            for (size_t k = 0; k < fk->ncolumns; k++) {
                if (!find_column(c->info[i].cols, t->ncolumns, nz(fk->columns[k])))
                    return borch_error_set(err, BORCH_EINPUT,
                                           "foreign key on '%s' uses missing column '%s.%s'",
                                           t->name, t->name, nz(fk->columns[k]));
                if (!find_column(c->info[ri].cols, to->tables[ri].ncolumns, nz(fk->ref_columns[k])))
                    return borch_error_set(err, BORCH_EINPUT,
                                           "foreign key on '%s' references missing column '%s.%s'",
                                           t->name, nz(fk->ref_table), nz(fk->ref_columns[k]));
            }
        }
    }
    return 0;
}

/* ---- columns, indexes, checks, primary keys ----------------------------- */

/* Records a column altered (or dropped) for the foreign key pass. */
static void touch(borch_diff_table *ti, const char *col, int dropped)
{
    borch_grow((void **)&ti->touched, &ti->captouched, ti->ntouched + 1, sizeof(char *));
    ti->touched[ti->ntouched++] = col;
    if (!dropped)
        return;
    borch_grow((void **)&ti->dropped, &ti->capdropped, ti->ndropped + 1, sizeof(char *));
    ti->dropped[ti->ndropped++] = col;
}

/* Warnings of an ALTER_COLUMN: narrowing, another type, NOT NULL. */
static void alter_warnings(borch_change *ch, const char *engine)
{
    const borch_column *a = ch->old_column, *b = ch->column;
    const char *t = ch->table->name;
    if (ch->alter & BORCH_ALTER_TYPE) {
        borch_type_change k = borch_diff_type_change(a->type, b->type, engine);
        if (k == BORCH_TYPE_NARROW)
            borch_diff_warn(ch, "narrows %s.%s from %s to %s", t, b->name, a->type, b->type);
        else if (k == BORCH_TYPE_OTHER)
            borch_diff_warn(ch, "changes %s.%s from %s to %s: existing values may not convert", t,
                            b->name, a->type, b->type);
    }
    if ((ch->alter & BORCH_ALTER_NULLABLE) && !b->nullable)
        borch_diff_warn(ch, "makes %s.%s NOT NULL: fails if any row has NULL", t, b->name);
}

/* Added, altered and dropped columns of a table both models have; added
 * and altered ones in `to`'s declaration order, dropped in `from`'s. */
static void diff_columns(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                         borch_diff_table *ti)
{
    for (size_t k = 0; k < tb->ncolumns; k++) {
        const borch_column *cb = &tb->columns[k];
        const borch_column *ca = find_column(ti->old_cols, ta->ncolumns, cb->name);
        if (!ca) {
            borch_change *ch = borch_diff_push(c, PH_ADD_COLUMN, BORCH_CH_ADD_COLUMN, tb, ta);
            ch->column = cb;
            /* MySQL fills existing rows with the type's implicit default
             * (0, '', the first enum value): nothing fails or is lost. */
            if (!cb->nullable && !cb->default_expr && !cb->identity && !is_mysql(c->to->engine))
                borch_diff_warn(ch, "adds %s.%s NOT NULL without a default: fails if %s has rows",
                                tb->name, cb->name, tb->name);
            ti->shape_changed = 1;
            continue;
        }
        unsigned alter = 0;
        if (!streq(ca->type, cb->type))
            alter |= BORCH_ALTER_TYPE;
        if (!ca->nullable != !cb->nullable)
            alter |= BORCH_ALTER_NULLABLE;
        if (!streq(ca->default_expr, cb->default_expr) || !ca->default_expr != !cb->default_expr)
            alter |= BORCH_ALTER_DEFAULT;
        if (!ca->identity != !cb->identity)
            alter |= BORCH_ALTER_IDENTITY;
        if (!alter)
            continue;
        borch_change *ch = borch_diff_push(c, PH_ALTER_COLUMN, BORCH_CH_ALTER_COLUMN, tb, ta);
        ch->column = cb;
        ch->old_column = ca;
        ch->alter = alter;
        alter_warnings(ch, c->to->engine);
        touch(ti, ca->name, 0);
        ti->shape_changed = 1;
    }
    for (size_t k = 0; k < ta->ncolumns; k++) {
        const borch_column *ca = &ta->columns[k];
        if (find_column(ti->cols, tb->ncolumns, ca->name))
            continue;
        borch_change *ch = borch_diff_push(c, PH_DROP_COLUMN, BORCH_CH_DROP_COLUMN, ta, ta);
        ch->column = ca;
        borch_diff_warn(ch, "drops column %s.%s and its data", ta->name, ca->name);
        touch(ti, ca->name, 1);
        ti->shape_changed = 1;
    }
    if (ti->ntouched > 1)
        qsort(ti->touched, ti->ntouched, sizeof(char *), cmp_strp);
    if (ti->ndropped > 1)
        qsort(ti->dropped, ti->ndropped, sizeof(char *), cmp_strp);
}

/* Same definition: anything that would change the CREATE INDEX. */
static int index_eq(const borch_index *x, const borch_index *y)
{
    return strs_cmp(x->columns, x->ncolumns, y->columns, y->ncolumns) == 0 &&
           !x->unique == !y->unique && !x->expression == !y->expression &&
           !x->constraint == !y->constraint && streq(x->where, y->where) &&
           !x->where == !y->where && streq(x->method, y->method);
}

/* A dropped unique index is remembered: foreign keys may rest on it. */
static void drop_index(borch_diff_ctx *c, const borch_table *ta, const borch_index *ix,
                       borch_diff_table *ti)
{
    borch_change *ch = borch_diff_push(c, PH_DROP_KEY, BORCH_CH_DROP_INDEX, ta, ta);
    ch->index = ix;
    if (ix->unique) {
        borch_grow((void **)&ti->dropped_keys, &ti->capdropped_keys, ti->ndropped_keys + 1,
                   sizeof(*ti->dropped_keys));
        ti->dropped_keys[ti->ndropped_keys++] = ix;
    }
}

/* ta is NULL for a created table, whose new unique index risks nothing. */
static void add_index(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                      const borch_index *ix)
{
    borch_change *ch = borch_diff_push(c, PH_ADD_INDEX, BORCH_CH_ADD_INDEX, tb, ta);
    ch->index = ix;
    if (ix->unique && ta)
        borch_diff_warn(ch, "adds unique %s %s on %s: fails if existing rows have duplicates",
                        ix->constraint ? "constraint" : "index", ix->name, tb->name);
}

/* Indexes matched by name; a redefined one is dropped and added. */
static void diff_indexes(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                         borch_diff_table *ti)
{
    size_t i = 0, j = 0;
    while (i < ta->nindexes || j < tb->nindexes) {
        int r = i == ta->nindexes   ? 1
                : j == tb->nindexes ? -1
                                    : strcmp(nz(ta->indexes[i].name), nz(tb->indexes[j].name));
        if (r < 0) {
            drop_index(c, ta, &ta->indexes[i++], ti);
        } else if (r > 0) {
            add_index(c, ta, tb, &tb->indexes[j++]);
        } else {
            if (!index_eq(&ta->indexes[i], &tb->indexes[j])) {
                drop_index(c, ta, &ta->indexes[i], ti);
                add_index(c, ta, tb, &tb->indexes[j]);
            }
            i++;
            j++;
        }
    }
}

/* Checks matched by expression (as a multiset); names do not count. */
static void diff_checks(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                        borch_diff_table *ti)
{
    const borch_check **ca = sorted_checks(ta), **cb = sorted_checks(tb);
    size_t i = 0, j = 0;
    while (i < ta->nchecks || j < tb->nchecks) {
        int r = i == ta->nchecks   ? 1
                : j == tb->nchecks ? -1
                                   : strcmp(nz(ca[i]->expression), nz(cb[j]->expression));
        if (r < 0) {
            borch_change *ch = borch_diff_push(c, PH_DROP_KEY, BORCH_CH_DROP_CHECK, ta, ta);
            ch->check = ca[i++];
            ti->shape_changed = 1;
        } else if (r > 0) {
            borch_change *ch = borch_diff_push(c, PH_ADD_CHECK, BORCH_CH_ADD_CHECK, tb, ta);
            ch->check = cb[j++];
            borch_diff_warn(ch, "adds check (%s) on %s: fails if any existing row violates it",
                            nz(ch->check->expression), tb->name);
            ti->shape_changed = 1;
        } else {
            i++;
            j++;
        }
    }
    free(ca);
    free(cb);
}

/* A primary key is its column list; any change is drop + add. */
static void diff_primary_key(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                             borch_diff_table *ti)
{
    if (strs_cmp(ta->primary_key, ta->nprimary_key, tb->primary_key, tb->nprimary_key) == 0)
        return;
    ti->pk_changed = 1;
    ti->shape_changed = 1;
    if (ta->nprimary_key)
        borch_diff_push(c, PH_DROP_KEY, BORCH_CH_DROP_PRIMARY_KEY, ta, ta);
    if (tb->nprimary_key) {
        borch_change *ch = borch_diff_push(c, PH_ADD_PK, BORCH_CH_ADD_PRIMARY_KEY, tb, ta);
        char *cols = join(tb->primary_key, tb->nprimary_key);
        borch_diff_warn(ch,
                        "adds primary key (%s) to %s: fails if existing rows have duplicates or "
                        "NULLs",
                        cols, tb->name);
        free(cols);
    }
}

/* ---- whole tables ------------------------------------------------------- */

typedef struct broken_fk {
    size_t table, fk; /* indexes into from->tables and its foreign_keys */
} broken_fk;

typedef struct drop_state {
    const borch_schema *from;
    const size_t *table_of_node;
    broken_fk *v;
    size_t n, cap;
} drop_state;

/* Two dropped tables that reference each other: the foreign key of the one
 * dropped later must go first. */
static void on_broken(void *ctx, const borch_diff_edge *e)
{
    drop_state *d = ctx;
    size_t t = d->table_of_node[e->src];
    const borch_foreign_key *fk = e->tag;
    borch_grow((void **)&d->v, &d->cap, d->n + 1, sizeof(*d->v));
    d->v[d->n].table = t;
    d->v[d->n].fk = (size_t)(fk - d->from->tables[t].foreign_keys);
    d->n++;
}

/* Cut keys in table, then key order: the order pass_fks visits them. */
static int cmp_broken(const void *a, const void *b)
{
    const broken_fk *x = a, *y = b;
    if (x->table != y->table)
        return x->table < y->table ? -1 : 1;
    return x->fk < y->fk ? -1 : x->fk > y->fk;
}

/*
 * The tables only one side has (`side` is from for drops, to for
 * creates) as graph nodes, numbered in name order, with an edge from each
 * referencing table to each table it references among them (self
 * references left out). *nodes_out maps node numbers to table indexes.
 */
static void only_tables(const borch_schema *side, const borch_schema *other, size_t **nodes_out,
                        size_t *nnodes, borch_diff_edge **edges_out, size_t *nedges)
{
    size_t *node_of = borch_xmalloc((side->ntables ? side->ntables : 1) * sizeof(size_t));
    size_t *nodes = borch_xmalloc((side->ntables ? side->ntables : 1) * sizeof(size_t));
    size_t n = 0;
    for (size_t i = 0; i < side->ntables; i++) {
        node_of[i] = NONE;
        if (!borch_diff_find_table(other, side->tables[i].name, NULL)) {
            node_of[i] = n;
            nodes[n++] = i;
        }
    }
    borch_diff_edge *edges = NULL;
    size_t ne = 0, cap = 0;
    for (size_t k = 0; k < n; k++) {
        const borch_table *t = &side->tables[nodes[k]];
        for (size_t f = 0; f < t->nforeign_keys; f++) {
            size_t ri;
            if (!borch_diff_find_table(side, nz(t->foreign_keys[f].ref_table), &ri))
                continue;
            if (node_of[ri] == NONE || node_of[ri] == k)
                continue;
            borch_grow((void **)&edges, &cap, ne + 1, sizeof(*edges));
            edges[ne].src = k;
            edges[ne].dst = node_of[ri];
            edges[ne].tag = &t->foreign_keys[f];
            ne++;
        }
    }
    free(node_of);
    *nodes_out = nodes;
    *nnodes = n;
    *edges_out = edges;
    *nedges = ne;
}

/* DROP_TABLE changes, referencing tables first; the keys cut to break
 * cycles are left in d for pass_fks. */
static void drop_tables(borch_diff_ctx *c, drop_state *d)
{
    size_t *nodes, n, ne;
    borch_diff_edge *edges;
    only_tables(c->from, c->to, &nodes, &n, &edges, &ne);
    /* Edges point from referencing to referenced: that is the drop order. */
    d->from = c->from;
    d->table_of_node = nodes;
    size_t *order = borch_diff_topo(n, edges, ne, on_broken, d);
    for (size_t k = 0; k < n; k++) {
        const borch_table *t = &c->from->tables[nodes[order[k]]];
        borch_change *ch = borch_diff_push(c, PH_DROP_TABLE, BORCH_CH_DROP_TABLE, t, NULL);
        borch_diff_warn(ch, "drops table %s and its data", t->name);
    }
    if (d->n > 1)
        qsort(d->v, d->n, sizeof(*d->v), cmp_broken);
    free(order);
    free(edges);
    free(nodes);
}

/* CREATE_TABLE changes, referenced tables first. */
static void create_tables(borch_diff_ctx *c)
{
    size_t *nodes, n, ne;
    borch_diff_edge *edges;
    only_tables(c->to, c->from, &nodes, &n, &edges, &ne);
    /* Referenced before referencing: turn every edge around. */
    for (size_t e = 0; e < ne; e++) {
        size_t s = edges[e].src;
        edges[e].src = edges[e].dst;
        edges[e].dst = s;
    }
    size_t *order = borch_diff_topo(n, edges, ne, NULL, NULL);
    for (size_t k = 0; k < n; k++)
        borch_diff_push(c, PH_CREATE_TABLE, BORCH_CH_CREATE_TABLE, &c->to->tables[nodes[order[k]]],
                        NULL);
    free(order);
    free(edges);
    free(nodes);
}

/* ---- foreign keys ------------------------------------------------------- */

/* Same names in any order: a key on (a, b) serves a reference to (b, a). */
static int same_set(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        size_t j = 0;
        while (j < nb && strcmp(nz(a[i]), nz(b[j])) != 0)
            j++;
        if (j == nb)
            return 0;
    }
    return 1;
}

/*
 * Must a foreign key be out of the way of what happens on the table it
 * points at? Engines refuse to drop a column or a key a foreign key needs,
 * and to alter a column a foreign key uses. With drops_only, only the
 * drops count: for the keys of a table that is itself dropped, after the
 * column and key drops but before any alter.
 */
static int ref_side_changes(borch_diff_ctx *c, const borch_foreign_key *fk, int drops_only)
{
    size_t ri;
    if (!borch_diff_find_table(c->to, nz(fk->ref_table), &ri))
        return 0;
    const borch_diff_table *r = &c->info[ri];
    if (!r->from)
        return 0;
    for (size_t k = 0; k < fk->nref_columns; k++) {
        if (drops_only ? in_sorted(r->dropped, r->ndropped, fk->ref_columns[k])
                       : in_sorted(r->touched, r->ntouched, fk->ref_columns[k]))
            return 1;
    }
    for (size_t k = 0; k < r->ndropped_keys; k++) {
        const borch_index *ix = r->dropped_keys[k];
        if (same_set(ix->columns, ix->ncolumns, fk->ref_columns, fk->nref_columns))
            return 1;
    }
    return r->pk_changed &&
           same_set(r->from->primary_key, r->from->nprimary_key, fk->ref_columns, fk->nref_columns);
}

/* A foreign key both models have is dropped and added again when a column
 * it uses or points at changes, or the key it rests on is dropped. */
static int fk_must_rebuild(borch_diff_ctx *c, const borch_diff_table *ti,
                           const borch_foreign_key *fk)
{
    for (size_t k = 0; k < fk->ncolumns; k++)
        if (in_sorted(ti->touched, ti->ntouched, fk->columns[k]))
            return 1;
    return ref_side_changes(c, fk, 0);
}

/* "t(a) -> r(b)" for warnings; malloc'd. */
static char *fk_text(const borch_table *t, const borch_foreign_key *fk)
{
    char *a = join(fk->columns, fk->ncolumns), *b = join(fk->ref_columns, fk->nref_columns);
    borch_buf s;
    borch_buf_init(&s);
    borch_buf_printf(&s, "%s(%s) -> %s(%s)", t->name, a, nz(fk->ref_table), b);
    free(a);
    free(b);
    return borch_buf_detach(&s);
}

/* new_relationship: existing rows were never checked against it. */
static void add_fk(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                   const borch_foreign_key *fk, int new_relationship)
{
    borch_change *ch = borch_diff_push(c, PH_ADD_FK, BORCH_CH_ADD_FOREIGN_KEY, tb, ta);
    ch->foreign_key = fk;
    if (ta && new_relationship) {
        char *s = fk_text(tb, fk);
        borch_diff_warn(ch, "adds foreign key %s: fails if any existing row has no match", s);
        free(s);
    }
}

/* table is the `from` table; old_table is NULL when it is dropped too. */
static void drop_fk(borch_diff_ctx *c, const borch_table *ta, const borch_table *old_table,
                    const borch_foreign_key *fk)
{
    borch_change *ch = borch_diff_push(c, PH_DROP_FK, BORCH_CH_DROP_FOREIGN_KEY, ta, old_table);
    ch->foreign_key = fk;
}

/* Foreign keys matched by definition; kept ones may still have to step
 * aside for a change to a column or key they use. */
static void diff_fks(borch_diff_ctx *c, const borch_table *ta, const borch_table *tb,
                     borch_diff_table *ti)
{
    const borch_foreign_key **fa = sorted_fks(ta), **fb = sorted_fks(tb);
    size_t na = ta->nforeign_keys, nb = tb->nforeign_keys, i = 0, j = 0;
    int mysql = is_mysql(c->to->engine);
    while (i < na || j < nb) {
        int r = i == na ? 1 : j == nb ? -1 : fk_def_cmp(fa[i], fb[j], mysql);
        if (r < 0) {
            drop_fk(c, ta, ta, fa[i++]);
            ti->shape_changed = 1;
        } else if (r > 0) {
            const borch_foreign_key *fk = fb[j++];
            int known = na && bsearch(&fk, fa, na, sizeof(*fa), cmp_fkp_rel) != NULL;
            add_fk(c, ta, tb, fk, !known);
            ti->shape_changed = 1;
        } else {
            if (fk_must_rebuild(c, ti, fb[j])) {
                drop_fk(c, ta, ta, fa[i]);
                add_fk(c, ta, tb, fb[j], 0);
                ti->shape_changed = 1; /* SQLite rebuilds the table for it */
            }
            i++;
            j++;
        }
    }
    free(fa);
    free(fb);
}

/* ---- the whole diff ----------------------------------------------------- */

/* Columns, keys and checks of every table both models have; the indexes
 * of created tables. */
static void pass_tables(borch_diff_ctx *c)
{
    const borch_schema *a = c->from, *b = c->to;
    size_t i = 0, j = 0;
    while (i < a->ntables || j < b->ntables) {
        int r = i == a->ntables   ? 1
                : j == b->ntables ? -1
                                  : strcmp(a->tables[i].name, b->tables[j].name);
        if (r < 0) {
            i++;
        } else if (r > 0) {
            /* A created table: its indexes come after all tables exist. */
            const borch_table *tb = &b->tables[j++];
            for (size_t k = 0; k < tb->nindexes; k++)
                add_index(c, NULL, tb, &tb->indexes[k]);
        } else {
            const borch_table *ta = &a->tables[i++], *tb = &b->tables[j];
            borch_diff_table *ti = &c->info[j++];
            ti->from = ta;
            ti->old_cols = sorted_columns(ta);
            diff_columns(c, ta, tb, ti);
            diff_indexes(c, ta, tb, ti);
            diff_checks(c, ta, tb, ti);
            diff_primary_key(c, ta, tb, ti);
        }
    }
}

/* Foreign keys of every table, in table-name order. */
static void pass_fks(borch_diff_ctx *c, const drop_state *d)
{
    const borch_schema *a = c->from, *b = c->to;
    size_t i = 0, j = 0, nb = 0;
    while (i < a->ntables || j < b->ntables) {
        int r = i == a->ntables   ? 1
                : j == b->ntables ? -1
                                  : strcmp(a->tables[i].name, b->tables[j].name);
        if (r < 0) {
            /* A dropped table: its keys go with it, except those in the way
             * of an earlier step (a cycle of drops, a changed target). */
            const borch_table *t = &a->tables[i];
            for (size_t f = 0; f < t->nforeign_keys; f++) {
                int cut = 0;
                while (nb < d->n && d->v[nb].table == i && d->v[nb].fk <= f)
                    cut |= d->v[nb++].fk == f;
                if (cut || ref_side_changes(c, &t->foreign_keys[f], 1))
                    drop_fk(c, t, NULL, &t->foreign_keys[f]);
            }
            i++;
        } else if (r > 0) {
            const borch_table *t = &b->tables[j++];
            for (size_t f = 0; f < t->nforeign_keys; f++)
                add_fk(c, NULL, t, &t->foreign_keys[f], 0);
        } else {
            diff_fks(c, &a->tables[i++], &b->tables[j], &c->info[j]);
            j++;
        }
    }
}

/* Frees what the passes kept about each table. */
static void ctx_release(borch_diff_ctx *c)
{
    for (size_t i = 0; c->info && i < c->to->ntables; i++) {
        free(c->info[i].cols);
        free(c->info[i].old_cols);
        free(c->info[i].touched);
        free(c->info[i].dropped);
        free(c->info[i].dropped_keys);
    }
    free(c->info);
}

/* See diff.h; the passes run in the order the file header describes. */
int borch_diff(const borch_schema *from, const borch_schema *to, borch_changes *out,
               borch_error *err)
{
    memset(out, 0, sizeof(*out));
    int rc;
    if ((rc = check_sorted(from, "source", err)) < 0 || (rc = check_sorted(to, "target", err)) < 0)
        return rc;
    borch_diff_ctx c;
    memset(&c, 0, sizeof(c));
    c.from = from;
    c.to = to;
    c.info = borch_xcalloc(to->ntables ? to->ntables : 1, sizeof(*c.info));
    drop_state d = {0};
    if ((rc = check_target(&c, err)) < 0)
        goto done;
    pass_tables(&c);
    drop_tables(&c, &d);
    create_tables(&c);
    pass_fks(&c, &d);
    borch_diff_views(&c);
    borch_diff_enums(&c);
    for (int p = 0; p < PH_COUNT; p++) {
        borch_changes *l = &c.phase[p];
        if (!l->count)
            continue;
        borch_grow((void **)&out->items, &out->cap, out->count + l->count, sizeof(borch_change));
        memcpy(out->items + out->count, l->items, l->count * sizeof(borch_change));
        out->count += l->count;
        l->count = 0;
    }
done:
    for (int p = 0; p < PH_COUNT; p++)
        borch_changes_release(&c.phase[p]);
    free(d.v);
    ctx_release(&c);
    return rc;
}

/* Frees the array and warnings; the borrowed model parts stay. */
void borch_changes_release(borch_changes *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        free(c->items[i].warning);
    free(c->items);
    memset(c, 0, sizeof(*c));
}
