/*
 * records.c - the history and audit tables, written once for every driver.
 *
 * Only the driver's query, quote_ident and placeholder slots and its column
 * type names are used, so the SQL here is the portable core of the dialects:
 * CREATE TABLE IF NOT EXISTS, SELECT/INSERT/UPDATE/DELETE with parameters,
 * ORDER BY ... LIMIT 1, and SAVEPOINT. Every parameter goes as text; the
 * engines convert "1234" into a BIGINT column themselves.
 *
 * "Is the table there?" is asked without catalog SQL: a SELECT that returns
 * no row fails only when the table is missing (or unreadable). Because a
 * failed statement aborts a PostgreSQL transaction, the probe runs under a
 * SAVEPOINT when a transaction is open, and a failure is only taken for
 * "missing" once a trivial SELECT shows the connection is still alive.
 */
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/* The table's name as SQL: "schema"."table" when the connection has a schema. */
static char *table_sql(const borch_conn *conn, const char *table)
{
    borch_buf b;
    borch_buf_init(&b);
    if (conn->schema && *conn->schema) {
        char *s = conn->driver->quote_ident(conn->schema);
        borch_buf_puts(&b, s);
        borch_buf_putc(&b, '.');
        free(s);
    }
    char *t = conn->driver->quote_ident(table);
    borch_buf_puts(&b, t);
    free(t);
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out;
}

/*
 * Expands a statement template: "%T" is the table, "%c" the next column of
 * cols (quoted), "%?" the next placeholder. Keeps the SQL readable while
 * every identifier and parameter goes through the driver.
 */
static char *build_sql(const borch_conn *conn, const char *table, const char *tmpl,
                       const char *const *cols)
{
    borch_buf b;
    borch_buf_init(&b);
    int param = 0;
    size_t col = 0;
    for (const char *p = tmpl; *p; p++) {
        if (p[0] != '%' || !p[1]) {
            borch_buf_putc(&b, *p);
            continue;
        }
        p++;
        if (*p == 'T') {
            char *t = table_sql(conn, table);
            borch_buf_puts(&b, t);
            free(t);
        } else if (*p == 'c') {
            char *c = conn->driver->quote_ident(cols[col++]);
            borch_buf_puts(&b, c);
            free(c);
        } else if (*p == '?') {
            char ph[16];
            conn->driver->placeholder(++param, ph, sizeof(ph));
            borch_buf_puts(&b, ph);
        } else if (*p == 'K') {
            borch_buf_puts(&b, conn->driver->key_text_type);
        } else if (*p == 'X') {
            borch_buf_puts(&b, conn->driver->text_type);
        } else if (*p == 'B') {
            borch_buf_puts(&b, conn->driver->bigint_type);
        } else {
            borch_buf_putc(&b, '%');
            borch_buf_putc(&b, *p);
        }
    }
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out;
}

/* Runs a template with parameters; rows (if any) go to fn. */
static int run(borch_conn *conn, const char *table, const char *tmpl, const char *const *cols,
               int nparams, const char *const *params, borch_row_fn fn, void *payload,
               borch_error *err)
{
    char *sql = build_sql(conn, table, tmpl, cols);
    int rc = conn->driver->query(conn, sql, nparams, params, fn, payload, err);
    free(sql);
    return rc;
}

static int run_plain(borch_conn *conn, const char *sql, borch_error *err)
{
    return conn->driver->query(conn, sql, 0, NULL, NULL, NULL, err);
}

/*
 * Which bookkeeping tables this connection has seen exist, so that a run of
 * a thousand migrations does not probe or CREATE ... IF NOT EXISTS a
 * thousand times (each a round trip, and DDL on MySQL commits). Only what
 * was seen outside a transaction counts: a table created inside one may
 * still roll back.
 */
enum { KNOWN_HISTORY = 1u << 0, KNOWN_AUDIT = 1u << 1 };

static unsigned known_bit(const borch_conn *conn, const char *table)
{
    if (table == conn->history_table)
        return KNOWN_HISTORY;
    if (table == conn->audit_table)
        return KNOWN_AUDIT;
    return 0;
}

/* *exists = whether table can be read; see the file comment for how. */
static int table_exists(borch_conn *conn, const char *table, int *exists, borch_error *err)
{
    static const char *const none[] = {NULL};
    unsigned bit = known_bit(conn, table);
    if (bit && (conn->tables_known & bit)) {
        *exists = 1;
        return 0;
    }
    int in_tx = conn->in_transaction;
    int rc;
    if (in_tx && (rc = run_plain(conn, "SAVEPOINT borch_probe", err)) != 0)
        return rc;
    borch_error probe = {0};
    int failed = run(conn, table, "SELECT 1 FROM %T WHERE 1 = 0", none, 0, NULL, NULL, NULL,
                     &probe) != 0;
    borch_error_clear(&probe);
    if (in_tx) {
        if (failed && (rc = run_plain(conn, "ROLLBACK TO SAVEPOINT borch_probe", err)) != 0)
            return rc;
        if ((rc = run_plain(conn, "RELEASE SAVEPOINT borch_probe", err)) != 0)
            return rc;
    }
    if (failed && (rc = run_plain(conn, "SELECT 1", err)) != 0)
        return rc; /* the connection itself is gone: that is the error */
    *exists = !failed;
    if (!failed && !in_tx)
        conn->tables_known |= bit;
    return 0;
}

