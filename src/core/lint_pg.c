/*
 * lint_pg.c - the PostgreSQL statement rules, read from libpg_query's parse
 * tree (JSON, walked with jansson): what the change model cannot see, such
 * as CONCURRENTLY, the expression of a default, and which statements touch
 * which table.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/lint_internal.h"
#include "util/mem.h"

#ifdef BORCH_WITH_POSTGRES
#include <pg_query.h>

/* Functions whose default makes PostgreSQL 11+ rewrite the table (volatile ones). */
static const char *const VOLATILE[] = {"random", "clock_timestamp", "gen_random_uuid",
                                       "uuid_generate_v1", "uuid_generate_v4", "timeofday",
                                       "nextval", "txid_current", NULL};

/* The last name part of a FuncCall's funcname list. */
static const char *func_name(json_t *call)
{
    json_t *names = json_object_get(call, "funcname");
    size_t n = json_array_size(names);
    if (!n)
        return NULL;
    json_t *s = json_object_get(json_object_get(json_array_get(names, n - 1), "String"), "sval");
    return json_string_value(s);
}

/* The first function call in expr that volatile_only admits (any with 0), or NULL. */
static const char *find_call(json_t *expr, int volatile_only)
{
    if (json_is_object(expr)) {
        const char *key;
        json_t *v;
        json_object_foreach(expr, key, v) {
            if (strcmp(key, "FuncCall") == 0) {
                const char *name = func_name(v);
                if (name && !volatile_only)
                    return name;
                for (size_t i = 0; name && VOLATILE[i]; i++)
                    if (strcmp(name, VOLATILE[i]) == 0)
                        return name;
            }
            const char *got = find_call(v, volatile_only);
            if (got)
                return got;
        }
    } else if (json_is_array(expr)) {
        size_t i;
        json_t *v;
        json_array_foreach(expr, i, v) {
            const char *got = find_call(v, volatile_only);
            if (got)
                return got;
        }
    }
    return NULL;
}

/* The DEFAULT expression of a ColumnDef, or NULL. */
static json_t *column_default(json_t *coldef)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(coldef, "constraints"), i, c) {
        json_t *con = json_object_get(c, "Constraint");
        const char *type = json_string_value(json_object_get(con, "contype"));
        if (type && strcmp(type, "CONSTR_DEFAULT") == 0)
            return json_object_get(con, "raw_expr");
    }
    return NULL;
}

/* The relname of a statement's "relation", or NULL. */
static const char *relname(json_t *stmt)
{
    return json_string_value(json_object_get(json_object_get(stmt, "relation"), "relname"));
}

/* One statement: DDL on which table (*ddl), DML on which table (*dml), and the per-statement rules. */
static void statement(const borch_migration *m, json_t *node, int line, const borch_schema *before,
                      int pg_major, const char **ddl, const char **dml, borch_lint_report *r)
{
    json_t *s;
    *ddl = *dml = NULL;
    if ((s = json_object_get(node, "IndexStmt")) != NULL) {
        const char *t = relname(s);
        *ddl = t;
        if (t && borch_schema_table(before, t) && !json_is_true(json_object_get(s, "concurrent"))) {
            const char *name = json_string_value(json_object_get(s, "idxname"));
            lint_add(r, LR_INDEX_LOCKS, m, line, "creates index %s on existing table %s without "
                     "CONCURRENTLY", name ? name : "(unnamed)", t);
        }
    } else if ((s = json_object_get(node, "AlterTableStmt")) != NULL) {
        const char *t = relname(s);
        *ddl = t;
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(s, "cmds"), i, c) {
            json_t *cmd = json_object_get(c, "AlterTableCmd");
            const char *sub = json_string_value(json_object_get(cmd, "subtype"));
            if (!t || !sub || strcmp(sub, "AT_AddColumn") != 0 || !borch_schema_table(before, t))
                continue;
            json_t *def = json_object_get(json_object_get(cmd, "def"), "ColumnDef");
            json_t *expr = column_default(def);
            const char *col = json_string_value(json_object_get(def, "colname"));
            const char *fn = expr ? find_call(expr, pg_major == 0 || pg_major >= 11) : NULL;
            if (expr && pg_major > 0 && pg_major < 11 && !fn)
                fn = "a default";
            if (fn) {
                lint_add(r, LR_VOLATILE_DEFAULT, m, line,
                         "adds column %s.%s with default %s%s: rewrites %s", t, col ? col : "?", fn,
                         strcmp(fn, "a default") ? "()" : "", t);
                lint_add(r, LR_EXCLUSIVE_LOCK, m, line,
                         "rewrites %s under an ACCESS EXCLUSIVE lock", t);
            }
        }
    } else if ((s = json_object_get(node, "RenameStmt")) != NULL ||
               (s = json_object_get(node, "CreateTrigStmt")) != NULL) {
        *ddl = relname(s);
    } else if ((s = json_object_get(node, "InsertStmt")) != NULL ||
               (s = json_object_get(node, "UpdateStmt")) != NULL ||
               (s = json_object_get(node, "DeleteStmt")) != NULL) {
        *dml = relname(s);
    }
}

void lint_pg_rules(const borch_migration *m, const borch_schema *before, int pg_major,
                   borch_lint_report *r)
{
    PgQueryParseResult pr = pg_query_parse(m->up.sql ? m->up.sql : "");
    json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
    pg_query_free_parse_result(pr);
    if (!tree)
        return;
    borch_strv ddl = {0}, dml = {0};
    int *ddl_lines = NULL;
    size_t cap = 0;
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(tree, "stmts"), i, st) {
        json_int_t loc = json_integer_value(json_object_get(st, "stmt_location"));
        const char *sql = m->up.sql;
        /* stmt_location counts from the end of the previous statement: skip blanks and comments. */
        size_t off = (size_t)loc;
        while (sql[off]) {
            if (sql[off] == ' ' || sql[off] == '\n' || sql[off] == '\t' || sql[off] == '\r')
                off++;
            else if (sql[off] == '-' && sql[off + 1] == '-')
                while (sql[off] && sql[off] != '\n')
                    off++;
            else
                break;
        }
        int line = lint_offset_line(&m->up, off);
        const char *t_ddl = NULL, *t_dml = NULL;
        statement(m, json_object_get(st, "stmt"), line, before, pg_major, &t_ddl, &t_dml, r);
        if (t_ddl && borch_schema_table(before, t_ddl) && !borch_strv_contains(&ddl, t_ddl)) {
            borch_grow((void **)&ddl_lines, &cap, ddl.count + 1, sizeof(int));
            ddl_lines[ddl.count] = line;
            borch_strv_push(&ddl, t_ddl);
        }
        if (t_dml && !borch_strv_contains(&dml, t_dml))
            borch_strv_push(&dml, t_dml);
    }
    for (size_t k = 0; k < ddl.count; k++)
        if (borch_strv_contains(&dml, ddl.items[k]))
            lint_add(r, LR_EXCLUSIVE_LOCK, m, ddl_lines[k],
                     "changes existing table %s and its rows in one migration: ACCESS EXCLUSIVE "
                     "is held until the data change ends",
                     ddl.items[k]);
    free(ddl_lines);
    borch_strv_release(&ddl);
    borch_strv_release(&dml);
    json_decref(tree);
}

#else

void lint_pg_rules(const borch_migration *m, const borch_schema *before, int pg_major,
                   borch_lint_report *r)
{
    (void)m, (void)before, (void)pg_major, (void)r;
}

#endif
