/*
 * whatif_stats.c - sqlite_stat1 lines estimated from a table's data, for
 * the what-if copy of a target that was never ANALYZEd and for candidate
 * indexes, which exist only in the copy.
 *
 * ANALYZE writes, for an index on (a, b), "N ra rab": N rows, ra the
 * average number of rows per distinct a, rab per distinct (a, b). The same
 * numbers are computed here with SELECTs only (the target is never
 * written): count(*) for N, and one pass over at most
 * BORCH_SQLITE_STAT_SAMPLE rows that counts, for every prefix, its distinct
 * values d and the values seen exactly once f1, by hashing the prefixes
 * (62-bit hashes: a collision among 100,000 keys is about 1 in 10^9).
 * Counts of each prefix are cached per session, so a candidate (a, b, c)
 * after (a, b) reads the sample once for the one new prefix.
 *
 * When the sample is smaller than the table, the distinct count is scaled with the Duj1 estimator of
 * Haas and Stokes, D = n·d / (n − f1 + f1·n/N): a column whose values all
 * repeat in the sample keeps D = d, a column whose values never repeat
 * grows to D = N. Rows per key are then ceil(N / D), as ANALYZE rounds.
 */
#include "sqlite_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

void borch_sqlite_put_ident(borch_buf *b, const char *name)
{
    borch_buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            borch_buf_putc(b, '"');
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '"');
}

/* Prepares sql on db, filling err with the statement on failure. */
static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, borch_error *err)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
    if (rc == SQLITE_OK)
        return 0;
    int code = borch_sqlite_error(db, rc, err);
    borch_error_statement(err, sql);
    return code;
}

int borch_sqlite_stat_count(sqlite3 *db, const char *table, const char *where, double *out,
                            borch_error *err)
{
    *out = 0;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT count(*) FROM ");
    borch_sqlite_put_ident(&q, table);
    if (where)
        borch_buf_printf(&q, " WHERE %s", where);
    sqlite3_stmt *st = NULL;
    int code = prepare(db, q.data, &st, err);
    if (code == 0) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = (double)sqlite3_column_int64(st, 0);
        } else {
            code = borch_sqlite_error(db, rc, err);
            borch_error_statement(err, q.data);
        }
    }
    sqlite3_finalize(st);
    borch_buf_release(&q);
    return code;
}

/* A 64-bit finalizer (MurmurHash3's), spreading every input bit. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* FNV-1a over bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/*
 * The hash of a prefix: the previous prefix's hash combined with column
 * col's value. Values SQLite compares as equal hash alike (1 and 1.0;
 * NULLs group together, as in ANALYZE); text compares by its bytes.
 */
static uint64_t hash_value(sqlite3_stmt *st, int col, uint64_t prev)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ mix(prev + 0x9e3779b97f4a7c15ULL);
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_FLOAT) {
        double d = sqlite3_column_double(st, col);
        if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(sqlite3_int64)d)
            type = SQLITE_INTEGER;
    }
    unsigned char tag = (unsigned char)type;
    h = fnv(h, &tag, 1);
    if (type == SQLITE_INTEGER) {
        sqlite3_int64 v = sqlite3_column_int64(st, col);
        if (sqlite3_column_type(st, col) == SQLITE_FLOAT)
            v = (sqlite3_int64)sqlite3_column_double(st, col);
        h = fnv(h, &v, sizeof(v));
    } else if (type == SQLITE_FLOAT) {
        double d = sqlite3_column_double(st, col);
        h = fnv(h, &d, sizeof(d));
    } else if (type == SQLITE_TEXT) {
        const unsigned char *t = sqlite3_column_text(st, col);
        h = fnv(h, t, (size_t)sqlite3_column_bytes(st, col));
    } else if (type == SQLITE_BLOB) {
        const void *b = sqlite3_column_blob(st, col);
        h = fnv(h, b, (size_t)sqlite3_column_bytes(st, col));
    }
    return mix(h);
}

/*
 * A set of prefix hashes (open addressing, linear probing). A slot is the
 * hash with its lowest bit used as "seen more than once": d and f1 are all
 * the estimator needs, and 8-byte slots halve the cache misses that are
 * most of a candidate's cost.
 */
typedef struct hash_set {
    uint64_t *slots; /* 0: empty */
    size_t cap;      /* a power of two, at least twice the keys */
    size_t used;
} hash_set;

static void hash_set_init(hash_set *h, size_t expect)
{
    h->cap = 1024;
    while (h->cap < expect * 2)
        h->cap *= 2;
    h->slots = borch_xcalloc(h->cap, sizeof(*h->slots));
    h->used = 0;
}

