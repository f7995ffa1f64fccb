/*
 * yaml_model_read.c - a YAML model file to a borch_schema for one engine,
 * with libyaml's document API (every node keeps its position, so every
 * error names file:line:column).
 *
 * Layout: enums; columns, primary key, indexes and checks of a table;
 * foreign keys (a second pass, once every table is known); views and
 * sequences; the entry points. Node helpers are in yaml_model_node.c,
 * what the engine implies in yaml_model_finish.c. Nothing here touches a
 * database.
 */
#include "core/yaml_model_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/yaml_error.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"tables", "views", "enums", "sequences"};
static const char *const table_keys[] = {"columns",      "primary_key", "indexes",
                                         "foreign_keys", "checks",      "comment"};
static const char *const column_keys[] = {"type",   "null",     "default", "identity",
                                          "sqlite", "postgres", "mysql"};
static const char *const pk_keys[] = {"name", "columns"};
static const char *const index_keys[] = {"columns", "unique", "constraint",
                                         "where",   "method", "engines"};
static const char *const fk_keys[] = {"name", "columns", "references", "on_delete", "on_update"};
static const char *const ref_keys[] = {"table", "columns"};
static const char *const check_keys[] = {"name", "expression"};
static const char *const sequence_keys[] = {"owned_by"};
static const char *const actions[] = {"no action", "restrict", "cascade", "set null",
                                      "set default"};

/* ---- enums ---- */

static int read_enums(ym_ctx *c, const yaml_node_t *n)
{
    if (ym_is_null(n))
        return 0;
    int rc = ym_want_mapping(c, n, "'enums'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top;
         p++) {
        const char *name;
        if ((rc = ym_read_key(c, n, p, "under 'enums'", &name)) ||
            (rc = ym_check_name(c, ym_node(c, p->key), "enum", name)))
            break;
        yaml_node_t *v = ym_node(c, p->value);
        if (v->type != YAML_SEQUENCE_NODE ||
            v->data.sequence.items.start == v->data.sequence.items.top)
            return ym_fail(c, v->start_mark, "enum '%s' must be a non-empty list of values", name);
        borch_enum *e = borch_schema_add_enum(c->enums, name);
        for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top;
             i++) {
            yaml_node_t *item = ym_node(c, *i);
            const char *value;
            if (item->type != YAML_SCALAR_NODE ||
                memchr(item->data.scalar.value, 0, item->data.scalar.length))
                return ym_fail(c, item->start_mark, "a value of enum '%s' must be a string", name);
            value = ym_text(item);
            for (size_t k = 0; k < e->nvalues; k++)
                if (!strcmp(e->values[k], value))
                    return ym_fail(c, item->start_mark, "duplicate value '%s' in enum '%s'", value,
                                   name);
            borch_enum_add_value(e, value);
        }
    }
    return rc;
}

/* The engine's type for a declared enum: its name, an inline enum(...), or text. */
static char *enum_type(const ym_ctx *c, const borch_enum *e)
{
    if (c->engine == YM_POSTGRES)
        return borch_xstrdup(e->name);
    if (c->engine == YM_SQLITE)
        return borch_xstrdup("text");
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "enum(");
    for (size_t i = 0; i < e->nvalues; i++) {
        borch_buf_puts(&b, i ? ",'" : "'");
        for (const char *p = e->values[i]; *p; p++) {
            if (*p == '\'')
                borch_buf_putc(&b, '\'');
            borch_buf_putc(&b, *p);
        }
        borch_buf_putc(&b, '\'');
    }
    borch_buf_putc(&b, ')');
    return borch_buf_detach(&b);
}

/* ---- columns ---- */

/* A neutral type (or a declared enum) to this engine's text, checked on every engine. */
static int neutral_type(const ym_ctx *c, const yaml_node_t *n, const char *col, char **out)
{
    const char *t;
    int rc = ym_want_text(c, n, "a column type", &t);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->enums->nenums; i++)
        if (!strcmp(c->enums->enums[i].name, t))
            return *out = enum_type(c, &c->enums->enums[i]), 0;
    char why[200] = "";
    char *mapped = NULL;
    int m = ym_type_map(t, c->engine, &mapped, why, sizeof(why));
    if (m == 2)
        return ym_fail(c, n->start_mark, "%s (column '%s')", why, col);
    if (m == 0)
        return *out = mapped, 0;
    /* unknown: suggest among the neutral names and the enums */
    char *word = ym_squeeze(t);
    word[strcspn(word, "(")] = '\0';
    borch_strv known = {0};
    for (size_t i = 0; ym_neutral_names[i]; i++)
        borch_strv_push(&known, ym_neutral_names[i]);
    for (size_t i = 0; i < c->enums->nenums; i++)
        borch_strv_push(&known, c->enums->enums[i].name);
    const char *near = ym_suggest(word, (const char *const *)known.items, known.count);
    if (near)
        ym_fail(c, n->start_mark, "unknown type '%s' for column '%s', did you mean '%s'?", t, col,
                near);
    else
        ym_fail(
            c, n->start_mark,
            "unknown type '%s' for column '%s' (neutral types: integer, bigint, smallint, boolean, "
            "string(n), text, decimal(p,s), float, double, date, time, timestamp, timestamptz, "
            "json, uuid, binary; or give the engine's own type under 'sqlite', 'postgres' or "
            "'mysql')",
            t, col);
    free(word);
    borch_strv_release(&known);
    return BORCH_EINPUT;
}

