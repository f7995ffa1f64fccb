/*
 * model.c - building, sorting, copying, comparing and freeing the schema
 * model (model.h). The comparison is what rollback rehearsal and drift
 * checks report to users, so its lines are written for people.
 */
#include "core/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

#define ADD(arr, n, cap, type) \
    (borch_grow((void **)&(arr), &(cap), (n) + 1, sizeof(type)), memset(&(arr)[(n)], 0, sizeof(type)), &(arr)[(n)++])

borch_schema *borch_schema_new(const char *engine)
{
    borch_schema *s = borch_xcalloc(1, sizeof(*s));
    s->engine = borch_xstrdup(engine);
    return s;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void index_release(borch_index *ix)
{
    free(ix->name);
    free_strs(ix->columns, ix->ncolumns);
    free(ix->where);
    free(ix->method);
}

static void table_release(borch_table *t)
{
    free(t->name);
    for (size_t i = 0; i < t->ncolumns; i++) {
        free(t->columns[i].name);
        free(t->columns[i].type);
        free(t->columns[i].default_expr);
    }
    free(t->columns);
    free_strs(t->primary_key, t->nprimary_key);
    free(t->primary_key_name);
    for (size_t i = 0; i < t->nindexes; i++)
        index_release(&t->indexes[i]);
    free(t->indexes);
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        borch_foreign_key *fk = &t->foreign_keys[i];
        free(fk->name);
        free_strs(fk->columns, fk->ncolumns);
        free(fk->ref_table);
        free_strs(fk->ref_columns, fk->nref_columns);
        free(fk->on_delete);
        free(fk->on_update);
    }
    free(t->foreign_keys);
    for (size_t i = 0; i < t->nchecks; i++) {
        free(t->checks[i].name);
        free(t->checks[i].expression);
    }
    free(t->checks);
    free(t->comment);
}

void borch_schema_free(borch_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntables; i++)
        table_release(&s->tables[i]);
    free(s->tables);
    for (size_t i = 0; i < s->nviews; i++) {
        free(s->views[i].name);
        free(s->views[i].definition);
    }
    free(s->views);
    for (size_t i = 0; i < s->nenums; i++) {
        free(s->enums[i].name);
        free_strs(s->enums[i].values, s->enums[i].nvalues);
    }
    free(s->enums);
    for (size_t i = 0; i < s->nsequences; i++) {
        free(s->sequences[i].name);
        free(s->sequences[i].owned_by);
    }
    free(s->sequences);
    free(s->engine);
    free(s->version);
    free(s);
}

/* Appends a copy of str to a counted string array. */
static void push_str(char ***v, size_t *n, const char *str)
{
    *v = borch_xrealloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = borch_xstrdup(str);
}

borch_table *borch_schema_add_table(borch_schema *s, const char *name)
{
    borch_table *t = ADD(s->tables, s->ntables, s->captables, borch_table);
    t->name = borch_xstrdup(name);
    return t;
}

borch_view *borch_schema_add_view(borch_schema *s, const char *name, const char *definition)
{
    borch_view *v = ADD(s->views, s->nviews, s->capviews, borch_view);
    v->name = borch_xstrdup(name);
    v->definition = borch_xstrdup(definition);
    return v;
}

borch_enum *borch_schema_add_enum(borch_schema *s, const char *name)
{
    borch_enum *e = ADD(s->enums, s->nenums, s->capenums, borch_enum);
    e->name = borch_xstrdup(name);
    return e;
}

void borch_enum_add_value(borch_enum *e, const char *value)
{
    push_str(&e->values, &e->nvalues, value);
}

borch_sequence *borch_schema_add_sequence(borch_schema *s, const char *name, const char *owned_by)
{
    borch_sequence *q = ADD(s->sequences, s->nsequences, s->capsequences, borch_sequence);
    q->name = borch_xstrdup(name);
    q->owned_by = borch_xstrdup(owned_by);
    return q;
}

borch_column *borch_table_add_column(borch_table *t, const char *name, const char *type,
                                     int nullable, const char *default_expr)
{
    borch_column *c = ADD(t->columns, t->ncolumns, t->capcolumns, borch_column);
    c->name = borch_xstrdup(name);
    c->type = borch_xstrdup(type ? type : "");
    c->nullable = nullable;
    c->default_expr = borch_xstrdup(default_expr);
    return c;
}

