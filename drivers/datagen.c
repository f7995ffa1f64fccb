/*
 * datagen.c - fills every table of a schema with a few generated rows (see
 * datagen.h for the values and the transaction rule).
 *
 * The SQL is the portable core every engine shares, built as drivers/
 * records.c builds it: identifiers through the driver's quote_ident,
 * values as text parameters through its placeholder slot. Tables go in
 * foreign-key order (a cycle is broken at the first table left, whose
 * nullable keys to unfilled parents are then NULL). Foreign-key values are
 * read back from the parent with one SELECT per key, so keys made by the
 * engine (identity, auto_increment) work too.
 */
#include "datagen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datagen_internal.h"
#include "util/buf.h"
#include "util/mem.h"

#define SAVEPOINT "borch_datagen"
#define MAX_PARENT_ROWS 10000

/* One column's plan. */
typedef struct dg_col {
    const borch_column *col;
    dg_type type;
    int unique;   /* in the primary key or a unique index: distinct values */
    int nullable; /* may be NULL (never for a primary-key column, which SQLite
                   * reports nullable outside INTEGER PRIMARY KEY) */
    int fk;       /* index of the first foreign key holding it, or -1 */
    size_t part;  /* its place in that key */
} dg_col;

/* Rows of a parent's referenced columns, flattened (NULL-free tuples). */
typedef struct dg_parent {
    borch_strv values;
    size_t width, rows;
    int self;     /* the key references its own table */
    int nullable; /* every column of the key is nullable */
    int own;      /* self key whose referenced columns this fill generates */
} dg_parent;

/* The table's name as SQL, "schema"."table" when the connection has a schema. */
static void put_table(borch_buf *b, const borch_conn *conn, const char *table)
{
    if (conn->schema && *conn->schema) {
        char *s = conn->driver->quote_ident(conn->schema);
        borch_buf_printf(b, "%s.", s);
        free(s);
    }
    char *t = conn->driver->quote_ident(table);
    borch_buf_puts(b, t);
    free(t);
}

/* A statement without parameters or rows (savepoints, the liveness probe). */
static int plain(borch_conn *conn, const char *sql, borch_error *err)
{
    return borch_conn_query(conn, sql, 0, NULL, NULL, NULL, err);
}

/*
 * Runs one statement that may be refused (a row the schema rejects, a
 * parent table that is not there): *failed says so. Inside a transaction it
 * runs under a savepoint so that the transaction stays usable. Returns an
 * error only when the connection itself is gone.
 */
static int attempt(borch_conn *conn, const char *sql, int nparams, const char *const *params,
                   borch_row_fn fn, void *payload, int *failed, borch_error *err)
{
    int in_tx = conn->in_transaction, rc;
    if (in_tx && (rc = plain(conn, "SAVEPOINT " SAVEPOINT, err)) != 0)
        return rc;
    borch_error why = {0};
    *failed = borch_conn_query(conn, sql, nparams, params, fn, payload, &why) != 0;
    borch_error_clear(&why);
    if (in_tx) {
        if (*failed && (rc = plain(conn, "ROLLBACK TO SAVEPOINT " SAVEPOINT, err)) != 0)
            return rc;
        if ((rc = plain(conn, "RELEASE SAVEPOINT " SAVEPOINT, err)) != 0)
            return rc;
    }
    if (*failed && !in_tx && (rc = plain(conn, "SELECT 1", err)) != 0)
        return rc; /* the connection is gone: that is the error */
    return 0;
}

/* Row callback of read_parent: keeps tuples without NULLs, up to a cap. */
static int collect_tuple(void *payload, int ncols, const char *const *names,
                         const char *const *values)
{
    (void)names;
    dg_parent *p = payload;
    for (int i = 0; i < ncols; i++)
        if (!values[i])
            return 0;
    for (int i = 0; i < ncols; i++)
        borch_strv_push(&p->values, values[i]);
    p->rows++;
    return p->rows >= MAX_PARENT_ROWS;
}

