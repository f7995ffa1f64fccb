/*
 * pg_whatif.c - the index advisor's what-if session on PostgreSQL, with
 * HypoPG: candidate indexes are hypothetical (hypopg_create_index), kept
 * only in the memory of this connection's backend, and the planner sees
 * them when EXPLAIN plans a query. Nothing reaches the target's catalog.
 *
 * For the session's lifetime the connection runs with
 * default_transaction_read_only = on (so not even a function called at plan
 * time can write) and plan_cache_mode = force_generic_plan (so a statement
 * with $n parameters, prepared here, is planned once with unknown values, as
 * PostgreSQL 15 cannot EXPLAIN it directly). Both are restored at close.
 * See docs/advise-postgres.md for the method and its limits.
 */
#include "pg_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

#define STMT_NAME "borch_whatif_q"

/* One candidate: its hypothetical index, or live == 0 once dropped. */
typedef struct candidate {
    char *oid;  /* indexrelid, as text */
    char *name; /* "<oid>btree_orders_customer_id", as EXPLAIN names it */
    int live;
} candidate;

/* The session; borch_whatif * handed out by this driver points to one. */
typedef struct pg_whatif {
    pg_conn *conn;
    const borch_schema *model; /* for parameter types; may be NULL */
    char *ext;                 /* quoted schema of the hypopg functions */
    char *saved_read_only;     /* the settings to restore at close */
    char *saved_plan_cache;
    candidate *cands; /* id = index */
    size_t ncands, cap;
} pg_whatif;

static pg_whatif *whatif_of(borch_whatif *w)
{
    return (pg_whatif *)w;
}

/* Runs the sql before + "<hypopg's schema>." + after (a call of a hypopg function). */
static int run_ext(pg_whatif *w, const char *before, const char *after, int nparams,
                   const char *const *params, PGresult **out, borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s%s.%s", before, w->ext, after);
    int rc = pg_run(w->conn->pg, b.data, nparams, params, out, err);
    borch_buf_release(&b);
    return rc;
}

/* Puts the connection back as it was: no hypothetical index, old settings. */
static void restore(pg_whatif *w)
{
    const char *params[2] = {w->saved_read_only, w->saved_plan_cache};
    borch_error e = {0};
    run_ext(w, "SELECT ",
            "hypopg_reset(), set_config('default_transaction_read_only', $1, false),"
            " set_config('plan_cache_mode', $2, false)",
            2, params, NULL, &e);
    borch_error_clear(&e);
}

static void whatif_free(pg_whatif *w)
{
    for (size_t i = 0; i < w->ncands; i++) {
        free(w->cands[i].oid);
        free(w->cands[i].name);
    }
    free(w->cands);
    free(w->ext);
    free(w->saved_read_only);
    free(w->saved_plan_cache);
    free(w);
}

/*
 * Checks that HypoPG is installed in the target database, remembers the
 * settings it changes, and starts from no hypothetical index. Installing
 * the extension writes to the catalog, so that is left to the user.
 */
int pg_whatif_open(borch_conn *target, borch_conn *scratch, const borch_schema *model,
                   borch_whatif **out, borch_error *err)
{
    (void)scratch; /* HypoPG works on the target itself */
    *out = NULL;
    pg_conn *c = pg_of(target);
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return borch_error_set(err, BORCH_ESTATE,
                               "a what-if session cannot be opened inside a transaction");
    PGresult *res;
    int rc = pg_run(c->pg,
                    "SELECT current_database(), current_setting('server_version_num')::int / 10000,"
                    " (SELECT quote_ident(n.nspname) FROM pg_extension e"
                    "  JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'),"
                    " current_setting('default_transaction_read_only'),"
                    " current_setting('plan_cache_mode')",
                    0, NULL, &res, err);
    if (rc)
        return rc;
    if (PQgetisnull(res, 0, 2)) {
        rc = borch_error_set(err, BORCH_EUNSUPPORTED,
                             "the HypoPG extension is not installed in database '%s'",
                             PQgetvalue(res, 0, 0));
        borch_error_hint(err,
                         "install it with: apt-get install postgresql-%s-hypopg (or build from "
                         "github.com/HypoPG/hypopg), then CREATE EXTENSION hypopg; in that "
                         "database (needs a superuser)",
                         PQgetvalue(res, 0, 1));
        PQclear(res);
        return rc;
    }
    pg_whatif *w = borch_xcalloc(1, sizeof(*w));
    w->conn = c;
    w->model = model;
    w->ext = borch_xstrdup(PQgetvalue(res, 0, 2));
    w->saved_read_only = borch_xstrdup(PQgetvalue(res, 0, 3));
    w->saved_plan_cache = borch_xstrdup(PQgetvalue(res, 0, 4));
    PQclear(res);
    rc = run_ext(w, "SELECT ",
                 "hypopg_reset(), set_config('default_transaction_read_only', 'on', false),"
                 " set_config('plan_cache_mode', 'force_generic_plan', false)",
                 0, NULL, NULL, err);
    if (rc) {
        restore(w);
        whatif_free(w);
        return rc;
    }
    *out = (borch_whatif *)w;
    return 0;
}

