/*
 * whatif.c - what-if sessions of the index advisor on MySQL/MariaDB, which
 * have no hypothetical indexes: the session copies the target's tables
 * (their exact definitions and a capped sample of their rows) into the
 * empty scratch database it is given, and candidates become real indexes
 * there, never on the target. docs/advise-mysql.md says why this is sound
 * and where it stops being exact.
 *
 * This file: opening (checks, same-server test, the copy), candidates,
 * closing. whatif_copy.c copies one table; whatif_explain.c plans queries.
 */
#include "mysql/mysql_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"

/* Keeps the first column of the first row; payload is a char ** left NULL on SQL NULL. */
static int keep_scalar(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    char **out = payload;
    if (ncols > 0 && values[0])
        *out = borch_xstrdup(values[0]);
    return 1;
}

int borch_mysql_scalar(borch_mysql_conn *c, const char *sql, char **out, borch_error *err)
{
    *out = NULL;
    return borch_mysql_query(&c->base, sql, 0, NULL, keep_scalar, out, err);
}

void borch_mysql_put_ident(borch_buf *b, const char *ident)
{
    borch_buf_putc(b, '`');
    for (const char *p = ident; *p; p++) {
        if (*p == '`')
            borch_buf_putc(b, '`');
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '`');
}

const borch_mysql_wi_column *borch_mysql_wi_find_column(const borch_whatif *w, const char *table,
                                                        const char *name)
{
    for (size_t i = 0; i < w->ncolumns; i++)
        if (strcmp(w->columns[i].table, table) == 0 && strcasecmp(w->columns[i].name, name) == 0)
            return &w->columns[i];
    for (size_t i = 0; i < w->ncolumns; i++)
        if (strcasecmp(w->columns[i].table, table) == 0 &&
            strcasecmp(w->columns[i].name, name) == 0)
            return &w->columns[i];
    return NULL;
}

/* The copied table named like table (exact, else ignoring case), or NULL. */
static const char *find_table(const borch_whatif *w, const char *table)
{
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcmp(w->tables.items[i], table) == 0)
            return w->tables.items[i];
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcasecmp(w->tables.items[i], table) == 0)
            return w->tables.items[i];
    return NULL;
}

/* Appends a quoted, escaped string literal (escaped for c's character set) to b. */
static void put_literal(borch_buf *b, borch_mysql_conn *c, const char *s)
{
    size_t n = strlen(s);
    char *esc = borch_xmalloc(2 * n + 1);
    unsigned long m = mysql_real_escape_string(c->db, esc, s, (unsigned long)n);
    borch_buf_putc(b, '\'');
    borch_buf_append(b, esc, m);
    borch_buf_putc(b, '\'');
    free(esc);
}

/*
 * Whether both connections reach one server: a random user lock taken on
 * the scratch connection must be seen held, by that very connection, from
 * the target one (IS_USED_LOCK only reads).
 */
static int detect_same_server(borch_whatif *w, borch_error *err)
{
    char name[64];
    snprintf(name, sizeof(name), "borch_whatif_probe_%ld_%lx", (long)getpid(),
             (unsigned long)(size_t)w ^ (unsigned long)mysql_thread_id(w->scratch->db));
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT GET_LOCK('%s', 0), CONNECTION_ID()", name);
    char *got = NULL, *mine = NULL, *seen = NULL;
    int rc = borch_mysql_scalar(w->scratch, sql, &got, err);
    if (rc)
        goto done;
    if (!got || strcmp(got, "1") != 0)
        goto done; /* cannot tell: copy through the client, which always works */
    rc = borch_mysql_scalar(w->scratch, "SELECT CONNECTION_ID()", &mine, err);
    if (!rc) {
        snprintf(sql, sizeof(sql), "SELECT IS_USED_LOCK('%s')", name);
        rc = borch_mysql_scalar(w->target, sql, &seen, err);
    }
    w->same_server = !rc && mine && seen && strcmp(mine, seen) == 0;
    snprintf(sql, sizeof(sql), "DO RELEASE_LOCK('%s')", name);
    if (!rc)
        rc = borch_mysql_run(w->scratch->db, sql, err);
done:
    free(got);
    free(mine);
    free(seen);
    return rc;
}

