/*
 * whatif.c - the index advisor's what-if sessions on SQLite, done the way
 * the sqlite3 shell's .expert does them: a throwaway in-memory database
 * holds the target's schema with empty tables, its sqlite_stat1 carries
 * the target's statistics, and candidate indexes are created there, each
 * with a stat1 line computed from the target's data. SQLite's planner
 * reads only the statistics, never the (empty) tables, so EXPLAIN QUERY
 * PLAN in the copy shows the plan the target would choose.
 *
 * Statistics of the copy: the target's own sqlite_stat1 rows where it has
 * them (a target that was ANALYZEd plans in the copy as it plans at home);
 * for a table the target has none for, its row count and, for each index,
 * the numbers ANALYZE would write, read with SELECTs (whatif_stats.c). The
 * rows are written to the copy's sqlite_stat1, then "ANALYZE sqlite_schema"
 * makes SQLite load them (it analyzes no user table).
 *
 * The target is only ever read. Triggers are not copied (they do not
 * change plans); objects the copy cannot create (a virtual table whose
 * module is not loaded, a view over it) are left out, and statements that
 * use them fail to plan with the engine's "no such table" message.
 */
#include "sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* Candidate indexes are named CANDIDATE_PREFIX<id> in the copy. */
#define CANDIDATE_PREFIX "borch_whatif_"

struct borch_whatif {
    sqlite3 *target;          /* the target's handle, only read */
    sqlite3 *db;              /* the in-memory copy */
    borch_sqlite_stats stats; /* the copy's statistics, reloaded after each change */
    borch_strv view_aliases;  /* aliases found in the views' SQL */
    int *ids;                 /* live candidate ids */
    size_t nids, ids_cap;
    int next_id;
    borch_sqlite_stat_cache *cache; /* counts read from the target so far */
    int stale;                /* candidates changed since the statistics were loaded */
};

/* Runs SQL without rows on the copy, the engine's message in err on failure. */
static int exec_copy(sqlite3 *db, const char *sql, borch_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    int code = borch_sqlite_error(db, rc, err);
    borch_error_statement(err, sql);
    return code;
}

/* Writes one row into the copy's sqlite_stat1 (idx NULL for the table's row). */
static int put_stat(sqlite3 *db, const char *tbl, const char *idx, const char *stat,
                    borch_error *err)
{
    static const char *const sql = "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (?1, ?2, ?3)";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
        if (idx)
            sqlite3_bind_text(st, 2, idx, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, stat, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        return 0;
    int code = borch_sqlite_error(db, rc, err);
    borch_error_statement(err, sql);
    return code;
}

/* Reloads the statistics the cost model reads, after the copy changed. */
static int reload_stats(borch_whatif *w, borch_error *err)
{
    borch_sqlite_stats_release(&w->stats);
    int code = borch_sqlite_stats_load(w->db, &w->stats, err);
    if (code != 0)
        return code;
    for (size_t i = 0; i < w->view_aliases.count; i++)
        borch_strv_push(&w->stats.aliases, w->view_aliases.items[i]);
    return 0;
}

/*
 * Creates the target's tables, then indexes, then views in the copy, in
 * the order the target made them. Views may name views made later, so
 * they are retried while some still fail and others succeed.
 */
static int copy_schema(borch_whatif *w, borch_error *err)
{
    static const char *const sql =
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND type IN ('table', 'index', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(w->target, sql, -1, &st, NULL);
    borch_strv views = {0};
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *ddl = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(type, "view") == 0)
            borch_strv_push(&views, ddl);
        else
            sqlite3_exec(w->db, ddl, NULL, NULL, NULL); /* left out when it fails */
    }
    int code = 0;
    if (rc != SQLITE_DONE) {
        code = borch_sqlite_error(w->target, rc, err);
        borch_error_statement(err, sql);
    }
    sqlite3_finalize(st);
    for (int progress = 1; code == 0 && progress && views.count > 0;) {
        progress = 0;
        for (size_t i = 0; i < views.count; i++) {
            if (!views.items[i] || sqlite3_exec(w->db, views.items[i], NULL, NULL, NULL) != SQLITE_OK)
                continue;
            free(views.items[i]);
            views.items[i] = NULL;
            progress = 1;
        }
    }
    borch_strv_release(&views);
    return code;
}