/* Reads the referenced columns' rows of fk's parent into p. */
static int read_parent(borch_conn *conn, const borch_foreign_key *fk, dg_parent *p,
                       borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "SELECT ");
    for (size_t i = 0; i < fk->nref_columns; i++) {
        char *c = conn->driver->quote_ident(fk->ref_columns[i]);
        borch_buf_printf(&b, "%s%s", i ? ", " : "", c);
        free(c);
    }
    borch_buf_puts(&b, " FROM ");
    put_table(&b, conn, fk->ref_table);
    p->width = fk->nref_columns;
    int failed = 0;
    int rc = attempt(conn, b.data, 0, NULL, collect_tuple, p, &failed, err);
    borch_buf_release(&b);
    return rc;
}

/* Row callback of count_rows: the one number. */
static int take_count(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols > 0 && values[0])
        *(long *)payload = strtol(values[0], NULL, 10);
    return 1;
}

/* 1 when column name is in the table's primary key. */
static int in_primary_key(const borch_table *t, const char *name)
{
    for (size_t i = 0; i < t->nprimary_key; i++)
        if (strcmp(t->primary_key[i], name) == 0)
            return 1;
    return 0;
}

/* 1 when column name is in the table's primary key or in a unique index. */
static int in_unique(const borch_table *t, const char *name)
{
    if (in_primary_key(t, name))
        return 1;
    for (size_t i = 0; i < t->nindexes; i++) {
        const borch_index *ix = &t->indexes[i];
        if (!ix->unique)
            continue;
        for (size_t k = 0; k < ix->ncolumns; k++)
            if (strcmp(ix->columns[k], name) == 0 ||
                (ix->expression && strstr(ix->columns[k], name)))
                return 1;
    }
    return 0;
}

/* The plan of every column the INSERT names (identity columns left out). */
static size_t plan_columns(const borch_schema *s, const borch_table *t, dg_col *cols)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const borch_column *c = &t->columns[i];
        if (c->identity)
            continue;
        dg_col *dc = &cols[n++];
        dc->col = c;
        dg_type_read(&dc->type, s, c->type);
        borch_strv choices = {0};
        dg_check_choices(t, c->name, &choices);
        if (choices.count) {
            dg_type_release(&dc->type);
            dc->type.kind = DG_CHOICE;
            dc->type.choices = choices;
        }
        dg_check_range(t, c->name, &dc->type);
        dc->unique = in_unique(t, c->name);
        dc->nullable = c->nullable && !in_primary_key(t, c->name);
        dc->fk = -1;
        for (size_t k = 0; k < t->nforeign_keys && dc->fk < 0; k++)
            for (size_t p = 0; p < t->foreign_keys[k].ncolumns; p++)
                if (strcmp(t->foreign_keys[k].columns[p], c->name) == 0) {
                    dc->fk = (int)k;
                    dc->part = p;
                    break;
                }
    }
    return n;
}

/* The plan column named name, or NULL (identity or unknown). */
static const dg_col *plan_column(const dg_col *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].col->name, name) == 0)
            return &cols[i];
    return NULL;
}

/* Row n's value of a column outside foreign keys: NULL in even rows when
 * nullable, a repeat of row n-2 every fourth row when not unique. */
static char *plain_value(const dg_col *c, long n)
{
    if (c->nullable && n % 2 == 0)
        return NULL;
    long basis = !c->unique && n % 4 == 3 ? n - 2 : n;
    return dg_value(&c->type, c->col->name, basis);
}

