/*
 * whatif_index.c - the candidates of a MySQL/MariaDB what-if session and
 * their indexes in the copy. Building an index is nearly all of a
 * session's time, so an added candidate is built with the next plan,
 * together with the other new ones of its table in one ALTER TABLE; a
 * dropped candidate's index is hidden from the optimizer (MariaDB 10.6+
 * IGNORED, MySQL 8 INVISIBLE) and shown again for a later candidate on
 * the same key instead of being built anew. docs/advise-mysql.md has the
 * details and the measurements.
 */
#include "mysql/mysql_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

int borch_mysql_wi_needs_prefix(const char *data_type)
{
    static const char *const types[] = {"tinytext",   "text",     "mediumtext",
                                        "longtext",   "tinyblob", "blob",
                                        "mediumblob", "longblob", NULL};
    for (size_t i = 0; types[i]; i++)
        if (strcmp(data_type, types[i]) == 0)
            return 1;
    return 0;
}

/* 1 for the spatial types, which take SPATIAL indexes, not B-trees. */
static int is_spatial(const char *data_type)
{
    static const char *const types[] = {
        "geometry",        "point",        "linestring",         "polygon",        "multipoint",
        "multilinestring", "multipolygon", "geometrycollection", "geomcollection", NULL};
    for (size_t i = 0; types[i]; i++)
        if (strcmp(data_type, types[i]) == 0)
            return 1;
    return 0;
}

/*
 * Splits "name(N)" into name and a prefix length N; *prefix is 0 when the
 * column has none. Returns -1 for a malformed length.
 */
static int split_prefix(const char *col, char **name, long *prefix)
{
    *prefix = 0;
    const char *open = strrchr(col, '(');
    size_t n = strlen(col);
    if (!open || n == 0 || col[n - 1] != ')') {
        *name = borch_xstrdup(col);
        return 0;
    }
    char *end = NULL;
    long v = strtol(open + 1, &end, 10);
    if (end != col + n - 1 || v <= 0 || open == col)
        return -1;
    *name = borch_xstrndup(col, (size_t)(open - col));
    *prefix = v;
    return 0;
}

/* Writes one key part of a candidate into q, checking the column; 0 or an error. */
static int put_key_part(borch_whatif *w, const char *table, const char *col, borch_buf *q,
                        borch_error *err)
{
    char *name = NULL;
    long prefix = 0;
    if (split_prefix(col, &name, &prefix) != 0)
        return borch_error_set(err, BORCH_EINPUT, "bad prefix length in index column '%s'", col);
    int rc = 0;
    const borch_mysql_wi_column *c = borch_mysql_wi_find_column(w, table, name);
    if (!c) {
        rc = borch_error_set(err, BORCH_EINPUT, "unknown column '%s' in table '%s'", name, table);
    } else if (strcmp(c->data_type, "json") == 0 || is_spatial(c->data_type)) {
        rc = borch_error_set(err, BORCH_EUNSUPPORTED,
                             "column '%s.%s' of type %s cannot be in an ordinary index", table,
                             c->name, c->data_type);
    } else if (borch_mysql_wi_needs_prefix(c->data_type) && prefix == 0) {
        rc = borch_error_set(err, BORCH_EUNSUPPORTED,
                             "column '%s.%s' is %s, which MySQL indexes only with a prefix "
                             "length",
                             table, c->name, c->data_type);
        borch_error_hint(err, "name the column as '%s(191)' to try a prefix index", c->name);
    } else {
        borch_mysql_put_ident(q, c->name);
        if (prefix > 0)
            borch_buf_printf(q, "(%ld)", prefix);
    }
    free(name);
    return rc;
}

/*
 * MariaDB: engine-independent statistics for the new indexes only (names
 * is "`a`, `b`"), when the table has them (the optimizer would otherwise
 * see none for them). InnoDB computes its own statistics for a new index
 * while building it, so the other indexes' statistics are not sampled
 * again and stay as they were.
 */
static int analyze_new_indexes(borch_whatif *w, const char *table, const char *names,
                               borch_error *err)
{
    if (!borch_strv_contains(&w->eits_tables, table))
        return 0;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "ANALYZE TABLE ");
    borch_mysql_put_ident(&q, table);
    borch_buf_printf(&q, " PERSISTENT FOR COLUMNS () INDEXES (%s)", names);
    int rc = borch_mysql_run(w->scratch->db, q.data, err);
    borch_buf_release(&q);
    return rc;
}

/* Runs an ALTER TABLE; the server's refusals of a key (too long, too many parts) are EUNSUPPORTED.
 */