/* Copies the target's sqlite_stat1 rows, when it has that table, into the copy. */
static int copy_target_stats(borch_whatif *w, borch_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(w->target,
                                "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                "AND name = 'sqlite_stat1'",
                                -1, &st, NULL);
    int present = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!present)
        return 0;
    static const char *const sql = "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE stat IS NOT NULL";
    rc = sqlite3_prepare_v2(w->target, sql, -1, &st, NULL);
    int code = 0;
    while (code == 0 && st && (rc = sqlite3_step(st)) == SQLITE_ROW)
        code = put_stat(w->db, (const char *)sqlite3_column_text(st, 0),
                        (const char *)sqlite3_column_text(st, 1),
                        (const char *)sqlite3_column_text(st, 2), err);
    if (code == 0 && rc != SQLITE_DONE) {
        code = borch_sqlite_error(w->target, rc, err);
        borch_error_statement(err, sql);
    }
    sqlite3_finalize(st);
    return code;
}

/* The key columns of a target index as SQL expressions, and its WHERE; 0 or an error. */
static int index_parts(sqlite3 *db, const char *index, borch_strv *parts, char **where,
                       borch_error *err)
{
    *where = NULL;
    static const char *const sql =
        "SELECT i.name, (SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1) "
        "FROM pragma_index_info(?1) i ORDER BY i.seqno";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_text(st, 1, index, -1, SQLITE_STATIC);
    int expressions = 0;
    char *ddl = NULL;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 0);
        if (!ddl && sqlite3_column_text(st, 1))
            ddl = borch_xstrdup((const char *)sqlite3_column_text(st, 1));
        if (!col) {
            expressions = 1;
            continue;
        }
        borch_buf b;
        borch_buf_init(&b);
        borch_sqlite_put_ident(&b, col);
        borch_strv_push_owned(parts, borch_buf_detach(&b));
    }
    int code = 0;
    if (rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
    }
    sqlite3_finalize(st);
    if (code == 0 && ddl) {
        borch_strv text = {0};
        if (borch_sqlite_scan_index(ddl, &text, where) == 0 && expressions) {
            borch_strv_release(parts);
            *parts = text;
        } else {
            borch_strv_release(&text);
        }
    }
    free(ddl);
    return code;
}

/* Whether the copy's sqlite_stat1 has a row for tbl (and idx, when idx is not NULL). */
static int has_stat(sqlite3 *db, const char *tbl, const char *idx)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db,
                           idx ? "SELECT 1 FROM sqlite_stat1 WHERE idx = ?2 COLLATE NOCASE"
                               : "SELECT 1 FROM sqlite_stat1 WHERE tbl = ?1 COLLATE NOCASE",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
        if (idx)
            sqlite3_bind_text(st, 2, idx, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

/*
 * Fills in what ANALYZE would have written for one table the target's
 * sqlite_stat1 lacks, and for its indexes that lack a row.
 */
static int complete_table_stats(borch_whatif *w, const char *table, borch_error *err)
{
    int code = 0;
    double nrows = -1;
    if (!has_stat(w->db, table, NULL)) {
        code = borch_sqlite_stat_count(w->target, table, NULL, &nrows, err);
        char text[32];
        snprintf(text, sizeof(text), "%.0f", nrows);
        if (code == 0)
            code = put_stat(w->db, table, NULL, text, err);
    } else {
        /* N as the target's own statistics give it, so the new rows agree. */
        borch_sqlite_stats s;
        code = borch_sqlite_stats_load(w->db, &s, err);
        for (size_t i = 0; code == 0 && i < s.n; i++)
            if (strcasecmp(s.rows[i].tbl, table) == 0 && s.rows[i].nv > 0 &&
                (!s.rows[i].idx || s.rows[i].v[0] > nrows))
                nrows = s.rows[i].v[0];
        if (code == 0)
            borch_sqlite_stats_release(&s);
    }
    static const char *const sql = "SELECT name, partial FROM pragma_index_list(?1)";
    sqlite3_stmt *st = NULL;
    int rc = code == 0 ? sqlite3_prepare_v2(w->target, sql, -1, &st, NULL) : SQLITE_OK;
    if (code == 0 && rc == SQLITE_OK)
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (code == 0 && st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *index = (const char *)sqlite3_column_text(st, 0);
        int partial = sqlite3_column_int(st, 1);
        if (has_stat(w->db, table, index))
            continue;
        borch_strv parts = {0};
        char *where = NULL, *stat = NULL;
        code = index_parts(w->target, index, &parts, &where, err);
        if (code == 0 && parts.count > 0)
            code = borch_sqlite_stat_compute(w->target, w->cache, table,
                                             (const char *const *)parts.items, parts.count,
                                             partial ? where : NULL, partial ? -1 : nrows, &stat,
                                             err);
        if (code == 0 && stat)
            code = put_stat(w->db, table, index, stat, err);
        free(stat);
        free(where);
        borch_strv_release(&parts);
    }
    if (code == 0 && rc != SQLITE_DONE && rc != SQLITE_OK) {
        code = borch_sqlite_error(w->target, rc, err);
        borch_error_statement(err, sql);
    }
    sqlite3_finalize(st);
    return code;
}

/* Statistics for every ordinary table of the copy, then SQLite loads them. */
static int fill_stats(borch_whatif *w, borch_error *err)
{
    /* ANALYZE of the empty copy creates sqlite_stat1 (and writes nothing). */
    int code = exec_copy(w->db, "ANALYZE; DELETE FROM sqlite_stat1", err);
    if (code == 0)
        code = copy_target_stats(w, err);
    borch_strv tables = {0};
    sqlite3_stmt *st = NULL;
    int rc = code == 0 ? sqlite3_prepare_v2(w->db,
                                            "SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY rowid",
                                            -1, &st, NULL)
                       : SQLITE_OK;
    while (code == 0 && st && (rc = sqlite3_step(st)) == SQLITE_ROW)
        borch_strv_push(&tables, (const char *)sqlite3_column_text(st, 0));
    if (code == 0 && rc != SQLITE_DONE)
        code = borch_sqlite_error(w->db, rc, err);
    sqlite3_finalize(st);
    for (size_t i = 0; code == 0 && i < tables.count; i++)
        code = complete_table_stats(w, tables.items[i], err);
    borch_strv_release(&tables);
    if (code == 0)
        code = exec_copy(w->db, "ANALYZE sqlite_schema", err);
    return code;
}

/* The aliases used inside the copy's views, for plans of flattened views. */
static void find_view_aliases(borch_whatif *w)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(w->db, "SELECT sql FROM sqlite_master WHERE type = 'view'", -1, &st,
                           NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW)
        borch_sqlite_find_aliases((const char *)sqlite3_column_text(st, 0), &w->stats.names,
                                  &w->view_aliases);
    sqlite3_finalize(st);
}

