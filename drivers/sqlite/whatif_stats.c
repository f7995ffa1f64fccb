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
 * (64-bit hashes: a collision among 100,000 keys is about 1 in 10^9). When the sample is smaller
 * than the table, the distinct count is scaled with the Duj1 estimator of
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

/* Appends name as a double-quoted identifier. */
static void put_ident(borch_buf *b, const char *name)
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
    put_ident(&q, table);
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

/* A set of prefix hashes with how often each was seen (open addressing). */
typedef struct hash_count {
    uint64_t *keys;  /* 0 is an empty slot */
    unsigned *counts;
    size_t cap;      /* a power of two */
    size_t used;
} hash_count;

static void hash_count_init(hash_count *h, size_t expect)
{
    h->cap = 1024;
    while (h->cap < expect * 2)
        h->cap *= 2;
    h->keys = borch_xcalloc(h->cap, sizeof(*h->keys));
    h->counts = borch_xcalloc(h->cap, sizeof(*h->counts));
    h->used = 0;
}

/* Adds count sightings of key, growing the table when half full. */
static void hash_count_add(hash_count *h, uint64_t key, unsigned count)
{
    if (key == 0)
        key = 1;
    if (h->used * 2 >= h->cap) {
        hash_count bigger;
        hash_count_init(&bigger, h->cap);
        for (size_t i = 0; i < h->cap; i++)
            if (h->keys[i])
                hash_count_add(&bigger, h->keys[i], h->counts[i]);
        free(h->keys);
        free(h->counts);
        *h = bigger;
    }
    size_t i = (size_t)key & (h->cap - 1);
    while (h->keys[i] && h->keys[i] != key)
        i = (i + 1) & (h->cap - 1);
    if (!h->keys[i]) {
        h->keys[i] = key;
        h->used++;
    }
    h->counts[i] += count;
}

/* Counts per prefix of the sample. */
typedef struct prefix_counts {
    double rows;  /* rows in the sample */
    double *d;    /* distinct values of prefix j+1 */
    double *f1;   /* values of prefix j+1 seen exactly once */
} prefix_counts;

/*
 * Reads the sample of table(parts) [WHERE where] and counts, for every
 * prefix, its distinct values and those seen once, by hashing each row's
 * prefixes (no sort: sorting was most of the time of a candidate).
 */
static int count_prefixes(sqlite3 *db, const char *table, const char *const *parts, size_t n,
                          const char *where, prefix_counts *pc, borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < n; i++)
        borch_buf_printf(&q, "%s%s", i ? ", " : "", parts[i]);
    borch_buf_puts(&q, " FROM ");
    put_ident(&q, table);
    if (where)
        borch_buf_printf(&q, " WHERE %s", where);
    borch_buf_printf(&q, " LIMIT %d", BORCH_SQLITE_STAT_SAMPLE);

    sqlite3_stmt *st = NULL;
    int code = prepare(db, q.data, &st, err);
    hash_count *sets = borch_xcalloc(n, sizeof(*sets));
    for (size_t j = 0; j < n; j++)
        hash_count_init(&sets[j], BORCH_SQLITE_STAT_SAMPLE / 8);
    int rc = SQLITE_DONE;
    while (code == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t h = 0;
        for (size_t j = 0; j < n; j++) {
            h = hash_value(st, (int)j, h);
            hash_count_add(&sets[j], h, 1);
        }
        pc->rows++;
    }
    if (code == 0 && rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, q.data);
    }
    for (size_t j = 0; j < n; j++) {
        pc->d[j] = (double)sets[j].used;
        for (size_t i = 0; i < sets[j].cap; i++)
            if (sets[j].keys[i] && sets[j].counts[i] == 1)
                pc->f1[j]++;
        free(sets[j].keys);
        free(sets[j].counts);
    }
    free(sets);
    sqlite3_finalize(st);
    borch_buf_release(&q);
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

int borch_sqlite_stat_compute(sqlite3 *db, const char *table, const char *const *parts,
                              size_t nparts, const char *where, double nrows, char **out,
                              borch_error *err)
{
    *out = NULL;
    double total;
    int code = borch_sqlite_stat_count(db, table, where, &total, err);
    if (code != 0)
        return code;
    prefix_counts pc = {0, borch_xcalloc(nparts, sizeof(double)),
                        borch_xcalloc(nparts, sizeof(double))};
    if (total > 0)
        code = count_prefixes(db, table, parts, nparts, where, &pc, err);
    if (code == 0) {
        double n = nrows >= 0 ? nrows : total;
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%.0f", n);
        for (size_t j = 0; j < nparts; j++) {
            double distinct = scale_distinct(pc.rows, pc.d[j], pc.f1[j], total);
            double per_key = n / distinct;
            double whole = (double)(long long)per_key;
            per_key = whole < per_key ? whole + 1 : whole; /* ceil, as ANALYZE rounds */
            borch_buf_printf(&b, " %.0f", per_key < 1 ? 1 : per_key);
        }
        *out = borch_buf_detach(&b);
    }
    free(pc.d);
    free(pc.f1);
    return code;
}
