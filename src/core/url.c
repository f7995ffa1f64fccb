/*
 * url.c - parsing database URLs and masking their passwords. Masking works
 * on raw text so that even a URL that fails to parse is shown safely.
 */
#include "core/url.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driver.h"
#include "util/buf.h"
#include "util/fsutil.h"

/* Decodes %XX escapes; a malformed escape is kept as written. */
static char *percent_decode(const char *s, size_t n)
{
    char *out = borch_xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[j++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

/* Encodes the characters that would break a URL's user, password or path part. */
static void percent_encode(borch_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || strchr("-._~", c))
            borch_buf_putc(b, (char)c);
        else
            borch_buf_printf(b, "%%%02X", c);
    }
}

/*
 * Masking errs on the side of hiding: it must work on text that does not
 * parse (a password with an unencoded '#', '/' or '?', a URL missing its
 * "//"), because that is exactly what error messages show. So the password
 * is taken as everything from the first ':' after the scheme's part to the
 * last '@' that has such a ':' before it, and any "password=" parameter
 * (any case, any scheme, SQLite too) has its value replaced.
 */
char *borch_url_mask(const char *text)
{
    if (!text)
        return borch_xstrdup("");
    borch_buf b;
    borch_buf_init(&b);
    const char *colon0 = strchr(text, ':');
    const char *auth = colon0 ? colon0 + 1 : text;
    if (strncmp(auth, "//", 2) == 0)
        auth += 2;
    const char *at = strrchr(auth, '@');
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon0 && at && colon) {
        borch_buf_append(&b, text, (size_t)(colon - text) + 1);
        borch_buf_puts(&b, "***");
        borch_buf_puts(&b, at);
    } else {
        borch_buf_puts(&b, text);
    }
    /* password=VALUE, as a query parameter or a libpq keyword. */
    for (size_t i = 0; i + 9 <= b.len; i++) {
        if (strncasecmp(b.data + i, "password=", 9) != 0)
            continue;
        char before = i ? b.data[i - 1] : '?';
        if (before != '?' && before != '&' && before != ' ' && before != ';' && !isalpha((unsigned char)before))
            continue;
        size_t v = i + 9;
        size_t vlen = strcspn(b.data + v, "& ;#");
        if (vlen == 3 && strncmp(b.data + v, "***", 3) == 0)
            continue;
        borch_buf r;
        borch_buf_init(&r);
        borch_buf_append(&r, b.data, v);
        borch_buf_puts(&r, "***");
        borch_buf_puts(&r, b.data + v + vlen);
        borch_buf_release(&b);
        b = r;
        i = v + 2;
    }
    return b.data; /* the buffer's data is the caller's now */
}

void borch_url_free(borch_url *url)
{
    if (!url)
        return;
    free(url->raw);
    free(url->scheme);
    free(url->user);
    free(url->password);
    free(url->host);
    free(url->database);
    free(url->path);
    borch_strv_release(&url->keys);
    borch_strv_release(&url->values);
    free(url);
}

const char *borch_url_param(const borch_url *url, const char *key)
{
    for (size_t i = 0; i < url->keys.count; i++)
        if (strcmp(url->keys.items[i], key) == 0)
            return url->values.items[i];
    return NULL;
}

/* Splits "k=v&k2=v2" into the url's parameter lists. */
static void parse_query(borch_url *u, const char *q)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        if (eq) {
            borch_strv_push_owned(&u->keys, percent_decode(q, (size_t)(eq - q)));
            borch_strv_push_owned(&u->values, percent_decode(eq + 1, n - (size_t)(eq - q) - 1));
        } else if (n > 0) {
            borch_strv_push_owned(&u->keys, percent_decode(q, n));
            borch_strv_push(&u->values, "");
        }
        q += n;
        if (*q == '&')
            q++;
    }
}

static int bad_url(borch_url *u, const char *text, const char *why, borch_error *err)
{
    char *m = borch_url_mask(text);
    borch_error_set(err, BORCH_EINPUT, "malformed database URL '%s': %s", m, why);
    free(m);
    borch_url_free(u);
    return BORCH_EINPUT;
}

/* sqlite:path, sqlite:///abs, sqlite://rel?, sqlite::memory: */
static int parse_sqlite(borch_url *u, const char *rest, const char *base_dir, borch_error *err)
{
    const char *path = rest;
    if (strncmp(rest, "//", 2) == 0)
        path = rest + 2; /* sqlite:///abs -> /abs; sqlite://rel -> rel */
    size_t n = strcspn(path, "?");
    if (path[n] == '?')
        parse_query(u, path + n + 1);
    char *p = percent_decode(path, n);
    if (!*p) {
        free(p);
        return bad_url(u, u->raw, "no file path", err);
    }
    if (strcmp(p, ":memory:") == 0 || p[0] == '/' || !base_dir || !*base_dir) {
        u->path = p;
    } else {
        u->path = borch_path_join(base_dir, p);
        free(p);
    }
    return 0;
}