/* ---- history ---- */

static const char *const history_cols[] = {"version",    "name",        "checksum", "applied_at",
                                           "applied_by", "duration_ms", "state",    "error"};

int borch_history_ensure(borch_conn *conn, borch_error *err)
{
    if (conn->tables_known & KNOWN_HISTORY)
        return 0;
    int rc = run(conn, conn->history_table,
               "CREATE TABLE IF NOT EXISTS %T (%c %K NOT NULL PRIMARY KEY, %c %X NOT NULL,"
               " %c %K NOT NULL, %c %K NOT NULL, %c %X NOT NULL, %c %B NOT NULL,"
               " %c %K NOT NULL, %c %X)",
               history_cols, 0, NULL, NULL, NULL, err);
    if (rc == 0 && !conn->in_transaction)
        conn->tables_known |= KNOWN_HISTORY;
    return rc;
}

/* Versions are digit strings compared as numbers: fewer significant digits is smaller. */
static int version_cmp(const char *a, const char *b)
{
    while (*a == '0' && a[1])
        a++;
    while (*b == '0' && b[1])
        b++;
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

static int history_row_cmp(const void *x, const void *y)
{
    const borch_history_row *a = x, *b = y;
    return version_cmp(a->version ? a->version : "", b->version ? b->version : "");
}

static long long to_ll(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

static int history_collect(void *payload, int ncols, const char *const *names,
                           const char *const *values)
{
    (void)names;
    borch_history *h = payload;
    if (ncols < 8)
        return 1;
    borch_grow((void **)&h->rows, &h->cap, h->count + 1, sizeof(*h->rows));
    borch_history_row *r = &h->rows[h->count++];
    r->version = borch_xstrdup(values[0] ? values[0] : "");
    r->name = borch_xstrdup(values[1] ? values[1] : "");
    r->checksum = borch_xstrdup(values[2] ? values[2] : "");
    r->applied_at = borch_xstrdup(values[3] ? values[3] : "");
    r->applied_by = borch_xstrdup(values[4] ? values[4] : "");
    r->duration_ms = to_ll(values[5]);
    r->state = borch_xstrdup(values[6] ? values[6] : "");
    r->error = borch_xstrdup(values[7]);
    return 0;
}

int borch_history_load(borch_conn *conn, borch_history *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    int exists = 0;
    int rc = table_exists(conn, conn->history_table, &exists, err);
    if (rc || !exists)
        return rc;
    out->table_exists = 1;
    rc = run(conn, conn->history_table, "SELECT %c, %c, %c, %c, %c, %c, %c, %c FROM %T",
             history_cols, 0, NULL, history_collect, out, err);
    if (rc) {
        borch_history_release(out);
        return rc;
    }
    if (out->count > 1)
        qsort(out->rows, out->count, sizeof(*out->rows), history_row_cmp);
    return 0;
}

void borch_history_release(borch_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->count; i++) {
        borch_history_row *r = &h->rows[i];
        free(r->version);
        free(r->name);
        free(r->checksum);
        free(r->applied_at);
        free(r->applied_by);
        free(r->state);
        free(r->error);
    }
    free(h->rows);
    memset(h, 0, sizeof(*h));
}

borch_history_row *borch_history_find(const borch_history *h, const char *version)
{
    for (size_t i = 0; i < h->count; i++)
        if (version_cmp(h->rows[i].version, version) == 0)
            return &h->rows[i];
    return NULL;
}

static int found_row(void *payload, int ncols, const char *const *names,
                     const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    *(int *)payload = 1;
    return 1;
}

int borch_history_exists(borch_conn *conn, const char *version, int *found, borch_error *err)
{
    *found = 0;
    const char *params[] = {version};
    return run(conn, conn->history_table, "SELECT 1 FROM %T WHERE %c = %?", history_cols, 1,
               params, found_row, found, err);
}

int borch_history_insert(borch_conn *conn, const borch_history_row *row, borch_error *err)
{
    char dur[32];
    snprintf(dur, sizeof(dur), "%lld", row->duration_ms);
    const char *params[] = {row->version,    row->name, row->checksum, row->applied_at,
                            row->applied_by, dur,       row->state,    row->error};
    return run(conn, conn->history_table,
               "INSERT INTO %T (%c, %c, %c, %c, %c, %c, %c, %c)"
               " VALUES (%?, %?, %?, %?, %?, %?, %?, %?)",
               history_cols, 8, params, NULL, NULL, err);
}

int borch_history_set_state(borch_conn *conn, const char *version, const char *state,
                            const char *error, long long duration_ms, borch_error *err)
{
    static const char *const cols[] = {"state", "error", "duration_ms", "version"};
    char dur[32];
    snprintf(dur, sizeof(dur), "%lld", duration_ms);
    const char *params[] = {state, error, dur, version};
    return run(conn, conn->history_table, "UPDATE %T SET %c = %?, %c = %?, %c = %? WHERE %c = %?",
               cols, 4, params, NULL, NULL, err);
}

int borch_history_delete(borch_conn *conn, const char *version, borch_error *err)
{
    const char *params[] = {version};
    return run(conn, conn->history_table, "DELETE FROM %T WHERE %c = %?", history_cols, 1, params,
               NULL, NULL, err);
}

/* ---- audit ---- */

static const char *const audit_cols[] = {"seq",       "at",   "action", "version",
                                         "outcome",   "prev_hash", "hash", "record"};

int borch_audit_table_ensure(borch_conn *conn, borch_error *err)
{
    if (conn->tables_known & KNOWN_AUDIT)
        return 0;
    int rc = run(conn, conn->audit_table,
               "CREATE TABLE IF NOT EXISTS %T (%c %B NOT NULL PRIMARY KEY, %c %K NOT NULL,"
               " %c %K NOT NULL, %c %K, %c %K NOT NULL, %c %K, %c %K NOT NULL, %c %X NOT NULL)",
               audit_cols, 0, NULL, NULL, NULL, err);
    if (rc == 0 && !conn->in_transaction)
        conn->tables_known |= KNOWN_AUDIT;
    return rc;
}

int borch_audit_table_insert(borch_conn *conn, const borch_audit_row *row, borch_error *err)
{
    char seq[32];
    snprintf(seq, sizeof(seq), "%lld", row->seq);
    const char *params[] = {seq,          row->at,        row->action, row->version,
                            row->outcome, row->prev_hash, row->hash,   row->record};
    return run(conn, conn->audit_table,
               "INSERT INTO %T (%c, %c, %c, %c, %c, %c, %c, %c)"
               " VALUES (%?, %?, %?, %?, %?, %?, %?, %?)",
               audit_cols, 8, params, NULL, NULL, err);
}

typedef struct audit_list {
    borch_audit_row *rows;
    size_t count, cap;
} audit_list;

static void audit_fill(borch_audit_row *r, const char *const *values)
{
    r->seq = to_ll(values[0]);
    r->at = borch_xstrdup(values[1] ? values[1] : "");
    r->action = borch_xstrdup(values[2] ? values[2] : "");
    r->version = borch_xstrdup(values[3]);
    r->outcome = borch_xstrdup(values[4] ? values[4] : "");
    r->prev_hash = borch_xstrdup(values[5] ? values[5] : "");
    r->hash = borch_xstrdup(values[6] ? values[6] : "");
    r->record = borch_xstrdup(values[7] ? values[7] : "");
}

static int audit_collect(void *payload, int ncols, const char *const *names,
                         const char *const *values)
{
    (void)names;
    audit_list *l = payload;
    if (ncols < 8)
        return 1;
    borch_grow((void **)&l->rows, &l->cap, l->count + 1, sizeof(*l->rows));
    audit_fill(&l->rows[l->count++], values);
    return 0;
}

int borch_audit_table_load(borch_conn *conn, borch_audit_row **rows, size_t *count,
                           borch_error *err)
{
    *rows = NULL;
    *count = 0;
    int exists = 0;
    int rc = table_exists(conn, conn->audit_table, &exists, err);
    if (rc || !exists)
        return rc;
    audit_list l = {0};
    rc = run(conn, conn->audit_table, "SELECT %c, %c, %c, %c, %c, %c, %c, %c FROM %T ORDER BY %c",
             (const char *const[]){"seq", "at", "action", "version", "outcome", "prev_hash",
                                   "hash", "record", "seq"},
             0, NULL, audit_collect, &l, err);
    if (rc) {
        borch_audit_rows_free(l.rows, l.count);
        return rc;
    }
    *rows = l.rows;
    *count = l.count;
    return 0;
}

typedef struct audit_one {
    borch_audit_row *out;
    int *found;
} audit_one;

static int audit_take_one(void *payload, int ncols, const char *const *names,
                          const char *const *values)
{
    (void)names;
    audit_one *o = payload;
    if (ncols < 8)
        return 1;
    audit_fill(o->out, values);
    *o->found = 1;
    return 1;
}

int borch_audit_table_last(borch_conn *conn, borch_audit_row *out, int *found, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    *found = 0;
    int exists = 0;
    int rc = table_exists(conn, conn->audit_table, &exists, err);
    if (rc || !exists)
        return rc;
    audit_one o = {out, found};
    return run(conn, conn->audit_table,
               "SELECT %c, %c, %c, %c, %c, %c, %c, %c FROM %T ORDER BY %c DESC LIMIT 1",
               (const char *const[]){"seq", "at", "action", "version", "outcome", "prev_hash",
                                     "hash", "record", "seq"},
               0, NULL, audit_take_one, &o, err);
}

void borch_audit_row_release(borch_audit_row *row)
{
    if (!row)
        return;
    free(row->at);
    free(row->action);
    free(row->version);
    free(row->outcome);
    free(row->prev_hash);
    free(row->hash);
    free(row->record);
    memset(row, 0, sizeof(*row));
}

void borch_audit_rows_free(borch_audit_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        borch_audit_row_release(&rows[i]);
    free(rows);
}
