/*
 * pg_introspect.c - reads one PostgreSQL schema into the schema model.
 *
 * In the manner of pg_dump: one catalog query per kind of object for the
 * whole schema (tables, columns, constraints, indexes, views, enums,
 * sequences: seven round trips whatever the schema's size), then the rows
 * are linked to their tables in memory. The queries run in one
 * REPEATABLE READ read-only transaction when none is open, so they all see
 * the same catalog.
 *
 * The schema is the configured one, or else current_schema() (the first
 * existing schema of search_path, normally "public").
 *
 * Left out: the borch_* bookkeeping tables (and the configured history and
 * audit tables), partitions (their parent stands for them), and members of
 * extensions (e.g. hypopg's views), which belong to the extension.
 *
 * Normalization (so that equal schemas compare equal):
 * - types are format_type()'s text: "integer", "character varying(200)",
 *   "timestamp with time zone", "numeric(10,2)", "text[]";
 * - a serial column (a nextval() default on a sequence owned by the column)
 *   is identity=1 with no default, like GENERATED ... AS IDENTITY, so the
 *   two spellings of an auto-numbered column compare equal;
 * - defaults, index expressions and predicates, check expressions and view
 *   definitions are the server's deparsed text (pg_get_expr and friends);
 *   check expressions lose their outermost parentheses;
 * - a UNIQUE constraint is an index with constraint=1 (its backing index is
 *   not listed again); primary-key and exclusion-constraint indexes are not
 *   indexes of the model; method is NULL for btree.
 */
#include "pg_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* The relations of the schema, less bookkeeping tables and extension members. */
#define REL_FILTER                                                                                 \
    " n.nspname = coalesce($1, current_schema()) AND c.relname NOT LIKE 'borch\\_%' AND c.relname <> $2 AND c.relname <> $3"   \
    " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass"            \
    " AND e.objid = c.oid AND e.deptype = 'e')"

#define TABLE_FILTER " c.relkind IN ('r', 'p') AND NOT c.relispartition AND" REL_FILTER

static const char q_tables[] =
    "SELECT c.relname, obj_description(c.oid, 'pg_class')"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE" TABLE_FILTER " ORDER BY c.relname COLLATE \"C\"";

static const char q_columns[] =
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
    " pg_get_expr(d.adbin, d.adrelid, true), a.attidentity <> '',"
    " EXISTS (SELECT 1 FROM pg_depend s JOIN pg_class sc ON sc.oid = s.objid"
    "  WHERE s.classid = 'pg_class'::regclass AND s.refclassid = 'pg_class'::regclass"
    "  AND s.refobjid = a.attrelid AND s.refobjsubid = a.attnum AND s.deptype = 'a'"
    "  AND sc.relkind = 'S')"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    " WHERE a.attnum > 0 AND NOT a.attisdropped AND" TABLE_FILTER
    " ORDER BY c.relname COLLATE \"C\", a.attnum";

#define ATTNAMES(keys, rel)                                                                        \
    "to_json(ARRAY(SELECT a.attname FROM unnest(k." keys ") WITH ORDINALITY u(num, ord)"           \
    " JOIN pg_attribute a ON a.attrelid = k." rel " AND a.attnum = u.num ORDER BY u.ord))"

static const char q_constraints[] =
    "SELECT c.relname, k.conname, k.contype, " ATTNAMES("conkey", "conrelid") ","
    " CASE WHEN rn.nspname = n.nspname THEN r.relname ELSE rn.nspname || '.' || r.relname END,"
    " " ATTNAMES("confkey", "confrelid") ", k.confdeltype, k.confupdtype,"
    " pg_get_expr(k.conbin, k.conrelid, true)"
    " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_class r ON r.oid = k.confrelid"
    " LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace"
    " WHERE k.contype IN ('p', 'u', 'f', 'c') AND" TABLE_FILTER
    " ORDER BY c.relname COLLATE \"C\", k.conname COLLATE \"C\"";

static const char q_indexes[] =
    "SELECT c.relname, ic.relname, i.indisunique, am.amname, pg_get_expr(i.indpred, i.indrelid, true),"
    " coalesce(cols.list, '[]'::json),"
    " i.indexprs IS NOT NULL"
    " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_am am ON am.oid = ic.relam"
    /* Key parts in order, names or expression text: one lateral join, which
     * on 4,000 indexes costs half of a per-index ARRAY(SELECT ...) subplan. */
    " CROSS JOIN LATERAL (SELECT json_agg(CASE WHEN k.attnum = 0"
    "  THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END"
    "  ORDER BY k.ord) AS list"
    "  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
    "  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
    "  WHERE k.ord <= i.indnkeyatts) cols"
    " WHERE" TABLE_FILTER
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid"
    "  AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))"
    " ORDER BY c.relname COLLATE \"C\", ic.relname COLLATE \"C\"";