static int run_alter(borch_whatif *w, const borch_buf *q, borch_error *err)
{
    if (mysql_real_query(w->scratch->db, q->data, q->len) == 0)
        return 0;
    unsigned e = mysql_errno(w->scratch->db);
    int rc = borch_mysql_fail(w->scratch->db, q->data, err);
    if (e == 1071 || e == 1070 || e == 1170) { /* key too long, too many parts, BLOB key */
        rc = BORCH_EUNSUPPORTED;
        if (err)
            err->code = rc;
    }
    return rc;
}

/* Writes "ALTER TABLE `t` " into q. */
static void start_alter(borch_buf *q, const char *table)
{
    borch_buf_clear(q);
    borch_buf_puts(q, "ALTER TABLE ");
    borch_mysql_put_ident(q, table);
    borch_buf_putc(q, ' ');
}

/* The clause that hides (hide = 1) or shows index n: IGNORED on MariaDB, INVISIBLE on MySQL. */
static void put_visibility(borch_whatif *w, borch_buf *q, size_t n, int hide)
{
    borch_buf_printf(q, "ALTER INDEX `" BORCH_MYSQL_WHATIF_PREFIX "%zu` %s", n,
                     w->scratch->mariadb ? (hide ? "IGNORED" : "NOT IGNORED")
                                         : (hide ? "INVISIBLE" : "VISIBLE"));
}

/* Builds index n alone, now (as the add call of a candidate whose key the server may refuse). */
static int build_now(borch_whatif *w, size_t n, borch_error *err)
{
    borch_mysql_wi_index *x = &w->indexes[n];
    borch_buf q;
    borch_buf_init(&q);
    start_alter(&q, x->table);
    borch_buf_printf(&q, "ADD INDEX `" BORCH_MYSQL_WHATIF_PREFIX "%zu` (%s)", n, x->key);
    int rc = run_alter(w, &q, err);
    if (!rc) {
        x->built = x->visible = 1;
        borch_buf_clear(&q);
        borch_buf_printf(&q, "`" BORCH_MYSQL_WHATIF_PREFIX "%zu`", n);
        rc = analyze_new_indexes(w, x->table, q.data, err);
    }
    borch_buf_release(&q);
    return rc;
}

/* The number of indexes of the copy's table that are not candidates'. */
static int own_index_count(borch_whatif *w, const char *table, long *out, borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS "
                       "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ");
    borch_mysql_wi_put_literal(&q, w->scratch, table);
    borch_buf_puts(&q, " AND INDEX_NAME NOT LIKE 'borch\\_whatif\\_%'");
    char *n = NULL;
    int rc = borch_mysql_scalar(w->scratch, q.data, &n, err);
    *out = n ? strtol(n, NULL, 10) : 0;
    free(n);
    borch_buf_release(&q);
    return rc;
}

/* What the next ALTER TABLE does to a candidate index. */
enum action { KEEP, BUILD, DROP, HIDE, SHOW };

/*
 * The action that brings index x in line with its candidate: build it,
 * show or hide it, or drop it (hidden ones when drop_hidden, and those no
 * plan ever used, which are unlikely to come back).
 */
static enum action action_of(const borch_mysql_wi_index *x, int drop_hidden)
{
    if (!x->built)
        return x->owner >= 0 ? BUILD : KEEP;
    if (x->owner < 0 && (drop_hidden || !x->used))
        return DROP;
    if (x->visible == (x->owner >= 0))
        return KEEP;
    return x->owner >= 0 ? SHOW : HIDE;
}

#define MAX_KEYS 64 /* indexes per table, hidden ones included (MAX_KEY of both servers) */

/*
 * Brings one table's candidate indexes in line with the live candidates in
 * a single ALTER TABLE: builds the new ones, shows those a candidate took
 * back, hides (or, without hiding, drops) those no candidate has. Hidden
 * indexes are dropped for real only when the new ones would not fit.
 */