/* Row n's value of a foreign-key column (first: the first row of this fill). */
static char *fk_value(const borch_table *t, const dg_col *cols, size_t ncols,
                      const dg_parent *parents, const dg_col *c, long n, long first)
{
    const borch_foreign_key *fk = &t->foreign_keys[c->fk];
    const dg_parent *p = &parents[c->fk];
    if (p->nullable && n % 2 == 0)
        return NULL;
    if (p->own) {
        /* the row's own key when required, else the previous row's */
        const dg_col *ref = plan_column(cols, ncols, fk->ref_columns[c->part]);
        if (!ref)
            return NULL; /* left to the engine after all (see leave_to_engine) */
        if (!p->nullable)
            return plain_value(ref, n);
        return n - 1 >= first ? plain_value(ref, n - 1) : NULL;
    }
    if (p->rows == 0)
        return NULL;
    /* by row number, so that a second fill pairs other parents than the first */
    return borch_xstrdup(p->values.items[((size_t)(n - 1) % p->rows) * p->width + c->part]);
}

/*
 * INSERT INTO t (c, ...) VALUES (?, ...), (?, ...) for nrows rows, or the
 * engine's all-defaults row when every column is left to the engine.
 */
static char *insert_sql(const borch_conn *conn, const borch_table *t, const dg_col *cols, size_t n,
                        int nrows)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "INSERT INTO ");
    put_table(&b, conn, t->name);
    if (n == 0) {
        int mysql = strcmp(conn->driver->name, "mysql") == 0;
        borch_buf_puts(&b, mysql ? " () VALUES ()" : " DEFAULT VALUES");
        return borch_buf_detach(&b);
    }
    borch_buf_puts(&b, " (");
    for (size_t i = 0; i < n; i++) {
        char *q = conn->driver->quote_ident(cols[i].col->name);
        borch_buf_printf(&b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    borch_buf_puts(&b, ") VALUES ");
    int param = 0;
    for (int r = 0; r < nrows; r++) {
        borch_buf_puts(&b, r ? ", (" : "(");
        for (size_t i = 0; i < n; i++) {
            char ph[16];
            conn->driver->placeholder(++param, ph, sizeof(ph));
            borch_buf_printf(&b, "%s%s", i ? ", " : "", ph);
        }
        borch_buf_putc(&b, ')');
    }
    return borch_buf_detach(&b);
}

/* Reads the parents of t's foreign keys; *hopeless when a required key has none. */
static int load_parents(borch_conn *conn, const borch_table *t, const dg_col *cols, size_t ncols,
                        dg_parent *parents, int *hopeless, borch_error *err)
{
    *hopeless = 0;
    for (size_t k = 0; k < t->nforeign_keys; k++) {
        const borch_foreign_key *fk = &t->foreign_keys[k];
        dg_parent *p = &parents[k];
        p->nullable = 1;
        for (size_t c = 0; c < fk->ncolumns; c++) {
            const dg_col *col = plan_column(cols, ncols, fk->columns[c]);
            if (!col || !col->nullable)
                p->nullable = 0;
        }
        p->self = strcmp(fk->ref_table, t->name) == 0;
        if (p->self) {
            p->own = fk->nref_columns == fk->ncolumns;
            for (size_t c = 0; c < fk->nref_columns && p->own; c++)
                p->own = plan_column(cols, ncols, fk->ref_columns[c]) != NULL;
        }
        if (!p->own) {
            int rc = read_parent(conn, fk, p, err);
            if (rc != 0)
                return rc;
        }
        if (!p->own && p->rows == 0 && !p->nullable)
            *hopeless = 1;
    }
    return 0;
}

/* What filling one table needs from step to step. */
typedef struct dg_fill {
    borch_conn *conn;
    const borch_table *t;
    dg_col *cols;
    size_t ncols;
    dg_parent *parents;
    long first; /* row number of this fill's first row */
    long took;  /* rows the engine took so far */
} dg_fill;

/* Appends row n's values to values (ncols of them). */
static void row_values(const dg_fill *f, long n, char **values)
{
    for (size_t c = 0; c < f->ncols; c++)
        values[c] = f->cols[c].fk >= 0
                        ? fk_value(f->t, f->cols, f->ncols, f->parents, &f->cols[c], n, f->first)
                        : plain_value(&f->cols[c], n);
}

/* Reads the table's row count into *out; *failed when it cannot be read. */
static int count_rows(const dg_fill *f, long *out, int *failed, borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "SELECT COUNT(*) FROM ");
    put_table(&b, f->conn, f->t->name);
    *out = 0;
    int rc = attempt(f->conn, b.data, 0, NULL, take_count, out, failed, err);
    borch_buf_release(&b);
    return rc;
}

