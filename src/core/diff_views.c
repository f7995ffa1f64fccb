/*
 * diff_views.c - the view and enum passes of a diff (see diff.c, and
 * docs/diff.md for the rules).
 *
 * A view is dropped when it goes, when its definition changes, or when its
 * definition mentions (as a word, case-insensitively) a table that is
 * dropped or whose shape changes (or that has a column of an enum whose
 * values change, or names such an enum), or a view that is itself dropped. Every
 * dropped view that `to` still has is created again, after the tables.
 * Each definition is cut into words once and each word looked up by binary
 * search, so the pass is O(n log n) in the size of the definitions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff_internal.h"
#include "util/mem.h"

#define NONE ((size_t)-1)

/* A lowercased name and the number of what it names. */
typedef struct lname {
    char *lc;
    size_t idx;
} lname;

/* Order of lowercased names, for bsearch. */
static int cmp_lname(const void *a, const void *b)
{
    return strcmp(((const lname *)a)->lc, ((const lname *)b)->lc);
}

/* Names are matched case-insensitively; malloc'd lowercase copy. */
static char *lower(const char *s)
{
    char *d = borch_xstrdup(s ? s : "");
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* Frees an lname array and its strings. */
static void lnames_free(lname *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].lc);
    free(v);
}

/* The number of what word names, or NONE. */
static size_t lookup(const lname *v, size_t n, const char *word)
{
    if (!n)
        return NONE;
    lname key = {(char *)word, 0};
    const lname *hit = bsearch(&key, v, n, sizeof(*v), cmp_lname);
    return hit ? hit->idx : NONE;
}

/* Identifier characters; bytes of UTF-8 names count as such. */
static int word_char(unsigned char ch)
{
    return isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
}

/*
 * Calls fn for each word of a view definition, lowercased: identifiers,
 * quoted or not (quotes, dots and operators separate words), so
 * "public"."Orders" yields "public" and "orders".
 */
static void each_word(const char *def, void (*fn)(void *ctx, const char *word), void *ctx)
{
    size_t n = strlen(def ? def : "");
    char *w = borch_xmalloc(n + 1);
    const char *p = def ? def : "";
    while (*p) {
        if (!word_char((unsigned char)*p)) {
            p++;
            continue;
        }
        size_t k = 0;
        while (*p && word_char((unsigned char)*p))
            w[k++] = (char)tolower((unsigned char)*p++);
        w[k] = '\0';
        fn(ctx, w);
    }
    free(w);
}

/* The views of one model: names for lookups and "i mentions j" edges. */
typedef struct viewset {
    const borch_schema *s;
    lname *names;
    borch_diff_edge *deps; /* src mentions dst */
    size_t ndeps, capdeps;
    const lname *affected; /* tables whose change rebuilds views, or NULL */
    size_t naffected;
    size_t current;
    char *hit; /* per view: mentions an affected table */
} viewset;

/* One word of the current view: an affected table, or another view. */
static void on_word(void *ctx, const char *word)
{
    viewset *vs = ctx;
    if (lookup(vs->affected, vs->naffected, word) != NONE)
        vs->hit[vs->current] = 1;
    size_t j = lookup(vs->names, vs->s->nviews, word);
    if (j == NONE || j == vs->current)
        return;
    borch_grow((void **)&vs->deps, &vs->capdeps, vs->ndeps + 1, sizeof(*vs->deps));
    vs->deps[vs->ndeps].src = vs->current;
    vs->deps[vs->ndeps].dst = j;
    vs->deps[vs->ndeps].tag = NULL;
    vs->ndeps++;
}

/* Reads every view of s once; affected may be NULL (no table to watch). */
static void viewset_init(viewset *vs, const borch_schema *s, const lname *affected,
                         size_t naffected)
{
    memset(vs, 0, sizeof(*vs));
    vs->s = s;
    vs->names = borch_xmalloc((s->nviews ? s->nviews : 1) * sizeof(lname));
    for (size_t i = 0; i < s->nviews; i++) {
        vs->names[i].lc = lower(s->views[i].name);
        vs->names[i].idx = i;
    }
    if (s->nviews > 1)
        qsort(vs->names, s->nviews, sizeof(lname), cmp_lname);
    vs->affected = affected;
    vs->naffected = naffected;
    vs->hit = borch_xcalloc(s->nviews ? s->nviews : 1, 1);
    for (size_t i = 0; i < s->nviews; i++) {
        vs->current = i;
        each_word(s->views[i].definition, on_word, vs);
    }
}

/* Frees what viewset_init built. */
static void viewset_release(viewset *vs)
{
    lnames_free(vs->names, vs->s->nviews);
    free(vs->deps);
    free(vs->hit);
}

/*
 * Orders the views marked in `in` by their dependency edges: when
 * dependents_first, a view before the views it mentions (drop order);
 * else after them (create order). Returns the view numbers; *n their count.
 */