/* Keeps every first column in a borch_strv. */
static int keep_all(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols > 0 && values[0])
        borch_strv_push(payload, values[0]);
    return 0;
}

/* The base tables of the target: the model's, else the catalog's (bookkeeping tables left out). */
static int list_tables(borch_whatif *w, const borch_schema *model, borch_error *err)
{
    if (model) {
        for (size_t i = 0; i < model->ntables; i++)
            borch_strv_push(&w->tables, model->tables[i].name);
        return 0;
    }
    borch_strv all = {0};
    int rc = borch_mysql_query(&w->target->base,
                               "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                               "TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' "
                               "ORDER BY TABLE_NAME",
                               0, NULL, keep_all, &all, err);
    for (size_t i = 0; !rc && i < all.count; i++)
        if (strcmp(all.items[i], w->target->base.history_table) != 0 &&
            strcmp(all.items[i], w->target->base.audit_table) != 0)
            borch_strv_push(&w->tables, all.items[i]);
    borch_strv_release(&all);
    return rc;
}

/*
 * MariaDB: the tables the target keeps engine-independent statistics for
 * (mysql.table_stats), which its optimizer then prefers; the copy gets
 * them too. Not readable (no privilege): none, as the copy's default.
 */
static void list_eits_tables(borch_whatif *w)
{
    if (!w->target->mariadb)
        return;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT table_name FROM mysql.table_stats WHERE db_name = ");
    put_literal(&q, w->target, w->target->database);
    borch_error quiet = {0};
    if (borch_mysql_query(&w->target->base, q.data, 0, NULL, keep_all, &w->eits_tables, &quiet))
        borch_strv_release(&w->eits_tables);
    borch_error_clear(&quiet);
    borch_buf_release(&q);
}

/*
 * The scratch session's sql_mode. While copying (copying = 1): the
 * target's, so that SHOW CREATE TABLE's text reads the same (ANSI_QUOTES),
 * without the strict and zero-date checks that could refuse rows the
 * target holds, and with NO_AUTO_VALUE_ON_ZERO so that a key of 0 is
 * copied as 0. Afterwards exactly the target's, so that queries parse the
 * same way and a candidate's DDL fails (key too long) where it would fail
 * on the target instead of being quietly shortened.
 */
static int set_scratch_mode(borch_whatif *w, int copying, borch_error *err)
{
    static const char *const dropped[] = {"STRICT_TRANS_TABLES",   "STRICT_ALL_TABLES",
                                          "NO_ZERO_DATE",          "NO_ZERO_IN_DATE",
                                          "TRADITIONAL",           "ERROR_FOR_DIVISION_BY_ZERO",
                                          "NO_AUTO_VALUE_ON_ZERO", NULL};
    char *mode = NULL;
    int rc = borch_mysql_scalar(w->target, "SELECT @@SESSION.sql_mode", &mode, err);
    if (rc)
        return rc;
    borch_buf m, q;
    borch_buf_init(&m);
    borch_buf_init(&q);
    if (copying)
        borch_buf_puts(&m, "NO_AUTO_VALUE_ON_ZERO");
    char *save = NULL;
    for (char *part = mode ? strtok_r(mode, ",", &save) : NULL; part;
         part = strtok_r(NULL, ",", &save)) {
        int drop = 0;
        for (size_t i = 0; copying && dropped[i]; i++)
            drop |= strcmp(part, dropped[i]) == 0;
        if (!drop)
            borch_buf_printf(&m, "%s%s", m.len ? "," : "", part);
    }
    borch_buf_puts(&q, "SET SESSION sql_mode = ");
    put_literal(&q, w->scratch, m.data ? m.data : "");
    /* The sample may hold rows whose parents it does not. */
    borch_buf_puts(&q, ", SESSION foreign_key_checks = 0");
    rc = borch_mysql_run(w->scratch->db, q.data, err);
    free(mode);
    borch_buf_release(&m);
    borch_buf_release(&q);
    return rc;
}

