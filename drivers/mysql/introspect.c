/*
 * introspect.c - the live schema of the connection's database, read from
 * information_schema with one query per kind of object (tables, columns,
 * index parts, foreign key parts, checks, views) for the whole database,
 * then linked up in memory.
 *
 * Normalization, so that MySQL 8 and MariaDB agree and equal schemas
 * compare equal:
 * - types: COLUMN_TYPE lowercased, integer display widths dropped
 *   ("int(11)" -> "int") except tinyint(1), the boolean; "year(4)" ->
 *   "year"; MariaDB's JSON (longtext + CHECK json_valid(col)) -> "json";
 * - defaults: SQL text ('abc', 0, current_timestamp()), NULL for none;
 *   MariaDB's 'NULL' text for a nullable column without default is none;
 * - identity: EXTRA has auto_increment;
 * - the primary key has no name (MySQL always calls it PRIMARY);
 * - every unique index is a unique constraint (MySQL does not tell them
 *   apart); prefix parts read "col(10)", descending ones "col DESC";
 *   index methods other than BTREE are kept lowercased ("fulltext");
 * - foreign key actions lowercased ("cascade", "no action");
 * - checks: table-level and user-written column-level ones, with one pair
 *   of wrapping parentheses removed (MySQL adds them, MariaDB does not);
 * - view definitions with the "`<database>`." qualifiers removed;
 * - MariaDB sequences as sequences, not as the tables they also are.
 */
#include "mysql/mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* State shared by the row callbacks. */
typedef struct reader {
    borch_mysql_conn *conn;
    borch_schema *schema;
    borch_table *table;    /* table of the previous row (rows come sorted by table) */
    char *group;           /* index or constraint name of the previous row */
    borch_index *index;    /* index being filled */
    borch_foreign_key *fk; /* foreign key being filled */
} reader;

/* The value of column name in a row, or NULL; case-insensitive names. */
static const char *col(int ncols, const char *const *names, const char *const *values,
                       const char *name)
{
    for (int i = 0; i < ncols; i++)
        if (strcasecmp(names[i], name) == 0)
            return values[i];
    return NULL;
}

/* borch_* tables and the configured bookkeeping tables are not the user's. */
static int excluded(const borch_mysql_conn *c, const char *name)
{
    return strncmp(name, "borch_", 6) == 0 || strcmp(name, c->base.history_table) == 0 ||
           strcmp(name, c->base.audit_table) == 0;
}

/* The model table for a row's TABLE_NAME, or NULL when it is not one we keep. */
static borch_table *row_table(reader *r, const char *name)
{
    if (!name)
        return NULL;
    if (r->table && strcmp(r->table->name, name) == 0)
        return r->table;
    r->table = borch_schema_table(r->schema, name);
    free(r->group);
    r->group = NULL;
    return r->table;
}

/* Whether this row starts a new index/constraint group (name differs from the last). */
static int new_group(reader *r, const char *name)
{
    if (r->group && name && strcmp(r->group, name) == 0)
        return 0;
    free(r->group);
    r->group = borch_xstrdup(name);
    return 1;
}

/* TABLES row: a base table (or a MariaDB sequence) of the model. */
static int on_table(void *payload, int ncols, const char *const *names, const char *const *values)
{
    reader *r = payload;
    const char *name = col(ncols, names, values, "tname");
    const char *type = col(ncols, names, values, "ttype");
    const char *comment = col(ncols, names, values, "tcomment");
    if (!name || excluded(r->conn, name) || !type)
        return 0;
    if (strcmp(type, "SEQUENCE") == 0) { /* MariaDB 10.3+ */
        borch_schema_add_sequence(r->schema, name, NULL);
        return 0;
    }
    if (strcmp(type, "BASE TABLE") != 0 && strcmp(type, "SYSTEM VERSIONED") != 0)
        return 0; /* views come from their own query */
    borch_table *t = borch_schema_add_table(r->schema, name);
    if (comment && comment[0])
        t->comment = borch_xstrdup(comment);
    return 0;
}

/* COLUMNS row, in ordinal order: one column, normalized. */
static int on_column(void *payload, int ncols, const char *const *names, const char *const *values)
{
    reader *r = payload;
    borch_table *t = row_table(r, col(ncols, names, values, "tname"));
    const char *name = col(ncols, names, values, "cname");
    const char *ctype = col(ncols, names, values, "ctype");
    if (!t || !name || !ctype)
        return 0;
    const char *nullable = col(ncols, names, values, "cnullable");
    const char *extra = col(ncols, names, values, "cextra");
    const char *dtype = col(ncols, names, values, "dtype");
    char *type = borch_mysql_norm_type(ctype);
    char *def =
        borch_mysql_norm_default(r->conn->mariadb, r->conn->version,
                                 col(ncols, names, values, "cdefault"), dtype ? dtype : "", extra);
    borch_column *c =
        borch_table_add_column(t, name, type, nullable && strcmp(nullable, "YES") == 0, def);
    c->identity = extra && strstr(extra, "auto_increment") != NULL;
    free(type);
    free(def);
    return 0;
}