/* Adds a hypothetical btree index on table(columns) in the connection's schema. */
int pg_whatif_add_index(borch_whatif *bw, const char *table, const char *const *columns,
                        size_t ncolumns, int *out_id, borch_error *err)
{
    pg_whatif *w = whatif_of(bw);
    *out_id = -1;
    if (!table || !*table || ncolumns == 0)
        return borch_error_set(err, BORCH_EINPUT, "a candidate index needs a table and a column");
    borch_buf def;
    borch_buf_init(&def);
    borch_buf_puts(&def, "CREATE INDEX ON ");
    if (w->conn->base.schema && *w->conn->base.schema) {
        char *q = borch_postgres_driver.quote_ident(w->conn->base.schema);
        borch_buf_printf(&def, "%s.", q);
        free(q);
    }
    char *qt = borch_postgres_driver.quote_ident(table);
    borch_buf_printf(&def, "%s (", qt);
    free(qt);
    for (size_t i = 0; i < ncolumns; i++) {
        if (!columns[i] || !*columns[i]) {
            borch_buf_release(&def);
            return borch_error_set(err, BORCH_EINPUT,
                                   "candidate index on '%s' has an empty column name", table);
        }
        char *qc = borch_postgres_driver.quote_ident(columns[i]);
        borch_buf_printf(&def, "%s%s", i ? ", " : "", qc);
        free(qc);
    }
    borch_buf_putc(&def, ')');
    const char *params[1] = {def.data};
    PGresult *res;
    int rc = run_ext(w, "SELECT indexrelid, indexname FROM ", "hypopg_create_index($1)", 1, params,
                     &res, err);
    if (rc) {
        borch_error_statement(err, def.data);
        borch_buf_release(&def);
        return rc;
    }
    borch_buf_release(&def);
    if (PQntuples(res) != 1) {
        PQclear(res);
        return borch_error_set(err, BORCH_EFAIL, "hypopg made no index on '%s'", table);
    }
    borch_grow((void **)&w->cands, &w->cap, w->ncands + 1, sizeof(*w->cands));
    candidate *cand = &w->cands[w->ncands];
    cand->oid = borch_xstrdup(PQgetvalue(res, 0, 0));
    cand->name = borch_xstrdup(PQgetvalue(res, 0, 1));
    cand->live = 1;
    PQclear(res);
    *out_id = (int)w->ncands++;
    return 0;
}

/* Forgets one hypothetical index; later plans no longer see it. */
int pg_whatif_drop_index(borch_whatif *bw, int id, borch_error *err)
{
    pg_whatif *w = whatif_of(bw);
    if (id < 0 || (size_t)id >= w->ncands || !w->cands[id].live)
        return borch_error_set(err, BORCH_EINPUT, "no candidate index with id %d", id);
    const char *params[1] = {w->cands[id].oid};
    int rc = run_ext(w, "SELECT ", "hypopg_drop_index($1::oid)", 1, params, NULL, err);
    if (rc)
        return rc;
    w->cands[id].live = 0;
    return 0;
}

/* ---- parameters ---------------------------------------------------------- */