static int sync_table(borch_whatif *w, const char *table, borch_error *err)
{
    size_t adds = 0, hidden = 0, kept = 0;
    for (size_t i = 0; i < w->nindexes; i++) {
        const borch_mysql_wi_index *x = &w->indexes[i];
        if (x->gone || strcmp(x->table, table) != 0)
            continue;
        adds += !x->built && x->owner >= 0;
        hidden += x->built && x->owner < 0;
        kept += x->built;
    }
    int drop_hidden = !w->can_hide;
    if (adds > 0 && hidden > 0 && w->can_hide) {
        long own = 0;
        int rc = own_index_count(w, table, &own, err);
        if (rc)
            return rc;
        drop_hidden = (size_t)own + kept + adds > MAX_KEYS;
    }
    borch_buf q, names;
    borch_buf_init(&q);
    borch_buf_init(&names);
    start_alter(&q, table);
    size_t head = q.len;
    for (size_t i = 0; i < w->nindexes; i++) {
        const borch_mysql_wi_index *x = &w->indexes[i];
        if (x->gone || strcmp(x->table, table) != 0)
            continue;
        enum action a = action_of(x, drop_hidden);
        if (a == KEEP)
            continue;
        if (q.len > head)
            borch_buf_puts(&q, ", ");
        if (a == BUILD) {
            borch_buf_printf(&q, "ADD INDEX `" BORCH_MYSQL_WHATIF_PREFIX "%zu` (%s)", i, x->key);
            borch_buf_printf(&names, "%s`" BORCH_MYSQL_WHATIF_PREFIX "%zu`", names.len ? ", " : "",
                             i);
        } else if (a == DROP) {
            borch_buf_printf(&q, "DROP INDEX `" BORCH_MYSQL_WHATIF_PREFIX "%zu`", i);
        } else {
            put_visibility(w, &q, i, a == HIDE);
        }
    }
    int rc = q.len > head ? run_alter(w, &q, err) : 0;
    if (rc && names.len) {
        /*
         * Refused, though every new key looked sure to fit: build the new
         * ones one by one, forget those the server refuses (their
         * candidates get no index, so no plan uses them), report the first
         * refusal, and try the rest again.
         */
        int first = rc;
        for (size_t i = 0; i < w->nindexes; i++) {
            borch_mysql_wi_index *x = &w->indexes[i];
            if (x->gone || x->built || x->owner < 0 || strcmp(x->table, table) != 0)
                continue;
            borch_error quiet = {0};
            if (build_now(w, i, &quiet) && !x->built)
                x->gone = 1;
            borch_error_clear(&quiet);
        }
        borch_buf_release(&q);
        borch_buf_release(&names);
        borch_error quiet = {0};
        sync_table(w, table, &quiet);
        borch_error_clear(&quiet);
        return first;
    }
    for (size_t i = 0; !rc && i < w->nindexes; i++) {
        borch_mysql_wi_index *x = &w->indexes[i];
        if (x->gone || strcmp(x->table, table) != 0)
            continue;
        enum action a = action_of(x, drop_hidden);
        if (a == BUILD)
            x->built = x->visible = 1;
        else if (a == DROP)
            x->gone = 1;
        else if (a != KEEP)
            x->visible = a == SHOW;
    }
    if (!rc && names.len)
        rc = analyze_new_indexes(w, table, names.data, err);
    borch_buf_release(&q);
    borch_buf_release(&names);
    return rc;
}

int borch_mysql_wi_sync(borch_whatif *w, borch_error *err)
{
    for (size_t t = 0; t < w->tables.count; t++) {
        int rc = sync_table(w, w->tables.items[t], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* 1 when name occurs in text, ignoring ASCII case. */
static int mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, name, n) == 0)
            return 1;
    return 0;
}

/*
 * 1 when a plan of sql may read table: its name occurs in sql (a reading
 * that may say yes too often, never too rarely), or sql names a view, or
 * the name is one the text could spell otherwise (a backtick doubled,
 * letters beyond ASCII).
 */
static int may_read(const borch_whatif *w, const char *sql, const char *table)
{
    for (const char *p = table; *p; p++)
        if (*p == '`' || (unsigned char)*p >= 0x80)
            return 1;
    if (mentions(sql, table))
        return 1;
    for (size_t i = 0; i < w->views.count; i++)
        if (mentions(sql, w->views.items[i]))
            return 1;
    return 0;
}

void borch_mysql_wi_put_state(const borch_whatif *w, const char *sql, borch_buf *out)
{
    int first = 1;
    const char *last = NULL;
    int last_read = 0;
    for (size_t i = 0; i < w->nindexes; i++) {
        const borch_mysql_wi_index *x = &w->indexes[i];
        if (x->owner < 0 || x->gone)
            continue;
        if (!last || strcmp(x->table, last) != 0) {
            last = x->table;
            last_read = may_read(w, sql, x->table);
        }
        if (last_read) {
            borch_buf_printf(out, "%s%zu", first ? "" : ",", i);
            first = 0;
        }
    }
}