/* STATISTICS row: a part of the primary key or of an index. */
static int on_index_part(void *payload, int ncols, const char *const *names,
                         const char *const *values)
{
    reader *r = payload;
    borch_table *t = row_table(r, col(ncols, names, values, "TABLE_NAME"));
    const char *iname = col(ncols, names, values, "INDEX_NAME");
    if (!t || !iname)
        return 0;
    const char *column = col(ncols, names, values, "COLUMN_NAME");
    const char *expr = col(ncols, names, values, "EXPRESSION"); /* MySQL 8.0.13+ */
    const char *sub = col(ncols, names, values, "SUB_PART");
    const char *coll = col(ncols, names, values, "COLLATION");
    if (strcmp(iname, "PRIMARY") == 0) {
        if (column)
            borch_table_add_pk_column(t, column);
        return 0;
    }
    if (new_group(r, iname)) {
        const char *non_unique = col(ncols, names, values, "NON_UNIQUE");
        int unique = non_unique && strcmp(non_unique, "0") == 0;
        r->index = borch_table_add_index(t, iname, unique);
        r->index->constraint = unique;
        const char *method = col(ncols, names, values, "INDEX_TYPE");
        if (method && strcmp(method, "BTREE") != 0)
            r->index->method = borch_mysql_lower(method);
    }
    borch_buf b;
    borch_buf_init(&b);
    if (column) {
        borch_buf_puts(&b, column);
        if (sub)
            borch_buf_printf(&b, "(%s)", sub);
    } else {
        borch_buf_puts(&b, expr ? expr : "");
        r->index->expression = 1;
    }
    if (coll && strcmp(coll, "D") == 0)
        borch_buf_puts(&b, " DESC");
    borch_index_add_column(r->index, b.data);
    borch_buf_release(&b);
    return 0;
}

/* KEY_COLUMN_USAGE row: a column pair of a foreign key. */
static int on_fk_part(void *payload, int ncols, const char *const *names, const char *const *values)
{
    reader *r = payload;
    borch_table *t = row_table(r, col(ncols, names, values, "tname"));
    const char *name = col(ncols, names, values, "kname");
    const char *column = col(ncols, names, values, "kcolumn");
    const char *ref_schema = col(ncols, names, values, "rschema");
    const char *ref_table = col(ncols, names, values, "rtable");
    const char *ref_column = col(ncols, names, values, "rcolumn");
    if (!t || !name || !column || !ref_table || !ref_column)
        return 0;
    if (new_group(r, name)) {
        /* A reference to another database keeps its qualifier. */
        borch_buf b;
        borch_buf_init(&b);
        if (ref_schema && r->conn->database && strcmp(ref_schema, r->conn->database) != 0)
            borch_buf_printf(&b, "%s.", ref_schema);
        borch_buf_puts(&b, ref_table);
        r->fk = borch_table_add_foreign_key(t, name, b.data);
        borch_buf_release(&b);
        const char *del = col(ncols, names, values, "del");
        const char *upd = col(ncols, names, values, "upd");
        free(r->fk->on_delete);
        free(r->fk->on_update);
        r->fk->on_delete = borch_mysql_lower(del ? del : "restrict");
        r->fk->on_update = borch_mysql_lower(upd ? upd : "restrict");
    }
    borch_fk_add_pair(r->fk, column, ref_column);
    return 0;
}

/* CHECK_CONSTRAINTS row: a check, or MariaDB's mark of a JSON column. */
static int on_check(void *payload, int ncols, const char *const *names, const char *const *values)
{
    reader *r = payload;
    borch_table *t = row_table(r, col(ncols, names, values, "TABLE_NAME"));
    const char *name = col(ncols, names, values, "CONSTRAINT_NAME");
    const char *clause = col(ncols, names, values, "CHECK_CLAUSE");
    const char *level = col(ncols, names, values, "LEVEL"); /* MariaDB 10.5.10+ */
    if (!t || !name || !clause)
        return 0;
    /*
     * MariaDB's JSON type is longtext with a column check json_valid(`col`)
     * named after the column (LEVEL tells so from 10.5.10; before, the
     * shape alone does).
     */
    borch_column *c = borch_table_column(t, name);
    if (c && strcmp(c->type, "longtext") == 0 && (!level || strcmp(level, "Column") == 0)) {
        char *q = borch_mysql_driver.quote_ident(name);
        borch_buf want;
        borch_buf_init(&want);
        borch_buf_printf(&want, "json_valid(%s)", q);
        int is_json = strcmp(clause, want.data) == 0;
        borch_buf_release(&want);
        free(q);
        if (is_json) {
            free(c->type);
            c->type = borch_xstrdup("json");
            return 0;
        }
    }
    char *expr = borch_xstrdup(clause);
    borch_mysql_strip_parens(expr);
    borch_table_add_check(t, name, expr);
    free(expr);
    return 0;
}