/* Refuses a scratch database that holds anything: it may be someone's data. */
static int check_scratch_empty(borch_whatif *w, borch_error *err)
{
    char *n = NULL;
    int rc = borch_mysql_scalar(w->scratch,
                                "SELECT COUNT(*) FROM information_schema.TABLES "
                                "WHERE TABLE_SCHEMA = DATABASE()",
                                &n, err);
    if (!rc && (!n || strcmp(n, "0") != 0))
        rc = borch_error_set(err, BORCH_EINPUT,
                             "scratch database '%s' is not empty: index advice needs an empty "
                             "throwaway database",
                             w->scratch->database);
    free(n);
    return rc;
}

/* Copies the model's views (their definitions are unqualified), as many as will go. */
static void copy_views(borch_whatif *w, const borch_schema *model)
{
    if (!model || model->nviews == 0)
        return;
    char *done = borch_xcalloc(model->nviews, 1);
    for (int progress = 1; progress;) { /* views on views: retry until nothing more goes */
        progress = 0;
        for (size_t i = 0; i < model->nviews; i++) {
            if (done[i])
                continue;
            borch_buf q;
            borch_buf_init(&q);
            borch_buf_puts(&q, "CREATE VIEW ");
            borch_mysql_put_ident(&q, model->views[i].name);
            borch_buf_printf(&q, " AS %s", model->views[i].definition);
            borch_error quiet = {0};
            if (borch_mysql_run(w->scratch->db, q.data, &quiet) == 0)
                done[i] = 1, progress = 1;
            borch_error_clear(&quiet);
            borch_buf_release(&q);
        }
    }
    free(done);
}

/* Sets the key_bytes of the copied table a row (name, engine, row format, page size) names. */
static int note_key_bytes(void *payload, int ncols, const char *const *names,
                          const char *const *values)
{
    (void)names;
    borch_whatif *w = payload;
    if (ncols < 4 || !values[0] || !values[1])
        return 0;
    const char *engine = values[1], *format = values[2] ? values[2] : "";
    long page = values[3] ? strtol(values[3], NULL, 10) : 16384, bytes = 0;
    if (strcasecmp(engine, "InnoDB") == 0) {
        /* DYNAMIC and COMPRESSED rows: 3072 bytes with 16k pages, less with smaller ones */
        int large = strcasecmp(format, "Dynamic") == 0 || strcasecmp(format, "Compressed") == 0;
        bytes = large ? (page >= 16384 ? 3072 : page * 3 / 16) : 767;
    } else if (strcasecmp(engine, "MyISAM") == 0 || strcasecmp(engine, "Aria") == 0) {
        bytes = 1000;
    }
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcmp(w->tables.items[i], values[0]) == 0)
            w->key_bytes[i] = bytes;
    return 0;
}

/*
 * The longest key each copied table surely takes, from its engine and row
 * format; 0 (build every candidate at once) for engines not known here.
 */
static int read_key_bytes(borch_whatif *w, borch_error *err)
{
    w->key_bytes = borch_xcalloc(w->tables.count + 1, sizeof(*w->key_bytes));
    return borch_mysql_query(&w->scratch->base,
                             "SELECT TABLE_NAME, ENGINE, ROW_FORMAT, @@innodb_page_size "
                             "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                             "AND TABLE_TYPE = 'BASE TABLE'",
                             0, NULL, note_key_bytes, w, err);
}

/* Adds keep_all's rows of sql on c to v. */
static int strv_query(borch_mysql_conn *c, const char *sql, borch_strv *v, borch_error *err)
{
    return borch_mysql_query(&c->base, sql, 0, NULL, keep_all, v, err);
}

/* Connections of the MySQL driver with a database selected, or an error. */
static int check_conns(borch_conn *target, borch_conn *scratch, borch_error *err)
{
    if (!scratch)
        return borch_error_set(err, BORCH_EINPUT,
                               "index advice on MySQL needs a scratch database to copy into");
    if (target->driver != &borch_mysql_driver || scratch->driver != &borch_mysql_driver)
        return borch_error_set(err, BORCH_EINPUT,
                               "the scratch database of a MySQL target must be MySQL too");
    borch_mysql_conn *t = (borch_mysql_conn *)target, *s = (borch_mysql_conn *)scratch;
    if (!t->database || !s->database)
        return borch_error_set(err, BORCH_EINPUT,
                               "index advice needs a database in the URL of '%s'",
                               !t->database ? target->url_masked : scratch->url_masked);
    return 0;
}