/* A plain decimal number: -?digits(.digits)? */
static int is_number(const char *s)
{
    if (*s == '-')
        s++;
    size_t a = strspn(s, "0123456789");
    if (!a)
        return 0;
    if (s[a] == '.') {
        size_t b = strspn(s + a + 1, "0123456789");
        return b && !s[a + 1 + b];
    }
    return !s[a];
}

/* num written with exactly scale decimals, as MySQL reports a decimal default. */
static char *decimal_text(const char *num, int scale)
{
    borch_buf b;
    borch_buf_init(&b);
    const char *dot = strchr(num, '.');
    size_t ip = dot ? (size_t)(dot - num) : strlen(num);
    borch_buf_append(&b, num, ip);
    const char *frac = dot ? dot + 1 : "";
    if (scale > 0) {
        borch_buf_putc(&b, '.');
        for (int i = 0; i < scale; i++)
            borch_buf_putc(&b, *frac ? *frac++ : '0');
    }
    return borch_buf_detach(&b);
}

/*
 * PostgreSQL reports a quoted literal default with its cast ('x'::text) and
 * a negative number as a quoted literal; MySQL reports CURRENT_TIMESTAMP as
 * current_timestamp() and booleans as 1/0. Other text is kept as written.
 */
static char *engine_default(const ym_ctx *c, const char *def, const char *type)
{
    size_t n = strlen(def);
    if (c->engine == YM_POSTGRES) {
        int quoted = n >= 2 && def[0] == '\'' && def[n - 1] == '\'';
        int negative = def[0] == '-' && n > 1 && strspn(def + 1, "0123456789.") == n - 1;
        if ((quoted || negative) && !strstr(def, "::")) {
            borch_buf b;
            borch_buf_init(&b);
            borch_buf_printf(&b, negative ? "'%s'::" : "%s::", def);
            /* the cast names the type without its modifiers: character varying, numeric */
            const char *open = strchr(type, '(');
            if (!strncmp(type, "character(", 10))
                borch_buf_puts(&b, "bpchar");
            else if (open) {
                borch_buf_append(&b, type, (size_t)(open - type));
                const char *close = strchr(open, ')');
                borch_buf_puts(&b, close ? close + 1 : "");
            } else {
                borch_buf_puts(&b, type);
            }
            return borch_buf_detach(&b);
        }
    } else if (c->engine == YM_MYSQL) {
        if (!strcasecmp(def, "current_timestamp") || !strcasecmp(def, "current_timestamp()") ||
            !strcasecmp(def, "now()"))
            return borch_xstrdup("current_timestamp()");
        if (!strcmp(type, "tinyint(1)") && (!strcasecmp(def, "true") || !strcasecmp(def, "false")))
            return borch_xstrdup(tolower((unsigned char)def[0]) == 't' ? "1" : "0");
        const char *comma = !strncmp(type, "decimal(", 8) ? strchr(type, ',') : NULL;
        if (comma && is_number(def))
            return decimal_text(def, atoi(comma + 1)); /* 0 on decimal(10,2) reads 0.00 */
    }
    return borch_xstrdup(def);
}

/* One column: "name: type" or "name: { type: ..., null: ..., ... }". */
static int read_column(ym_ctx *c, borch_table *t, ym_col_note *note, const yaml_node_t *k,
                       const yaml_node_t *n)
{
    const char *name = ym_text(k);
    char path[600], where[700];
    snprintf(path, sizeof(path), "%s.%s", t->name, name);
    snprintf(where, sizeof(where), "in column '%s'", path);
    int rc = ym_check_name(c, k, "column", name);
    if (rc)
        return rc;
    note->null_set = -1;
    note->mark = k->start_mark;
    yaml_node_t *v[COUNT(column_keys)] = {NULL};
    if (n->type == YAML_SCALAR_NODE && !ym_is_null(n))
        v[0] = (yaml_node_t *)n; /* shorthand: the value is the type */
    else if (n->type != YAML_MAPPING_NODE)
        return ym_fail(c, n->start_mark,
                       "column '%s' must be a type or a mapping (type, null, default, ...)", path);
    else if ((rc = ym_split_keys(c, n, where, column_keys, COUNT(column_keys), v)))
        return rc;
    char *type = NULL;
    if (v[0] && (rc = neutral_type(c, v[0], path, &type)))
        return rc;
    for (int e = 0; e < YM_NENGINES; e++) {
        const char *raw;
        yaml_node_t *o = v[4 + e];
        if (!o)
            continue;
        if ((rc = ym_want_text(c, o, "a per-engine type", &raw))) {
            free(type);
            return rc;
        }
        if (e == c->engine) {
            free(type);
            type = ym_type_normalize(raw, c->engine);
        }
    }
    if (!type)
        return ym_fail(c, k->start_mark,
                       "column '%s' has no type for %s: give 'type' (a neutral type) or '%s'", path,
                       ym_engine_names[c->engine], ym_engine_names[c->engine]);
    int nullable = 1, identity = 0;
    const char *def = NULL;
    if ((v[1] && (rc = ym_want_bool(c, v[1], "'null'", &nullable))) ||
        (v[3] && (rc = ym_want_bool(c, v[3], "'identity'", &identity))) ||
        (v[2] && (rc = ym_engine_text(c, v[2], "a default", &def)))) {
        free(type);
        return rc;
    }
    if (v[1])
        note->null_set = nullable;
    if (identity && !ym_type_is_integer(type))
        rc = ym_fail(c, v[3]->start_mark, "identity needs an integer type, and column '%s' is '%s'",
                     path, type);
    else if (identity && def)
        rc = ym_fail(c, v[2]->start_mark, "identity column '%s' cannot also have a default", path);
    if (rc) {
        free(type);
        return rc;
    }
    note->identity = identity;
    char *d = def ? engine_default(c, def, type) : NULL;
    borch_column *col = borch_table_add_column(t, name, type, nullable, d);
    col->identity = identity;
    free(d);
    free(type);
    return 0;
}