int borch_sqlite_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                             borch_whatif **out, borch_error *err)
{
    (void)scratch; /* the copy lives in memory; no throwaway file is needed */
    (void)model;   /* the copy is made from the target's own CREATE statements */
    *out = NULL;
    borch_whatif *w = borch_xcalloc(1, sizeof(*w));
    w->target = ((borch_sqlite_conn *)target)->db;
    w->cache = borch_sqlite_stat_cache_new();
    int rc = sqlite3_open_v2(":memory:", &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    int code = 0;
    if (rc != SQLITE_OK) {
        code = borch_sqlite_error(w->db, rc, err);
    } else {
        code = copy_schema(w, err);
        if (code == 0)
            code = fill_stats(w, err);
        if (code == 0)
            code = reload_stats(w, err);
        if (code == 0) {
            find_view_aliases(w);
            code = reload_stats(w, err);
        }
    }
    if (code != 0) {
        borch_sqlite_whatif_close(w);
        return code;
    }
    *out = w;
    return 0;
}

/* The table's name as the copy spells it, malloc'd, or NULL when there is no such table. */
static char *copy_table_name(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    char *name = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name = ?1 COLLATE NOCASE",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            name = borch_xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return name;
}

/* Whether table has a column called column (SQLite compares names without case). */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM pragma_table_xinfo(?1) WHERE name = ?2 COLLATE NOCASE",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

/* Whether the copy has an index of that name. */
static int has_index(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'index' "
                           "AND name = ?1 COLLATE NOCASE",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

/* The stat1 text of a candidate, its N agreeing with the table's in the copy. */
static int candidate_stat(borch_whatif *w, const char *table, const borch_strv *parts,
                          char **out, borch_error *err)
{
    double n = -1;
    for (size_t i = 0; i < w->stats.n; i++) {
        const borch_sqlite_statrow *r = &w->stats.rows[i];
        if (strcasecmp(r->tbl, table) == 0 && r->nv > 0 && (!r->idx || r->v[0] > n))
            n = r->v[0];
    }
    return borch_sqlite_stat_compute(w->target, w->cache, table,
                                     (const char *const *)parts->items, parts->count, NULL, n,
                                     out, err);
}

int borch_sqlite_whatif_add_index(borch_whatif *w, const char *table,
                                  const char *const *columns, size_t ncolumns, int *out_id,
                                  borch_error *err)
{
    *out_id = -1;
    if (ncolumns == 0)
        return borch_error_set(err, BORCH_EINPUT, "candidate index on '%s' has no columns",
                               table);
    char *name = copy_table_name(w->db, table);
    if (!name)
        return borch_error_set(err, BORCH_EINPUT, "no table '%s' in the schema", table);
    borch_strv parts = {0};
    int code = 0;
    for (size_t i = 0; i < ncolumns && code == 0; i++) {
        if (!columns[i] || !has_column(w->db, name, columns[i])) {
            code = borch_error_set(err, BORCH_EINPUT, "no column '%s' in table '%s'",
                                   columns[i] ? columns[i] : "(null)", name);
            break;
        }
        borch_buf b;
        borch_buf_init(&b);
        borch_sqlite_put_ident(&b, columns[i]);
        borch_strv_push_owned(&parts, borch_buf_detach(&b));
    }
    char *stat = NULL;
    if (code == 0)
        code = candidate_stat(w, name, &parts, &stat, err);
    /* An id whose name no index of the target already has. */
    int id = w->next_id;
    char index[64];
    snprintf(index, sizeof(index), CANDIDATE_PREFIX "%d", id);
    while (has_index(w->db, index)) {
        id = ++w->next_id;
        snprintf(index, sizeof(index), CANDIDATE_PREFIX "%d", id);
    }
    if (code == 0) {
        borch_buf ddl;
        borch_buf_init(&ddl);
        borch_buf_printf(&ddl, "CREATE INDEX \"%s\" ON ", index);
        borch_sqlite_put_ident(&ddl, name);
        borch_buf_putc(&ddl, '(');
        for (size_t i = 0; i < parts.count; i++)
            borch_buf_printf(&ddl, "%s%s", i ? ", " : "", parts.items[i]);
        borch_buf_putc(&ddl, ')');
        code = exec_copy(w->db, ddl.data, err);
        borch_buf_release(&ddl);
    }
    if (code == 0) {
        /* The planner and the cost model load it before the next plan:
         * adding hundreds of candidates reloads once, not each time. */
        code = put_stat(w->db, name, index, stat, err);
        w->stale = 1;
        if (code != 0) {
            char drop[96];
            snprintf(drop, sizeof(drop), "DROP INDEX IF EXISTS \"%s\"", index);
            sqlite3_exec(w->db, drop, NULL, NULL, NULL);
        }
    }
    if (code == 0) {
        w->next_id++;
        borch_grow((void **)&w->ids, &w->ids_cap, w->nids + 1, sizeof(int));
        w->ids[w->nids++] = id;
        *out_id = id;
    }
    free(stat);
    free(name);
    borch_strv_release(&parts);
    return code;
}

int borch_sqlite_whatif_drop_index(borch_whatif *w, int id, borch_error *err)
{
    size_t at = 0;
    while (at < w->nids && w->ids[at] != id)
        at++;
    if (at == w->nids)
        return borch_error_set(err, BORCH_EINPUT, "no candidate index with id %d", id);
    char sql[96];
    snprintf(sql, sizeof(sql), "DROP INDEX \"" CANDIDATE_PREFIX "%d\"", id);
    /* DROP INDEX also deletes the index's sqlite_stat1 row. */
    int code = exec_copy(w->db, sql, err);
    if (code != 0)
        return code;
    memmove(&w->ids[at], &w->ids[at + 1], (w->nids - at - 1) * sizeof(int));
    w->nids--;
    w->stale = 1;
    return 0;
}

int borch_sqlite_whatif_explain(borch_whatif *w, const char *sql,
                                const char *const *param_columns, size_t nparams,
                                borch_whatif_plan *out, borch_error *err)
{
    /* SQLite plans with unbound parameters; it needs no values in their place. */
    (void)param_columns;
    (void)nparams;
    if (w->stale) {
        int code = exec_copy(w->db, "ANALYZE sqlite_schema", err);
        if (code == 0)
            code = reload_stats(w, err);
        if (code != 0)
            return code;
        w->stale = 0;
    }
    return borch_sqlite_plan_cost(w->db, sql, &w->stats, CANDIDATE_PREFIX, out, err);
}

void borch_sqlite_whatif_close(borch_whatif *w)
{
    if (!w)
        return;
    sqlite3_close(w->db);
    borch_sqlite_stats_release(&w->stats);
    borch_strv_release(&w->view_aliases);
    borch_sqlite_stat_cache_free(w->cache);
    free(w->ids);
    free(w);
}