/* VIEWS row: a view with its definition made database-independent. */
static int on_view(void *payload, int ncols, const char *const *names, const char *const *values)
{
    reader *r = payload;
    const char *name = col(ncols, names, values, "vname");
    const char *def = col(ncols, names, values, "vdef");
    if (!name || excluded(r->conn, name))
        return 0;
    char *d = borch_mysql_unqualify(def ? def : "", r->conn->database);
    borch_schema_add_view(r->schema, name, d);
    free(d);
    return 0;
}

static const char tables_sql[] =
    "SELECT TABLE_NAME AS tname, TABLE_TYPE AS ttype, TABLE_COMMENT AS tcomment"
    " FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";

static const char columns_sql[] =
    "SELECT TABLE_NAME AS tname, COLUMN_NAME AS cname, COLUMN_TYPE AS ctype,"
    " DATA_TYPE AS dtype, IS_NULLABLE AS cnullable, COLUMN_DEFAULT AS cdefault,"
    " EXTRA AS cextra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
    " ORDER BY TABLE_NAME, ORDINAL_POSITION";

/* SELECT *: MySQL 8 has EXPRESSION (functional index parts), MariaDB has not. */
static const char statistics_sql[] =
    "SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
    " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

static const char fks_sql[] =
    "SELECT k.TABLE_NAME AS tname, k.CONSTRAINT_NAME AS kname, k.COLUMN_NAME AS kcolumn,"
    " k.REFERENCED_TABLE_SCHEMA AS rschema, k.REFERENCED_TABLE_NAME AS rtable,"
    " k.REFERENCED_COLUMN_NAME AS rcolumn, r.DELETE_RULE AS del, r.UPDATE_RULE AS upd"
    " FROM information_schema.KEY_COLUMN_USAGE k"
    " JOIN information_schema.TABLE_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA"
    "  AND c.TABLE_NAME = k.TABLE_NAME AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
    "  AND c.CONSTRAINT_TYPE = 'FOREIGN KEY'"
    " JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
    "  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME"
    "  AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
    " WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL"
    " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/* MariaDB names checks per table and says which table. */
static const char checks_mariadb_sql[] =
    "SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
    " ORDER BY TABLE_NAME, CONSTRAINT_NAME";

/* MySQL 8.0.16+ names them per database; the table comes from TABLE_CONSTRAINTS. */
static const char checks_mysql_sql[] =
    "SELECT tc.TABLE_NAME AS TABLE_NAME, cc.CONSTRAINT_NAME AS CONSTRAINT_NAME,"
    " cc.CHECK_CLAUSE AS CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc"
    " JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
    "  AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
    " WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'"
    " ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME";

static const char views_sql[] =
    "SELECT TABLE_NAME AS vname, VIEW_DEFINITION AS vdef FROM information_schema.VIEWS"
    " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";

/* Runs one catalog query with a fresh per-query state. */
static int read_all(reader *r, const char *sql, borch_row_fn fn, borch_error *err)
{
    r->table = NULL;
    r->index = NULL;
    r->fk = NULL;
    free(r->group);
    r->group = NULL;
    return borch_mysql_query(&r->conn->base, sql, 0, NULL, fn, r, err);
}

int borch_mysql_introspect(borch_conn *conn, borch_schema **out, borch_error *err)
{
    borch_mysql_conn *c = (borch_mysql_conn *)conn;
    if (!c->database)
        return borch_error_set(err, BORCH_EINPUT, "the URL '%s' names no database",
                               conn->url_masked);
    /* CHECK constraints exist from MariaDB 10.2 and MySQL 8.0.16. */
    const char *checks_sql = NULL;
    if (c->mariadb && c->version >= 100201)
        checks_sql = checks_mariadb_sql;
    else if (!c->mariadb && c->version >= 80016)
        checks_sql = checks_mysql_sql;
    reader r = {.conn = c, .schema = borch_schema_new("mysql")};
    int rc;
    if ((rc = read_all(&r, tables_sql, on_table, err)) != 0 ||
        (rc = read_all(&r, columns_sql, on_column, err)) != 0 ||
        (rc = read_all(&r, statistics_sql, on_index_part, err)) != 0 ||
        (rc = read_all(&r, fks_sql, on_fk_part, err)) != 0 ||
        (checks_sql && (rc = read_all(&r, checks_sql, on_check, err)) != 0) ||
        (rc = read_all(&r, views_sql, on_view, err)) != 0)
        goto done;
    borch_schema_sort(r.schema);
    *out = r.schema;
    r.schema = NULL;
done:
    free(r.group);
    borch_schema_free(r.schema);
    return rc;
}