static int read_columns(ym_ctx *c, borch_table *t, ym_tbl_note *tn, const yaml_node_t *n,
                        yaml_mark_t at)
{
    if (!n || ym_is_null(n))
        return ym_fail(c, at, "table '%s' has no columns", t->name);
    char what[400];
    snprintf(what, sizeof(what), "'columns' of table '%s'", t->name);
    int rc = ym_want_mapping(c, n, what);
    if (rc)
        return rc;
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (!count)
        return ym_fail(c, n->start_mark, "table '%s' has no columns", t->name);
    tn->cols = borch_xcalloc(count, sizeof(*tn->cols));
    snprintf(what, sizeof(what), "under 'columns' of table '%s'", t->name);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *name;
        if ((rc = ym_read_key(c, n, p, what, &name)) ||
            (rc = read_column(c, t, &tn->cols[t->ncolumns], ym_node(c, p->key),
                              ym_node(c, p->value))))
            return rc;
    }
    return 0;
}

/* A column of t named by node n, or an error with the closest column. */
static int want_column(const ym_ctx *c, const borch_table *t, const yaml_node_t *n,
                       const char *what, const char **out)
{
    int rc = ym_want_text(c, n, what, out);
    if (rc || borch_table_column(t, *out))
        return rc;
    const char **names = borch_xmalloc((t->ncolumns + 1) * sizeof(*names));
    for (size_t i = 0; i < t->ncolumns; i++)
        names[i] = t->columns[i].name;
    const char *near = ym_suggest(*out, names, t->ncolumns);
    if (near)
        rc = ym_fail(c, n->start_mark,
                     "%s names column '%s', which table '%s' does not have; did you mean '%s'?",
                     what, *out, t->name, near);
    else
        rc = ym_fail(c, n->start_mark, "%s names column '%s', which table '%s' does not have", what,
                     *out, t->name);
    free(names);
    return rc;
}

/* A list of names (or one name) into v; each must be a column of t when t is given. */
static int read_name_list(const ym_ctx *c, const borch_table *t, const yaml_node_t *n,
                          const char *what, borch_strv *v)
{
    const char *name;
    int rc;
    if (n->type == YAML_SCALAR_NODE) {
        if ((rc = t ? want_column(c, t, n, what, &name) : ym_want_text(c, n, what, &name)))
            return rc;
        borch_strv_push(v, name);
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.start == n->data.sequence.items.top)
        return ym_fail(c, n->start_mark, "%s must be a non-empty list of column names", what);
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *item = ym_node(c, *i);
        if ((rc = t ? want_column(c, t, item, what, &name) : ym_want_text(c, item, what, &name)))
            return rc;
        if (borch_strv_contains(v, name))
            return ym_fail(c, item->start_mark, "%s names column '%s' twice", what, name);
        borch_strv_push(v, name);
    }
    return 0;
}

/* "primary_key: [a, b]", "primary_key: a" or "primary_key: { name: ..., columns: [...] }". */
static int read_pk(ym_ctx *c, borch_table *t, ym_tbl_note *tn, const yaml_node_t *n)
{
    char what[400];
    snprintf(what, sizeof(what), "the primary key of table '%s'", t->name);
    tn->pk_mark = n->start_mark;
    const yaml_node_t *cols = n;
    int rc;
    if (n->type == YAML_MAPPING_NODE) {
        yaml_node_t *v[COUNT(pk_keys)];
        char where[500];
        snprintf(where, sizeof(where), "in %s", what);
        if ((rc = ym_split_keys(c, n, where, pk_keys, COUNT(pk_keys), v)))
            return rc;
        if (!v[1])
            return ym_fail(c, n->start_mark, "%s has no 'columns'", what);
        if (v[0]) {
            const char *name;
            if ((rc = ym_want_text(c, v[0], "a primary key name", &name)) ||
                (rc = ym_check_name(c, v[0], "primary key", name)) ||
                (rc = ym_take_constraint_name(c, tn, v[0]->start_mark, name)))
                return rc;
            t->primary_key_name = borch_xstrdup(name);
        }
        cols = v[1];
    }
    borch_strv v = {0};
    rc = read_name_list(c, t, cols, what, &v);
    for (size_t i = 0; !rc && i < v.count; i++)
        borch_table_add_pk_column(t, v.items[i]);
    borch_strv_release(&v);
    return rc;
}