void borch_table_add_pk_column(borch_table *t, const char *column)
{
    push_str(&t->primary_key, &t->nprimary_key, column);
}

borch_index *borch_table_add_index(borch_table *t, const char *name, int unique)
{
    borch_index *ix = ADD(t->indexes, t->nindexes, t->capindexes, borch_index);
    ix->name = borch_xstrdup(name);
    ix->unique = unique;
    return ix;
}

void borch_index_add_column(borch_index *ix, const char *column_or_expr)
{
    push_str(&ix->columns, &ix->ncolumns, column_or_expr);
}

borch_foreign_key *borch_table_add_foreign_key(borch_table *t, const char *name,
                                               const char *ref_table)
{
    borch_foreign_key *fk =
        ADD(t->foreign_keys, t->nforeign_keys, t->capforeign_keys, borch_foreign_key);
    fk->name = borch_xstrdup(name);
    fk->ref_table = borch_xstrdup(ref_table);
    fk->on_delete = borch_xstrdup("no action");
    fk->on_update = borch_xstrdup("no action");
    return fk;
}

void borch_fk_add_pair(borch_foreign_key *fk, const char *column, const char *ref_column)
{
    push_str(&fk->columns, &fk->ncolumns, column);
    push_str(&fk->ref_columns, &fk->nref_columns, ref_column ? ref_column : "");
}

borch_check *borch_table_add_check(borch_table *t, const char *name, const char *expression)
{
    borch_check *c = ADD(t->checks, t->nchecks, t->capchecks, borch_check);
    c->name = borch_xstrdup(name);
    c->expression = borch_xstrdup(expression);
    return c;
}

borch_table *borch_schema_table(const borch_schema *s, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return &s->tables[i];
    return NULL;
}

borch_column *borch_table_column(const borch_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return &t->columns[i];
    return NULL;
}

borch_index *borch_table_index(const borch_table *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (strcmp(t->indexes[i].name, name) == 0)
            return &t->indexes[i];
    return NULL;
}

borch_view *borch_schema_view(const borch_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nviews; i++)
        if (strcmp(s->views[i].name, name) == 0)
            return &s->views[i];
    return NULL;
}

/* ---- sorting ---- */

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int cmp_table(const void *a, const void *b)
{
    return strcmp(((const borch_table *)a)->name, ((const borch_table *)b)->name);
}
static int cmp_view(const void *a, const void *b)
{
    return strcmp(((const borch_view *)a)->name, ((const borch_view *)b)->name);
}
static int cmp_enum(const void *a, const void *b)
{
    return strcmp(((const borch_enum *)a)->name, ((const borch_enum *)b)->name);
}
static int cmp_seq(const void *a, const void *b)
{
    return strcmp(((const borch_sequence *)a)->name, ((const borch_sequence *)b)->name);
}
static int cmp_index(const void *a, const void *b)
{
    return strcmp(((const borch_index *)a)->name, ((const borch_index *)b)->name);
}

/* Joins a string list with ',' for ordering and messages. */
static char *join(char *const *v, size_t n, const char *sep)
{
    borch_buf b;
    borch_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(&b, sep);
        borch_buf_puts(&b, v[i]);
    }
    return b.data;
}

/* Foreign keys may be unnamed (SQLite): order by columns, then target. */
static int cmp_fk(const void *a, const void *b)
{
    const borch_foreign_key *x = a, *y = b;
    char *cx = join(x->columns, x->ncolumns, ","), *cy = join(y->columns, y->ncolumns, ",");
    int r = strcmp(cx, cy);
    free(cx);
    free(cy);
    if (r == 0)
        r = strcmp(nz(x->ref_table), nz(y->ref_table));
    if (r == 0)
        r = strcmp(nz(x->name), nz(y->name));
    return r;
}

static int cmp_check(const void *a, const void *b)
{
    const borch_check *x = a, *y = b;
    int r = strcmp(nz(x->name), nz(y->name));
    return r ? r : strcmp(nz(x->expression), nz(y->expression));
}