int borch_mysql_wi_candidate_of(const borch_whatif *w, const char *name)
{
    size_t n = strlen(BORCH_MYSQL_WHATIF_PREFIX);
    if (strncmp(name, BORCH_MYSQL_WHATIF_PREFIX, n) != 0 || !isdigit((unsigned char)name[n]))
        return -1;
    char *end = NULL;
    unsigned long i = strtoul(name + n, &end, 10);
    if (*end || i >= w->nindexes || w->indexes[i].gone || !w->indexes[i].built)
        return -1;
    return w->indexes[i].owner;
}

/*
 * Whether the server surely takes an index on these key parts, so that
 * building it can wait for the next plan: no prefix (the server decides
 * what prefixes it takes), no column twice, at most 16 parts, and no more
 * bytes than the table's engine takes in a key (key_bytes). Anything else
 * is built at once, so that a refusal comes from the add call.
 */
static int surely_fits(borch_whatif *w, const char *table, const char *const *columns,
                       size_t ncolumns)
{
    long limit = 0;
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcmp(w->tables.items[i], table) == 0)
            limit = w->key_bytes[i];
    if (ncolumns > 16)
        return 0;
    long bytes = 0;
    for (size_t i = 0; i < ncolumns; i++) {
        if (strchr(columns[i], '('))
            return 0;
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(columns[i], columns[j]) == 0)
                return 0; /* the server refuses a column twice */
        const borch_mysql_wi_column *c = borch_mysql_wi_find_column(w, table, columns[i]);
        if (!c)
            return 0;
        bytes += c->max_bytes >= 0 ? c->max_bytes : 32; /* numbers, dates: 32 bytes at most */
    }
    return bytes <= limit;
}

/* A hidden or not yet built index of the copy on table(key) no candidate has, or -1. */
static long find_free_index(const borch_whatif *w, const char *table, const char *key)
{
    long best = -1;
    for (size_t i = 0; i < w->nindexes; i++) {
        const borch_mysql_wi_index *x = &w->indexes[i];
        if (x->gone || x->owner >= 0 || strcmp(x->table, table) != 0 || strcmp(x->key, key) != 0)
            continue;
        if (x->built)
            return (long)i;
        best = (long)i;
    }
    return best;
}

int borch_mysql_whatif_add_index(borch_whatif *w, const char *table, const char *const *columns,
                                 size_t ncolumns, int *out_id, borch_error *err)
{
    *out_id = -1;
    const char *t = borch_mysql_wi_find_table(w, table);
    if (!t)
        return borch_error_set(err, BORCH_EINPUT, "unknown table '%s'", table);
    if (ncolumns == 0)
        return borch_error_set(err, BORCH_EINPUT, "an index on '%s' needs at least one column",
                               table);
    borch_buf key;
    borch_buf_init(&key);
    int rc = 0;
    for (size_t i = 0; i < ncolumns && !rc; i++) {
        if (i)
            borch_buf_puts(&key, ", ");
        rc = put_key_part(w, t, columns[i], &key, err);
    }
    if (rc) {
        borch_buf_release(&key);
        return rc;
    }
    int id = (int)w->ncands;
    long n = find_free_index(w, t, key.data);
    if (n < 0) {
        borch_grow((void **)&w->indexes, &w->capindexes, w->nindexes + 1, sizeof(*w->indexes));
        n = (long)w->nindexes;
        w->indexes[n] = (borch_mysql_wi_index){
            .table = borch_xstrdup(t), .key = borch_mysql_take(&key), .owner = -1};
        w->nindexes++;
        if (w->eager || !surely_fits(w, t, columns, ncolumns)) {
            rc = build_now(w, (size_t)n, err);
            if (rc && !w->indexes[n].built) { /* refused: forget it */
                free(w->indexes[n].table);
                free(w->indexes[n].key);
                w->nindexes--;
            }
            if (rc)
                return rc;
        }
    } else {
        borch_buf_release(&key);
    }
    w->indexes[n].owner = id;
    borch_grow((void **)&w->cands, &w->capcands, w->ncands + 1, sizeof(*w->cands));
    w->cands[w->ncands].table = borch_xstrdup(t);
    w->cands[w->ncands].index = (size_t)n;
    w->cands[w->ncands].live = 1;
    w->ncands++;
    *out_id = id;
    return 0;
}

int borch_mysql_whatif_drop_index(borch_whatif *w, int id, borch_error *err)
{
    if (id < 0 || (size_t)id >= w->ncands || !w->cands[id].live)
        return borch_error_set(err, BORCH_EINPUT, "no candidate index with id %d", id);
    w->cands[id].live = 0;
    w->indexes[w->cands[id].index].owner = -1;
    return w->eager ? sync_table(w, w->cands[id].table, err) : 0;
}