/* Whether part (an index key part) is a column of t, allowing MySQL's "col(10)" and "col DESC". */
static int part_is_column(const ym_ctx *c, const borch_table *t, const char *part)
{
    if (borch_table_column(t, part))
        return 1;
    if (c->engine != YM_MYSQL)
        return 0;
    size_t n = strcspn(part, "( ");
    char *head = borch_xstrndup(part, n);
    int col = borch_table_column(t, head) != NULL;
    free(head);
    const char *rest = part + n;
    if (*rest == '(') {
        size_t d = strspn(rest + 1, "0123456789");
        rest = d && rest[1 + d] == ')' ? rest + 2 + d : "?";
    }
    return col && (!*rest || !strcasecmp(rest, " desc") || !strcasecmp(rest, " asc"));
}

/* Whether s looks like a bare identifier (so a typo, not an expression). */
static int identifier_like(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* One index: "name: { columns: [...], unique:, constraint:, where:, method: }". */
static int read_index(ym_ctx *c, borch_table *t, ym_tbl_note *tn, const yaml_node_t *k,
                      const yaml_node_t *n)
{
    const char *name = ym_text(k);
    char what[400], where[500];
    snprintf(what, sizeof(what), "index '%s' of table '%s'", name, t->name);
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *v[COUNT(index_keys)] = {NULL};
    int rc = ym_check_name(c, k, "index", name);
    if (rc)
        return rc;
    if (n->type == YAML_SEQUENCE_NODE)
        v[0] = (yaml_node_t *)n; /* shorthand: the list of columns */
    else if ((rc = ym_want_mapping(c, n, what)) ||
             (rc = ym_split_keys(c, n, where, index_keys, COUNT(index_keys), v)))
        return rc;
    if (!v[0])
        return ym_fail(c, n->start_mark, "%s has no 'columns'", what);
    int wanted = 1;
    if (v[5] && (rc = ym_read_engines(c, v[5], what, &wanted)))
        return rc;
    int unique = 0, constraint = 0;
    const char *pred = NULL, *method = NULL;
    if ((v[1] && (rc = ym_want_bool(c, v[1], "'unique'", &unique))) ||
        (v[2] && (rc = ym_want_bool(c, v[2], "'constraint'", &constraint))) ||
        (v[3] && (rc = ym_engine_text(c, v[3], "an index predicate", &pred))) ||
        (v[4] && (rc = ym_want_text(c, v[4], "an index method", &method))))
        return rc;
    if (constraint && v[1] && !unique)
        return ym_fail(c, v[1]->start_mark,
                       "%s is a unique constraint, so it cannot say 'unique: false'", what);
    if (pred && c->engine == YM_MYSQL && wanted)
        return ym_fail(c, v[3]->start_mark,
                       "%s has a 'where' predicate, which mysql does not support", what);
    if (constraint && pred)
        return ym_fail(c, v[3]->start_mark,
                       "%s is a unique constraint, which cannot have a 'where' predicate", what);
    /* parts: columns, or expressions; a bare word that is no column is a typo */
    borch_strv parts = {0};
    if (v[0]->type == YAML_SCALAR_NODE) {
        const char *p;
        if (!(rc = ym_want_text(c, v[0], what, &p)))
            borch_strv_push(&parts, p);
    } else if (v[0]->type != YAML_SEQUENCE_NODE ||
               v[0]->data.sequence.items.start == v[0]->data.sequence.items.top) {
        rc = ym_fail(c, v[0]->start_mark, "'columns' of %s must be a non-empty list", what);
    } else {
        for (yaml_node_item_t *i = v[0]->data.sequence.items.start;
             !rc && i < v[0]->data.sequence.items.top; i++) {
            yaml_node_t *item = ym_node(c, *i);
            const char *p;
            if ((rc = ym_want_text(c, item, what, &p)))
                break;
            if (!part_is_column(c, t, p) && identifier_like(p))
                rc = want_column(c, t, item, what, &p);
            else
                borch_strv_push(&parts, p);
        }
    }
    int expression = 0;
    for (size_t i = 0; !rc && i < parts.count; i++)
        expression |= !part_is_column(c, t, parts.items[i]);
    if (!rc && constraint && expression)
        rc = ym_fail(c, v[0]->start_mark, "%s is a unique constraint, which can only list columns",
                     what);
    if (rc || !wanted) { /* an index for other engines is checked all the same */
        borch_strv_release(&parts);
        return rc;
    }
    if (c->engine == YM_MYSQL && unique)
        constraint = 1; /* MySQL does not tell the two apart */
    /* SQLite names a UNIQUE constraint's index itself: <table>_<col>_..._key */
    borch_buf nb;
    borch_buf_init(&nb);
    borch_buf_puts(&nb, name);
    if (constraint && c->engine == YM_SQLITE) {
        borch_buf_clear(&nb);
        borch_buf_puts(&nb, t->name);
        for (size_t i = 0; i < parts.count; i++)
            borch_buf_printf(&nb, "_%s", parts.items[i]);
        borch_buf_puts(&nb, "_key");
    }
    if (c->engine != YM_MYSQL)
        rc = ym_take_rel_name(c, k->start_mark, "index", nb.data);
    else if (borch_table_index(t, nb.data))
        rc = ym_fail(c, k->start_mark, "duplicate index name '%s' in table '%s'", nb.data, t->name);
    if (!rc && constraint && c->engine == YM_POSTGRES)
        rc = ym_take_constraint_name(c, tn, k->start_mark, nb.data);
    if (!rc) {
        borch_index *ix = borch_table_add_index(t, nb.data, unique || constraint);
        ix->constraint = constraint;
        ix->expression = expression;
        ix->where = borch_xstrdup(pred);
        for (size_t i = 0; i < parts.count; i++) {
            const char *p = parts.items[i];
            size_t len = strlen(p);
            /* MySQL reports "col DESC" and no ASC */
            if (c->engine == YM_MYSQL && len > 4 && !strcasecmp(p + len - 4, " asc") &&
                !expression) {
                char *h = borch_xstrndup(p, len - 4);
                borch_index_add_column(ix, h);
                free(h);
            } else if (c->engine == YM_MYSQL && len > 5 && !strcasecmp(p + len - 5, " desc") &&
                       !expression) {
                char *h = borch_xstrndup(p, len - 5);
                borch_buf b;
                borch_buf_init(&b);
                borch_buf_printf(&b, "%s DESC", h);
                borch_index_add_column(ix, b.data);
                borch_buf_release(&b);
                free(h);
            } else {
                borch_index_add_column(ix, p);
            }
        }
        if (method) {
            char *m = ym_squeeze(method);
            ix->method = strcmp(m, "btree") ? m : NULL;
            if (!ix->method)
                free(m);
        }
    }
    borch_buf_release(&nb);
    borch_strv_release(&parts);
    return rc;
}

static int read_indexes(ym_ctx *c, borch_table *t, ym_tbl_note *tn, const yaml_node_t *n)
{
    char where[400];
    snprintf(where, sizeof(where), "'indexes' of table '%s'", t->name);
    if (ym_is_null(n))
        return 0;
    int rc = ym_want_mapping(c, n, where);
    snprintf(where, sizeof(where), "under 'indexes' of table '%s'", t->name);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top;
         p++) {
        const char *name;
        if (!(rc = ym_read_key(c, n, p, where, &name)))
            rc = read_index(c, t, tn, ym_node(c, p->key), ym_node(c, p->value));
    }
    return rc;
}

