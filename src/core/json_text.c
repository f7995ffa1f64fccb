/* json_text.c - JSON strings from text that may not be valid UTF-8; see json_text.h. */
#include "core/json_text.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/*
 * Length of the valid UTF-8 sequence at p (1..4), or 0 when the bytes there
 * are not one: bad lead byte, missing or bad continuation, overlong form,
 * surrogate, or beyond U+10FFFF (the rules jansson checks).
 */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

json_t *borch_json_text(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    borch_buf b;
    borch_buf_init(&b);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(p);
        if (n) {
            borch_buf_append(&b, (const char *)p, n);
            p += n;
        } else {
            borch_buf_puts(&b, "\xef\xbf\xbd"); /* U+FFFD */
            p++;
        }
    }
    v = json_string(b.data);
    borch_buf_release(&b);
    return v ? v : json_string("");
}
