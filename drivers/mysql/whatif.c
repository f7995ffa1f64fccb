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
 * MariaDB: engine-independent statistics for the new index only, when the
 * table has them (the optimizer would otherwise see none for it). InnoDB
 * computes its own statistics for a new index while building it, so the
 * other indexes' statistics are not sampled again and stay as they were.
 */
static int analyze_new_index(borch_whatif *w, const char *table, const char *index,
                             borch_error *err)
{
    if (!borch_strv_contains(&w->eits_tables, table))
        return 0;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "ANALYZE TABLE ");
    borch_mysql_put_ident(&q, table);
    borch_buf_printf(&q, " PERSISTENT FOR COLUMNS () INDEXES (`%s`)", index);
    int rc = borch_mysql_run(w->scratch->db, q.data, err);
    borch_buf_release(&q);
    return rc;
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
    int id = (int)w->ncands;
    char name[64];
    snprintf(name, sizeof(name), BORCH_MYSQL_WHATIF_PREFIX "%d", id);
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "ALTER TABLE ");
    borch_mysql_put_ident(&q, t);
    borch_buf_printf(&q, " ADD INDEX `%s` (", name);
    int rc = 0;
    for (size_t i = 0; i < ncolumns && !rc; i++) {
        if (i)
            borch_buf_puts(&q, ", ");
        rc = put_key_part(w, t, columns[i], &q, err);
    }
    borch_buf_putc(&q, ')');
    if (!rc && mysql_real_query(w->scratch->db, q.data, q.len) != 0) {
        unsigned e = mysql_errno(w->scratch->db);
        rc = borch_mysql_fail(w->scratch->db, q.data, err);
        if (e == 1071 || e == 1070 || e == 1170) { /* key too long, too many parts, BLOB key */
            rc = BORCH_EUNSUPPORTED;
            if (err)
                err->code = rc;
        }
    }
    if (!rc)
        rc = analyze_new_index(w, t, name, err);
    borch_buf_release(&q);
    if (rc)
        return rc;
    borch_grow((void **)&w->cands, &w->capcands, w->ncands + 1, sizeof(*w->cands));
    w->cands[w->ncands].table = borch_xstrdup(t);
    w->cands[w->ncands].live = 1;
    w->ncands++;
    *out_id = id;
    return 0;
}

int borch_mysql_whatif_drop_index(borch_whatif *w, int id, borch_error *err)
{
    if (id < 0 || (size_t)id >= w->ncands || !w->cands[id].live)
        return borch_error_set(err, BORCH_EINPUT, "no candidate index with id %d", id);
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "ALTER TABLE ");
    borch_mysql_put_ident(&q, w->cands[id].table);
    borch_buf_printf(&q, " DROP INDEX `" BORCH_MYSQL_WHATIF_PREFIX "%d`", id);
    int rc = borch_mysql_run(w->scratch->db, q.data, err);
    borch_buf_release(&q);
    if (!rc)
        w->cands[id].live = 0;
    return rc;
}

void borch_mysql_whatif_close(borch_whatif *w)
{
    if (!w)
        return;
    borch_strv_release(&w->tables);
    borch_strv_release(&w->sampled);
    borch_strv_release(&w->eits_tables);
    borch_strv_release(&w->index_names);
    for (size_t i = 0; i < w->ncolumns; i++) {
        free(w->columns[i].table);
        free(w->columns[i].name);
        free(w->columns[i].data_type);
    }
    free(w->columns);
    for (size_t i = 0; i < w->ncands; i++)
        free(w->cands[i].table);
    free(w->cands);
    for (size_t i = 0; i < w->nparams; i++) {
        free(w->params[i].key);
        free(w->params[i].literal);
    }
    free(w->params);
    free(w);
}