/* "checks:": a list of { name, expression } or of bare expressions. */
static int read_checks(ym_ctx *c, borch_table *t, ym_tbl_note *tn, const yaml_node_t *n)
{
    char what[400], where[500];
    snprintf(what, sizeof(what), "a check of table '%s'", t->name);
    snprintf(where, sizeof(where), "in %s", what);
    if (ym_is_null(n))
        return 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return ym_fail(c, n->start_mark, "'checks' of table '%s' must be a list, not %s", t->name,
                       ym_kind_name(n));
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *item = ym_node(c, *i), *v[COUNT(check_keys)] = {NULL};
        const char *name = NULL, *expr = NULL;
        int rc;
        if (item->type == YAML_SCALAR_NODE)
            v[1] = item;
        else if ((rc = ym_want_mapping(c, item, what)) ||
                 (rc = ym_split_keys(c, item, where, check_keys, COUNT(check_keys), v)))
            return rc;
        if (!v[1])
            return ym_fail(c, item->start_mark, "%s has no 'expression'", what);
        if ((v[0] && ((rc = ym_want_text(c, v[0], "a check name", &name)) ||
                      (rc = ym_check_name(c, v[0], "check", name)) ||
                      (rc = ym_take_constraint_name(c, tn, v[0]->start_mark, name)))) ||
            (rc = ym_engine_text(c, v[1], "a check expression", &expr)))
            return rc;
        if (expr)
            borch_table_add_check(t, name, expr);
    }
    return 0;
}

/* One table: its columns first, whatever the key order, since the rest names them. */
static int read_table(ym_ctx *c, const yaml_node_t *k, const yaml_node_t *n)
{
    const char *name = ym_text(k);
    char what[300], where[400];
    snprintf(what, sizeof(what), "table '%s'", name);
    snprintf(where, sizeof(where), "in table '%s'", name);
    int rc;
    if ((rc = ym_check_name(c, k, "table", name)) ||
        (rc = ym_take_rel_name(c, k->start_mark, "table", name)))
        return rc;
    if (ym_is_null(n))
        return ym_fail(c, k->start_mark, "table '%s' has no columns", name);
    yaml_node_t *v[COUNT(table_keys)];
    if ((rc = ym_want_mapping(c, n, what)) ||
        (rc = ym_split_keys(c, n, where, table_keys, COUNT(table_keys), v)))
        return rc;
    borch_grow((void **)&c->tables, &c->captables, c->ntables + 1, sizeof(*c->tables));
    ym_tbl_note *tn = &c->tables[c->ntables++];
    memset(tn, 0, sizeof(*tn));
    tn->index = c->s->ntables;
    tn->pk_mark = k->start_mark;
    tn->fks = v[3];
    borch_table *t = borch_schema_add_table(c->s, name);
    if ((rc = read_columns(c, t, tn, v[0], k->start_mark)) ||
        (v[1] && !ym_is_null(v[1]) && (rc = read_pk(c, t, tn, v[1]))) ||
        (v[2] && (rc = read_indexes(c, t, tn, v[2]))) ||
        (v[4] && (rc = read_checks(c, t, tn, v[4]))))
        return rc;
    if (v[5] && !ym_is_null(v[5])) {
        const char *comment;
        if ((rc = ym_want_text(c, v[5], "a table comment", &comment)))
            return rc;
        if (c->engine != YM_SQLITE) /* SQLite keeps no comments */
            t->comment = borch_xstrdup(comment);
    }
    return 0;
}

