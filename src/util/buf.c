/* buf.c - growable string buffer; see buf.h. */
#include "util/buf.h"
#include "util/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void borch_buf_init(borch_buf *b)
{
    b->cap = 64;
    b->len = 0;
    b->data = borch_xmalloc(b->cap);
    b->data[0] = '\0';
}

void borch_buf_release(borch_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void borch_buf_clear(borch_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL, doubling to keep appends O(1). */
static void grow(borch_buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->data = borch_xrealloc(b->data, cap);
    b->cap = cap;
}

void borch_buf_append(borch_buf *b, const char *s, size_t n)
{
    grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void borch_buf_puts(borch_buf *b, const char *s)
{
    borch_buf_append(b, s, strlen(s));
}

void borch_buf_putc(borch_buf *b, char c)
{
    borch_buf_append(b, &c, 1);
}

void borch_buf_printf(borch_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *borch_buf_detach(borch_buf *b)
{
    char *d = b->data ? b->data : borch_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}
