/*
 * fingerprint.c - the schema fingerprint of a SQLite connection, kept up to
 * date incrementally.
 *
 * The fingerprint is defined by a full scan of sqlite_master
 * (borch_sqlite_fingerprint_full): two
 * 64-bit hashes per row over (type, name, tbl_name, sql), summed, plus an
 * xor mix and the row count, so the row order does not matter. A rehearsal
 * takes three fingerprints per migration; scanning the whole schema each
 * time made a rehearsal of N migrations O(N^2).
 *
 * So each connection keeps a cache: the rows of sqlite_master by rowid with
 * their hashes, the running sums, and an index by name and by tbl_name. An
 * authorizer installed at connect sees every statement when it is prepared
 * (it never denies anything) and notes what the statement may do to
 * sqlite_master:
 *   - CREATE: nothing to note. SQLite gives a new row rowid max(rowid)+1,
 *     so the new rows are the ones above the largest rowid still cached.
 *   - DROP of a table, index, view or trigger in main: the name. The cached
 *     rows named so, or whose tbl_name it is (a table's indexes and
 *     triggers), are taken out and read again by rowid.
 *   - anything that can rewrite rows in place or undo changes (ALTER TABLE,
 *     ROLLBACK, ROLLBACK TO, ATTACH/DETACH and so VACUUM, virtual tables,
 *     PRAGMA writable_schema and then writes to sqlite_master, a pragma not
 *     known to be harmless, an action code not known at all): the cache is
 *     marked stale and the next call scans everything again.
 *   - REINDEX and ANALYZE are harmless: REINDEX refills index b-trees in
 *     place (SQLite asks for it at every CREATE INDEX), ANALYZE only adds
 *     sqlite_stat1 like a CREATE TABLE.
 * Another connection's commit is seen from PRAGMA data_version; a rollback
 * SQLite does by itself from the rollback hook. A statement that was
 * authorized but failed only makes the next call read more than needed.
 */
#include "sqlite_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

/* Names dropped between two calls beyond which a full scan is cheaper. */
#define MAX_NOTED 4096

/* One cached row of sqlite_master; rows[rowid] in the cache. */
typedef struct fp_row {
    uint64_t h1, h2;
    char *name, *tbl; /* ASCII-lowercased, as SQLite compares names */
    uint64_t name_key, tbl_key;
    int64_t next_name, next_tbl; /* the next rowid in the same bucket, 0 at the end */
    int used;
} fp_row;

struct borch_sqlite_fp {
    sqlite3 *db;
    int valid; /* the cache matches sqlite_master as of the last call, apart from what is noted */
    int self;  /* our own queries are running: the authorizer ignores them */
    int writable; /* PRAGMA writable_schema was seen: writes to sqlite_master are real */
    int64_t dv;   /* PRAGMA data_version at the last call */
    uint64_t sum1, sum2, mix, rows;
    fp_row *row;               /* indexed by rowid, 1..cap-1 */
    int64_t cap, max;          /* max: the largest rowid in use */
    int64_t *by_name, *by_tbl; /* buckets: the first rowid, 0 for none */
    size_t nbuckets;           /* a power of two */
    borch_strv noted;          /* names dropped since the last call */
    sqlite3_stmt *st_new, *st_one, *st_dv;
    unsigned long full_scans;
};

/* MurmurHash64A over n bytes: fast, and enough to tell schemas apart (not a defence). */
static uint64_t murmur64(const unsigned char *p, size_t n, uint64_t seed)
{
    const uint64_t m = 0xc6a4a7935bd1e995ull;
    uint64_t h = seed ^ (n * m);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t k;
        memcpy(&k, p + i, 8);
        k *= m;
        k ^= k >> 47;
        k *= m;
        h ^= k;
        h *= m;
    }
    uint64_t tail = 0;
    for (size_t j = n; j > i; j--)
        tail = (tail << 8) | p[j - 1];
    if (n > i) {
        h ^= tail;
        h *= m;
    }
    h ^= h >> 47;
    h *= m;
    h ^= h >> 47;
    return h;
}

/* The two hashes of the row st points at, its columns from first on being
 * type, name, tbl_name, sql: the one definition both paths share. */
static void row_hash(sqlite3_stmt *st, int first, uint64_t *h1out, uint64_t *h2out)
{
    uint64_t h1 = 0x9e3779b97f4a7c15ull, h2 = 0x243f6a8885a308d3ull;
    for (int i = 0; i < 4; i++) {
        const unsigned char *v = sqlite3_column_blob(st, first + i);
        size_t n = (size_t)sqlite3_column_bytes(st, first + i);
        uint64_t tag = sqlite3_column_type(st, first + i) == SQLITE_NULL ? 0x5a : (uint64_t)i;
        h1 = murmur64(v ? v : (const unsigned char *)"", v ? n : 0, h1 ^ tag);
        h2 = murmur64(v ? v : (const unsigned char *)"", v ? n : 0, h2 + tag);
    }
    *h1out = h1;
    *h2out = h2;
}

