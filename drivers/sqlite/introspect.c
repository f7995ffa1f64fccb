/*
 * introspect.c - reads a SQLite database's schema into the model.
 *
 * In the manner of pg_dump, one query per kind of object for the whole
 * database (sqlite_master joined with the pragma table-valued functions),
 * then the rows are linked in memory. What the pragmas do not say (CHECK
 * constraints, index expressions and predicates, a view's SELECT) is read
 * from the CREATE statements SQLite keeps verbatim (ddlscan.c).
 *
 * Normalization, so that equal schemas give equal models:
 *  - declared types lowercased with blanks normalized ("varchar(20)");
 *  - an INTEGER PRIMARY KEY of a rowid table is identity=1 and not nullable;
 *  - UNIQUE constraints (sqlite_autoindex_<table>_<n>, whose number depends
 *    on declaration order) are named "<table>_<col>_<col>_key" with
 *    constraint=1; the primary key's own index is not listed as an index;
 *  - foreign key actions lowercased ("no action", "cascade", ...); a key
 *    is named only when its CONSTRAINT clause names it (else NULL);
 *  - virtual tables, sqlite_* tables and borch-db's own tables are left out.
 */
#include "sqlite_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

typedef struct ictx {
    borch_conn *conn;
    sqlite3 *db;
    borch_schema *s;
    borch_strv index_names; /* CREATE INDEX statements by index name */
    borch_strv index_sqls;
    struct named_fks {
        char *table;
        borch_sqlite_table_info info;
    } *named; /* tables whose statement names some foreign keys */
    size_t nnamed, capnamed;
    borch_table *last; /* the table of the previous row: rows come grouped by table */
    struct pkpart {
        borch_table *table; /* borrowed */
        int ordinal;        /* 1-based position in the key */
        char *column;
    } *pk;                   /* primary key parts, gathered from the column rows */
    size_t npk, cappk;
    borch_strv pk_indexed;   /* tables whose key has its own index (no rowid alias) */
} ictx;

/* borch_schema_table with a one-entry cache, since every query returns its rows
 * grouped by table; without it a 2,000-table schema costs millions of strcmp. */
static borch_table *find_table(ictx *x, const char *name)
{
    if (!name)
        return NULL;
    if (x->last && strcmp(x->last->name, name) == 0)
        return x->last;
    borch_table *t = borch_schema_table(x->s, name);
    if (t)
        x->last = t;
    return t;
}

typedef int (*row_cb)(ictx *x, sqlite3_stmt *st);

