/*
 * migration_sum.c - checksums of migration files and migrations/borch.sum.
 *
 * Layout: line-ending normalization and SHA-256 first, then the list of
 * (checksum, file name) entries a set stands for, then rendering, writing
 * and checking borch.sum against the folder. The format is described in
 * docs/migrations.md.
 */
#include "core/migration_internal.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of borch.sum: a file and its checksum. */
typedef struct sum_entry {
    char sum[65];
    char *file; /* file name without folder; owned */
    int line;   /* line in borch.sum (when parsed), else 0 */
} sum_entry;

typedef struct sum_list {
    sum_entry *items;
    size_t count;
    size_t cap;
} sum_list;

/* Skips a UTF-8 byte-order mark, which some editors add and which must not change a checksum. */
static size_t bom_length(const char *text, size_t len)
{
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        return 3;
    return 0;
}

char *borch_migration_normalize(const char *text, size_t len, size_t *out_len)
{
    size_t i = bom_length(text, len), n = 0;
    char *out = borch_xmalloc(len + 1);
    for (; i < len; i++) {
        if (text[i] == '\r') {
            out[n++] = '\n';
            if (i + 1 < len && text[i + 1] == '\n')
                i++;
        } else {
            out[n++] = text[i];
        }
    }
    out[n] = '\0';
    if (out_len)
        *out_len = n;
    return out;
}

/* Feeds text to the digest as normalize() would rewrite it, without a copy. */
static void digest_normalized(EVP_MD_CTX *ctx, const char *text, size_t len)
{
    size_t i = bom_length(text, len), start = i;
    for (; i < len; i++) {
        if (text[i] != '\r')
            continue;
        EVP_DigestUpdate(ctx, text + start, i - start);
        EVP_DigestUpdate(ctx, "\n", 1);
        if (i + 1 < len && text[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    EVP_DigestUpdate(ctx, text + start, len - start);
}

/* Turns a finished digest into lowercase hex. */
static void digest_hex(EVP_MD_CTX *ctx, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    for (unsigned int i = 0; i < n && i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* A SHA-256 context; aborts like the allocators when OpenSSL cannot make one. */
static EVP_MD_CTX *sha256_begin(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        fputs("borch-db: cannot initialize SHA-256\n", stderr);
        abort();
    }
    return ctx;
}

void borch_checksum_text(const char *text, size_t len, char out[65])
{
    EVP_MD_CTX *ctx = sha256_begin();
    digest_normalized(ctx, text, len);
    digest_hex(ctx, out);
    EVP_MD_CTX_free(ctx);
}

void borch_checksum_pair(const char *up, size_t up_len, const char *down, size_t down_len,
                         char out[65])
{
    EVP_MD_CTX *ctx = sha256_begin();
    digest_normalized(ctx, up, up_len);
    EVP_DigestUpdate(ctx, "", 1);
    digest_normalized(ctx, down, down_len);
    digest_hex(ctx, out);
    EVP_MD_CTX_free(ctx);
}

/* Plain SHA-256 of bytes, for the h1 line (its input is already normalized). */
static void sha256_hex(const char *data, size_t len, char out[65])
{
    EVP_MD_CTX *ctx = sha256_begin();
    EVP_DigestUpdate(ctx, data, len);
    digest_hex(ctx, out);
    EVP_MD_CTX_free(ctx);
}

static void list_push(sum_list *l, const char sum[65], const char *file, int line)
{
    borch_grow((void **)&l->items, &l->cap, l->count + 1, sizeof(*l->items));
    sum_entry *e = &l->items[l->count++];
    memcpy(e->sum, sum, 65);
    e->file = borch_xstrdup(file);
    e->line = line;
}

static void list_release(sum_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i].file);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static const sum_entry *list_find(const sum_list *l, const char *file)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].file, file) == 0)
            return &l->items[i];
    return NULL;
}

/* Whether m came from a golang-migrate pair (its up section has its own file). */
static int is_pair(const borch_migration *m)
{
    const char *f = m->up.file;
    size_t n = f ? strlen(f) : 0;
    return n > 7 && strcmp(f + n - 7, ".up.sql") == 0;
}

/*
 * The files the set stands for, in version order: a single file with the
 * migration's checksum; a pair as its .up.sql then its .down.sql, each with
 * the checksum of that file alone (the section text is the whole file).
 */
static void set_entries(const borch_migration_set *set, sum_list *out)
{
    char sum[65];
    for (size_t i = 0; i < set->count; i++) {
        const borch_migration *m = &set->items[i];
        if (!is_pair(m)) {
            list_push(out, m->checksum, borch_migration_basename(m->path), 0);
            continue;
        }
        borch_checksum_text(m->up.sql, strlen(m->up.sql), sum);
        list_push(out, sum, borch_migration_basename(m->up.file), 0);
        if (m->has_down && m->down.file) {
            borch_checksum_text(m->down.sql, strlen(m->down.sql), sum);
            list_push(out, sum, borch_migration_basename(m->down.file), 0);
        }
    }
}