/* qsort with an empty (NULL) array is undefined behaviour; skip it. */
static void sort_arr(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

void borch_schema_sort(borch_schema *s)
{
    sort_arr(s->tables, s->ntables, sizeof(borch_table), cmp_table);
    sort_arr(s->views, s->nviews, sizeof(borch_view), cmp_view);
    sort_arr(s->enums, s->nenums, sizeof(borch_enum), cmp_enum);
    sort_arr(s->sequences, s->nsequences, sizeof(borch_sequence), cmp_seq);
    for (size_t i = 0; i < s->ntables; i++) {
        borch_table *t = &s->tables[i];
        sort_arr(t->indexes, t->nindexes, sizeof(borch_index), cmp_index);
        sort_arr(t->foreign_keys, t->nforeign_keys, sizeof(borch_foreign_key), cmp_fk);
        sort_arr(t->checks, t->nchecks, sizeof(borch_check), cmp_check);
    }
}

/* ---- cloning ---- */

static char **clone_strs(char *const *v, size_t n)
{
    if (!n)
        return NULL;
    char **c = borch_xmalloc(n * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        c[i] = borch_xstrdup(v[i]);
    return c;
}

borch_schema *borch_schema_clone(const borch_schema *s)
{
    borch_schema *c = borch_schema_new(s->engine);
    c->version = borch_xstrdup(s->version);
    for (size_t i = 0; i < s->ntables; i++) {
        const borch_table *t = &s->tables[i];
        borch_table *u = borch_schema_add_table(c, t->name);
        for (size_t j = 0; j < t->ncolumns; j++) {
            const borch_column *col = &t->columns[j];
            borch_column *d = borch_table_add_column(u, col->name, col->type, col->nullable,
                                                     col->default_expr);
            d->identity = col->identity;
        }
        u->primary_key = clone_strs(t->primary_key, t->nprimary_key);
        u->nprimary_key = t->nprimary_key;
        u->primary_key_name = borch_xstrdup(t->primary_key_name);
        u->comment = borch_xstrdup(t->comment);
        for (size_t j = 0; j < t->nindexes; j++) {
            const borch_index *ix = &t->indexes[j];
            borch_index *d = borch_table_add_index(u, ix->name, ix->unique);
            d->columns = clone_strs(ix->columns, ix->ncolumns);
            d->ncolumns = ix->ncolumns;
            d->expression = ix->expression;
            d->constraint = ix->constraint;
            d->where = borch_xstrdup(ix->where);
            d->method = borch_xstrdup(ix->method);
        }
        for (size_t j = 0; j < t->nforeign_keys; j++) {
            const borch_foreign_key *fk = &t->foreign_keys[j];
            borch_foreign_key *d = borch_table_add_foreign_key(u, fk->name, fk->ref_table);
            d->columns = clone_strs(fk->columns, fk->ncolumns);
            d->ncolumns = fk->ncolumns;
            d->ref_columns = clone_strs(fk->ref_columns, fk->nref_columns);
            d->nref_columns = fk->nref_columns;
            free(d->on_delete);
            free(d->on_update);
            d->on_delete = borch_xstrdup(fk->on_delete);
            d->on_update = borch_xstrdup(fk->on_update);
        }
        for (size_t j = 0; j < t->nchecks; j++)
            borch_table_add_check(u, t->checks[j].name, t->checks[j].expression);
    }
    for (size_t i = 0; i < s->nviews; i++)
        borch_schema_add_view(c, s->views[i].name, s->views[i].definition);
    for (size_t i = 0; i < s->nenums; i++) {
        borch_enum *e = borch_schema_add_enum(c, s->enums[i].name);
        e->values = clone_strs(s->enums[i].values, s->enums[i].nvalues);
        e->nvalues = s->enums[i].nvalues;
    }
    for (size_t i = 0; i < s->nsequences; i++)
        borch_schema_add_sequence(c, s->sequences[i].name, s->sequences[i].owned_by);
    return c;
}

/* ---- comparison ---- */

static int streq(const char *a, const char *b)
{
    return strcmp(nz(a), nz(b)) == 0;
}

static int strs_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* Records one difference; out may be NULL when only the count matters. */
static void diffline(borch_buf *out, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void diffline(borch_buf *out, size_t *n, const char *fmt, ...)
{
    (*n)++;
    if (!out)
        return;
    va_list ap;
    va_start(ap, fmt);
    char line[2048];
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    borch_buf_puts(out, line);
    borch_buf_putc(out, '\n');
}

static const char *show(const char *s)
{
    return s ? s : "none";
}

static void compare_columns(const borch_table *a, const borch_table *b, borch_buf *out, size_t *n)
{
    for (size_t i = 0; i < b->ncolumns; i++) {
        const borch_column *cb = &b->columns[i];
        const borch_column *ca = borch_table_column(a, cb->name);
        if (!ca) {
            diffline(out, n, "column %s.%s still present", a->name, cb->name);
            continue;
        }
        if (!streq(ca->type, cb->type))
            diffline(out, n, "column %s.%s is %s, was %s", a->name, cb->name, cb->type, ca->type);
        if (ca->nullable != cb->nullable)
            diffline(out, n, "column %s.%s is %s", a->name, ca->name,
                     cb->nullable ? "nullable, was NOT NULL" : "NOT NULL, was nullable");
        if (!streq(ca->default_expr, cb->default_expr))
            diffline(out, n, "column %s.%s default is %s, was %s", a->name, ca->name,
                     show(cb->default_expr), show(ca->default_expr));
        if (ca->identity != cb->identity)
            diffline(out, n, "column %s.%s identity %s", a->name, ca->name,
                     cb->identity ? "added" : "removed");
    }
    for (size_t i = 0; i < a->ncolumns; i++)
        if (!borch_table_column(b, a->columns[i].name))
            diffline(out, n, "column %s.%s missing", a->name, a->columns[i].name);
    /* Column order matters to SELECT * and to rebuilds: report a reorder once. */
    if (a->ncolumns == b->ncolumns) {
        for (size_t i = 0; i < a->ncolumns; i++) {
            if (strcmp(a->columns[i].name, b->columns[i].name) != 0) {
                diffline(out, n, "columns of %s are in another order", a->name);
                break;
            }
        }
    }
}

static void compare_indexes(const borch_table *a, const borch_table *b, borch_buf *out, size_t *n)
{
    for (size_t i = 0; i < b->nindexes; i++) {
        const borch_index *ib = &b->indexes[i];
        const borch_index *ia = borch_table_index(a, ib->name);
        if (!ia) {
            diffline(out, n, "index %s still present", ib->name);
            continue;
        }
        if (!strs_eq(ia->columns, ia->ncolumns, ib->columns, ib->ncolumns) ||
            ia->unique != ib->unique || !streq(ia->where, ib->where) ||
            !streq(ia->method, ib->method) || ia->constraint != ib->constraint) {
            char *ca = join(ia->columns, ia->ncolumns, ", ");
            char *cb = join(ib->columns, ib->ncolumns, ", ");
            diffline(out, n, "index %s is on (%s), was on (%s)", ib->name, cb, ca);
            free(ca);
            free(cb);
        }
    }
    for (size_t i = 0; i < a->nindexes; i++)
        if (!borch_table_index(b, a->indexes[i].name))
            diffline(out, n, "index %s missing", a->indexes[i].name);
}

static int fk_eq(const borch_foreign_key *x, const borch_foreign_key *y)
{
    return strs_eq(x->columns, x->ncolumns, y->columns, y->ncolumns) &&
           strs_eq(x->ref_columns, x->nref_columns, y->ref_columns, y->nref_columns) &&
           streq(x->ref_table, y->ref_table) && streq(x->on_delete, y->on_delete) &&
           streq(x->on_update, y->on_update);
}

static void compare_fks(const borch_table *a, const borch_table *b, borch_buf *out, size_t *n)
{
    for (size_t i = 0; i < b->nforeign_keys; i++) {
        const borch_foreign_key *fb = &b->foreign_keys[i];
        int found = 0;
        for (size_t j = 0; j < a->nforeign_keys && !found; j++)
            found = fk_eq(&a->foreign_keys[j], fb);
        if (!found) {
            char *c = join(fb->columns, fb->ncolumns, ", ");
            diffline(out, n, "foreign key %s(%s) -> %s still present", a->name, c, fb->ref_table);
            free(c);
        }
    }
    for (size_t i = 0; i < a->nforeign_keys; i++) {
        const borch_foreign_key *fa = &a->foreign_keys[i];
        int found = 0;
        for (size_t j = 0; j < b->nforeign_keys && !found; j++)
            found = fk_eq(fa, &b->foreign_keys[j]);
        if (!found) {
            char *c = join(fa->columns, fa->ncolumns, ", ");
            diffline(out, n, "foreign key %s(%s) -> %s missing", a->name, c, fa->ref_table);
            free(c);
        }
    }
}

static void compare_checks(const borch_table *a, const borch_table *b, borch_buf *out, size_t *n)
{
    for (size_t i = 0; i < b->nchecks; i++) {
        int found = 0;
        for (size_t j = 0; j < a->nchecks && !found; j++)
            found = streq(a->checks[j].expression, b->checks[i].expression);
        if (!found)
            diffline(out, n, "check (%s) on %s still present", b->checks[i].expression, a->name);
    }
    for (size_t i = 0; i < a->nchecks; i++) {
        int found = 0;
        for (size_t j = 0; j < b->nchecks && !found; j++)
            found = streq(a->checks[i].expression, b->checks[j].expression);
        if (!found)
            diffline(out, n, "check (%s) on %s missing", a->checks[i].expression, a->name);
    }
}

/* Tables of a sorted schema by binary search: compare runs on schemas of
 * thousands of tables, where a linear lookup per table is quadratic. */
static const borch_table *sorted_table(const borch_schema *s, const char *name)
{
    size_t lo = 0, hi = s->ntables;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->tables[mid].name, name);
        if (c == 0)
            return &s->tables[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t borch_schema_compare(const borch_schema *a, const borch_schema *b, borch_buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < b->ntables; i++) {
        const borch_table *tb = &b->tables[i];
        const borch_table *ta = sorted_table(a, tb->name);
        if (!ta) {
            diffline(out, &n, "table %s still present", tb->name);
            continue;
        }
        compare_columns(ta, tb, out, &n);
        if (!strs_eq(ta->primary_key, ta->nprimary_key, tb->primary_key, tb->nprimary_key)) {
            char *pa = join(ta->primary_key, ta->nprimary_key, ", ");
            char *pb = join(tb->primary_key, tb->nprimary_key, ", ");
            diffline(out, &n, "primary key of %s is (%s), was (%s)", ta->name, pb, pa);
            free(pa);
            free(pb);
        }
        compare_indexes(ta, tb, out, &n);
        compare_fks(ta, tb, out, &n);
        compare_checks(ta, tb, out, &n);
    }
    for (size_t i = 0; i < a->ntables; i++)
        if (!sorted_table(b, a->tables[i].name))
            diffline(out, &n, "table %s missing", a->tables[i].name);
    for (size_t i = 0; i < b->nviews; i++) {
        const borch_view *va = borch_schema_view(a, b->views[i].name);
        if (!va)
            diffline(out, &n, "view %s still present", b->views[i].name);
        else if (!streq(va->definition, b->views[i].definition))
            diffline(out, &n, "view %s has another definition", b->views[i].name);
    }
    for (size_t i = 0; i < a->nviews; i++)
        if (!borch_schema_view(b, a->views[i].name))
            diffline(out, &n, "view %s missing", a->views[i].name);
    for (size_t i = 0; i < b->nenums; i++) {
        const borch_enum *eb = &b->enums[i];
        const borch_enum *ea = NULL;
        for (size_t j = 0; j < a->nenums; j++)
            if (strcmp(a->enums[j].name, eb->name) == 0)
                ea = &a->enums[j];
        if (!ea)
            diffline(out, &n, "type %s still present", eb->name);
        else if (!strs_eq(ea->values, ea->nvalues, eb->values, eb->nvalues))
            diffline(out, &n, "type %s has other values", eb->name);
    }
    for (size_t i = 0; i < a->nenums; i++) {
        int found = 0;
        for (size_t j = 0; j < b->nenums && !found; j++)
            found = strcmp(a->enums[i].name, b->enums[j].name) == 0;
        if (!found)
            diffline(out, &n, "type %s missing", a->enums[i].name);
    }
    return n;
}
