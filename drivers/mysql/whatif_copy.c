/*
 * whatif_copy.c - copies one table of the target into the scratch database
 * of a what-if session: its definition exactly as SHOW CREATE TABLE gives
 * it (so types, collations, keys and the engine are the target's), up to
 * row_cap of its rows, then exact statistics of the copy's own data.
 *
 * Rows go with INSERT ... SELECT across databases when both connections
 * reach one server; otherwise they are read through the target connection
 * and written in batches of multi-row INSERTs. Generated columns are left
 * to the server to compute.
 */
#include "mysql/mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

#define BATCH_BYTES (512 * 1024) /* well under the smallest max_allowed_packet (1 MiB) */

/* How a value travels through the client: as text, as hex bytes, or as WKB hex. */
enum kind { K_TEXT, K_BYTES, K_GEOMETRY };

/* The kind that keeps a column's value intact on the way through the client. */
static enum kind kind_of(const char *data_type)
{
    static const char *const bytes[] = {"binary",     "varbinary", "tinyblob", "blob",
                                        "mediumblob", "longblob",  "bit",      NULL};
    static const char *const geo[] = {
        "geometry",        "point",        "linestring",         "polygon",        "multipoint",
        "multilinestring", "multipolygon", "geometrycollection", "geomcollection", NULL};
    for (size_t i = 0; bytes[i]; i++)
        if (strcmp(data_type, bytes[i]) == 0)
            return K_BYTES;
    for (size_t i = 0; geo[i]; i++)
        if (strcmp(data_type, geo[i]) == 0)
            return K_GEOMETRY;
    return K_TEXT;
}

/*
 * Adds one catalog row (table, column, type, generated, octet length) to
 * the session if its table is copied.
 */
static int add_column(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    borch_whatif *w = payload;
    if (ncols < 5 || !values[0] || !values[1] || !borch_strv_contains(&w->tables, values[0]))
        return 0;
    borch_grow((void **)&w->columns, &w->capcolumns, w->ncolumns + 1, sizeof(*w->columns));
    borch_mysql_wi_column *c = &w->columns[w->ncolumns++];
    c->table = borch_xstrdup(values[0]);
    c->name = borch_xstrdup(values[1]);
    c->data_type = borch_xstrdup(values[2] ? values[2] : "");
    c->generated = values[3] && strcmp(values[3], "1") == 0;
    c->max_bytes = values[4] ? strtol(values[4], NULL, 10) : -1;
    return 0;
}

int borch_mysql_wi_read_columns(borch_whatif *w, borch_error *err)
{
    return borch_mysql_query(&w->target->base,
                             "SELECT TABLE_NAME, COLUMN_NAME, LOWER(DATA_TYPE), "
                             "COALESCE(GENERATION_EXPRESSION, '') <> '', "
                             "CHARACTER_OCTET_LENGTH "
                             "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                             "ORDER BY TABLE_NAME, ORDINAL_POSITION",
                             0, NULL, add_column, w, err);
}

/* Keeps the second column of the first row (SHOW CREATE TABLE's statement). */
static int keep_second(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    char **out = payload;
    if (ncols > 1 && values[1])
        *out = borch_xstrdup(values[1]);
    return 1;
}

/* Creates table in the scratch database as the target defines it. */
static int copy_definition(borch_whatif *w, const char *table, borch_error *err)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SHOW CREATE TABLE ");
    borch_mysql_put_ident(&q, table);
    char *ddl = NULL;
    int rc = borch_mysql_query(&w->target->base, q.data, 0, NULL, keep_second, &ddl, err);
    if (!rc && !ddl)
        rc = borch_error_set(err, BORCH_ESQL, "SHOW CREATE TABLE gave nothing for '%s'", table);
    if (!rc)
        rc = borch_mysql_run(w->scratch->db, ddl, err);
    free(ddl);
    borch_buf_release(&q);
    return rc;
}

