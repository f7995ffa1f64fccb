/*
 * whatif_stats.c - sqlite_stat1 lines estimated from a table's data, for
 * the what-if copy of a target that was never ANALYZEd and for candidate
 * indexes, which exist only in the copy.
 *
 * ANALYZE writes, for an index on (a, b), "N ra rab": N rows, ra the
 * average number of rows per distinct a, rab per distinct (a, b). The same
 * numbers are computed here with SELECTs only (the target is never
 * written): count(*) for N, and one sorted pass over at most
 * BORCH_SQLITE_STAT_SAMPLE rows that counts, for every prefix, its distinct
 * values d and the values seen exactly once f1. When the sample is smaller
 * than the table, the distinct count is scaled with the Duj1 estimator of
 * Haas and Stokes, D = n·d / (n − f1 + f1·n/N): a column whose values all
 * repeat in the sample keeps D = d, a column whose values never repeat
 * grows to D = N. Rows per key are then ceil(N / D), as ANALYZE rounds.
 */
#include "sqlite_int.h"

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

/* Whether two values of one sorted column are the same key (NULLs group together). */
static int same_value(sqlite3_value *a, sqlite3_value *b)
{
    int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    int na = ta == SQLITE_INTEGER || ta == SQLITE_FLOAT;
    int nb = tb == SQLITE_INTEGER || tb == SQLITE_FLOAT;
    if (na && nb) {
        if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER)
            return sqlite3_value_int64(a) == sqlite3_value_int64(b);
        return sqlite3_value_double(a) == sqlite3_value_double(b);
    }
    if (ta != tb)
        return 0;
    if (ta == SQLITE_NULL)
        return 1;
    int la = sqlite3_value_bytes(a), lb = sqlite3_value_bytes(b);
    if (la != lb)
        return 0;
    const void *pa = ta == SQLITE_TEXT ? (const void *)sqlite3_value_text(a) : sqlite3_value_blob(a);
    const void *pb = tb == SQLITE_TEXT ? (const void *)sqlite3_value_text(b) : sqlite3_value_blob(b);
    return la == 0 || memcmp(pa, pb, (size_t)la) == 0;
}

/* Counts per prefix of the sorted sample. */
typedef struct prefix_counts {
    double rows;  /* rows in the sample */
    double *d;    /* distinct values of prefix j+1 */
    double *f1;   /* values of prefix j+1 seen exactly once */
} prefix_counts;

/*
 * Reads the sample of table(parts) [WHERE where] in sorted order and
 * counts distinct prefixes, comparing each row with the one before.
 */
static int count_prefixes(sqlite3 *db, const char *table, const char *const *parts, size_t n,
                          const char *where, prefix_counts *pc, borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT * FROM (SELECT ");
    for (size_t i = 0; i < n; i++)
        borch_buf_printf(&q, "%s%s", i ? ", " : "", parts[i]);
    borch_buf_puts(&q, " FROM ");
    put_ident(&q, table);
    if (where)
        borch_buf_printf(&q, " WHERE %s", where);
    borch_buf_printf(&q, " LIMIT %d) ORDER BY ", BORCH_SQLITE_STAT_SAMPLE);
    for (size_t i = 0; i < n; i++)
        borch_buf_printf(&q, "%s%zu", i ? ", " : "", i + 1);

    sqlite3_stmt *st = NULL;
    int code = prepare(db, q.data, &st, err);
    sqlite3_value **prev = borch_xcalloc(n, sizeof(*prev));
    double *group = borch_xcalloc(n, sizeof(*group)); /* size of the current group */
    int rc = SQLITE_DONE;
    while (code == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t k = 0; /* first column that differs from the previous row */
        if (pc->rows > 0)
            while (k < n && same_value(prev[k], sqlite3_column_value(st, (int)k)))
                k++;
        for (size_t j = 0; j < n; j++) {
            if (pc->rows > 0 && j < k) {
                group[j]++;
                continue;
            }
            if (pc->rows > 0 && group[j] == 1)
                pc->f1[j]++;
            pc->d[j]++;
            group[j] = 1;
        }
        for (size_t j = k; j < n; j++) {
            sqlite3_value_free(prev[j]);
            prev[j] = sqlite3_value_dup(sqlite3_column_value(st, (int)j));
            if (!prev[j])
                abort(); /* out of memory, as borch_x* would */
        }
        pc->rows++;
    }
    if (code == 0 && rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, q.data);
    }
    for (size_t j = 0; j < n && pc->rows > 0; j++)
        if (group[j] == 1)
            pc->f1[j]++;
    for (size_t j = 0; j < n; j++)
        sqlite3_value_free(prev[j]);
    free(prev);
    free(group);
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
