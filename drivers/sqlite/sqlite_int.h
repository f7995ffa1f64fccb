/*
 * sqlite_int.h - what the files of the SQLite driver share: the connection
 * object (a borch_conn "subclass") and the helpers one file offers another.
 * Nothing here is seen outside drivers/sqlite/.
 *
 * Layout of the driver:
 *   sqlite.c      the vtable, connect/close, exec_script, query, transactions, lock
 *   introspect.c  reading the schema into the model
 *   ddlscan.c     a small tokenizer over the CREATE statements kept in sqlite_master
 *   explain.c     EXPLAIN QUERY PLAN and its derived cost score
 *   scratch.c     throwaway database files
 *   whatif.c      what-if sessions of the index advisor (an in-memory copy)
 *   whatif_stats.c  sqlite_stat1 lines computed from a table's data
 *   whatif_cost.c   EXPLAIN QUERY PLAN read into a cost in rows touched
 *   fingerprint.c   the schema fingerprint, kept up to date incrementally
 */
#ifndef BORCH_SQLITE_INT_H
#define BORCH_SQLITE_INT_H

#include <sqlite3.h>

#include "driver.h"
#include "util/buf.h"
#include "util/mem.h"

/* The fingerprint cache of a connection (fingerprint.c). */
typedef struct borch_sqlite_fp borch_sqlite_fp;

/* A connection: the base first, so a borch_conn * is a sqlite_conn *. */
typedef struct borch_sqlite_conn {
    borch_conn base;
    sqlite3 *db;
    int busy_ms; /* current busy timeout, reported in lock messages */
    int lock_fd; /* the migration lock file, or -1 */
    char *lock_path; /* "<database>-borch.lock", or NULL (in-memory) */
    borch_sqlite_fp *fp; /* the fingerprint cache and its authorizer, or NULL */
} borch_sqlite_conn;

extern const borch_driver borch_sqlite_driver;

/* The default busy timeout, used until lock() sets another. */
#define BORCH_SQLITE_BUSY_MS 60000

/*
 * Fills err from the engine's last error on db (message, extended code in
 * sqlstate) and returns BORCH_ELOCK for SQLITE_BUSY/SQLITE_LOCKED, else
 * BORCH_ESQL. rc is the code the failing call returned.
 */
int borch_sqlite_error(sqlite3 *db, int rc, borch_error *err);

int borch_sqlite_introspect(borch_conn *conn, borch_schema **out, borch_error *err);
int borch_sqlite_explain(borch_conn *conn, const char *sql, borch_plan *out, borch_error *err);
int borch_sqlite_scratch_create(const borch_url *server, char **out_url, borch_error *err);
int borch_sqlite_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err);

/* ---- fingerprint.c: the schema fingerprint ---- */

/*
 * The fingerprint by definition: a full scan of sqlite_master, hashing
 * (type, name, tbl_name, sql) of each row, order-independent. The
 * schema_fingerprint slot gives the same value from a cache.
 */
int borch_sqlite_fingerprint_full(sqlite3 *db, char out[65], borch_error *err);
/* The schema_fingerprint slot: O(objects changed) since the last call. */
int borch_sqlite_schema_fingerprint(borch_conn *conn, char out[65], borch_error *err);
/* Installs the authorizer and rollback hook that keep the cache honest. */
void borch_sqlite_fp_open(borch_sqlite_conn *c);
/* The next fingerprint scans everything (the driver's rollback). */
void borch_sqlite_fp_invalidate(borch_sqlite_conn *c);
/* How many full scans the connection's fingerprints did (for tests). */
unsigned long borch_sqlite_fp_full_scans(borch_conn *conn);
/* Removes the hooks and frees the cache; before sqlite3_close. */
void borch_sqlite_fp_close(borch_sqlite_conn *c);

/* ---- ddlscan.c: reading the CREATE statements SQLite keeps verbatim ---- */

/* Skips blanks and SQL comments; returns the first other character. */
const char *borch_sqlite_skip_blank(const char *p);

/* One CHECK constraint found in a CREATE TABLE statement. */
typedef struct borch_sqlite_check {
    char *name;       /* from CONSTRAINT name, unquoted, or NULL */
    char *expression; /* text between CHECK's parentheses, trimmed */
} borch_sqlite_check;

/* A foreign key given a name with CONSTRAINT (unnamed ones are not listed). */
typedef struct borch_sqlite_named_fk {
    char *name;
    borch_strv columns; /* the child columns, unquoted */
} borch_sqlite_named_fk;

/* What the scanner learns from a CREATE TABLE statement. */
typedef struct borch_sqlite_table_info {
    borch_sqlite_check *checks; /* column and table level, in text order */
    size_t nchecks;
    char *pk_name;              /* CONSTRAINT name PRIMARY KEY, or NULL */
    borch_sqlite_named_fk *fks;
    size_t nfks;
} borch_sqlite_table_info;

/*
 * Scans a CREATE TABLE statement into out (released with
 * borch_sqlite_table_info_release). Returns 0, or BORCH_EINPUT (out left
 * empty) when the text has no parenthesized body or a CHECK lacks its
 * parentheses.
 */