/* scheme://[user[:pass]@][host][:port][/db][?k=v&...] */
static int parse_server(borch_url *u, const char *rest, borch_error *err)
{
    if (strncmp(rest, "//", 2) != 0)
        return bad_url(u, u->raw, "expected '//' after the scheme", err);
    const char *auth = rest + 2;
    size_t alen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + alen; p++)
        if (*p == '@')
            at = p;
    const char *hostpart = auth;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            u->user = percent_decode(auth, (size_t)(colon - auth));
            u->password = percent_decode(colon + 1, (size_t)(at - colon - 1));
        } else {
            u->user = percent_decode(auth, (size_t)(at - auth));
        }
        hostpart = at + 1;
    }
    size_t hlen = (size_t)(auth + alen - hostpart);
    const char *portsep = NULL;
    if (hlen > 0 && hostpart[0] == '[') { /* [::1]:5432 */
        const char *close = memchr(hostpart, ']', hlen);
        if (!close)
            return bad_url(u, u->raw, "unclosed '[' in host", err);
        u->host = borch_xstrndup(hostpart + 1, (size_t)(close - hostpart - 1));
        if (close + 1 < hostpart + hlen && close[1] == ':')
            portsep = close + 1;
    } else {
        portsep = memchr(hostpart, ':', hlen);
        size_t n = portsep ? (size_t)(portsep - hostpart) : hlen;
        if (n > 0)
            u->host = percent_decode(hostpart, n);
    }
    if (portsep) {
        char *end;
        long port = strtol(portsep + 1, &end, 10);
        if (end != hostpart + hlen || port <= 0 || port > 65535)
            return bad_url(u, u->raw, "port is not a number from 1 to 65535", err);
        u->port = (int)port;
    }
    const char *p = auth + alen;
    if (*p == '/') {
        p++;
        size_t n = strcspn(p, "?#");
        if (n > 0)
            u->database = percent_decode(p, n);
        p += n;
    }
    if (*p == '?') {
        p++;
        size_t n = strcspn(p, "#");
        char *q = borch_xstrndup(p, n);
        parse_query(u, q);
        free(q);
    }
    return 0;
}

int borch_url_parse(const char *text, const char *base_dir, borch_url **out, borch_error *err)
{
    *out = NULL;
    if (!text || !*text)
        return borch_error_set(err, BORCH_EINPUT, "empty database URL");
    size_t slen = strcspn(text, ":");
    if (text[slen] != ':' || slen == 0)
        return borch_error_set(err, BORCH_EINPUT,
                               "database URL has no scheme (expected sqlite:, postgres:// or mysql://)");
    borch_url *u = borch_xcalloc(1, sizeof(*u));
    u->raw = borch_xstrdup(text);
    char *scheme = borch_xstrndup(text, slen);
    for (char *c = scheme; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *canon = borch_scheme_canonical(scheme);
    if (!canon) {
        borch_error_set(err, BORCH_EINPUT,
                        "unknown URL scheme '%s' (known: sqlite, postgres, postgresql, mysql, mariadb)",
                        scheme);
        free(scheme);
        borch_url_free(u);
        return BORCH_EINPUT;
    }
    free(scheme);
    u->scheme = borch_xstrdup(canon);
    const char *rest = text + slen + 1;
    int rc = strcmp(canon, "sqlite") == 0 ? parse_sqlite(u, rest, base_dir, err)
                                           : parse_server(u, rest, err);
    if (rc)
        return rc; /* u freed by bad_url */
    *out = u;
    return 0;
}

char *borch_url_with_database(const borch_url *url, const char *database)
{
    borch_buf b;
    borch_buf_init(&b);
    if (strcmp(url->scheme, "sqlite") == 0) {
        borch_buf_printf(&b, "sqlite:%s%s", database[0] == '/' ? "//" : "", database);
        return b.data;
    }
    const char *sep = strstr(url->raw, "://");
    size_t slen = sep ? (size_t)(sep - url->raw) : strlen(url->scheme);
    borch_buf_append(&b, url->raw, slen);
    borch_buf_puts(&b, "://");
    if (url->user) {
        percent_encode(&b, url->user);
        if (url->password) {
            borch_buf_putc(&b, ':');
            percent_encode(&b, url->password);
        }
        borch_buf_putc(&b, '@');
    }
    if (url->host) {
        if (strchr(url->host, ':'))
            borch_buf_printf(&b, "[%s]", url->host);
        else
            percent_encode(&b, url->host);
    }
    if (url->port)
        borch_buf_printf(&b, ":%d", url->port);
    borch_buf_putc(&b, '/');
    percent_encode(&b, database);
    for (size_t i = 0; i < url->keys.count; i++) {
        borch_buf_putc(&b, i == 0 ? '?' : '&');
        percent_encode(&b, url->keys.items[i]);
        borch_buf_putc(&b, '=');
        percent_encode(&b, url->values.items[i]);
    }
    return b.data;
}