/* 1 when a self reference points at keys the engine makes: rows must then
 * go one at a time, the later ones pointing at the first. */
static int needs_single_rows(const dg_fill *f)
{
    for (size_t k = 0; k < f->t->nforeign_keys; k++)
        if (f->parents[k].self && !f->parents[k].own)
            return 1;
    return f->ncols == 0;
}

/*
 * Inserts rows n .. n+nrows-1 in one statement (the fast path: one round
 * trip, one commit). *failed when the engine refused it; then the rows go
 * again one by one. A non-transactional engine (MyISAM) may keep the rows
 * before the refused one: they are counted, and not tried again.
 */
static int insert_batch(dg_fill *f, long n, int nrows, int *failed, borch_error *err)
{
    size_t count = f->ncols * (size_t)nrows;
    char **values = borch_xcalloc(count, sizeof(*values));
    for (int r = 0; r < nrows; r++)
        row_values(f, n + r, values + (size_t)r * f->ncols);
    char *sql = insert_sql(f->conn, f->t, f->cols, f->ncols, nrows);
    int rc =
        attempt(f->conn, sql, (int)count, (const char *const *)values, NULL, NULL, failed, err);
    for (size_t i = 0; i < count; i++)
        free(values[i]);
    free(values);
    free(sql);
    if (rc == 0 && !*failed)
        f->took += nrows;
    return rc;
}

/* Inserts row n alone; a refused row is skipped. */
static int insert_one(dg_fill *f, long n, borch_error *err)
{
    /* a self reference to engine-made keys: once a row is in, point at it */
    for (size_t k = 0; k < f->t->nforeign_keys && f->took == 1; k++) {
        dg_parent *p = &f->parents[k];
        int rc;
        if (p->self && !p->own && p->rows == 0 &&
            (rc = read_parent(f->conn, &f->t->foreign_keys[k], p, err)) != 0)
            return rc;
    }
    char **values = borch_xcalloc(f->ncols + 1, sizeof(*values));
    row_values(f, n, values);
    char *sql = insert_sql(f->conn, f->t, f->cols, f->ncols, 1);
    int failed = 0;
    int rc =
        attempt(f->conn, sql, (int)f->ncols, (const char *const *)values, NULL, NULL, &failed, err);
    for (size_t c = 0; c < f->ncols; c++)
        free(values[c]);
    free(values);
    free(sql);
    if (rc == 0 && !failed)
        f->took++;
    return rc;
}

/* Parameters per statement: under SQLite's oldest limit (999) and far under PostgreSQL's. */
#define MAX_BATCH_PARAMS 999

/* Inserts rows rows after the have the table had: one statement per batch,
 * rows one by one only when the engine refuses the batch. */
static int insert_rows(dg_fill *f, int rows, long have, borch_error *err)
{
    int single = needs_single_rows(f), failed = 0, rc = 0;
    int per_batch = f->ncols ? (int)(MAX_BATCH_PARAMS / f->ncols) : 1;
    for (int i = 0; i < rows && rc == 0;) {
        int nrows = rows - i < per_batch ? rows - i : per_batch;
        long n = f->first + i;
        int from = 0;
        if (!single && nrows > 1) {
            if ((rc = insert_batch(f, n, nrows, &failed, err)) != 0)
                break;
            if (!failed) {
                i += nrows;
                continue;
            }
            long now = 0;
            int unread = 0;
            if ((rc = count_rows(f, &now, &unread, err)) != 0)
                break;
            if (!unread && now > have + f->took && now - have - f->took < nrows) {
                from = (int)(now - have - f->took); /* kept before the refused row */
                f->took += from;
            }
        }
        for (int r = from; r < nrows && rc == 0; r++)
            rc = insert_one(f, n + r, err);
        i += nrows;
    }
    return rc;
}

