/*
 * buf.h - a growable NUL-terminated byte buffer, the one way borch-db builds
 * strings of unknown length (SQL, JSON lines, reports).
 *
 * A borch_buf owns its data; borch_buf_detach hands it to the caller.
 * Allocation failure aborts: a CLI that cannot allocate a few kilobytes has
 * no useful way to go on, and checking every append would hide the logic.
 */
#ifndef BORCH_BUF_H
#define BORCH_BUF_H

#include <stddef.h>

typedef struct borch_buf {
    char *data; /* NUL-terminated; NULL only after borch_buf_detach */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} borch_buf;

void borch_buf_init(borch_buf *b);
void borch_buf_release(borch_buf *b);
void borch_buf_clear(borch_buf *b); /* empties, keeps the allocation */
void borch_buf_append(borch_buf *b, const char *s, size_t n);
void borch_buf_puts(borch_buf *b, const char *s);
void borch_buf_putc(borch_buf *b, char c);
void borch_buf_printf(borch_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the data, which the caller frees; b is left empty, holding no
 * memory (release is then a no-op), and reusable by further appends. */
char *borch_buf_detach(borch_buf *b);

#endif