/* Inserts key, or marks it seen again; flags carries the "again" bit of a rehash. */
static void hash_set_add(hash_set *h, uint64_t key, uint64_t flags)
{
    key = (key | 2) & ~(uint64_t)1; /* never 0, low bit free */
    if (h->used * 2 >= h->cap) {
        hash_set bigger;
        hash_set_init(&bigger, h->cap);
        for (size_t i = 0; i < h->cap; i++)
            if (h->slots[i])
                hash_set_add(&bigger, h->slots[i], h->slots[i] & 1);
        free(h->slots);
        *h = bigger;
    }
    size_t i = (size_t)(key >> 1) & (h->cap - 1);
    while (h->slots[i] && (h->slots[i] | 1) != (key | 1))
        i = (i + 1) & (h->cap - 1);
    if (!h->slots[i]) {
        h->slots[i] = key | flags;
        h->used++;
    } else {
        h->slots[i] |= 1;
    }
}

/* One prefix's counts in a sample, kept in the cache. */
typedef struct prefix_count {
    char *key;     /* table \x1f where \x1f part \x1f part ... */
    double sample; /* rows sampled */
    double d;      /* distinct values of the prefix */
    double f1;     /* values seen exactly once */
} prefix_count;

/*
 * A table's sample read once: each row's value hash per column, so that a
 * new candidate's prefixes are counted from memory instead of another scan
 * of the target (a 1,000-query workload tries hundreds of candidates).
 */
typedef struct table_sample {
    char *table;
    char **cols;       /* column names as SELECT * names them */
    size_t ncols;
    uint64_t **hashes; /* hashes[col][row] */
    size_t rows;
} table_sample;

/* Samples wider than this many values are not kept (counted by a scan instead). */
#define SAMPLE_CACHE_MAX_VALUES (8u * 1000u * 1000u)

struct borch_sqlite_stat_cache {
    prefix_count *prefixes;
    size_t n, cap;
    table_sample *samples;
    size_t nsamples, capsamples;
    borch_strv count_keys; /* table \x1f where */
    double *counts;        /* their count(*) */
    size_t counts_cap;
};

/* An empty cache; counts are added as borch_sqlite_stat_compute reads them. */
borch_sqlite_stat_cache *borch_sqlite_stat_cache_new(void)
{
    return borch_xcalloc(1, sizeof(borch_sqlite_stat_cache));
}

void borch_sqlite_stat_cache_free(borch_sqlite_stat_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->prefixes[i].key);
    free(c->prefixes);
    for (size_t i = 0; i < c->nsamples; i++) {
        table_sample *t = &c->samples[i];
        for (size_t k = 0; k < t->ncols; k++) {
            free(t->cols[k]);
            free(t->hashes[k]);
        }
        free(t->cols);
        free(t->hashes);
        free(t->table);
    }
    free(c->samples);
    borch_strv_release(&c->count_keys);
    free(c->counts);
    free(c);
}

/* The cache key of the first k parts: "table\x1fwhere\x1fpart1\x1f...". */
static char *prefix_key(const char *table, const char *where, const char *const *parts, size_t k)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s\x1f%s", table, where ? where : "");
    for (size_t i = 0; i < k; i++)
        borch_buf_printf(&b, "\x1f%s", parts[i]);
    return borch_buf_detach(&b);
}

/* The cached counts of a prefix key, or NULL (also when there is no cache). */
static const prefix_count *find_prefix(const borch_sqlite_stat_cache *c, const char *key)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->prefixes[i].key, key) == 0)
            return &c->prefixes[i];
    return NULL;
}

/*
 * Reads the sample of table(parts) [WHERE where] once and fills
 * got[j] for every prefix j+1 with need[j] set, by hashing each row's
 * prefixes (no sort: sorting cost more than all the rest of a candidate).
 */