/* A character that may continue an unquoted name ('$' too, as in a$1). */
static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/*
 * Length of the string, quoted name, dollar quote or comment starting at s
 * (0: none starts there); prev is the character before s (0 at the start).
 */
static size_t skip_quoted(const char *s, char prev)
{
    const char *p = s;
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        return (size_t)(p - s);
    }
    if (p[0] == '/' && p[1] == '*') { /* PostgreSQL comments nest */
        int depth = 0;
        while (*p) {
            if (p[0] == '/' && p[1] == '*') {
                depth++;
                p += 2;
            } else if (p[0] == '*' && p[1] == '/') {
                p += 2;
                if (--depth == 0)
                    break;
            } else {
                p++;
            }
        }
        return (size_t)(p - s);
    }
    if (*p == '\'' || *p == '"') {
        char q = *p++;
        int backslash = q == '\'' && (prev == 'E' || prev == 'e'); /* E'...' escapes */
        while (*p) {
            if (backslash && *p == '\\' && p[1]) {
                p += 2;
            } else if (*p == q) {
                if (p[1] != q)
                    return (size_t)(p + 1 - s);
                p += 2;
            } else {
                p++;
            }
        }
        return (size_t)(p - s);
    }
    if (*p == '$' && !ident_char(prev) &&
        (p[1] == '$' || isalpha((unsigned char)p[1]) || p[1] == '_')) {
        const char *t = p + 1; /* $tag$ ... $tag$ */
        while (isalnum((unsigned char)*t) || *t == '_')
            t++;
        if (*t != '$')
            return 0;
        size_t taglen = (size_t)(t + 1 - p);
        const char *end = strstr(t + 1, "$");
        while (end && strncmp(end, p, taglen) != 0)
            end = strstr(end + 1, "$");
        return end ? (size_t)(end + taglen - s) : strlen(s);
    }
    return 0;
}

/*
 * Copies sql into *out with '?' placeholders numbered $1, $2, ... (only when
 * sql has no $n of its own; "?|" and "?&" are jsonb operators and stay) and
 * returns the number of parameters: the highest $n, or the count of '?'.
 * Strings, quoted names, dollar quotes and comments are copied untouched.
 */
static int number_params(const char *sql, char **out)
{
    int maxn = 0, nq = 0;
    for (const char *p = sql; *p;) {
        size_t skip = skip_quoted(p, p == sql ? 0 : p[-1]);
        if (skip) {
            p += skip;
        } else if (*p == '$' && isdigit((unsigned char)p[1]) && (p == sql || !ident_char(p[-1]))) {
            int n = atoi(p + 1);
            maxn = n > maxn ? n : maxn;
            p++;
            while (isdigit((unsigned char)*p))
                p++;
        } else {
            if (*p == '?' && p[1] != '|' && p[1] != '&')
                nq++;
            p++;
        }
    }
    if (maxn > 0 || nq == 0) {
        *out = borch_xstrdup(sql);
        return maxn;
    }
    borch_buf b;
    borch_buf_init(&b);
    int n = 0;
    for (const char *p = sql; *p;) {
        size_t skip = skip_quoted(p, p == sql ? 0 : p[-1]);
        if (skip) {
            borch_buf_append(&b, p, skip);
            p += skip;
        } else if (*p == '?' && p[1] != '|' && p[1] != '&') {
            borch_buf_printf(&b, "$%d", ++n);
            p++;
        } else {
            borch_buf_putc(&b, *p++);
        }
    }
    *out = b.data;
    return n;
}

/*
 * The model's type of "table.column", or NULL. The type goes into the
 * PREPARE's text, so one with characters no type name has is not used.
 */
static const char *column_type(const borch_schema *model, const char *qualified)
{
    const char *dot = qualified ? strrchr(qualified, '.') : NULL;
    if (!model || !dot)
        return NULL;
    char *table = borch_xstrndup(qualified, (size_t)(dot - qualified));
    borch_table *t = borch_schema_table(model, table);
    free(table);
    borch_column *col = t ? borch_table_column(t, dot + 1) : NULL;
    if (!col || !col->type || !*col->type)
        return NULL;
    for (const char *p = col->type; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(" _(),.\"[]", *p))
            return NULL;
    return col->type;
}