/*
 * The copied (not generated) columns of table, quoted and comma-separated,
 * into b; their kinds into kinds (room for w->ncolumns) when not NULL.
 */
static void put_column_list(const borch_whatif *w, const char *table, borch_buf *b,
                            enum kind *kinds, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < w->ncolumns; i++) {
        const borch_mysql_wi_column *c = &w->columns[i];
        if (c->generated || strcmp(c->table, table) != 0)
            continue;
        if (*n)
            borch_buf_puts(b, ", ");
        borch_mysql_put_ident(b, c->name);
        if (kinds)
            kinds[*n] = kind_of(c->data_type);
        (*n)++;
    }
}

/* Rows of one table on their way from the target to the scratch database. */
typedef struct batch {
    borch_whatif *w;
    const char *head; /* "INSERT INTO `t` (cols) VALUES " */
    const enum kind *kinds;
    borch_buf sql;
    size_t rows;
    int rc;
    borch_error *err;
} batch;

/* Sends the rows gathered so far. */
static int flush(batch *b)
{
    if (b->rows == 0 || b->rc)
        return b->rc;
    b->rc = borch_mysql_run(b->w->scratch->db, b->sql.data, b->err);
    borch_buf_clear(&b->sql);
    b->rows = 0;
    return b->rc;
}

/* Appends one fetched row as a VALUES tuple; flushes a full batch. */
static int add_row(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    batch *b = payload;
    borch_buf_puts(&b->sql, b->rows ? ",(" : b->head);
    if (b->rows == 0)
        borch_buf_putc(&b->sql, '(');
    for (int i = 0; i < ncols; i++) {
        if (i)
            borch_buf_putc(&b->sql, ',');
        const char *v = values[i];
        if (!v) {
            borch_buf_puts(&b->sql, "NULL");
        } else if (b->kinds[i] == K_BYTES) {
            borch_buf_printf(&b->sql, "X'%s'", v);
        } else if (b->kinds[i] == K_GEOMETRY) {
            borch_buf_printf(&b->sql, "ST_GeomFromWKB(X'%s')", v);
        } else {
            size_t n = strlen(v);
            char *esc = borch_xmalloc(2 * n + 1);
            unsigned long m = mysql_real_escape_string(b->w->scratch->db, esc, v, (unsigned long)n);
            borch_buf_putc(&b->sql, '\'');
            borch_buf_append(&b->sql, esc, m);
            borch_buf_putc(&b->sql, '\'');
            free(esc);
        }
    }
    borch_buf_putc(&b->sql, ')');
    b->rows++;
    if (b->sql.len >= BATCH_BYTES)
        return flush(b) != 0;
    return 0;
}

/* Copies the rows through the client: SELECT on the target, INSERT batches on the scratch. */
static int fetch_rows(borch_whatif *w, const char *table, borch_error *err)
{
    borch_buf head, sel, cols;
    borch_buf_init(&head);
    borch_buf_init(&sel);
    borch_buf_init(&cols);
    enum kind *kinds = borch_xcalloc(w->ncolumns + 1, sizeof(*kinds));
    size_t n = 0;
    put_column_list(w, table, &cols, kinds, &n);
    borch_buf_puts(&head, "INSERT INTO ");
    borch_mysql_put_ident(&head, table);
    borch_buf_printf(&head, " (%s) VALUES ", cols.data ? cols.data : "");
    borch_buf_puts(&sel, "SELECT ");
    size_t k = 0;
    for (size_t i = 0; i < w->ncolumns; i++) {
        const borch_mysql_wi_column *c = &w->columns[i];
        if (c->generated || strcmp(c->table, table) != 0)
            continue;
        if (k)
            borch_buf_puts(&sel, ", ");
        borch_buf_puts(&sel, kinds[k] == K_BYTES      ? "HEX("
                             : kinds[k] == K_GEOMETRY ? "HEX(ST_AsBinary("
                                                      : "");
        borch_mysql_put_ident(&sel, c->name);
        borch_buf_puts(&sel, kinds[k] == K_BYTES ? ")" : kinds[k] == K_GEOMETRY ? "))" : "");
        k++;
    }
    borch_buf_puts(&sel, " FROM ");
    borch_mysql_put_ident(&sel, table);
    borch_buf_printf(&sel, " LIMIT %ld", w->row_cap);
    batch b = {.w = w, .head = head.data, .kinds = kinds, .err = err};
    borch_buf_init(&b.sql);
    int rc = n == 0 ? 0 : borch_mysql_query(&w->target->base, sel.data, 0, NULL, add_row, &b, err);
    if (!rc)
        rc = b.rc ? b.rc : flush(&b);
    borch_buf_release(&b.sql);
    borch_buf_release(&head);
    borch_buf_release(&sel);
    borch_buf_release(&cols);
    free(kinds);
    return rc;
}