static int count_prefixes(sqlite3 *db, const char *table, const char *const *parts, size_t n,
                          const char *where, const int *need, prefix_count *got,
                          borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < n; i++)
        borch_buf_printf(&q, "%s%s", i ? ", " : "", parts[i]);
    borch_buf_puts(&q, " FROM ");
    borch_sqlite_put_ident(&q, table);
    if (where)
        borch_buf_printf(&q, " WHERE %s", where);
    borch_buf_printf(&q, " LIMIT %d", BORCH_SQLITE_STAT_SAMPLE);

    sqlite3_stmt *st = NULL;
    int code = prepare(db, q.data, &st, err);
    /*
     * The hashes are gathered first and counted after the scan: inserting
     * while SQLite reads pages missed the cache on nearly every insert.
     */
    uint64_t **hashes = borch_xcalloc(n, sizeof(*hashes));
    size_t rows = 0, cap = 0;
    int rc = SQLITE_DONE;
    while (code == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows == cap) {
            cap = cap ? cap * 2 : 4096;
            for (size_t j = 0; j < n; j++)
                if (need[j])
                    hashes[j] = borch_xrealloc(hashes[j], cap * sizeof(uint64_t));
        }
        uint64_t h = 0;
        for (size_t j = 0; j < n; j++) {
            h = hash_value(st, (int)j, h);
            if (need[j])
                hashes[j][rows] = h;
        }
        rows++;
    }
    hash_set *sets = borch_xcalloc(n, sizeof(*sets));
    for (size_t j = 0; j < n; j++) {
        if (!need[j])
            continue;
        hash_set_init(&sets[j], rows);
        for (size_t i = 0; i < rows; i++)
            hash_set_add(&sets[j], hashes[j][i], 0);
        free(hashes[j]);
    }
    free(hashes);
    if (code == 0 && rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, q.data);
    }
    for (size_t j = 0; j < n; j++) {
        if (!need[j])
            continue;
        got[j].sample = (double)rows;
        got[j].d = (double)sets[j].used;
        got[j].f1 = 0;
        for (size_t i = 0; i < sets[j].cap; i++)
            if (sets[j].slots[i] && !(sets[j].slots[i] & 1))
                got[j].f1++;
        free(sets[j].slots);
    }
    free(sets);
    sqlite3_finalize(st);
    borch_buf_release(&q);
    return code;
}

/*
 * The cached sample of table, reading it on first use; NULL when it would
 * be too large to keep (or cannot be read: the scan path then reports why).
 */
static const table_sample *sample_of(sqlite3 *db, borch_sqlite_stat_cache *c, const char *table)
{
    for (size_t i = 0; i < c->nsamples; i++)
        if (strcmp(c->samples[i].table, table) == 0)
            return c->samples[i].hashes ? &c->samples[i] : NULL;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT * FROM ");
    borch_sqlite_put_ident(&q, table);
    borch_buf_printf(&q, " LIMIT %d", BORCH_SQLITE_STAT_SAMPLE);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, q.data, -1, &st, NULL);
    borch_buf_release(&q);
    borch_grow((void **)&c->samples, &c->capsamples, c->nsamples + 1, sizeof(*c->samples));
    table_sample *t = &c->samples[c->nsamples++];
    memset(t, 0, sizeof(*t));
    t->table = borch_xstrdup(table);
    int ncols = rc == SQLITE_OK ? sqlite3_column_count(st) : 0;
    if (ncols <= 0 || (size_t)ncols * BORCH_SQLITE_STAT_SAMPLE > SAMPLE_CACHE_MAX_VALUES) {
        sqlite3_finalize(st);
        return NULL; /* remembered as "not kept" */
    }
    t->ncols = (size_t)ncols;
    t->cols = borch_xcalloc(t->ncols, sizeof(char *));
    t->hashes = borch_xcalloc(t->ncols, sizeof(uint64_t *));
    for (int k = 0; k < ncols; k++)
        t->cols[k] = borch_xstrdup(sqlite3_column_name(st, k) ? sqlite3_column_name(st, k) : "");
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (t->rows == cap) {
            cap = cap ? cap * 2 : 4096;
            for (size_t k = 0; k < t->ncols; k++)
                t->hashes[k] = borch_xrealloc(t->hashes[k], cap * sizeof(uint64_t));
        }
        for (size_t k = 0; k < t->ncols; k++)
            t->hashes[k][t->rows] = hash_value(st, (int)k, 0);
        t->rows++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        for (size_t k = 0; k < t->ncols; k++) {
            free(t->hashes[k]);
            t->hashes[k] = NULL;
        }
        free(t->hashes);
        t->hashes = NULL;
        return NULL;
    }
    return t;
}

/* The sample column a key part names ("col" or col), or -1 for an expression. */
static long sample_column(const table_sample *t, const char *part)
{
    borch_buf name;
    borch_buf_init(&name);
    size_t n = strlen(part);
    if (n >= 2 && part[0] == '"' && part[n - 1] == '"') {
        for (size_t i = 1; i + 1 < n; i++) {
            borch_buf_putc(&name, part[i]);
            if (part[i] == '"' && part[i + 1] == '"')
                i++;
        }
    } else {
        borch_buf_puts(&name, part);
    }
    long found = -1;
    for (size_t k = 0; k < t->ncols && found < 0; k++)
        if (sqlite3_stricmp(t->cols[k], name.data ? name.data : "") == 0)
            found = (long)k;
    borch_buf_release(&name);
    return found;
}