/*
 * PREPAREs sql as STMT_NAME, letting the server infer each parameter's
 * type. A parameter it cannot infer ("could not determine data type of
 * parameter $3") gets the type of the column it is compared with, or text,
 * and the PREPARE is tried again.
 */
static int prepare(pg_whatif *w, const char *sql, int nparams, const char *const *param_columns,
                   size_t ncolumns, borch_error *err)
{
    const char **types = borch_xcalloc((size_t)nparams, sizeof(*types));
    borch_buf b;
    borch_buf_init(&b);
    borch_error e = {0};
    int rc = 0;
    for (int attempt = 0; attempt <= nparams; attempt++) {
        borch_error_clear(&e);
        borch_buf_clear(&b);
        borch_buf_puts(&b, "PREPARE " STMT_NAME);
        int typed = 0;
        for (int i = 0; i < nparams; i++)
            typed |= types[i] != NULL;
        for (int i = 0; typed && i < nparams; i++)
            borch_buf_printf(&b, "%s%s", i ? ", " : "(", types[i] ? types[i] : "unknown");
        borch_buf_printf(&b, "%s AS %s", typed ? ")" : "", sql);
        rc = pg_run(w->conn->pg, b.data, 0, NULL, NULL, &e);
        if (rc == 0 || strcmp(e.sqlstate, "42P18") != 0)
            break;
        const char *dollar = strrchr(e.message, '$');
        int n = dollar ? atoi(dollar + 1) : 0;
        if (n < 1 || n > nparams || types[n - 1])
            break;
        const char *type = param_columns && (size_t)(n - 1) < ncolumns
                               ? column_type(w->model, param_columns[n - 1])
                               : NULL;
        types[n - 1] = type ? type : "text";
    }
    if (rc && err)
        *err = e; /* hands over its statement */
    else
        borch_error_clear(&e);
    borch_buf_release(&b);
    free(types);
    return rc;
}

/* EXPLAIN (FORMAT JSON) of sql, or of the prepared statement with NULLs. */
static int explain_json(pg_whatif *w, const char *sql, int nparams,
                        const char *const *param_columns, size_t ncolumns, char **out,
                        borch_error *err)
{
    *out = NULL;
    borch_buf b;
    borch_buf_init(&b);
    int rc = 0;
    if (nparams > 0) {
        rc = prepare(w, sql, nparams, param_columns, ncolumns, err);
        if (rc)
            goto done;
        borch_buf_puts(&b, "EXPLAIN (FORMAT JSON) EXECUTE " STMT_NAME "(");
        for (int i = 0; i < nparams; i++)
            borch_buf_puts(&b, i ? ", NULL" : "NULL");
        borch_buf_putc(&b, ')');
    } else {
        borch_buf_printf(&b, "EXPLAIN (FORMAT JSON) %s", sql);
    }
    PGresult *res;
    rc = pg_run(w->conn->pg, b.data, 0, NULL, &res, err);
    if (nparams > 0) {
        borch_error e2 = {0};
        int rc2 = pg_run(w->conn->pg, "DEALLOCATE " STMT_NAME, 0, NULL, NULL, &e2);
        if (rc == 0 && rc2) {
            PQclear(res);
            if (err)
                *err = e2; /* hands over its statement */
            else
                borch_error_clear(&e2);
            rc = rc2;
            goto done;
        }
        borch_error_clear(&e2);
    }
    if (rc == 0) {
        *out = borch_xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
        PQclear(res);
    }
done:
    borch_buf_release(&b);
    return rc;
}

/* ---- the plan ------------------------------------------------------------ */

static const char *str_of(const json_t *node, const char *key)
{
    return json_string_value(json_object_get(node, key));
}

