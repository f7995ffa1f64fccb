/*
 * mem.h - allocation helpers that abort on failure, and a growable array of
 * strings. See buf.h for why failure aborts.
 */
#ifndef BORCH_MEM_H
#define BORCH_MEM_H

#include <stddef.h>

void *borch_xmalloc(size_t n);
void *borch_xcalloc(size_t count, size_t n);
void *borch_xrealloc(void *p, size_t n);
/* strdup that accepts NULL (returns NULL) and aborts on failure. */
char *borch_xstrdup(const char *s);
char *borch_xstrndup(const char *s, size_t n);

/* Grows *arr (of *cap elements of size elem) to hold at least need. */
void borch_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* A list of owned strings. */
typedef struct borch_strv {
    char **items;
    size_t count;
    size_t cap;
} borch_strv;

void borch_strv_push(borch_strv *v, const char *s); /* copies s */
void borch_strv_push_owned(borch_strv *v, char *s); /* takes s */
void borch_strv_release(borch_strv *v);
int borch_strv_contains(const borch_strv *v, const char *s);

#endif