/*
 * count_prefixes from the cached sample; returns 1 (nothing done) when a
 * part is not a plain column of it. Prefix hashes chain the column hashes.
 */
static int count_prefixes_cached(const table_sample *t, const char *const *parts, size_t n,
                                 const int *need, prefix_count *got)
{
    long *col = borch_xcalloc(n, sizeof(long));
    for (size_t j = 0; j < n; j++) {
        if ((col[j] = sample_column(t, parts[j])) < 0) {
            free(col);
            return 1;
        }
    }
    for (size_t j = 0; j < n; j++) {
        if (!need[j])
            continue;
        hash_set set;
        hash_set_init(&set, t->rows);
        for (size_t r = 0; r < t->rows; r++) {
            uint64_t h = 0;
            for (size_t k = 0; k <= j; k++)
                h = mix(h + 0x9e3779b97f4a7c15ULL + t->hashes[col[k]][r]);
            hash_set_add(&set, h, 0);
        }
        got[j].sample = (double)t->rows;
        got[j].d = (double)set.used;
        got[j].f1 = 0;
        for (size_t i = 0; i < set.cap; i++)
            if (set.slots[i] && !(set.slots[i] & 1))
                got[j].f1++;
        free(set.slots);
    }
    free(col);
    return 0;
}

/* count(*) of table [WHERE where], from the cache when it was counted before. */
static int cached_count(sqlite3 *db, borch_sqlite_stat_cache *c, const char *table,
                        const char *where, double *out, borch_error *err)
{
    char *key = prefix_key(table, where, NULL, 0);
    for (size_t i = 0; c && i < c->count_keys.count; i++) {
        if (strcmp(c->count_keys.items[i], key) == 0) {
            *out = c->counts[i];
            free(key);
            return 0;
        }
    }
    int code = borch_sqlite_stat_count(db, table, where, out, err);
    if (code == 0 && c) {
        borch_strv_push_owned(&c->count_keys, key);
        borch_grow((void **)&c->counts, &c->counts_cap, c->count_keys.count, sizeof(double));
        c->counts[c->count_keys.count - 1] = *out;
    } else {
        free(key);
    }
    return code;
}

/* Duj1: the distinct values of the whole table from a sample (see the top). */
static double scale_distinct(double sample, double d, double f1, double total)
{
    if (sample <= 0 || d <= 0)
        return 1;
    if (sample >= total)
        return d;
    double den = sample - f1 + f1 * sample / total;
    double est = den > 0 ? sample * d / den : total;
    if (est < d)
        est = d;
    return est > total ? total : est;
}

int borch_sqlite_stat_compute(sqlite3 *db, borch_sqlite_stat_cache *cache, const char *table,
                              const char *const *parts, size_t nparts, const char *where,
                              double nrows, char **out, borch_error *err)
{
    *out = NULL;
    double total;
    int code = cached_count(db, cache, table, where, &total, err);
    if (code != 0)
        return code;
    prefix_count *got = borch_xcalloc(nparts, sizeof(*got));
    int *need = borch_xcalloc(nparts, sizeof(*need));
    int missing = 0;
    for (size_t j = 0; j < nparts; j++) {
        got[j].key = prefix_key(table, where, parts, j + 1);
        const prefix_count *known = find_prefix(cache, got[j].key);
        if (known) {
            got[j].sample = known->sample;
            got[j].d = known->d;
            got[j].f1 = known->f1;
        } else {
            need[j] = 1;
            missing = 1;
        }
    }
    if (missing && total > 0) {
        const table_sample *t = cache && !where ? sample_of(db, cache, table) : NULL;
        if (!t || count_prefixes_cached(t, parts, nparts, need, got) != 0)
            code = count_prefixes(db, table, parts, nparts, where, need, got, err);
    }
    if (code == 0) {
        double n = nrows >= 0 ? nrows : total;
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%.0f", n);
        for (size_t j = 0; j < nparts; j++) {
            double distinct = scale_distinct(got[j].sample, got[j].d, got[j].f1, total);
            double per_key = n / distinct;
            double whole = (double)(long long)per_key;
            per_key = whole < per_key ? whole + 1 : whole; /* ceil, as ANALYZE rounds */
            borch_buf_printf(&b, " %.0f", per_key < 1 ? 1 : per_key);
        }
        *out = borch_buf_detach(&b);
    }
    for (size_t j = 0; j < nparts; j++) {
        if (code == 0 && cache && need[j]) {
            borch_grow((void **)&cache->prefixes, &cache->cap, cache->n + 1,
                       sizeof(*cache->prefixes));
            cache->prefixes[cache->n++] = got[j];
        } else {
            free(got[j].key);
        }
    }
    free(got);
    free(need);
    return code;
}