/* Runs sql and hands each row to cb; stops at the first non-zero return. */
static int each_row(ictx *x, const char *sql, row_cb cb, borch_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(x->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        int code = borch_sqlite_error(x->db, rc, err);
        borch_error_statement(err, sql);
        return code;
    }
    int code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((code = cb(x, st)) != 0)
            break;
    if (code == 0 && rc != SQLITE_DONE) {
        code = borch_sqlite_error(x->db, rc, err);
        borch_error_statement(err, sql);
    }
    sqlite3_finalize(st);
    return code;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static char *lowercase(const char *s)
{
    char *d = borch_xstrdup(s ? s : "");
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* borch-db's bookkeeping tables are never part of the model (SPEC). */
static int is_own_table(const borch_conn *conn, const char *name)
{
    return strncmp(name, "borch_", 6) == 0 || strcmp(name, conn->history_table) == 0 ||
           strcmp(name, conn->audit_table) == 0;
}

static int starts_with_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return 0;
    return 1;
}

/* Tables, views and index statements from sqlite_master. */
static int master_row(ictx *x, sqlite3_stmt *st)
{
    const char *type = col_text(st, 0);
    const char *name = col_text(st, 1);
    const char *sql = col_text(st, 2);
    if (!type || !name)
        return 0;
    if (strcmp(type, "table") == 0) {
        if (strncmp(name, "sqlite_", 7) == 0 || is_own_table(x->conn, name))
            return 0;
        if (sql && starts_with_ci(borch_sqlite_skip_blank(sql), "CREATE VIRTUAL"))
            return 0;
        borch_table *t = borch_schema_add_table(x->s, name);
        if (!sql)
            return 0;
        borch_sqlite_table_info info;
        if (borch_sqlite_scan_table(sql, &info) != 0)
            return 0; /* nothing to learn from text we cannot read */
        for (size_t i = 0; i < info.nchecks; i++)
            borch_table_add_check(t, info.checks[i].name, info.checks[i].expression);
        free(t->primary_key_name);
        t->primary_key_name = info.pk_name;
        info.pk_name = NULL;
        if (info.nfks) { /* names for the foreign keys the pragma reports unnamed */
            borch_grow((void **)&x->named, &x->capnamed, x->nnamed + 1, sizeof(*x->named));
            x->named[x->nnamed].table = borch_xstrdup(name);
            x->named[x->nnamed++].info = info;
        } else {
            borch_sqlite_table_info_release(&info);
        }
    } else if (strcmp(type, "view") == 0) {
        char *def = sql ? borch_sqlite_view_select(sql) : NULL;
        borch_schema_add_view(x->s, name, def ? def : "");
        free(def);
    } else if (strcmp(type, "index") == 0 && sql) {
        borch_strv_push(&x->index_names, name);
        borch_strv_push(&x->index_sqls, sql);
    }
    return 0;
}

/* One query for every column of every table; the key comes from c.pk. */
#define COLUMNS_SQL                                                                          \
    "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk"                       \
    " FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c"                                \
    " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND c.hidden <> 1"         \
    " ORDER BY m.name, c.cid"

static int column_row(ictx *x, sqlite3_stmt *st)
{
    borch_table *t = find_table(x, col_text(st, 0));
    if (!t)
        return 0;
    char *type = borch_sqlite_normalize_type(col_text(st, 2));
    int pk = sqlite3_column_int(st, 5);
    borch_table_add_column(t, col_text(st, 1), type, !sqlite3_column_int(st, 3), col_text(st, 4));
    free(type);
    if (pk > 0) {
        borch_grow((void **)&x->pk, &x->cappk, x->npk + 1, sizeof(*x->pk));
        x->pk[x->npk].table = t;
        x->pk[x->npk].ordinal = pk;
        x->pk[x->npk].column = borch_xstrdup(col_text(st, 1));
        x->npk++;
    }
    return 0;
}

static int cmp_pkpart(const void *a, const void *b)
{
    const struct pkpart *x = a, *y = b;
    if (x->table != y->table)
        return x->table < y->table ? -1 : 1;
    return x->ordinal - y->ordinal;
}

/*
 * Primary keys in key order, and the rowid alias: the only key column,
 * declared exactly INTEGER, with no separate key index (which a WITHOUT ROWID
 * table or a DESC key has). The alias is identity and never NULL.
 */
static void finish_keys(ictx *x)
{
    if (x->npk > 1)
        qsort(x->pk, x->npk, sizeof(*x->pk), cmp_pkpart);
    for (size_t i = 0; i < x->npk; i++) {
        borch_table_add_pk_column(x->pk[i].table, x->pk[i].column);
        free(x->pk[i].column);
    }
    free(x->pk);
    x->pk = NULL;
    x->npk = x->cappk = 0;
    for (size_t i = 0; i < x->s->ntables; i++) {
        borch_table *t = &x->s->tables[i];
        if (t->nprimary_key != 1 || borch_strv_contains(&x->pk_indexed, t->name))
            continue;
        borch_column *c = borch_table_column(t, t->primary_key[0]);
        if (c && strcmp(c->type, "integer") == 0) {
            c->identity = 1;
            c->nullable = 0;
        }
    }
    borch_strv_release(&x->pk_indexed);
}

/* ---- indexes: rows come one per indexed part; a group is one index ---- */

#define INDEX_SQL                                                                            \
    "SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ix.seqno, ix.cid, ix.name" \
    " FROM sqlite_master m JOIN pragma_index_list(m.name) il"                                \
    " JOIN pragma_index_xinfo(il.name) ix"                                                   \
    " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND ix.key = 1"            \
    " ORDER BY m.name, il.name, ix.seqno"

typedef struct igroup {
    char *table;
    char *name;
    int unique;
    int from_constraint; /* origin 'u' */
    int partial;
    int expression;
    borch_strv parts; /* column names; NULL-free: "" marks an expression */
} igroup;

static void igroup_release(igroup *g)
{
    free(g->table);
    free(g->name);
    borch_strv_release(&g->parts);
    memset(g, 0, sizeof(*g));
}

static const char *index_sql(const ictx *x, const char *name)
{
    for (size_t i = 0; i < x->index_names.count; i++)
        if (strcmp(x->index_names.items[i], name) == 0)
            return x->index_sqls.items[i];
    return NULL;
}

/* Adds the collected index to its table, reading its statement when needed. */
static int igroup_flush(ictx *x, igroup *g, borch_error *err)
{
    if (!g->name)
        return 0;
    borch_table *t = find_table(x, g->table);
    if (!t) {
        igroup_release(g);
        return 0;
    }
    borch_strv exprs = {0};
    char *where = NULL;
    if (g->expression || g->partial) {
        const char *sql = index_sql(x, g->name);
        if (!sql || borch_sqlite_scan_index(sql, &exprs, &where) != 0 ||
            exprs.count != g->parts.count) {
            borch_strv_release(&exprs);
            free(where);
            int rc = borch_error_set(err, BORCH_ESQL, "cannot read the definition of index '%s'",
                                     g->name);
            igroup_release(g);
            return rc;
        }
    }
    char *name;
    if (g->from_constraint) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_puts(&b, g->table);
        for (size_t i = 0; i < g->parts.count; i++)
            borch_buf_printf(&b, "_%s", g->parts.items[i]);
        borch_buf_puts(&b, "_key");
        name = borch_buf_detach(&b);
        borch_buf_release(&b);
    } else {
        name = borch_xstrdup(g->name);
    }
    borch_index *ix = borch_table_add_index(t, name, g->unique);
    ix->constraint = g->from_constraint;
    ix->expression = g->expression;
    for (size_t i = 0; i < g->parts.count; i++)
        borch_index_add_column(ix, g->parts.items[i][0] ? g->parts.items[i] : exprs.items[i]);
    if (g->partial) {
        free(ix->where);
        ix->where = where;
        where = NULL;
    }
    free(where);
    free(name);
    borch_strv_release(&exprs);
    igroup_release(g);
    return 0;
}

