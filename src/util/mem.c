/* mem.c - aborting allocators and string lists; see mem.h. */
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("borch-db: out of memory\n", stderr);
    abort();
}

void *borch_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *borch_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *borch_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *borch_xstrdup(const char *s)
{
    if (!s)
        return NULL;
    return borch_xstrndup(s, strlen(s));
}

char *borch_xstrndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = borch_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void borch_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *arr = borch_xrealloc(*arr, c * elem);
    *cap = c;
}

void borch_strv_push_owned(borch_strv *v, char *s)
{
    borch_grow((void **)&v->items, &v->cap, v->count + 1, sizeof(char *));
    v->items[v->count++] = s;
}

void borch_strv_push(borch_strv *v, const char *s)
{
    borch_strv_push_owned(v, borch_xstrdup(s));
}

void borch_strv_release(borch_strv *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}

int borch_strv_contains(const borch_strv *v, const char *s)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i], s) == 0)
            return 1;
    return 0;
}