/*
 * Copies the rows with one INSERT ... SELECT on the server. Returns 1 (and
 * no error) when the server will not do that (the scratch user may not
 * read the target, or binlog_format=STATEMENT refuses it under READ
 * COMMITTED), so the caller falls back to fetching.
 */
static int select_rows(borch_whatif *w, const char *table, borch_error *err)
{
    borch_buf q, cols;
    borch_buf_init(&q);
    borch_buf_init(&cols);
    size_t n = 0;
    put_column_list(w, table, &cols, NULL, &n);
    borch_buf_puts(&q, "INSERT INTO ");
    borch_mysql_put_ident(&q, table);
    borch_buf_printf(&q, " (%s) SELECT %s FROM ", cols.data, cols.data);
    borch_mysql_put_ident(&q, w->target->database);
    borch_buf_putc(&q, '.');
    borch_mysql_put_ident(&q, table);
    borch_buf_printf(&q, " LIMIT %ld", w->row_cap);
    int rc = 0;
    if (n > 0 && mysql_real_query(w->scratch->db, q.data, q.len) != 0) {
        unsigned e = mysql_errno(w->scratch->db);
        /* No SELECT on the target for this user; statement binlog refusing READ COMMITTED. */
        if (e == 1142 || e == 1143 || e == 1044 || e == 1665)
            rc = 1;
        else
            rc = borch_mysql_fail(w->scratch->db, q.data, err);
    }
    borch_buf_release(&q);
    borch_buf_release(&cols);
    return rc;
}

int borch_mysql_wi_copy_table(borch_whatif *w, const char *table, borch_error *err)
{
    int rc = copy_definition(w, table, err);
    if (rc)
        return rc;
    /*
     * InnoDB reads every page of the (capped) copy for its statistics
     * instead of 20: exact, so they come out the same each time an ALTER
     * TABLE of a candidate recomputes them, and a plan's cost moves only
     * because of the candidate. (Sampled, the row count of the 40,000-row
     * test table moved by 2.6 % between two ALTERs.) Set while the table
     * is empty, as the ALTER recomputes them too.
     */
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "ALTER TABLE ");
    borch_mysql_put_ident(&q, table);
    borch_buf_puts(&q, " STATS_SAMPLE_PAGES = 65535");
    rc = borch_mysql_run(w->scratch->db, q.data, err);
    if (!rc)
        rc = w->same_server ? select_rows(w, table, err) : 1;
    if (rc == 1)
        rc = fetch_rows(w, table, err);
    borch_buf_clear(&q);
    borch_buf_puts(&q, "ANALYZE TABLE ");
    borch_mysql_put_ident(&q, table);
    if (borch_strv_contains(&w->eits_tables, table))
        borch_buf_puts(&q, " PERSISTENT FOR ALL");
    if (!rc)
        rc = borch_mysql_run(w->scratch->db, q.data, err);
    borch_buf_release(&q);
    return rc;
}