int borch_mysql_whatif_open_with(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                                 const borch_mysql_whatif_opts *opts, borch_whatif **out,
                                 borch_error *err)
{
    *out = NULL;
    int rc = check_conns(target, scratch, err);
    if (rc)
        return rc;
    borch_whatif *w = borch_xcalloc(1, sizeof(*w));
    w->target = (borch_mysql_conn *)target;
    w->scratch = (borch_mysql_conn *)scratch;
    w->row_cap = opts && opts->row_cap > 0 ? opts->row_cap : BORCH_MYSQL_WHATIF_ROW_CAP;
    if ((rc = check_scratch_empty(w, err)) || (rc = detect_same_server(w, err)))
        goto fail;
    if (w->same_server && strcmp(w->target->database, w->scratch->database) == 0) {
        rc = borch_error_set(err, BORCH_EINPUT, "the scratch database is the target database '%s'",
                             w->target->database);
        goto fail;
    }
    if (opts && opts->force_fetch)
        w->same_server = 0;
    w->eager = opts && opts->eager;
    /* MariaDB 10.6 ignores IGNORED indexes, MySQL 8.0 INVISIBLE ones. */
    w->can_hide = !(opts && opts->no_hide) &&
                  w->scratch->version >= (w->scratch->mariadb ? 100600UL : 80000UL);
    /*
     * INSERT ... SELECT under REPEATABLE READ puts shared locks on the rows
     * it reads, which would hold up the target's writers; READ COMMITTED
     * reads a snapshot without locks.
     */
    if ((rc = borch_mysql_run(w->scratch->db,
                              "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", err)))
        goto fail;
    if ((rc = set_scratch_mode(w, 1, err)) || (rc = list_tables(w, model, err)) ||
        (rc = borch_mysql_wi_read_columns(w, err)))
        goto fail;
    list_eits_tables(w);
    for (size_t i = 0; i < w->tables.count; i++)
        if ((rc = borch_mysql_wi_copy_table(w, w->tables.items[i], err)))
            goto fail;
    copy_views(w, model);
    if ((rc = set_scratch_mode(w, 0, err)))
        goto fail;
    rc = strv_query(w->scratch,
                    "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
                    "WHERE TABLE_SCHEMA = DATABASE()",
                    &w->index_names, err);
    if (!rc)
        rc = read_key_bytes(w, err);
    if (!rc)
        rc = strv_query(w->scratch,
                        "SELECT TABLE_NAME FROM information_schema.VIEWS "
                        "WHERE TABLE_SCHEMA = DATABASE()",
                        &w->views, err);
    if (rc)
        goto fail;
    *out = w;
    return 0;
fail:
    borch_mysql_whatif_close(w);
    return rc;
}

int borch_mysql_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                            borch_whatif **out, borch_error *err)
{
    return borch_mysql_whatif_open_with(target, scratch, model, NULL, out, err);
}

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
    put_literal(&q, w->scratch, table);
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
    const char *t = find_table(w, table);
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

void borch_mysql_whatif_close(borch_whatif *w)
{
    if (!w)
        return;
    borch_strv_release(&w->tables);
    borch_strv_release(&w->sampled);
    borch_strv_release(&w->eits_tables);
    borch_strv_release(&w->index_names);
    borch_strv_release(&w->views);
    for (size_t i = 0; i < w->ncolumns; i++) {
        free(w->columns[i].table);
        free(w->columns[i].name);
        free(w->columns[i].data_type);
    }
    free(w->columns);
    for (size_t i = 0; i < w->ncands; i++)
        free(w->cands[i].table);
    free(w->cands);
    for (size_t i = 0; i < w->nindexes; i++) {
        free(w->indexes[i].table);
        free(w->indexes[i].key);
    }
    free(w->indexes);
    free(w->key_bytes);
    for (size_t i = 0; i < w->nmemo; i++) {
        free(w->memo[i].key);
        free(w->memo[i].json);
    }
    free(w->memo);
    for (size_t i = 0; i < w->nparams; i++) {
        free(w->params[i].key);
        free(w->params[i].literal);
    }
    free(w->params);
    free(w);
}