/* ---- foreign keys (second pass: every table is known) ---- */

static int cmp_by_name(const void *key, const void *elem)
{
    return strcmp(key, (*(borch_table *const *)elem)->name);
}

static int cmp_tables(const void *a, const void *b)
{
    return strcmp((*(borch_table *const *)a)->name, (*(borch_table *const *)b)->name);
}

/* A table of the model named by node n, or an error with the closest table. */
static int want_table(const ym_ctx *c, const yaml_node_t *n, const char *name, const char *what,
                      borch_table **out)
{
    borch_table **hit = bsearch(name, c->by_name, c->s->ntables, sizeof(*c->by_name), cmp_by_name);
    *out = hit ? *hit : NULL;
    if (*out)
        return 0;
    const char **names = borch_xmalloc((c->s->ntables + 1) * sizeof(*names));
    for (size_t i = 0; i < c->s->ntables; i++)
        names[i] = c->s->tables[i].name;
    const char *near = ym_suggest(name, names, c->s->ntables);
    int rc =
        near
            ? ym_fail(c, n->start_mark,
                      "%s references table '%s', which the model does not have; did you mean '%s'?",
                      what, name, near)
            : ym_fail(c, n->start_mark, "%s references table '%s', which the model does not have",
                      what, name);
    free(names);
    return rc;
}

/* "orgs(id)", "orgs(a, b)", "orgs" or { table: orgs, columns: [id] }: the table and columns. */
static int read_reference(const ym_ctx *c, const yaml_node_t *n, const char *what,
                          borch_table **parent, borch_strv *cols)
{
    int rc;
    if (n->type == YAML_MAPPING_NODE) {
        char where[500];
        snprintf(where, sizeof(where), "in the reference of %s", what);
        yaml_node_t *v[COUNT(ref_keys)];
        const char *table;
        if ((rc = ym_split_keys(c, n, where, ref_keys, COUNT(ref_keys), v)))
            return rc;
        if (!v[0])
            return ym_fail(c, n->start_mark, "the reference of %s has no 'table'", what);
        if ((rc = ym_want_text(c, v[0], "a referenced table", &table)) ||
            (rc = want_table(c, v[0], table, what, parent)))
            return rc;
        return v[1] ? read_name_list(c, *parent, v[1], what, cols) : 0;
    }
    const char *ref;
    if ((rc = ym_want_text(c, n, "'references'", &ref)))
        return rc;
    const char *open = strchr(ref, '(');
    size_t tlen = open ? (size_t)(open - ref) : strlen(ref);
    while (tlen && isspace((unsigned char)ref[tlen - 1]))
        tlen--;
    char *table = borch_xstrndup(ref, tlen);
    rc = want_table(c, n, table, what, parent);
    free(table);
    if (rc || !open)
        return rc;
    const char *close = strchr(open, ')');
    if (!close || close[1])
        return ym_fail(c, n->start_mark,
                       "'references' of %s must read table(column, ...), not '%s'", what, ref);
    for (const char *p = open + 1; p < close;) {
        size_t n1 = strcspn(p, ",)");
        const char *s = p, *e = p + n1;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        char *col = borch_xstrndup(s, (size_t)(e - s));
        if (!col[0] || !borch_table_column(*parent, col)) {
            const char **names = borch_xmalloc(((*parent)->ncolumns + 1) * sizeof(*names));
            for (size_t i = 0; i < (*parent)->ncolumns; i++)
                names[i] = (*parent)->columns[i].name;
            const char *near = ym_suggest(col, names, (*parent)->ncolumns);
            rc = near
                     ? ym_fail(
                           c, n->start_mark,
                           "%s references column '%s.%s', which does not exist; did you mean '%s'?",
                           what, (*parent)->name, col, near)
                     : ym_fail(c, n->start_mark,
                               "%s references column '%s.%s', which does not exist", what,
                               (*parent)->name, col);
            free(names);
            free(col);
            return rc;
        }
        borch_strv_push(cols, col);
        free(col);
        p += n1 + 1;
    }
    return 0;
}

/* on_delete / on_update: "cascade", "set null", "set_null", "SET NULL", ... */
static int read_action(const ym_ctx *c, const yaml_node_t *n, const char *what, char **field)
{
    const char *raw;
    int rc = ym_want_text(c, n, what, &raw);
    if (rc)
        return rc;
    char *a = ym_squeeze(raw);
    for (char *p = a; *p; p++)
        if (*p == '_')
            *p = ' ';
    for (size_t i = 0; i < COUNT(actions); i++) {
        if (!strcmp(a, actions[i])) {
            free(*field);
            *field = a;
            return 0;
        }
    }
    const char *near = ym_suggest(a, actions, COUNT(actions));
    rc = near
             ? ym_fail(c, n->start_mark, "%s '%s' is not an action; did you mean '%s'?", what, raw,
                       near)
             : ym_fail(
                   c, n->start_mark,
                   "%s '%s' is not an action (no action, restrict, cascade, set null, set default)",
                   what, raw);
    free(a);
    return rc;
}