int borch_sqlite_scan_table(const char *sql, borch_sqlite_table_info *out);
void borch_sqlite_table_info_release(borch_sqlite_table_info *info);

/*
 * Splits a CREATE INDEX statement: the text of each indexed part (trailing
 * ASC/DESC removed) into parts, and the predicate after WHERE into *where
 * (malloc'd, or NULL). Returns 0, or BORCH_EINPUT for text it cannot read.
 */
int borch_sqlite_scan_index(const char *sql, borch_strv *parts, char **where);

/* The SELECT of a CREATE VIEW statement (malloc'd), or NULL when not found. */
char *borch_sqlite_view_select(const char *sql);

/* Lowercases and normalizes blanks in a declared type: "VARCHAR( 20 )" -> "varchar(20)". */
char *borch_sqlite_normalize_type(const char *decl);

/* ---- whatif*.c: the index advisor's what-if sessions (ABI 2) ---- */

int borch_sqlite_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                             borch_whatif **out, borch_error *err);
int borch_sqlite_whatif_add_index(borch_whatif *w, const char *table,
                                  const char *const *columns, size_t ncolumns, int *out_id,
                                  borch_error *err);
int borch_sqlite_whatif_drop_index(borch_whatif *w, int id, borch_error *err);
int borch_sqlite_whatif_explain(borch_whatif *w, const char *sql,
                                const char *const *param_columns, size_t nparams,
                                borch_whatif_plan *out, borch_error *err);
void borch_sqlite_whatif_close(borch_whatif *w);

/* Rows read from a table to estimate its distinct counts (whatif_stats.c). */
#define BORCH_SQLITE_STAT_SAMPLE 100000

/* Appends name to b as a double-quoted identifier (whatif_stats.c). */
void borch_sqlite_put_ident(borch_buf *b, const char *name);

/* Counts of sampled prefixes and tables, kept for a session (whatif_stats.c). */
typedef struct borch_sqlite_stat_cache borch_sqlite_stat_cache;
borch_sqlite_stat_cache *borch_sqlite_stat_cache_new(void);
void borch_sqlite_stat_cache_free(borch_sqlite_stat_cache *c);

/*
 * The sqlite_stat1 text ANALYZE would write for an index on table(parts)
 * [WHERE where], estimated from db's data read-only: "N r1 r2 ...", ri the
 * average rows per distinct value of the first i parts. parts are SQL
 * expressions (quoted column names). At most BORCH_SQLITE_STAT_SAMPLE rows
 * are read; distinct counts are scaled to the table with the Duj1
 * estimator. nrows >= 0 replaces N (the row count the copy already uses
 * for the table), -1 counts the rows. cache (may be NULL) keeps the counts
 * for the next call. *out is malloc'd.
 */
int borch_sqlite_stat_compute(sqlite3 *db, borch_sqlite_stat_cache *cache, const char *table,
                              const char *const *parts, size_t nparts, const char *where,
                              double nrows, char **out, borch_error *err);
/* SELECT count(*) FROM table [WHERE where] on db. */
int borch_sqlite_stat_count(sqlite3 *db, const char *table, const char *where, double *out,
                            borch_error *err);

/* One sqlite_stat1 row of a what-if copy, parsed for the cost model. */
typedef struct borch_sqlite_statrow {
    char *tbl;
    char *idx;      /* NULL for the table's own row */
    double *v;      /* the numbers: v[0] rows, v[i] rows per key of i columns */
    size_t nv;
    int is_pk;      /* the index is a WITHOUT ROWID table's PRIMARY KEY */
} borch_sqlite_statrow;

/* What the cost model knows about a what-if copy. */
typedef struct borch_sqlite_stats {
    borch_sqlite_statrow *rows;
    size_t n, cap;
    borch_strv names;   /* tables and views of the copy */
    borch_strv aliases; /* "alias\x1ftable" pairs found in the views' SQL */
} borch_sqlite_stats;

/* Reads db's sqlite_stat1 (and which indexes are PRIMARY KEYs) into out. */
int borch_sqlite_stats_load(sqlite3 *db, borch_sqlite_stats *out, borch_error *err);
void borch_sqlite_stats_release(borch_sqlite_stats *s);

/*
 * Adds to out the "alias\x1ftable" pairs of sql: a known table or view
 * name followed by [AS] an identifier that is not a keyword.
 */
void borch_sqlite_find_aliases(const char *sql, const borch_strv *names, borch_strv *out);

/*
 * Plans sql on db (EXPLAIN QUERY PLAN) and fills out: the plan text, the
 * cost derived by the model described in whatif_cost.c, the indexes used
 * (names starting with candidate_prefix go to candidates_used as the
 * number that follows), full scans and sorts.
 */
int borch_sqlite_plan_cost(sqlite3 *db, const char *sql, const borch_sqlite_stats *stats,
                           const char *candidate_prefix, borch_whatif_plan *out,
                           borch_error *err);

#endif