typedef struct ictx_idx {
    ictx base; /* first: the row callback receives an ictx * */
    igroup g;
    borch_error *err;
} ictx_idx;

static int index_row(ictx *x, sqlite3_stmt *st)
{
    ictx_idx *xi = (ictx_idx *)x;
    const char *table = col_text(st, 0);
    const char *name = col_text(st, 1);
    if (!table || !name)
        return 0;
    const char *origin0 = col_text(st, 3);
    if (origin0 && strcmp(origin0, "pk") == 0) { /* the key's own index: only noted */
        if (!borch_strv_contains(&x->pk_indexed, table))
            borch_strv_push(&x->pk_indexed, table);
        return 0;
    }
    if (!xi->g.name || strcmp(xi->g.name, name) != 0 || strcmp(xi->g.table, table) != 0) {
        int rc = igroup_flush(x, &xi->g, xi->err);
        if (rc)
            return rc;
        const char *origin = col_text(st, 3);
        xi->g.table = borch_xstrdup(table);
        xi->g.name = borch_xstrdup(name);
        xi->g.unique = sqlite3_column_int(st, 2);
        xi->g.from_constraint = origin && strcmp(origin, "u") == 0;
        xi->g.partial = sqlite3_column_int(st, 4);
    }
    int cid = sqlite3_column_int(st, 6);
    const char *col = col_text(st, 7);
    if (cid == -2 || !col) { /* an expression: its text comes from the statement */
        xi->g.expression = 1;
        borch_strv_push(&xi->g.parts, "");
    } else {
        borch_strv_push(&xi->g.parts, cid == -1 ? "rowid" : col);
    }
    return 0;
}

/* ---- foreign keys: rows come one per column pair; a group is one key ---- */

#define FK_SQL                                                                               \
    "SELECT m.name, fk.id, fk.\"table\", fk.\"from\", fk.\"to\", fk.on_update, fk.on_delete"  \
    " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk"                          \
    " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'"                           \
    " ORDER BY m.name, fk.id, fk.seq"

typedef struct ictx_fk {
    ictx base;
    char *table; /* the group being read */
    int id;
    borch_foreign_key *fk; /* borrowed from its table */
    size_t npair;
} ictx_fk;

/*
 * SQLite matches names without regard to case, and PRAGMA foreign_key_list
 * reports the parent as spelled in REFERENCES. The model stores the names as
 * the parent table declares them, so that `REFERENCES users` and a table
 * `Users` compare and diff as the same thing.
 */
static const borch_table *table_nocase(const ictx *x, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < x->s->ntables; i++)
        if (sqlite3_stricmp(x->s->tables[i].name, name) == 0)
            return &x->s->tables[i];
    return NULL;
}