static void format(char out[65], uint64_t sum1, uint64_t sum2, uint64_t mix, uint64_t rows)
{
    snprintf(out, 65, "%016llx%016llx%016llx%016llx", (unsigned long long)sum1,
             (unsigned long long)sum2, (unsigned long long)mix, (unsigned long long)rows);
}

int borch_sqlite_fingerprint_full(sqlite3 *db, char out[65], borch_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master", -1, &st,
                                NULL);
    if (rc != SQLITE_OK)
        return borch_sqlite_error(db, rc, err);
    uint64_t sum1 = 0, sum2 = 0, mix = 0, rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t h1, h2;
        row_hash(st, 0, &h1, &h2);
        sum1 += h1;
        sum2 += h2;
        mix ^= h1 * 0xff51afd7ed558ccdull + h2;
        rows++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return borch_sqlite_error(db, rc, err);
    format(out, sum1, sum2, mix, rows);
    return 0;
}

/* ---- the cache ---- */

/* A name lowercased in ASCII only, as SQLite's sqlite3StrICmp compares. */
static char *fold(const char *s)
{
    char *f = borch_xstrdup(s ? s : "");
    for (char *p = f; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return f;
}

static uint64_t key_of(const char *folded)
{
    return murmur64((const unsigned char *)folded, strlen(folded), 0x6a09e667f3bcc908ull);
}

/* Forgets every row and the sums. */
static void cache_clear(borch_sqlite_fp *fp)
{
    for (int64_t r = 1; r <= fp->max && r < fp->cap; r++) {
        if (!fp->row[r].used)
            continue;
        free(fp->row[r].name);
        free(fp->row[r].tbl);
    }
    if (fp->row)
        memset(fp->row, 0, (size_t)fp->cap * sizeof(*fp->row));
    if (fp->by_name) {
        memset(fp->by_name, 0, fp->nbuckets * sizeof(*fp->by_name));
        memset(fp->by_tbl, 0, fp->nbuckets * sizeof(*fp->by_tbl));
    }
    fp->max = 0;
    fp->sum1 = fp->sum2 = fp->mix = fp->rows = 0;
}

static void link_row(borch_sqlite_fp *fp, int64_t r)
{
    fp_row *x = &fp->row[r];
    size_t mask = fp->nbuckets - 1;
    x->next_name = fp->by_name[x->name_key & mask];
    fp->by_name[x->name_key & mask] = r;
    x->next_tbl = fp->by_tbl[x->tbl_key & mask];
    fp->by_tbl[x->tbl_key & mask] = r;
}

/* Doubles the buckets and relinks every row, so chains stay short. */
static void rehash(borch_sqlite_fp *fp, size_t want)
{
    size_t n = fp->nbuckets ? fp->nbuckets : 64;
    while (n < want)
        n *= 2;
    if (n == fp->nbuckets)
        return;
    free(fp->by_name);
    free(fp->by_tbl);
    fp->nbuckets = n;
    fp->by_name = borch_xcalloc(n, sizeof(*fp->by_name));
    fp->by_tbl = borch_xcalloc(n, sizeof(*fp->by_tbl));
    for (int64_t r = 1; r <= fp->max; r++)
        if (fp->row[r].used)
            link_row(fp, r);
}

/* Removes r from the chain starting at *head, following next_name or next_tbl. */
static void unlink_from(borch_sqlite_fp *fp, int64_t *head, int64_t r, int by_tbl)
{
    int64_t *at = head;
    while (*at) {
        fp_row *x = &fp->row[*at];
        int64_t *next = by_tbl ? &x->next_tbl : &x->next_name;
        if (*at == r) {
            *at = *next;
            return;
        }
        at = next;
    }
}

/* Largest rowid the cache accepts: beyond it, rows by rowid would waste memory. */
static int64_t rowid_limit(const borch_sqlite_fp *fp)
{
    return 16 * (int64_t)fp->rows + 65536;
}

/*
 * Adds the row st points at as rowid r (type, name, tbl_name, sql from
 * column first on). Returns -1 when r does not fit the cache or is already
 * there: the caller scans in full then.
 */
static int cache_add(borch_sqlite_fp *fp, int64_t r, sqlite3_stmt *st, int first)
{
    if (r < 1 || r > rowid_limit(fp))
        return -1;
    if (r >= fp->cap) {
        int64_t cap = fp->cap ? fp->cap : 256;
        while (cap <= r)
            cap *= 2;
        fp->row = borch_xrealloc(fp->row, (size_t)cap * sizeof(*fp->row));
        memset(fp->row + fp->cap, 0, (size_t)(cap - fp->cap) * sizeof(*fp->row));
        fp->cap = cap;
    }
    fp_row *x = &fp->row[r];
    if (x->used)
        return -1;
    row_hash(st, first, &x->h1, &x->h2);
    x->name = fold((const char *)sqlite3_column_text(st, first + 1));
    x->tbl = fold((const char *)sqlite3_column_text(st, first + 2));
    x->name_key = key_of(x->name);
    x->tbl_key = key_of(x->tbl);
    x->used = 1;
    fp->sum1 += x->h1;
    fp->sum2 += x->h2;
    fp->mix ^= x->h1 * 0xff51afd7ed558ccdull + x->h2;
    fp->rows++;
    if (r > fp->max)
        fp->max = r;
    if (fp->rows > fp->nbuckets)
        rehash(fp, (size_t)fp->rows * 2); /* links r with the others */
    else
        link_row(fp, r);
    return 0;
}

static void cache_remove(borch_sqlite_fp *fp, int64_t r)
{
    fp_row *x = &fp->row[r];
    size_t mask = fp->nbuckets - 1;
    unlink_from(fp, &fp->by_name[x->name_key & mask], r, 0);
    unlink_from(fp, &fp->by_tbl[x->tbl_key & mask], r, 1);
    fp->sum1 -= x->h1;
    fp->sum2 -= x->h2;
    fp->mix ^= x->h1 * 0xff51afd7ed558ccdull + x->h2;
    fp->rows--;
    free(x->name);
    free(x->tbl);
    memset(x, 0, sizeof(*x));
}

/* Empties the list of dropped names, keeping its memory. */
static void forget_noted(borch_sqlite_fp *fp)
{
    for (size_t i = 0; i < fp->noted.count; i++)
        free(fp->noted.items[i]);
    fp->noted.count = 0;
}

/* Prepares *st once; it stays for the connection's life. */
static int prepared(borch_sqlite_fp *fp, sqlite3_stmt **st, const char *sql, borch_error *err)
{
    if (*st)
        return 0;
    int rc = sqlite3_prepare_v3(fp->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? 0 : borch_sqlite_error(fp->db, rc, err);
}

/* Reads every row again: the path that defines the fingerprint's value. */
static int scan_full(borch_sqlite_fp *fp, borch_error *err)
{
    fp->full_scans++;
    cache_clear(fp);
    forget_noted(fp);
    fp->valid = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        fp->db, "SELECT rowid, type, name, tbl_name, sql FROM sqlite_master", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return borch_sqlite_error(fp->db, rc, err);
    int fits = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t h1, h2;
        if (fits && cache_add(fp, sqlite3_column_int64(st, 0), st, 1) == 0)
            continue;
        /* A rowid the cache cannot hold (writable_schema games): sums only,
         * and the next call scans again. */
        fits = 0;
        row_hash(st, 1, &h1, &h2);
        fp->sum1 += h1;
        fp->sum2 += h2;
        fp->mix ^= h1 * 0xff51afd7ed558ccdull + h2;
        fp->rows++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cache_clear(fp);
        return borch_sqlite_error(fp->db, rc, err);
    }
    fp->valid = fits;
    return 0;
}

/* Appends to *out the cached rowids named name or whose tbl_name is name. */
static void find_named(borch_sqlite_fp *fp, const char *name, int64_t **out, size_t *n, size_t *cap)
{
    char *f = fold(name);
    uint64_t k = key_of(f);
    size_t mask = fp->nbuckets - 1;
    for (int pass = 0; pass < 2 && fp->nbuckets; pass++) {
        int64_t r = pass ? fp->by_tbl[k & mask] : fp->by_name[k & mask];
        while (r) {
            fp_row *x = &fp->row[r];
            if ((pass ? x->tbl_key : x->name_key) == k && strcmp(pass ? x->tbl : x->name, f) == 0) {
                borch_grow((void **)out, cap, *n + 1, sizeof(**out));
                (*out)[(*n)++] = r;
            }
            r = pass ? x->next_tbl : x->next_name;
        }
    }
    free(f);
}

/*
 * Brings the cache up to date from what the authorizer noted: the rows of
 * dropped names are taken out; those below the largest rowid left are read
 * again by rowid (a drop that failed), and every row above it is new.
 * Returns 1 when something does not add up (the caller scans in full).
 */
static int scan_changes(borch_sqlite_fp *fp, borch_error *err)
{
    int64_t *gone = NULL;
    size_t ngone = 0, cap = 0;
    for (size_t i = 0; i < fp->noted.count; i++)
        find_named(fp, fp->noted.items[i], &gone, &ngone, &cap);
    forget_noted(fp);
    size_t kept = 0;
    for (size_t i = 0; i < ngone; i++) {
        if (!fp->row[gone[i]].used)
            continue; /* found twice */
        cache_remove(fp, gone[i]);
        gone[kept++] = gone[i];
    }
    ngone = kept;
    while (fp->max > 0 && !fp->row[fp->max].used)
        fp->max--;
    /* Nothing but a CREATE can have added rows, and none at or below max:
     * the row at max was there all along, so every insert went above it. */
    int64_t top = fp->max;
    int rc = 0, bad = 0;
    for (size_t i = 0; i < ngone && rc == 0 && !bad; i++) {
        if (gone[i] > top)
            continue;
        if ((rc = prepared(fp, &fp->st_one,
                           "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE rowid = ?",
                           err)) < 0)
            break;
        sqlite3_bind_int64(fp->st_one, 1, gone[i]);
        int s = sqlite3_step(fp->st_one);
        if (s == SQLITE_ROW)
            bad = cache_add(fp, gone[i], fp->st_one, 0) < 0;
        else if (s != SQLITE_DONE)
            rc = borch_sqlite_error(fp->db, s, err);
        sqlite3_reset(fp->st_one);
    }
    free(gone);
    if (rc == 0 && !bad)
        rc = prepared(fp, &fp->st_new,
                      "SELECT rowid, type, name, tbl_name, sql FROM sqlite_master WHERE rowid > ?",
                      err);
    if (rc == 0 && !bad) {
        sqlite3_bind_int64(fp->st_new, 1, top);
        int s = SQLITE_DONE;
        while (!bad && (s = sqlite3_step(fp->st_new)) == SQLITE_ROW)
            bad = cache_add(fp, sqlite3_column_int64(fp->st_new, 0), fp->st_new, 1) < 0;
        if (!bad && s != SQLITE_DONE)
            rc = borch_sqlite_error(fp->db, s, err);
        sqlite3_reset(fp->st_new);
    }
    if (rc < 0)
        fp->valid = 0;
    return rc < 0 ? rc : bad;
}

/* PRAGMA data_version: changes when another connection commits. */
static int data_version(borch_sqlite_fp *fp, int64_t *out, borch_error *err)
{
    int rc = prepared(fp, &fp->st_dv, "PRAGMA data_version", err);
    if (rc < 0)
        return rc;
    int s = sqlite3_step(fp->st_dv);
    *out = s == SQLITE_ROW ? sqlite3_column_int64(fp->st_dv, 0) : -1;
    sqlite3_reset(fp->st_dv);
    return s == SQLITE_ROW ? 0 : borch_sqlite_error(fp->db, s, err);
}

int borch_sqlite_schema_fingerprint(borch_conn *conn, char out[65], borch_error *err)
{
    borch_sqlite_conn *c = (borch_sqlite_conn *)conn;
    borch_sqlite_fp *fp = c->fp;
    if (!fp)
        return borch_sqlite_fingerprint_full(c->db, out, err);
    fp->self = 1;
    int64_t dv = 0;
    int rc = data_version(fp, &dv, err);
    if (rc == 0) {
        if (!fp->valid || dv != fp->dv)
            rc = scan_full(fp, err);
        else if ((rc = scan_changes(fp, err)) > 0)
            rc = scan_full(fp, err);
    }
    if (rc == 0 && fp->writable) {
        int on = 1;
        sqlite3_db_config(fp->db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, -1, &on);
        fp->writable = on;
    }
    fp->dv = dv;
    fp->self = 0;
    if (rc < 0) {
        fp->valid = 0;
        return rc;
    }
    format(out, fp->sum1, fp->sum2, fp->mix, fp->rows);
    return 0;
}

/* ---- what statements may do: the authorizer ---- */

/* Pragmas that cannot change sqlite_master's rows (reads, and settings). */
static int harmless_pragma(const char *name)
{
    static const char *const ok[] = {
        "analysis_limit",     "application_id",
        "auto_vacuum",        "automatic_index",
        "busy_timeout",       "cache_size",
        "cache_spill",        "case_sensitive_like",
        "cell_size_check",    "checkpoint_fullfsync",
        "collation_list",     "compile_options",
        "count_changes",      "data_version",
        "database_list",      "default_cache_size",
        "defer_foreign_keys", "empty_result_callbacks",
        "encoding",           "foreign_key_check",
        "foreign_key_list",   "foreign_keys",
        "freelist_count",     "full_column_names",
        "fullfsync",          "function_list",
        "hard_heap_limit",    "ignore_check_constraints",
        "index_info",         "index_list",
        "index_xinfo",        "integrity_check",
        "journal_mode",       "journal_size_limit",
        "legacy_alter_table", "locking_mode",
        "max_page_count",     "mmap_size",
        "module_list",        "optimize",
        "page_count",         "page_size",
        "pragma_list",        "query_only",
        "quick_check",        "read_uncommitted",
        "recursive_triggers", "reverse_unordered_selects",
        "secure_delete",      "short_column_names",
        "shrink_memory",      "soft_heap_limit",
        "synchronous",        "table_info",
        "table_list",         "table_xinfo",
        "temp_store",         "threads",
        "trusted_schema",     "user_version",
        "wal_autocheckpoint", "wal_checkpoint",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcasecmp(name, ok[i]) == 0)
            return 1;
    return 0;
}

static int is_schema_table(const char *name)
{
    return name &&
           (strcasecmp(name, "sqlite_master") == 0 || strcasecmp(name, "sqlite_schema") == 0);
}

/* Notes a dropped name; too many and a full scan is the cheaper way. */
static void note_drop(borch_sqlite_fp *fp, const char *name)
{
    if (!fp->valid)
        return;
    if (!name || fp->noted.count >= MAX_NOTED) {
        fp->valid = 0;
        forget_noted(fp);
        return;
    }
    borch_strv_push(&fp->noted, name);
}

/* Never denies: it only watches what each prepared statement may change. */
static int authorize(void *payload, int code, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    (void)a2;
    (void)trigger;
    borch_sqlite_fp *fp = payload;
    if (fp->self)
        return SQLITE_OK;
    int main_db = db && strcmp(db, "main") == 0;
    switch (code) {
    case SQLITE_READ:
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_ANALYZE: /* creates sqlite_stat1 like any CREATE TABLE */
    case SQLITE_REINDEX: /* refills index b-trees in place; every CREATE INDEX asks it */
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_TEMP_VIEW:
        break;
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
        if (main_db)
            note_drop(fp, a1);
        break;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        /* CREATE and DROP write sqlite_master too; by hand only with writable_schema. */
        if (fp->writable && main_db && is_schema_table(a1))
            fp->valid = 0;
        break;
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        if (a1 && strcasecmp(a1, "ROLLBACK") == 0)
            fp->valid = 0;
        break;
    case SQLITE_PRAGMA:
        if (a1 && strcasecmp(a1, "writable_schema") == 0) {
            fp->writable = 1;
            fp->valid = 0;
        } else if (!a1 || !harmless_pragma(a1)) {
            fp->valid = 0;
        }
        break;
    default: /* ALTER TABLE, ATTACH, DETACH (VACUUM attaches), virtual tables, new codes */
        fp->valid = 0;
        break;
    }
    return SQLITE_OK;
}

/* A transaction rolled back, by ROLLBACK or by SQLite after an error. */
static void on_rollback(void *payload)
{
    ((borch_sqlite_fp *)payload)->valid = 0;
}

void borch_sqlite_fp_open(borch_sqlite_conn *c)
{
    borch_sqlite_fp *fp = borch_xcalloc(1, sizeof(*fp));
    fp->db = c->db;
    c->fp = fp;
    sqlite3_set_authorizer(c->db, authorize, fp);
    sqlite3_rollback_hook(c->db, on_rollback, fp);
}

void borch_sqlite_fp_invalidate(borch_sqlite_conn *c)
{
    if (c->fp)
        c->fp->valid = 0;
}

unsigned long borch_sqlite_fp_full_scans(borch_conn *conn)
{
    borch_sqlite_fp *fp = ((borch_sqlite_conn *)conn)->fp;
    return fp ? fp->full_scans : 0;
}

void borch_sqlite_fp_close(borch_sqlite_conn *c)
{
    borch_sqlite_fp *fp = c->fp;
    if (!fp)
        return;
    sqlite3_set_authorizer(c->db, NULL, NULL);
    sqlite3_rollback_hook(c->db, NULL, NULL);
    sqlite3_finalize(fp->st_new);
    sqlite3_finalize(fp->st_one);
    sqlite3_finalize(fp->st_dv);
    cache_clear(fp);
    free(fp->row);
    free(fp->by_name);
    free(fp->by_tbl);
    borch_strv_release(&fp->noted);
    free(fp);
    c->fp = NULL;
}