static const char q_views[] =
    "SELECT c.relname, pg_get_viewdef(c.oid, true)"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'v' AND" REL_FILTER " ORDER BY c.relname COLLATE \"C\"";

static const char q_enums[] =
    "SELECT t.typname, to_json(ARRAY(SELECT e.enumlabel FROM pg_enum e"
    "  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder))"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " WHERE t.typtype = 'e' AND n.nspname = coalesce($1, current_schema())"
    " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass"
    "  AND e.objid = t.oid AND e.deptype = 'e')"
    " ORDER BY t.typname COLLATE \"C\"";

static const char q_sequences[] =
    "SELECT c.relname, CASE WHEN t.relname IS NULL THEN NULL"
    "  ELSE t.relname || '.' || a.attname END"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid"
    "  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')"
    " LEFT JOIN pg_class t ON t.oid = d.refobjid"
    " LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
    " WHERE c.relkind = 'S' AND" REL_FILTER
    " AND (t.relname IS NULL OR (t.relname NOT LIKE 'borch\\_%' AND t.relname <> $2"
    "  AND t.relname <> $3))"
    " ORDER BY c.relname COLLATE \"C\"";

/* The value at (r, col), or NULL for SQL NULL. */
static const char *val(const PGresult *res, int r, int col)
{
    return PQgetisnull(res, r, col) ? NULL : PQgetvalue(res, r, col);
}

static int is_true(const PGresult *res, int r, int col)
{
    const char *v = val(res, r, col);
    return v && v[0] == 't';
}

static int cmp_table_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const borch_table *)elem)->name);
}

/* Tables were added in the server's C-collation order, which is strcmp's. */
static borch_table *find_table(borch_schema *s, const char *name)
{
    return bsearch(name, s->tables, s->ntables, sizeof(*s->tables), cmp_table_name);
}

/* Calls add(item) for each string of a JSON array text (to_json(ARRAY(...))). */
static void each_json_string(const char *text, void (*add)(void *, const char *), void *target)
{
    json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        const char *s = json_string_value(item);
        add(target, s ? s : "");
    }
    json_decref(arr);
}

static void add_pk(void *t, const char *s)
{
    borch_table_add_pk_column(t, s);
}

static void add_index_col(void *ix, const char *s)
{
    borch_index_add_column(ix, s);
}

static void add_enum_value(void *e, const char *s)
{
    borch_enum_add_value(e, s);
}

static void add_str(void *v, const char *s)
{
    borch_strv_push(v, s);
}

/* Maps pg_constraint.confdeltype / confupdtype to the model's words. */
static const char *fk_action(const char *code)
{
    switch (code ? code[0] : 'a') {
    case 'r':
        return "restrict";
    case 'c':
        return "cascade";
    case 'n':
        return "set null";
    case 'd':
        return "set default";
    default:
        return "no action";
    }
}

/*
 * Drops one pair of parentheses around the whole of expr ("(a > 0)" gives
 * "a > 0", "(a > 0) AND (b > 0)" stays), skipping quoted text.
 */
static char *strip_outer_parens(const char *expr)
{
    size_t n = strlen(expr);
    if (n < 2 || expr[0] != '(' || expr[n - 1] != ')')
        return borch_xstrdup(expr);
    int depth = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = expr[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            quote = ch;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            depth--;
            if (depth == 0 && i != n - 1)
                return borch_xstrdup(expr);
        }
    }
    return borch_xstrndup(expr + 1, n - 2);
}

static void load_tables(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        borch_table *t = borch_schema_add_table(s, val(res, r, 0));
        t->comment = borch_xstrdup(val(res, r, 1));
    }
}

static void load_columns(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        borch_table *t = find_table(s, val(res, r, 0));
        if (!t)
            continue;
        const char *def = val(res, r, 4);
        int identity = is_true(res, r, 5);
        /* serial: nextval() of a sequence the column owns */
        if (is_true(res, r, 6) && def && strncmp(def, "nextval(", 8) == 0) {
            identity = 1;
            def = NULL;
        }
        borch_column *c =
            borch_table_add_column(t, val(res, r, 1), val(res, r, 2), !is_true(res, r, 3), def);
        c->identity = identity;
    }
}