static int read_fk(ym_ctx *c, ym_tbl_note *tn, const yaml_node_t *n)
{
    borch_table *t = &c->s->tables[tn->index];
    char what[400], where[500];
    snprintf(what, sizeof(what), "a foreign key of table '%s'", t->name);
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *v[COUNT(fk_keys)];
    int rc;
    if ((rc = ym_want_mapping(c, n, what)) ||
        (rc = ym_split_keys(c, n, where, fk_keys, COUNT(fk_keys), v)))
        return rc;
    if (!v[1] || !v[2])
        return ym_fail(c, n->start_mark, "%s needs 'columns' and 'references'", what);
    const char *name = NULL;
    borch_table *parent = NULL;
    borch_strv cols = {0}, refs = {0};
    if ((v[0] && ((rc = ym_want_text(c, v[0], "a foreign key name", &name)) ||
                  (rc = ym_check_name(c, v[0], "foreign key", name)) ||
                  (rc = ym_take_constraint_name(c, tn, v[0]->start_mark, name)))) ||
        (rc = read_name_list(c, t, v[1], what, &cols)) ||
        (rc = read_reference(c, v[2], what, &parent, &refs)))
        goto done;
    if (!refs.count) { /* "references: orgs": its primary key */
        if (!parent->nprimary_key) {
            rc = ym_fail(c, v[2]->start_mark,
                         "%s references table '%s', which has no primary key; name the columns",
                         what, parent->name);
            goto done;
        }
        for (size_t i = 0; i < parent->nprimary_key; i++)
            borch_strv_push(&refs, parent->primary_key[i]);
    }
    if (refs.count != cols.count) {
        rc = ym_fail(c, v[2]->start_mark, "%s has %zu column(s) but references %zu", what,
                     cols.count, refs.count);
        goto done;
    }
    /* MariaDB reports an action left unsaid as RESTRICT */
    const char *unsaid = c->engine == YM_MYSQL ? "restrict" : "no action";
    char *on_delete = borch_xstrdup(unsaid), *on_update = borch_xstrdup(unsaid);
    if ((v[3] && (rc = read_action(c, v[3], "'on_delete'", &on_delete))) ||
        (v[4] && (rc = read_action(c, v[4], "'on_update'", &on_update)))) {
        free(on_delete);
        free(on_update);
        goto done;
    }
    borch_foreign_key *fk = borch_table_add_foreign_key(t, name, parent->name);
    for (size_t i = 0; i < cols.count; i++)
        borch_fk_add_pair(fk, cols.items[i], refs.items[i]);
    free(fk->on_delete);
    free(fk->on_update);
    fk->on_delete = on_delete;
    fk->on_update = on_update;
done:
    borch_strv_release(&cols);
    borch_strv_release(&refs);
    return rc;
}