/* Counts and names what one plan node and its children use; one text line each. */
static void walk(const pg_whatif *w, const json_t *node, int depth, borch_whatif_plan *p,
                 borch_buf *text)
{
    const char *type = str_of(node, "Node Type");
    const char *rel = str_of(node, "Relation Name");
    const char *alias = str_of(node, "Alias");
    const char *index = str_of(node, "Index Name");
    const char *operation = str_of(node, "Operation"); /* ModifyTable: Update, Delete, ... */
    if (!type)
        return;
    if (strcmp(type, "Seq Scan") == 0)
        p->full_scans++;
    /* An index (only) scan with no condition walks the whole index. */
    if (index && (strcmp(type, "Index Scan") == 0 || strcmp(type, "Index Only Scan") == 0) &&
        !json_object_get(node, "Index Cond"))
        p->index_scans++;
    if (strcmp(type, "Sort") == 0 || strcmp(type, "Incremental Sort") == 0)
        p->sorts++;
    if (index) {
        int found = 0;
        for (size_t i = 0; i < w->ncands && !found; i++) {
            if (w->cands[i].live && strcmp(w->cands[i].name, index) == 0) {
                borch_whatif_plan_add_candidate(p, (int)i);
                found = 1;
            }
        }
        if (!found)
            borch_whatif_plan_add_index(p, index);
    }
    borch_buf_printf(text, "%*s%s", depth * 2, "",
                     strcmp(type, "ModifyTable") == 0 && operation ? operation : type);
    const char *direction = str_of(node, "Scan Direction");
    if (direction && strcmp(direction, "Backward") == 0)
        borch_buf_puts(text, " Backward");
    if (index)
        borch_buf_printf(text, " using %s", index);
    if (rel) {
        borch_buf_printf(text, " on %s", rel);
        if (alias && strcmp(alias, rel) != 0)
            borch_buf_printf(text, " %s", alias);
    }
    borch_buf_printf(text, "  (cost=%.2f..%.2f)\n",
                     json_number_value(json_object_get(node, "Startup Cost")),
                     json_number_value(json_object_get(node, "Total Cost")));
    size_t i;
    json_t *child;
    json_array_foreach(json_object_get(node, "Plans"), i, child)
    {
        walk(w, child, depth + 1, p, text);
    }
}

/* Fills p from the text of an EXPLAIN (FORMAT JSON) result. */
static int read_plan(const pg_whatif *w, const char *json, borch_whatif_plan *p, borch_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loads(json, 0, &jerr);
    json_t *top = json_object_get(json_array_get(doc, 0), "Plan");
    json_t *cost = json_object_get(top, "Total Cost");
    if (!json_is_number(cost)) {
        json_decref(doc);
        return borch_error_set(err, BORCH_EFAIL, "the server's plan has no 'Total Cost'");
    }
    p->cost = json_number_value(cost);
    borch_buf text;
    borch_buf_init(&text);
    walk(w, top, 0, p, &text);
    if (text.len && text.data[text.len - 1] == '\n')
        text.data[--text.len] = '\0';
    p->text = borch_buf_detach(&text);
    json_decref(doc);
    return 0;
}

/*
 * Plans sql as if the live candidates existed. EXPLAIN without ANALYZE
 * never runs the statement, so UPDATE and DELETE are safe to plan; the
 * session is read-only besides.
 */
int pg_whatif_explain(borch_whatif *bw, const char *sql, const char *const *param_columns,
                      size_t nparams, borch_whatif_plan *out, borch_error *err)
{
    pg_whatif *w = whatif_of(bw);
    memset(out, 0, sizeof(*out));
    /* the count in the text wins: a $1 used twice may be listed twice in param_columns */
    char *numbered;
    int n = number_params(sql, &numbered);
    char *json;
    int rc = explain_json(w, numbered, n, param_columns, nparams, &json, err);
    free(numbered);
    if (rc) {
        if (err && rc == BORCH_ESQL) /* show the statement as the user wrote it */
            borch_error_statement(err, sql);
        return rc;
    }
    rc = read_plan(w, json, out, err);
    free(json);
    if (rc)
        borch_whatif_plan_release(out);
    return rc;
}

/* Drops every hypothetical index and restores the connection's settings. */
void pg_whatif_close(borch_whatif *bw)
{
    pg_whatif *w = whatif_of(bw);
    if (!w)
        return;
    restore(w);
    whatif_free(w);
}