static void load_foreign_key(borch_table *t, const PGresult *res, int r)
{
    borch_strv cols = {0}, refs = {0};
    each_json_string(val(res, r, 3), add_str, &cols);
    each_json_string(val(res, r, 5), add_str, &refs);
    borch_foreign_key *fk = borch_table_add_foreign_key(t, val(res, r, 1), val(res, r, 4));
    for (size_t i = 0; i < cols.count; i++)
        borch_fk_add_pair(fk, cols.items[i], i < refs.count ? refs.items[i] : NULL);
    free(fk->on_delete);
    free(fk->on_update);
    fk->on_delete = borch_xstrdup(fk_action(val(res, r, 6)));
    fk->on_update = borch_xstrdup(fk_action(val(res, r, 7)));
    borch_strv_release(&cols);
    borch_strv_release(&refs);
}

static void load_constraints(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        borch_table *t = find_table(s, val(res, r, 0));
        if (!t)
            continue;
        const char *name = val(res, r, 1);
        switch (val(res, r, 2)[0]) {
        case 'p':
            free(t->primary_key_name);
            t->primary_key_name = borch_xstrdup(name);
            each_json_string(val(res, r, 3), add_pk, t);
            break;
        case 'u': {
            borch_index *ix = borch_table_add_index(t, name, 1);
            ix->constraint = 1;
            each_json_string(val(res, r, 3), add_index_col, ix);
            break;
        }
        case 'f':
            load_foreign_key(t, res, r);
            break;
        case 'c': {
            char *expr = strip_outer_parens(val(res, r, 8) ? val(res, r, 8) : "");
            borch_table_add_check(t, name, expr);
            free(expr);
            break;
        }
        }
    }
}

static void load_indexes(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        borch_table *t = find_table(s, val(res, r, 0));
        if (!t)
            continue;
        borch_index *ix = borch_table_add_index(t, val(res, r, 1), is_true(res, r, 2));
        const char *am = val(res, r, 3);
        ix->method = am && strcmp(am, "btree") != 0 ? borch_xstrdup(am) : NULL;
        ix->where = borch_xstrdup(val(res, r, 4));
        ix->expression = is_true(res, r, 6);
        each_json_string(val(res, r, 5), add_index_col, ix);
    }
}

/* pg_get_viewdef's text, without its leading blank and final ';'. */
static void load_views(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        const char *def = val(res, r, 1);
        def = def ? def : "";
        while (*def == ' ' || *def == '\n')
            def++;
        size_t n = strlen(def);
        while (n > 0 && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
            n--;
        char *text = borch_xstrndup(def, n);
        borch_schema_add_view(s, val(res, r, 0), text);
        free(text);
    }
}

static void load_enums(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        borch_enum *e = borch_schema_add_enum(s, val(res, r, 0));
        each_json_string(val(res, r, 1), add_enum_value, e);
    }
}

static void load_sequences(borch_schema *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++)
        borch_schema_add_sequence(s, val(res, r, 0), val(res, r, 1));
}

/* One catalog query and the function that links its rows into the model. */
static const struct {
    const char *sql;
    int nparams;
    void (*load)(borch_schema *, const PGresult *);
} steps[] = {
    {q_tables, 3, load_tables},   {q_columns, 3, load_columns}, {q_constraints, 3, load_constraints},
    {q_indexes, 3, load_indexes}, {q_views, 3, load_views},     {q_enums, 1, load_enums},
    {q_sequences, 3, load_sequences},
};

int pg_introspect(borch_conn *conn, borch_schema **out, borch_error *err)
{
    PGconn *pg = pg_of(conn)->pg;
    *out = NULL;
    /* no schema configured: the first of search_path, "public" by default */
    const char *params[3] = {conn->schema && *conn->schema ? conn->schema : NULL,
                             conn->history_table ? conn->history_table : "borch_schema_history",
                             conn->audit_table ? conn->audit_table : "borch_audit"};
    int own_tx = PQtransactionStatus(pg) == PQTRANS_IDLE;
    int rc = 0;
    if (own_tx &&
        (rc = pg_run(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL, err)))
        return rc;
    borch_schema *s = borch_schema_new("postgres");
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        PGresult *res;
        if ((rc = pg_run(pg, steps[i].sql, steps[i].nparams, params, &res, err)) != 0)
            break;
        steps[i].load(s, res);
        PQclear(res);
    }
    if (own_tx) {
        borch_error ignored = {0};
        int end = pg_run(pg, rc ? "ROLLBACK" : "COMMIT", 0, NULL, NULL, rc ? &ignored : err);
        borch_error_clear(&ignored);
        if (!rc)
            rc = end;
    }
    if (rc) {
        borch_schema_free(s);
        return rc;
    }
    borch_schema_sort(s);
    *out = s;
    return 0;
}