static size_t *order_views(const viewset *vs, const char *in, int dependents_first, size_t *n)
{
    size_t nv = vs->s->nviews, k = 0;
    size_t *node_of = borch_xmalloc((nv ? nv : 1) * sizeof(size_t));
    size_t *views = borch_xmalloc((nv ? nv : 1) * sizeof(size_t));
    for (size_t i = 0; i < nv; i++) {
        node_of[i] = in[i] ? k : NONE;
        if (in[i])
            views[k++] = i;
    }
    borch_diff_edge *edges = borch_xmalloc((vs->ndeps ? vs->ndeps : 1) * sizeof(*edges));
    size_t ne = 0;
    for (size_t e = 0; e < vs->ndeps; e++) {
        size_t a = node_of[vs->deps[e].src], b = node_of[vs->deps[e].dst];
        if (a == NONE || b == NONE)
            continue;
        edges[ne].src = dependents_first ? a : b;
        edges[ne].dst = dependents_first ? b : a;
        edges[ne].tag = NULL;
        ne++;
    }
    size_t *order = borch_diff_topo(k, edges, ne, NULL, NULL);
    for (size_t i = 0; i < k; i++)
        order[i] = views[order[i]];
    free(edges);
    free(views);
    free(node_of);
    *n = k;
    return order;
}

/* Edges grouped by the view they point at, for propagate. */
static int cmp_edge_dst(const void *a, const void *b)
{
    const borch_diff_edge *x = a, *y = b;
    return x->dst < y->dst ? -1 : x->dst > y->dst;
}

/* Marks every view that mentions a dropped view as dropped too. */
static void propagate(viewset *vs, char *drop)
{
    size_t nv = vs->s->nviews;
    if (vs->ndeps > 1)
        qsort(vs->deps, vs->ndeps, sizeof(*vs->deps), cmp_edge_dst);
    size_t *start = borch_xcalloc(nv + 1, sizeof(size_t));
    for (size_t e = 0; e < vs->ndeps; e++)
        start[vs->deps[e].dst + 1]++;
    for (size_t i = 0; i < nv; i++)
        start[i + 1] += start[i];
    size_t *work = borch_xmalloc((nv ? nv : 1) * sizeof(size_t)), nw = 0;
    for (size_t i = 0; i < nv; i++)
        if (drop[i])
            work[nw++] = i;
    while (nw) {
        size_t j = work[--nw];
        for (size_t e = start[j]; e < start[j + 1]; e++) {
            size_t i = vs->deps[e].src;
            if (!drop[i]) {
                drop[i] = 1;
                work[nw++] = i;
            }
        }
    }
    free(work);
    free(start);
}

