/*
 * diff_order.c - the dependency sort behind the phases of a diff that are
 * not simply in name order: tables created referenced-first, dropped
 * referencing-first, views dropped dependents-first and created
 * dependencies-first. Kahn's algorithm with a min-heap, so the result is
 * deterministic (lowest node number, i.e. name, first) and O((n+e) log n).
 */
#include "core/diff_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* A min-heap of node numbers. */
typedef struct heap {
    size_t *v;
    size_t n;
} heap;

/* Ready nodes come out lowest first: deterministic, name-ordered ties. */
static void heap_push(heap *h, size_t x)
{
    size_t i = h->n++;
    h->v[i] = x;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->v[p] <= h->v[i])
            break;
        size_t t = h->v[p];
        h->v[p] = h->v[i];
        h->v[i] = t;
        i = p;
    }
}

/* Takes the lowest ready node. */
static size_t heap_pop(heap *h)
{
    size_t top = h->v[0];
    h->v[0] = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->v[l] < h->v[m])
            m = l;
        if (r < h->n && h->v[r] < h->v[m])
            m = r;
        if (m == i)
            break;
        size_t t = h->v[m];
        h->v[m] = h->v[i];
        h->v[i] = t;
        i = m;
    }
    return top;
}

/* Edges grouped by source (for the walk) with a second grouping by
 * destination (to find what a forced node breaks). */
static int cmp_src(const void *a, const void *b)
{
    const borch_diff_edge *x = a, *y = b;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    if (x->dst != y->dst)
        return x->dst < y->dst ? -1 : 1;
    return 0;
}

/* The lowest waiting node with an edge into x that still holds, or NONE. */
static size_t lowest_pred(size_t x, const borch_diff_edge *edges, const size_t *in_start,
                          const size_t *in_edges, const char *done, const char *cut)
{
    size_t best = (size_t)-1;
    for (size_t k = in_start[x]; k < in_start[x + 1]; k++) {
        size_t e = in_edges[k];
        if (!cut[e] && !done[edges[e].src] && edges[e].src < best)
            best = edges[e].src;
    }
    return best;
}

/*
 * Everything left waits on something: the waiting nodes hold a cycle. From
 * the lowest one, walk edges backwards (each waiting node has a waiting
 * predecessor) until a node repeats; it is on a cycle. Returns the lowest
 * node of that cycle, so that what is broken is an edge of the cycle and
 * not one merely downstream of it.
 */
static size_t cycle_node(size_t start, const borch_diff_edge *edges, const size_t *in_start,
                         const size_t *in_edges, const char *done, const char *cut, size_t *seen,
                         size_t stamp)
{
    size_t x = start;
    while (seen[x] != stamp) {
        seen[x] = stamp;
        size_t p = lowest_pred(x, edges, in_start, in_edges, done, cut);
        if (p == (size_t)-1)
            return x; /* cannot happen while the heap is empty; be safe */
        x = p;
    }
    size_t low = x;
    for (size_t y = lowest_pred(x, edges, in_start, in_edges, done, cut); y != x;
         y = lowest_pred(y, edges, in_start, in_edges, done, cut))
        low = y < low ? y : low;
    return low;
}

/* Kahn's algorithm; see diff_internal.h. */
size_t *borch_diff_topo(size_t n, borch_diff_edge *edges, size_t ne,
                        void (*broken)(void *ctx, const borch_diff_edge *e), void *ctx)
{
    size_t *order = borch_xmalloc((n ? n : 1) * sizeof(size_t));
    if (n == 0)
        return order;
    if (ne > 1)
        qsort(edges, ne, sizeof(*edges), cmp_src);
    size_t *out_start = borch_xcalloc(n + 1, sizeof(size_t));
    size_t *in_start = borch_xcalloc(n + 1, sizeof(size_t));
    size_t *in_edges = borch_xmalloc((ne ? ne : 1) * sizeof(size_t));
    size_t *indeg = borch_xcalloc(n, sizeof(size_t));
    char *done = borch_xcalloc(n, 1);
    char *cut = borch_xcalloc(ne ? ne : 1, 1);
    for (size_t e = 0; e < ne; e++) {
        out_start[edges[e].src + 1]++;
        in_start[edges[e].dst + 1]++;
        indeg[edges[e].dst]++;
    }
    for (size_t i = 0; i < n; i++) {
        out_start[i + 1] += out_start[i];
        in_start[i + 1] += in_start[i];
    }
    size_t *fill = borch_xmalloc(n * sizeof(size_t));
    memcpy(fill, in_start, n * sizeof(size_t));
    for (size_t e = 0; e < ne; e++)
        in_edges[fill[edges[e].dst]++] = e;
    free(fill);

    size_t *seen = borch_xcalloc(n, sizeof(size_t)), stamp = 0;
    heap h = {borch_xmalloc(n * sizeof(size_t)), 0};
    for (size_t i = 0; i < n; i++)
        if (indeg[i] == 0)
            heap_push(&h, i);
    size_t emitted = 0, cursor = 0;
    while (emitted < n) {
        size_t x;
        if (h.n) {
            x = heap_pop(&h);
        } else {
            while (done[cursor])
                cursor++;
            x = cycle_node(cursor, edges, in_start, in_edges, done, cut, seen, ++stamp);
            for (size_t k = in_start[x]; k < in_start[x + 1]; k++) {
                size_t e = in_edges[k];
                if (!done[edges[e].src] && !cut[e]) {
                    cut[e] = 1;
                    if (broken)
                        broken(ctx, &edges[e]);
                }
            }
        }
        done[x] = 1;
        order[emitted++] = x;
        for (size_t e = out_start[x]; e < out_start[x + 1]; e++) {
            size_t d = edges[e].dst;
            if (cut[e] || done[d])
                continue;
            if (--indeg[d] == 0)
                heap_push(&h, d);
        }
    }
    free(h.v);
    free(seen);
    free(out_start);
    free(in_start);
    free(in_edges);
    free(indeg);
    free(done);
    free(cut);
    return order;
}