/*
 * Leaves more columns to the engine; 1 when there were any. A last resort
 * when no row went in: first the columns that have a default (PostgreSQL
 * reports a generated column's expression as its default, and refuses any
 * value for it), then, with nullable set, the nullable ones too (a MySQL
 * generated column, which the model does not mark, is nullable).
 */
static int leave_to_engine(dg_fill *f, int nullable)
{
    size_t kept = 0;
    for (size_t c = 0; c < f->ncols; c++) {
        if (f->cols[c].col->default_expr || (nullable && f->cols[c].nullable)) {
            dg_type_release(&f->cols[c].type);
            continue;
        }
        f->cols[kept++] = f->cols[c];
    }
    int dropped = kept < f->ncols;
    f->ncols = kept;
    return dropped;
}

/* Inserts up to rows rows into t; *inserted grows by the rows the engine took. */
static int fill_table(borch_conn *conn, const borch_schema *s, const borch_table *t, int rows,
                      long *inserted, borch_error *err)
{
    dg_col *cols = borch_xcalloc(t->ncolumns + 1, sizeof(*cols));
    dg_parent *parents = borch_xcalloc(t->nforeign_keys + 1, sizeof(*parents));
    dg_fill f = {.conn = conn, .t = t, .cols = cols, .parents = parents};
    f.ncols = plan_columns(s, t, cols);
    int hopeless = 0, failed = 0;
    long have = 0;
    int rc = load_parents(conn, t, cols, f.ncols, parents, &hopeless, err);
    if (rc != 0 || hopeless)
        goto done;
    if ((rc = count_rows(&f, &have, &failed, err)) != 0 || failed)
        goto done; /* a table we cannot read we cannot fill */
    f.first = have + 1;
    rc = insert_rows(&f, rows, have, err);
    for (int nullable = 0; nullable < 2 && rc == 0 && f.took == 0; nullable++)
        if (leave_to_engine(&f, nullable))
            rc = insert_rows(&f, rows, have, err);
    *inserted += f.took;
done:
    for (size_t c = 0; c < f.ncols; c++)
        dg_type_release(&cols[c].type);
    for (size_t k = 0; k < t->nforeign_keys; k++)
        borch_strv_release(&parents[k].values);
    free(cols);
    free(parents);
    return rc;
}

/* 1 when every parent of t (other than itself, and tables not in s) is done. */
static int parents_done(const borch_schema *s, const borch_table *t, const char *done)
{
    for (size_t k = 0; k < t->nforeign_keys; k++) {
        const char *ref = t->foreign_keys[k].ref_table;
        if (strcmp(ref, t->name) == 0)
            continue;
        for (size_t j = 0; j < s->ntables; j++)
            if (strcmp(s->tables[j].name, ref) == 0 && !done[j])
                return 0;
    }
    return 1;
}

int borch_datagen_fill(borch_conn *conn, const borch_schema *s, int rows_per_table, long *inserted,
                       borch_error *err)
{
    *inserted = 0;
    if (!s || s->ntables == 0 || rows_per_table <= 0)
        return 0;
    char *done = borch_xcalloc(s->ntables, 1);
    int rc = 0;
    for (size_t filled = 0; filled < s->ntables && rc == 0; filled++) {
        size_t pick = s->ntables;
        for (size_t j = 0; j < s->ntables && pick == s->ntables; j++)
            if (!done[j] && parents_done(s, &s->tables[j], done))
                pick = j;
        for (size_t j = 0; j < s->ntables && pick == s->ntables; j++)
            if (!done[j])
                pick = j; /* a cycle: break it here */
        done[pick] = 1;
        rc = fill_table(conn, s, &s->tables[pick], rows_per_table, inserted, err);
    }
    free(done);
    return rc;
}