char *borch_sum_render(const borch_migration_set *set)
{
    sum_list l = {0};
    set_entries(set, &l);
    borch_buf body;
    borch_buf_init(&body);
    for (size_t i = 0; i < l.count; i++)
        borch_buf_printf(&body, "%s %s\n", l.items[i].sum, l.items[i].file);
    list_release(&l);
    char h1[65];
    sha256_hex(body.data, body.len, h1);
    borch_buf out;
    borch_buf_init(&out);
    borch_buf_printf(&out, "h1:%s\n", h1);
    borch_buf_append(&out, body.data, body.len);
    borch_buf_release(&body);
    char *text = borch_buf_detach(&out);
    borch_buf_release(&out);
    return text;
}

int borch_sum_write(const borch_migration_set *set, borch_error *err)
{
    char *text = borch_sum_render(set);
    char *path = borch_path_join(set->dir, "borch.sum");
    int rc = borch_write_file_atomic(path, text, strlen(text), err);
    free(path);
    free(text);
    return rc;
}

/* Whether s starts with 64 lowercase hex digits. */
static int is_hex64(const char *s, size_t n)
{
    if (n < 64)
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/*
 * Reads normalized borch.sum text into h1 and entries. Returns 0, or the
 * 1-based number of the first line that does not fit the format.
 */
static int parse_sum(const char *text, size_t len, char h1[65], sum_list *out)
{
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        if (line == 1) {
            if (n != 67 || strncmp(s, "h1:", 3) != 0 || !is_hex64(s + 3, n - 3))
                return line;
            memcpy(h1, s + 3, 64);
            h1[64] = '\0';
            continue;
        }
        if (n < 66 || !is_hex64(s, n) || s[64] != ' ')
            return line;
        char *file = borch_xstrndup(s + 65, n - 65);
        int bad = strchr(file, '/') != NULL || list_find(out, file) != NULL;
        if (!bad) {
            char sum[65];
            memcpy(sum, s, 64);
            sum[64] = '\0';
            list_push(out, sum, file, line);
        }
        free(file);
        if (bad)
            return line;
    }
    return line == 0 ? 1 : 0;
}

/* Sets the problem text once (the first mismatch found is the one reported). */
static void sum_problem(borch_migration_set *set, const char *what, const char *name, const char *after)
{
    if (set->sum_problem)
        return;
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, what);
    if (name) {
        borch_buf_printf(&b, "'%s'", name);
        borch_buf_puts(&b, after);
    }
    set->sum_problem = borch_buf_detach(&b);
    borch_buf_release(&b);
}

int borch_sum_check(borch_migration_set *set, borch_error *err)
{
    set->has_sum = 0;
    set->sum_ok = 0;
    free(set->sum_problem);
    set->sum_problem = NULL;
    char *path = borch_path_join(set->dir, "borch.sum");
    if (!borch_file_exists(path)) {
        free(path);
        return 0;
    }
    char *raw = NULL;
    size_t raw_len = 0;
    int rc = borch_read_file(path, &raw, &raw_len, err);
    free(path);
    if (rc)
        return rc;
    set->has_sum = 1;
    size_t len = 0;
    char *text = borch_migration_normalize(raw, raw_len, &len);
    free(raw);

    char h1[65] = "";
    sum_list listed = {0}, actual = {0};
    int bad_line = parse_sum(text, len, h1, &listed);
    if (bad_line) {
        char msg[64];
        snprintf(msg, sizeof(msg), "borch.sum is malformed at line %d", bad_line);
        sum_problem(set, msg, NULL, NULL);
        goto done;
    }
    set_entries(set, &actual);
    for (size_t i = 0; i < actual.count; i++) {
        const sum_entry *e = list_find(&listed, actual.items[i].file);
        if (!e)
            sum_problem(set, "", actual.items[i].file, " is not in borch.sum");
        else if (strcmp(e->sum, actual.items[i].sum) != 0)
            sum_problem(set, "migration ", e->file, " changed since borch.sum was written");
    }
    for (size_t i = 0; i < listed.count; i++)
        if (!list_find(&actual, listed.items[i].file))
            sum_problem(set, "borch.sum lists ", listed.items[i].file, " which is missing");
    if (!set->sum_problem) {
        const char *body = strchr(text, '\n');
        body = body ? body + 1 : text + len;
        char want[65];
        sha256_hex(body, (size_t)(text + len - body), want);
        if (strcmp(want, h1) != 0)
            sum_problem(set, "borch.sum was edited by hand: its h1 line does not match the lines below it",
                        NULL, NULL);
    }
done:
    set->sum_ok = set->sum_problem == NULL;
    list_release(&listed);
    list_release(&actual);
    free(text);
    return 0;
}