static int read_fks(ym_ctx *c)
{
    /* no table is added from here on, so pointers to them hold */
    c->by_name = borch_xcalloc(c->s->ntables + 1, sizeof(*c->by_name));
    for (size_t i = 0; i < c->s->ntables; i++)
        c->by_name[i] = &c->s->tables[i];
    qsort(c->by_name, c->s->ntables, sizeof(*c->by_name), cmp_tables);
    for (size_t i = 0; i < c->ntables; i++) {
        const yaml_node_t *n = c->tables[i].fks;
        if (!n || ym_is_null(n))
            continue;
        if (n->type != YAML_SEQUENCE_NODE)
            return ym_fail(c, n->start_mark, "'foreign_keys' of table '%s' must be a list, not %s",
                           c->s->tables[c->tables[i].index].name, ym_kind_name(n));
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            int rc = read_fk(c, &c->tables[i], ym_node(c, *it));
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- views and sequences ---- */

static int read_views(ym_ctx *c, const yaml_node_t *n)
{
    if (ym_is_null(n))
        return 0;
    int rc = ym_want_mapping(c, n, "'views'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top;
         p++) {
        const char *name, *def;
        char what[300];
        if ((rc = ym_read_key(c, n, p, "under 'views'", &name)))
            break;
        snprintf(what, sizeof(what), "the definition of view '%s'", name);
        yaml_node_t *k = ym_node(c, p->key);
        if ((rc = ym_check_name(c, k, "view", name)) ||
            (rc = ym_engine_text(c, ym_node(c, p->value), what, &def)))
            break;
        if (def && !(rc = ym_take_rel_name(c, k->start_mark, "view", name)))
            borch_schema_add_view(c->s, name, def);
    }
    return rc;
}

static int read_sequences(ym_ctx *c, const yaml_node_t *n)
{
    if (ym_is_null(n))
        return 0;
    int rc = ym_want_mapping(c, n, "'sequences'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top;
         p++) {
        const char *name, *owned = NULL;
        char where[300];
        if ((rc = ym_read_key(c, n, p, "under 'sequences'", &name)))
            break;
        yaml_node_t *k = ym_node(c, p->key), *v = ym_node(c, p->value),
                    *vals[COUNT(sequence_keys)] = {NULL};
        snprintf(where, sizeof(where), "in sequence '%s'", name);
        if ((rc = ym_check_name(c, k, "sequence", name)) ||
            (!ym_is_null(v) &&
             ((rc = ym_want_mapping(c, v, where)) ||
              (rc = ym_split_keys(c, v, where, sequence_keys, COUNT(sequence_keys), vals)))))
            break;
        if (vals[0]) {
            if ((rc = ym_want_text(c, vals[0], "'owned_by'", &owned)))
                break;
            const char *dot = strrchr(owned, '.');
            char *table = dot ? borch_xstrndup(owned, (size_t)(dot - owned)) : NULL;
            borch_table *t = table ? borch_schema_table(c->s, table) : NULL;
            free(table);
            if (!t || !borch_table_column(t, dot + 1)) {
                rc = ym_fail(
                    c, vals[0]->start_mark,
                    "'owned_by' of sequence '%s' must name an existing table.column, not '%s'",
                    name, owned);
                break;
            }
        }
        if (c->engine == YM_SQLITE) /* SQLite has no sequences */
            continue;
        if (!(rc = ym_take_rel_name(c, k->start_mark, "sequence", name)))
            borch_schema_add_sequence(c->s, name, owned);
    }
    return rc;
}

/* The whole model from the document's root. */
static int read_root(ym_ctx *c, const yaml_node_t *root)
{
    if (!root || ym_is_null(root))
        return 0; /* an empty model: no tables */
    char where[600];
    snprintf(where, sizeof(where), "in %s", c->file);
    yaml_node_t *v[COUNT(top_keys)];
    int rc;
    if (root->type != YAML_MAPPING_NODE)
        return ym_fail(c, root->start_mark,
                       "%s must be a mapping (tables, views, enums, sequences), not %s", c->file,
                       ym_kind_name(root));
    if ((rc = ym_split_keys(c, root, where, top_keys, COUNT(top_keys), v)) ||
        (v[2] && (rc = read_enums(c, v[2]))))
        return rc;
    if (v[0] && !ym_is_null(v[0])) {
        if ((rc = ym_want_mapping(c, v[0], "'tables'")))
            return rc;
        for (yaml_node_pair_t *p = v[0]->data.mapping.pairs.start; p < v[0]->data.mapping.pairs.top;
             p++) {
            const char *name;
            if ((rc = ym_read_key(c, v[0], p, "under 'tables'", &name)) ||
                (rc = read_table(c, ym_node(c, p->key), ym_node(c, p->value))))
                return rc;
        }
    }
    if ((rc = read_fks(c)) || (v[1] && (rc = read_views(c, v[1]))) ||
        (v[3] && (rc = read_sequences(c, v[3]))))
        return rc;
    for (size_t i = 0; i < c->ntables; i++)
        if ((rc = ym_finish_table(c, &c->tables[i])))
            return rc;
    if (c->engine == YM_POSTGRES) {
        ym_add_identity_sequences(c);
        for (size_t i = 0; i < c->enums->nenums; i++) {
            borch_enum *e = borch_schema_add_enum(c->s, c->enums->enums[i].name);
            for (size_t j = 0; j < c->enums->enums[i].nvalues; j++)
                borch_enum_add_value(e, c->enums->enums[i].values[j]);
        }
    }
    return 0;
}

int borch_yaml_model_parse(const char *src, size_t len, const char *file, const char *engine,
                           borch_schema **out, borch_error *err)
{
    *out = NULL;
    int e = ym_engine_of(engine);
    if (e < 0)
        return borch_error_set(err, BORCH_EUSAGE,
                               "unknown engine '%s' (known: sqlite, postgres, mysql)",
                               engine ? engine : "");
    yaml_parser_t parser;
    yaml_document_t doc;
    ym_ctx c = {.doc = &doc, .file = file, .engine = e, .err = err};
    if (!yaml_parser_initialize(&parser))
        return borch_error_set(err, BORCH_ENOMEM, "out of memory reading %s", file);
    yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = borch_yaml_parser_error(&parser, src, len, c.file, c.err);
        yaml_parser_delete(&parser);
        return rc;
    }
    c.s = borch_schema_new(engine);
    c.enums = borch_schema_new(engine);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    int rc = read_root(&c, root);
    yaml_document_delete(&doc);
    if (rc == 0 && root) {
        /* a second document would be silently ignored; say so instead */
        if (!yaml_parser_load(&parser, &doc)) {
            rc = borch_yaml_parser_error(&parser, src, len, c.file, c.err);
        } else {
            yaml_node_t *extra = yaml_document_get_root_node(&doc);
            if (extra)
                rc = ym_fail(&c, extra->start_mark, "%s holds more than one YAML document", file);
            yaml_document_delete(&doc);
        }
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < c.ntables; i++) {
        free(c.tables[i].cols);
        borch_strv_release(&c.tables[i].cnames);
    }
    free(c.tables);
    for (size_t i = 0; i < c.nrel; i++)
        free(c.rel[i].name);
    free(c.rel);
    free(c.rel_slots);
    free(c.by_name);
    borch_schema_free(c.enums);
    if (rc) {
        borch_schema_free(c.s);
        return rc;
    }
    borch_schema_sort(c.s);
    *out = c.s;
    return 0;
}

int borch_yaml_model_read(const char *path, const char *engine, borch_schema **out,
                          borch_error *err)
{
    char *src = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = borch_read_file(path, &src, &len, err);
    if (rc)
        return rc;
    rc = borch_yaml_model_parse(src, len, path, engine, out, err);
    free(src);
    return rc;
}
