/*
 * whatif.c - what-if sessions of the index advisor on MySQL/MariaDB, which
 * have no hypothetical indexes: the session copies the target's tables
 * (their exact definitions and a capped sample of their rows) into the
 * empty scratch database it is given, and candidates become real indexes
 * there, never on the target. docs/advise-mysql.md says why this is sound
 * and where it stops being exact.
 *
 * This file: opening (checks, same-server test, the copy) and closing.
 * whatif_copy.c copies one table; whatif_index.c keeps the candidates and
 * their indexes in the copy; whatif_explain.c plans queries.
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

const char *borch_mysql_wi_find_table(const borch_whatif *w, const char *table)
{
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcmp(w->tables.items[i], table) == 0)
            return w->tables.items[i];
    for (size_t i = 0; i < w->tables.count; i++)
        if (strcasecmp(w->tables.items[i], table) == 0)
            return w->tables.items[i];
    return NULL;
}

void borch_mysql_wi_put_literal(borch_buf *b, borch_mysql_conn *c, const char *s)
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
    borch_mysql_wi_put_literal(&q, w->target, w->target->database);
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
    borch_mysql_wi_put_literal(&q, w->scratch, m.data ? m.data : "");
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