/* Enums are sorted by name: binary search. */
static const borch_enum *find_enum(const borch_schema *s, const char *name)
{
    size_t lo = 0, hi = s->nenums;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(s->enums[mid].name, name);
        if (r == 0)
            return &s->enums[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Same labels in the same order (order is part of an enum). */
static int same_values(const borch_enum *x, const borch_enum *y)
{
    if (x->nvalues != y->nvalues)
        return 0;
    for (size_t i = 0; i < x->nvalues; i++)
        if (strcmp(x->values[i] ? x->values[i] : "", y->values[i] ? y->values[i] : "") != 0)
            return 0;
    return 1;
}

/* Is name an enum both models have with another value list? */
static int enum_changed(const borch_diff_ctx *c, const char *name)
{
    const borch_enum *x = find_enum(c->from, name), *y = x ? find_enum(c->to, name) : NULL;
    return y && !same_values(x, y);
}

/*
 * The enum a column type names, as format_type() writes it: "mood",
 * "mood[]", "\"Mood\"[]" -> mood / Mood; malloc'd.
 */
static char *type_base_name(const char *type)
{
    char *d = borch_xstrdup(type ? type : "");
    size_t n = strlen(d);
    while (n >= 2 && d[n - 2] == '[' && d[n - 1] == ']')
        d[n -= 2] = '\0';
    if (n >= 2 && d[0] == '"' && d[n - 1] == '"') {
        size_t k = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            d[k++] = d[i];
            if (d[i] == '"' && d[i + 1] == '"')
                i++;
        }
        d[k] = '\0';
    }
    return d;
}

/*
 * Has a kept table a column of an enum whose values change? A renderer
 * may move such a column to a rebuilt type (PostgreSQL: ALTER COLUMN
 * TYPE), which fails while a view reads the column.
 */
static int uses_changed_enum(const borch_diff_ctx *c, const borch_table *t)
{
    if (!c->from->nenums)
        return 0;
    for (size_t k = 0; k < t->ncolumns; k++) {
        char *base = type_base_name(t->columns[k].type);
        int hit = enum_changed(c, base);
        free(base);
        if (hit)
            return 1;
    }
    return 0;
}

/* Tables whose change makes the views on them be rebuilt, lowercased;
 * also the names of changed enums, which a view may cast to. */
static lname *affected_tables(const borch_diff_ctx *c, size_t *n)
{
    const borch_schema *a = c->from;
    lname *v = borch_xmalloc((a->ntables + a->nenums ? a->ntables + a->nenums : 1) * sizeof(lname));
    size_t k = 0;
    for (size_t i = 0; i < a->ntables; i++) {
        size_t j;
        if (borch_diff_find_table(c->to, a->tables[i].name, &j) && !c->info[j].shape_changed &&
            !uses_changed_enum(c, &a->tables[i]))
            continue;
        v[k].lc = lower(a->tables[i].name);
        v[k].idx = i;
        k++;
    }
    for (size_t i = 0; i < a->nenums; i++) {
        if (!enum_changed(c, a->enums[i].name))
            continue;
        v[k].lc = lower(a->enums[i].name);
        v[k].idx = i;
        k++;
    }
    if (k > 1)
        qsort(v, k, sizeof(lname), cmp_lname);
    *n = k;
    return v;
}

/* Views are sorted by name: binary search. */
static const borch_view *find_view(const borch_schema *s, const char *name, size_t *index)
{
    size_t lo = 0, hi = s->nviews;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(s->views[mid].name, name);
        if (r == 0) {
            if (index)
                *index = mid;
            return &s->views[mid];
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* DROP_VIEW and CREATE_VIEW changes, by the rules in the file header. */
void borch_diff_views(borch_diff_ctx *c)
{
    const borch_schema *a = c->from, *b = c->to;
    size_t naff;
    lname *aff = affected_tables(c, &naff);
    viewset va, vb;
    viewset_init(&va, a, aff, naff);
    viewset_init(&vb, b, NULL, 0);

    char *drop = borch_xcalloc(a->nviews ? a->nviews : 1, 1);
    char *create = borch_xcalloc(b->nviews ? b->nviews : 1, 1);
    for (size_t i = 0; i < a->nviews; i++) {
        const borch_view *w = find_view(b, a->views[i].name, NULL);
        if (!w ||
            strcmp(w->definition ? w->definition : "",
                   a->views[i].definition ? a->views[i].definition : "") != 0 ||
            va.hit[i])
            drop[i] = 1;
    }
    propagate(&va, drop);
    for (size_t j = 0; j < b->nviews; j++) {
        size_t i;
        if (!find_view(a, b->views[j].name, &i) || drop[i])
            create[j] = 1;
    }

    size_t n;
    size_t *order = order_views(&va, drop, 1, &n);
    for (size_t k = 0; k < n; k++)
        borch_diff_push(c, PH_DROP_VIEW, BORCH_CH_DROP_VIEW, NULL, NULL)->view =
            &a->views[order[k]];
    free(order);
    order = order_views(&vb, create, 0, &n);
    for (size_t k = 0; k < n; k++)
        borch_diff_push(c, PH_CREATE_VIEW, BORCH_CH_CREATE_VIEW, NULL, NULL)->view =
            &b->views[order[k]];
    free(order);

    free(drop);
    free(create);
    viewset_release(&va);
    viewset_release(&vb);
    lnames_free(aff, naff);
}

/*
 * Enums by name. A changed value list is, for now, a drop and a create
 * right after it (before any table needs the type); engines refuse that
 * while a column uses the type, hence the warning.
 */
void borch_diff_enums(borch_diff_ctx *c)
{
    const borch_schema *a = c->from, *b = c->to;
    size_t i = 0, j = 0;
    while (i < a->nenums || j < b->nenums) {
        int r = i == a->nenums   ? 1
                : j == b->nenums ? -1
                                 : strcmp(a->enums[i].name, b->enums[j].name);
        if (r < 0) {
            borch_diff_push(c, PH_DROP_ENUM, BORCH_CH_DROP_ENUM, NULL, NULL)->enum_type =
                &a->enums[i++];
        } else if (r > 0) {
            borch_diff_push(c, PH_CREATE_ENUM, BORCH_CH_CREATE_ENUM, NULL, NULL)->enum_type =
                &b->enums[j++];
        } else {
            if (!same_values(&a->enums[i], &b->enums[j])) {
                borch_change *ch =
                    borch_diff_push(c, PH_CREATE_ENUM, BORCH_CH_DROP_ENUM, NULL, NULL);
                ch->enum_type = &a->enums[i];
                borch_diff_warn(ch,
                                "recreates type %s with other values: fails while a column uses it",
                                a->enums[i].name);
                borch_diff_push(c, PH_CREATE_ENUM, BORCH_CH_CREATE_ENUM, NULL, NULL)->enum_type =
                    &b->enums[j];
            }
            i++;
            j++;
        }
    }
}