static const char *column_spelling(const borch_table *t, const char *name)
{
    for (size_t i = 0; t && name && i < t->ncolumns; i++)
        if (sqlite3_stricmp(t->columns[i].name, name) == 0)
            return t->columns[i].name;
    return name;
}

/* REFERENCES parent without columns means the parent's primary key. */
static const char *implied_ref_column(const ictx *x, const char *ref_table, size_t i)
{
    const borch_table *rt = table_nocase(x, ref_table);
    if (rt && i < rt->nprimary_key)
        return rt->primary_key[i];
    return "rowid";
}

static int fk_row(ictx *x, sqlite3_stmt *st)
{
    ictx_fk *xf = (ictx_fk *)x;
    const char *table = col_text(st, 0);
    int id = sqlite3_column_int(st, 1);
    borch_table *t = find_table(x, table);
    if (!t)
        return 0;
    if (!xf->table || strcmp(xf->table, table) != 0 || xf->id != id) {
        free(xf->table);
        xf->table = borch_xstrdup(table);
        xf->id = id;
        xf->npair = 0;
        const borch_table *parent = table_nocase(x, col_text(st, 2));
        xf->fk = borch_table_add_foreign_key(t, NULL, parent ? parent->name : col_text(st, 2));
        free(xf->fk->on_update);
        xf->fk->on_update = lowercase(col_text(st, 5));
        free(xf->fk->on_delete);
        xf->fk->on_delete = lowercase(col_text(st, 6));
    }
    const char *to = col_text(st, 4);
    if (!to || !*to)
        to = implied_ref_column(x, col_text(st, 2), xf->npair);
    else
        to = column_spelling(table_nocase(x, col_text(st, 2)), to);
    borch_fk_add_pair(xf->fk, col_text(st, 3), to);
    xf->npair++;
    return 0;
}

static int same_columns(const borch_foreign_key *fk, const borch_strv *cols)
{
    if (fk->ncolumns != cols->count)
        return 0;
    for (size_t i = 0; i < cols->count; i++)
        if (strcmp(fk->columns[i], cols->items[i]) != 0)
            return 0;
    return 1;
}

/* Gives each foreign key the name its CONSTRAINT clause chose, matched by columns. */
static void name_foreign_keys(ictx *x)
{
    for (size_t i = 0; i < x->nnamed; i++) {
        borch_table *t = borch_schema_table(x->s, x->named[i].table);
        const borch_sqlite_table_info *info = &x->named[i].info;
        for (size_t j = 0; t && j < info->nfks; j++) {
            for (size_t k = 0; k < t->nforeign_keys; k++) {
                borch_foreign_key *fk = &t->foreign_keys[k];
                if (!fk->name && same_columns(fk, &info->fks[j].columns)) {
                    fk->name = borch_xstrdup(info->fks[j].name);
                    break;
                }
            }
        }
    }
}

int borch_sqlite_introspect(borch_conn *conn, borch_schema **out, borch_error *err)
{
    *out = NULL;
    ictx_idx xi;
    memset(&xi, 0, sizeof(xi));
    ictx *x = &xi.base;
    x->conn = conn;
    x->db = ((borch_sqlite_conn *)conn)->db;
    x->s = borch_schema_new("sqlite");
    xi.err = err;

    int rc = each_row(x, "SELECT type, name, sql FROM sqlite_master ORDER BY name", master_row,
                      err);
    if (!rc)
        rc = each_row(x, COLUMNS_SQL, column_row, err);
    if (!rc)
        rc = each_row(x, INDEX_SQL, index_row, err);
    if (!rc)
        rc = igroup_flush(x, &xi.g, err);
    igroup_release(&xi.g);
    finish_keys(x); /* before foreign keys, which may imply the parent's key */
    if (!rc) {
        ictx_fk xf;
        memset(&xf, 0, sizeof(xf));
        xf.base = *x;
        rc = each_row(&xf.base, FK_SQL, fk_row, err);
        free(xf.table);
    }
    if (!rc)
        name_foreign_keys(x);
    for (size_t i = 0; i < x->nnamed; i++) {
        free(x->named[i].table);
        borch_sqlite_table_info_release(&x->named[i].info);
    }
    free(x->named);
    borch_strv_release(&x->index_names);
    borch_strv_release(&x->index_sqls);
    if (rc) {
        borch_schema_free(x->s);
        return rc;
    }
    borch_schema_sort(x->s);
    *out = x->s;
    return 0;
}
