/*
 * yaml_model_read.c - a YAML model file to a borch_schema for one engine,
 * with libyaml's document API (every node keeps its position, so every
 * error names file:line:column).
 *
 * Layout: node helpers and errors; the name registry (duplicate and
 * over-long names); enums; columns, primary key, indexes and checks of a
 * table; foreign keys (a second pass, once every table is known); views
 * and sequences; what the engine implies (key and constraint names, the
 * SQLite rowid alias, PostgreSQL identity sequences); the entry points.
 * Nothing here touches a database.
 */
#include "core/yaml_model_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"tables", "views", "enums", "sequences"};
static const char *const table_keys[] = {"columns", "primary_key", "indexes", "foreign_keys",
                                         "checks",  "comment"};
static const char *const column_keys[] = {"type",   "null",     "default", "identity",
                                          "sqlite", "postgres", "mysql"};
static const char *const pk_keys[] = {"name", "columns"};
static const char *const index_keys[] = {"columns", "unique", "constraint", "where", "method", "engines"};
static const char *const fk_keys[] = {"name", "columns", "references", "on_delete", "on_update"};
static const char *const ref_keys[] = {"table", "columns"};
static const char *const check_keys[] = {"name", "expression"};
static const char *const sequence_keys[] = {"owned_by"};
static const char *const actions[] = {"no action", "restrict", "cascade", "set null", "set default"};

/* What the reader remembers of a column beyond the model. */
typedef struct col_note {
    int null_set;      /* -1 not given, else the value of "null:" */
    int identity;      /* "identity: true" was given */
    yaml_mark_t mark;  /* the column's key */
} col_note;

/* What the reader remembers of a table until the end. */
typedef struct tbl_note {
    size_t index;          /* in s->tables */
    col_note *cols;        /* one per column */
    yaml_node_t *fks;      /* "foreign_keys:", read in the second pass */
    yaml_mark_t pk_mark;   /* "primary_key:" value, or the table's key */
    borch_strv cnames;     /* constraint names taken (key, foreign keys, checks) */
} tbl_note;

/* A name in a namespace the engine keeps unique, and where it was declared. */
typedef struct used_name {
    char *name;
    const char *kind;
    int line;
} used_name;

typedef struct ctx {
    yaml_document_t *doc;
    const char *file;
    int engine;
    borch_error *err;
    borch_schema *s;
    tbl_note *tables;
    size_t ntables, captables;
    used_name *rel; /* relation namespace: tables, views, indexes (sequences) */
    size_t nrel, caprel;
    borch_schema *enums; /* declared enums, whatever the engine */
} ctx;

/* ---- node helpers ---- */

static int fail(const ctx *c, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets a BORCH_EINPUT message at mark and returns BORCH_EINPUT. */
static int fail(const ctx *c, yaml_mark_t mark, const char *fmt, ...)
{
    if (c->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
        va_end(ap);
        c->err->code = BORCH_EINPUT;
    }
    borch_error_at(c->err, c->file, (int)mark.line + 1, (int)mark.column + 1);
    return BORCH_EINPUT;
}

static yaml_node_t *node(const ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a string";
    }
}

/* A plain empty, "~" or "null" scalar: YAML's way to say "not set". */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = (const char *)n->data.scalar.value;
    return !v[0] || !strcmp(v, "~") || !strcasecmp(v, "null");
}

static const char *text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* Requires a non-empty scalar without NUL bytes; *out borrows its text. */
static int want_text(const ctx *c, const yaml_node_t *n, const char *what, const char **out)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n->start_mark, "%s must be a string, not %s", what, kind_name(n));
    if (is_null(n) || !n->data.scalar.length)
        return fail(c, n->start_mark, "%s must not be empty", what);
    if (memchr(n->data.scalar.value, 0, n->data.scalar.length))
        return fail(c, n->start_mark, "%s holds a NUL character", what);
    *out = text(n);
    return 0;
}

/* true/false (yes/no, on/off) into *out. */
static int want_bool(const ctx *c, const yaml_node_t *n, const char *what, int *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        for (size_t i = 0; i < 3; i++) {
            if (!strcasecmp(text(n), yes[i]))
                return *out = 1, 0;
            if (!strcasecmp(text(n), no[i]))
                return *out = 0, 0;
        }
    }
    return fail(c, n->start_mark, "%s must be true or false", what);
}

/* Requires a mapping (after the caller let null through or not). */
static int want_mapping(const ctx *c, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n->start_mark, "%s must be a mapping, not %s", what, kind_name(n));
    return 0;
}

/*
 * The key of pair p of mapping m: a non-empty string, not the same as an
 * earlier key. *name borrows its text.
 */
static int read_key(const ctx *c, const yaml_node_t *m, const yaml_node_pair_t *p,
                    const char *where, const char **name)
{
    yaml_node_t *k = node(c, p->key);
    if (k->type != YAML_SCALAR_NODE)
        return fail(c, k->start_mark, "keys %s must be names, not %s", where, kind_name(k));
    if (!k->data.scalar.length || memchr(k->data.scalar.value, 0, k->data.scalar.length))
        return fail(c, k->start_mark, "an empty or NUL-holding name %s", where);
    for (const yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
        yaml_node_t *qk = node(c, q->key);
        if (qk->type == YAML_SCALAR_NODE && !strcmp(text(qk), text(k)))
            return fail(c, k->start_mark, "duplicate name '%s' %s (first at line %d)", text(k),
                        where, (int)qk->start_mark.line + 1);
    }
    *name = text(k);
    return 0;
}

/* "unknown key" with the closest known key, or the list of known keys. */
static int unknown_key(const ctx *c, const yaml_node_pair_t *p, const char *where,
                       const char *const *known, size_t count)
{
    yaml_node_t *k = node(c, p->key);
    const char *kt = text(k);
    if (strchr(kt, ')') && !strchr(kt, '('))
        return fail(c, k->start_mark,
                    "unknown key '%s' %s: inside { } a comma ends a value, so quote a type "
                    "such as \"decimal(10,2)\"", kt, where);
    const char *near = ym_suggest(kt, known, count);
    if (near)
        return fail(c, k->start_mark, "unknown key '%s' %s, did you mean '%s'?", text(k), where,
                    near);
    borch_buf list;
    borch_buf_init(&list);
    for (size_t i = 0; i < count; i++)
        borch_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
    fail(c, k->start_mark, "unknown key '%s' %s (known: %s)", text(k), where, list.data);
    borch_buf_release(&list);
    return BORCH_EINPUT;
}

/*
 * Splits mapping m into the values of known keys (vals[i] for known[i],
 * NULL when absent), refusing unknown and duplicate keys.
 */
static int split_keys(const ctx *c, const yaml_node_t *m, const char *where,
                      const char *const *known, size_t count, yaml_node_t **vals)
{
    for (size_t i = 0; i < count; i++)
        vals[i] = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *key;
        int rc = read_key(c, m, p, where, &key);
        if (rc)
            return rc;
        size_t i = 0;
        while (i < count && strcmp(known[i], key))
            i++;
        if (i == count)
            return unknown_key(c, p, where, known, count);
        vals[i] = node(c, p->value);
    }
    return 0;
}

/*
 * SQL text that may differ by engine: a string, or a mapping of engine
 * names to strings. *out borrows the target engine's text, or is NULL when
 * the mapping leaves this engine out.
 */
static int engine_text(const ctx *c, const yaml_node_t *n, const char *what, const char **out)
{
    *out = NULL;
    if (n->type != YAML_MAPPING_NODE)
        return want_text(c, n, what, out);
    char where[300];
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *vals[YM_NENGINES];
    int rc = split_keys(c, n, where, ym_engine_names, YM_NENGINES, vals);
    for (int e = 0; !rc && e < YM_NENGINES; e++) {
        const char *t;
        if (vals[e] && !(rc = want_text(c, vals[e], what, &t)) && e == c->engine)
            *out = t;
    }
    return rc;
}

/*
 * "engines: [postgres, sqlite]": the engines an object is for; *wanted
 * says whether the target is one of them.
 */
static int read_engines(const ctx *c, const yaml_node_t *n, const char *what, int *wanted)
{
    char w[500];
    snprintf(w, sizeof(w), "'engines' of %s", what);
    *wanted = 0;
    const yaml_node_t *one[1] = {n};
    const yaml_node_t **items = one;
    size_t count = 1;
    if (n->type == YAML_SEQUENCE_NODE) {
        count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        items = borch_xcalloc(count + 1, sizeof(*items));
        for (size_t i = 0; i < count; i++)
            items[i] = node(c, n->data.sequence.items.start[i]);
    }
    int rc = count ? 0 : fail(c, n->start_mark, "%s must be a non-empty list of engines", w);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *name;
        if ((rc = want_text(c, items[i], w, &name)))
            break;
        int e = ym_engine_of(name);
        if (e < 0) {
            const char *near = ym_suggest(name, ym_engine_names, YM_NENGINES);
            rc = near ? fail(c, items[i]->start_mark, "%s names unknown engine '%s', did you mean '%s'?", w, name, near)
                      : fail(c, items[i]->start_mark, "%s names unknown engine '%s' (known: sqlite, postgres, mysql)",
                             w, name);
        }
        *wanted |= e == c->engine;
    }
    if (items != one)
        free(items);
    return rc;
}

/* Checks a declared name against the engine's length limit. */
static int check_name(const ctx *c, const yaml_node_t *k, const char *what, const char *name)
{
    size_t max = c->engine == YM_POSTGRES ? YM_PG_NAME_MAX : c->engine == YM_MYSQL ? YM_MY_NAME_MAX : 0;
    if (max && strlen(name) > max)
        return fail(c, k->start_mark, "%s name '%s' is longer than %s's limit of %zu bytes", what,
                    name, ym_engine_names[c->engine], max);
    return 0;
}

/* ---- names the engine keeps unique across the schema ---- */

/*
 * Takes name in the relation namespace (PostgreSQL and SQLite put tables,
 * views and indexes in one; MySQL only tables and views). Fails at mark
 * when it is taken.
 */
static int take_rel_name(ctx *c, yaml_mark_t mark, const char *kind, const char *name)
{
    for (size_t i = 0; i < c->nrel; i++)
        if (!strcmp(c->rel[i].name, name))
            return fail(c, mark, "%s name '%s' is already used by %s '%s' (line %d)", kind, name,
                        c->rel[i].kind, name, c->rel[i].line);
    borch_grow((void **)&c->rel, &c->caprel, c->nrel + 1, sizeof(*c->rel));
    c->rel[c->nrel++] = (used_name){borch_xstrdup(name), kind, (int)mark.line + 1};
    return 0;
}

/* Takes a constraint name of one table. */
static int take_constraint_name(const ctx *c, tbl_note *tn, yaml_mark_t mark, const char *name)
{
    if (borch_strv_contains(&tn->cnames, name))
        return fail(c, mark, "duplicate constraint name '%s' in table '%s'", name,
                    c->s->tables[tn->index].name);
    borch_strv_push(&tn->cnames, name);
    return 0;
}

/* ---- enums ---- */

static int read_enums(ctx *c, const yaml_node_t *n)
{
    if (is_null(n))
        return 0;
    int rc = want_mapping(c, n, "'enums'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top; p++) {
        const char *name;
        if ((rc = read_key(c, n, p, "under 'enums'", &name)) ||
            (rc = check_name(c, node(c, p->key), "enum", name)))
            break;
        yaml_node_t *v = node(c, p->value);
        if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
            return fail(c, v->start_mark, "enum '%s' must be a non-empty list of values", name);
        borch_enum *e = borch_schema_add_enum(c->enums, name);
        for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
            yaml_node_t *item = node(c, *i);
            const char *value;
            if (item->type != YAML_SCALAR_NODE || memchr(item->data.scalar.value, 0, item->data.scalar.length))
                return fail(c, item->start_mark, "a value of enum '%s' must be a string", name);
            value = text(item);
            for (size_t k = 0; k < e->nvalues; k++)
                if (!strcmp(e->values[k], value))
                    return fail(c, item->start_mark, "duplicate value '%s' in enum '%s'", value, name);
            borch_enum_add_value(e, value);
        }
    }
    return rc;
}

/* The engine's type for a declared enum: its name, an inline enum(...), or text. */
static char *enum_type(const ctx *c, const borch_enum *e)
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
static int neutral_type(const ctx *c, const yaml_node_t *n, const char *col, char **out)
{
    const char *t;
    int rc = want_text(c, n, "a column type", &t);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->enums->nenums; i++)
        if (!strcmp(c->enums->enums[i].name, t))
            return *out = enum_type(c, &c->enums->enums[i]), 0;
    char why[200] = "";
    char *mapped = NULL;
    int m = ym_type_map(t, c->engine, &mapped, why, sizeof(why));
    if (m == 2)
        return fail(c, n->start_mark, "%s (column '%s')", why, col);
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
        fail(c, n->start_mark, "unknown type '%s' for column '%s', did you mean '%s'?", t, col, near);
    else
        fail(c, n->start_mark,
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
static char *engine_default(const ctx *c, const char *def, const char *type)
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
static int read_column(ctx *c, borch_table *t, col_note *note, const yaml_node_t *k,
                       const yaml_node_t *n)
{
    const char *name = text(k);
    char path[600], where[700];
    snprintf(path, sizeof(path), "%s.%s", t->name, name);
    snprintf(where, sizeof(where), "in column '%s'", path);
    int rc = check_name(c, k, "column", name);
    if (rc)
        return rc;
    note->null_set = -1;
    note->mark = k->start_mark;
    yaml_node_t *v[COUNT(column_keys)] = {NULL};
    if (n->type == YAML_SCALAR_NODE && !is_null(n))
        v[0] = (yaml_node_t *)n; /* shorthand: the value is the type */
    else if (n->type != YAML_MAPPING_NODE)
        return fail(c, n->start_mark, "column '%s' must be a type or a mapping (type, null, default, ...)", path);
    else if ((rc = split_keys(c, n, where, column_keys, COUNT(column_keys), v)))
        return rc;
    char *type = NULL;
    if (v[0] && (rc = neutral_type(c, v[0], path, &type)))
        return rc;
    for (int e = 0; e < YM_NENGINES; e++) {
        const char *raw;
        yaml_node_t *o = v[4 + e];
        if (!o)
            continue;
        if ((rc = want_text(c, o, "a per-engine type", &raw))) {
            free(type);
            return rc;
        }
        if (e == c->engine) {
            free(type);
            type = ym_type_normalize(raw, c->engine);
        }
    }
    if (!type)
        return fail(c, k->start_mark,
                    "column '%s' has no type for %s: give 'type' (a neutral type) or '%s'", path,
                    ym_engine_names[c->engine], ym_engine_names[c->engine]);
    int nullable = 1, identity = 0;
    const char *def = NULL;
    if ((v[1] && (rc = want_bool(c, v[1], "'null'", &nullable))) ||
        (v[3] && (rc = want_bool(c, v[3], "'identity'", &identity))) ||
        (v[2] && (rc = engine_text(c, v[2], "a default", &def)))) {
        free(type);
        return rc;
    }
    if (v[1])
        note->null_set = nullable;
    if (identity && !ym_type_is_integer(type))
        rc = fail(c, v[3]->start_mark, "identity needs an integer type, and column '%s' is '%s'",
                  path, type);
    else if (identity && def)
        rc = fail(c, v[2]->start_mark, "identity column '%s' cannot also have a default", path);
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

static int read_columns(ctx *c, borch_table *t, tbl_note *tn, const yaml_node_t *n, yaml_mark_t at)
{
    if (!n || is_null(n))
        return fail(c, at, "table '%s' has no columns", t->name);
    char what[400];
    snprintf(what, sizeof(what), "'columns' of table '%s'", t->name);
    int rc = want_mapping(c, n, what);
    if (rc)
        return rc;
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (!count)
        return fail(c, n->start_mark, "table '%s' has no columns", t->name);
    tn->cols = borch_xcalloc(count, sizeof(*tn->cols));
    snprintf(what, sizeof(what), "under 'columns' of table '%s'", t->name);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const char *name;
        if ((rc = read_key(c, n, p, what, &name)) ||
            (rc = read_column(c, t, &tn->cols[t->ncolumns], node(c, p->key), node(c, p->value))))
            return rc;
    }
    return 0;
}

/* A column of t named by node n, or an error with the closest column. */
static int want_column(const ctx *c, const borch_table *t, const yaml_node_t *n, const char *what,
                       const char **out)
{
    int rc = want_text(c, n, what, out);
    if (rc || borch_table_column(t, *out))
        return rc;
    const char **names = borch_xmalloc((t->ncolumns + 1) * sizeof(*names));
    for (size_t i = 0; i < t->ncolumns; i++)
        names[i] = t->columns[i].name;
    const char *near = ym_suggest(*out, names, t->ncolumns);
    if (near)
        rc = fail(c, n->start_mark, "%s names column '%s', which table '%s' does not have; did you mean '%s'?",
                  what, *out, t->name, near);
    else
        rc = fail(c, n->start_mark, "%s names column '%s', which table '%s' does not have", what,
                  *out, t->name);
    free(names);
    return rc;
}

/* A list of names (or one name) into v; each must be a column of t when t is given. */
static int read_name_list(const ctx *c, const borch_table *t, const yaml_node_t *n,
                          const char *what, borch_strv *v)
{
    const char *name;
    int rc;
    if (n->type == YAML_SCALAR_NODE) {
        if ((rc = t ? want_column(c, t, n, what, &name) : want_text(c, n, what, &name)))
            return rc;
        borch_strv_push(v, name);
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.start == n->data.sequence.items.top)
        return fail(c, n->start_mark, "%s must be a non-empty list of column names", what);
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *item = node(c, *i);
        if ((rc = t ? want_column(c, t, item, what, &name) : want_text(c, item, what, &name)))
            return rc;
        if (borch_strv_contains(v, name))
            return fail(c, item->start_mark, "%s names column '%s' twice", what, name);
        borch_strv_push(v, name);
    }
    return 0;
}

/* "primary_key: [a, b]", "primary_key: a" or "primary_key: { name: ..., columns: [...] }". */
static int read_pk(ctx *c, borch_table *t, tbl_note *tn, const yaml_node_t *n)
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
        if ((rc = split_keys(c, n, where, pk_keys, COUNT(pk_keys), v)))
            return rc;
        if (!v[1])
            return fail(c, n->start_mark, "%s has no 'columns'", what);
        if (v[0]) {
            const char *name;
            if ((rc = want_text(c, v[0], "a primary key name", &name)) ||
                (rc = check_name(c, v[0], "primary key", name)) ||
                (rc = take_constraint_name(c, tn, v[0]->start_mark, name)))
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
static int part_is_column(const ctx *c, const borch_table *t, const char *part)
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
static int read_index(ctx *c, borch_table *t, tbl_note *tn, const yaml_node_t *k, const yaml_node_t *n)
{
    const char *name = text(k);
    char what[400], where[500];
    snprintf(what, sizeof(what), "index '%s' of table '%s'", name, t->name);
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *v[COUNT(index_keys)] = {NULL};
    int rc = check_name(c, k, "index", name);
    if (rc)
        return rc;
    if (n->type == YAML_SEQUENCE_NODE)
        v[0] = (yaml_node_t *)n; /* shorthand: the list of columns */
    else if ((rc = want_mapping(c, n, what)) ||
             (rc = split_keys(c, n, where, index_keys, COUNT(index_keys), v)))
        return rc;
    if (!v[0])
        return fail(c, n->start_mark, "%s has no 'columns'", what);
    int wanted = 1;
    if (v[5] && (rc = read_engines(c, v[5], what, &wanted)))
        return rc;
    int unique = 0, constraint = 0;
    const char *pred = NULL, *method = NULL;
    if ((v[1] && (rc = want_bool(c, v[1], "'unique'", &unique))) ||
        (v[2] && (rc = want_bool(c, v[2], "'constraint'", &constraint))) ||
        (v[3] && (rc = engine_text(c, v[3], "an index predicate", &pred))) ||
        (v[4] && (rc = want_text(c, v[4], "an index method", &method))))
        return rc;
    if (constraint && v[1] && !unique)
        return fail(c, v[1]->start_mark, "%s is a unique constraint, so it cannot say 'unique: false'", what);
    if (pred && c->engine == YM_MYSQL && wanted)
        return fail(c, v[3]->start_mark, "%s has a 'where' predicate, which mysql does not support", what);
    if (constraint && pred)
        return fail(c, v[3]->start_mark, "%s is a unique constraint, which cannot have a 'where' predicate", what);
    /* parts: columns, or expressions; a bare word that is no column is a typo */
    borch_strv parts = {0};
    if (v[0]->type == YAML_SCALAR_NODE) {
        const char *p;
        if (!(rc = want_text(c, v[0], what, &p)))
            borch_strv_push(&parts, p);
    } else if (v[0]->type != YAML_SEQUENCE_NODE || v[0]->data.sequence.items.start == v[0]->data.sequence.items.top) {
        rc = fail(c, v[0]->start_mark, "'columns' of %s must be a non-empty list", what);
    } else {
        for (yaml_node_item_t *i = v[0]->data.sequence.items.start; !rc && i < v[0]->data.sequence.items.top; i++) {
            yaml_node_t *item = node(c, *i);
            const char *p;
            if ((rc = want_text(c, item, what, &p)))
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
        rc = fail(c, v[0]->start_mark, "%s is a unique constraint, which can only list columns", what);
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
        rc = take_rel_name(c, k->start_mark, "index", nb.data);
    else if (borch_table_index(t, nb.data))
        rc = fail(c, k->start_mark, "duplicate index name '%s' in table '%s'", nb.data, t->name);
    if (!rc && constraint && c->engine == YM_POSTGRES)
        rc = take_constraint_name(c, tn, k->start_mark, nb.data);
    if (!rc) {
        borch_index *ix = borch_table_add_index(t, nb.data, unique || constraint);
        ix->constraint = constraint;
        ix->expression = expression;
        ix->where = borch_xstrdup(pred);
        for (size_t i = 0; i < parts.count; i++) {
            const char *p = parts.items[i];
            size_t len = strlen(p);
            /* MySQL reports "col DESC" and no ASC */
            if (c->engine == YM_MYSQL && len > 4 && !strcasecmp(p + len - 4, " asc") && !expression) {
                char *h = borch_xstrndup(p, len - 4);
                borch_index_add_column(ix, h);
                free(h);
            } else if (c->engine == YM_MYSQL && len > 5 && !strcasecmp(p + len - 5, " desc") && !expression) {
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

static int read_indexes(ctx *c, borch_table *t, tbl_note *tn, const yaml_node_t *n)
{
    char where[400];
    snprintf(where, sizeof(where), "'indexes' of table '%s'", t->name);
    if (is_null(n))
        return 0;
    int rc = want_mapping(c, n, where);
    snprintf(where, sizeof(where), "under 'indexes' of table '%s'", t->name);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top; p++) {
        const char *name;
        if (!(rc = read_key(c, n, p, where, &name)))
            rc = read_index(c, t, tn, node(c, p->key), node(c, p->value));
    }
    return rc;
}

/* "checks:": a list of { name, expression } or of bare expressions. */
static int read_checks(ctx *c, borch_table *t, tbl_note *tn, const yaml_node_t *n)
{
    char what[400], where[500];
    snprintf(what, sizeof(what), "a check of table '%s'", t->name);
    snprintf(where, sizeof(where), "in %s", what);
    if (is_null(n))
        return 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(c, n->start_mark, "'checks' of table '%s' must be a list, not %s", t->name, kind_name(n));
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *item = node(c, *i), *v[COUNT(check_keys)] = {NULL};
        const char *name = NULL, *expr = NULL;
        int rc;
        if (item->type == YAML_SCALAR_NODE)
            v[1] = item;
        else if ((rc = want_mapping(c, item, what)) ||
                 (rc = split_keys(c, item, where, check_keys, COUNT(check_keys), v)))
            return rc;
        if (!v[1])
            return fail(c, item->start_mark, "%s has no 'expression'", what);
        if ((v[0] && ((rc = want_text(c, v[0], "a check name", &name)) ||
                      (rc = check_name(c, v[0], "check", name)) ||
                      (rc = take_constraint_name(c, tn, v[0]->start_mark, name)))) ||
            (rc = engine_text(c, v[1], "a check expression", &expr)))
            return rc;
        if (expr)
            borch_table_add_check(t, name, expr);
    }
    return 0;
}

/* One table: its columns first, whatever the key order, since the rest names them. */
static int read_table(ctx *c, const yaml_node_t *k, const yaml_node_t *n)
{
    const char *name = text(k);
    char what[300], where[400];
    snprintf(what, sizeof(what), "table '%s'", name);
    snprintf(where, sizeof(where), "in table '%s'", name);
    int rc;
    if ((rc = check_name(c, k, "table", name)) || (rc = take_rel_name(c, k->start_mark, "table", name)))
        return rc;
    if (is_null(n))
        return fail(c, k->start_mark, "table '%s' has no columns", name);
    yaml_node_t *v[COUNT(table_keys)];
    if ((rc = want_mapping(c, n, what)) || (rc = split_keys(c, n, where, table_keys, COUNT(table_keys), v)))
        return rc;
    borch_grow((void **)&c->tables, &c->captables, c->ntables + 1, sizeof(*c->tables));
    tbl_note *tn = &c->tables[c->ntables++];
    memset(tn, 0, sizeof(*tn));
    tn->index = c->s->ntables;
    tn->pk_mark = k->start_mark;
    tn->fks = v[3];
    borch_table *t = borch_schema_add_table(c->s, name);
    if ((rc = read_columns(c, t, tn, v[0], k->start_mark)) ||
        (v[1] && !is_null(v[1]) && (rc = read_pk(c, t, tn, v[1]))) ||
        (v[2] && (rc = read_indexes(c, t, tn, v[2]))) || (v[4] && (rc = read_checks(c, t, tn, v[4]))))
        return rc;
    if (v[5] && !is_null(v[5])) {
        const char *comment;
        if ((rc = want_text(c, v[5], "a table comment", &comment)))
            return rc;
        if (c->engine != YM_SQLITE) /* SQLite keeps no comments */
            t->comment = borch_xstrdup(comment);
    }
    return 0;
}

/* ---- foreign keys (second pass: every table is known) ---- */

/* A table of the model named by node n, or an error with the closest table. */
static int want_table(const ctx *c, const yaml_node_t *n, const char *name, const char *what,
                      borch_table **out)
{
    *out = borch_schema_table(c->s, name);
    if (*out)
        return 0;
    const char **names = borch_xmalloc((c->s->ntables + 1) * sizeof(*names));
    for (size_t i = 0; i < c->s->ntables; i++)
        names[i] = c->s->tables[i].name;
    const char *near = ym_suggest(name, names, c->s->ntables);
    int rc = near ? fail(c, n->start_mark, "%s references table '%s', which the model does not have; did you mean '%s'?",
                         what, name, near)
                  : fail(c, n->start_mark, "%s references table '%s', which the model does not have", what, name);
    free(names);
    return rc;
}

/* "orgs(id)", "orgs(a, b)", "orgs" or { table: orgs, columns: [id] }: the table and columns. */
static int read_reference(const ctx *c, const yaml_node_t *n, const char *what, borch_table **parent,
                          borch_strv *cols)
{
    int rc;
    if (n->type == YAML_MAPPING_NODE) {
        char where[500];
        snprintf(where, sizeof(where), "in the reference of %s", what);
        yaml_node_t *v[COUNT(ref_keys)];
        const char *table;
        if ((rc = split_keys(c, n, where, ref_keys, COUNT(ref_keys), v)))
            return rc;
        if (!v[0])
            return fail(c, n->start_mark, "the reference of %s has no 'table'", what);
        if ((rc = want_text(c, v[0], "a referenced table", &table)) ||
            (rc = want_table(c, v[0], table, what, parent)))
            return rc;
        return v[1] ? read_name_list(c, *parent, v[1], what, cols) : 0;
    }
    const char *ref;
    if ((rc = want_text(c, n, "'references'", &ref)))
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
        return fail(c, n->start_mark, "'references' of %s must read table(column, ...), not '%s'", what, ref);
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
            rc = near ? fail(c, n->start_mark, "%s references column '%s.%s', which does not exist; did you mean '%s'?",
                             what, (*parent)->name, col, near)
                      : fail(c, n->start_mark, "%s references column '%s.%s', which does not exist", what,
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
static int read_action(const ctx *c, const yaml_node_t *n, const char *what, char **field)
{
    const char *raw;
    int rc = want_text(c, n, what, &raw);
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
    rc = near ? fail(c, n->start_mark, "%s '%s' is not an action; did you mean '%s'?", what, raw, near)
              : fail(c, n->start_mark, "%s '%s' is not an action (no action, restrict, cascade, set null, set default)",
                     what, raw);
    free(a);
    return rc;
}

static int read_fk(ctx *c, tbl_note *tn, const yaml_node_t *n)
{
    borch_table *t = &c->s->tables[tn->index];
    char what[400], where[500];
    snprintf(what, sizeof(what), "a foreign key of table '%s'", t->name);
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *v[COUNT(fk_keys)];
    int rc;
    if ((rc = want_mapping(c, n, what)) || (rc = split_keys(c, n, where, fk_keys, COUNT(fk_keys), v)))
        return rc;
    if (!v[1] || !v[2])
        return fail(c, n->start_mark, "%s needs 'columns' and 'references'", what);
    const char *name = NULL;
    borch_table *parent = NULL;
    borch_strv cols = {0}, refs = {0};
    if ((v[0] && ((rc = want_text(c, v[0], "a foreign key name", &name)) ||
                  (rc = check_name(c, v[0], "foreign key", name)) ||
                  (rc = take_constraint_name(c, tn, v[0]->start_mark, name)))) ||
        (rc = read_name_list(c, t, v[1], what, &cols)) ||
        (rc = read_reference(c, v[2], what, &parent, &refs)))
        goto done;
    if (!refs.count) { /* "references: orgs": its primary key */
        if (!parent->nprimary_key) {
            rc = fail(c, v[2]->start_mark, "%s references table '%s', which has no primary key; name the columns",
                      what, parent->name);
            goto done;
        }
        for (size_t i = 0; i < parent->nprimary_key; i++)
            borch_strv_push(&refs, parent->primary_key[i]);
    }
    if (refs.count != cols.count) {
        rc = fail(c, v[2]->start_mark, "%s has %zu column(s) but references %zu", what, cols.count, refs.count);
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
    t = &c->s->tables[tn->index]; /* parent lookups do not move tables, but be plain about it */
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

static int read_fks(ctx *c)
{
    for (size_t i = 0; i < c->ntables; i++) {
        const yaml_node_t *n = c->tables[i].fks;
        if (!n || is_null(n))
            continue;
        if (n->type != YAML_SEQUENCE_NODE)
            return fail(c, n->start_mark, "'foreign_keys' of table '%s' must be a list, not %s",
                        c->s->tables[c->tables[i].index].name, kind_name(n));
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            int rc = read_fk(c, &c->tables[i], node(c, *it));
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- views and sequences ---- */

static int read_views(ctx *c, const yaml_node_t *n)
{
    if (is_null(n))
        return 0;
    int rc = want_mapping(c, n, "'views'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top; p++) {
        const char *name, *def;
        char what[300];
        if ((rc = read_key(c, n, p, "under 'views'", &name)))
            break;
        snprintf(what, sizeof(what), "the definition of view '%s'", name);
        yaml_node_t *k = node(c, p->key);
        if ((rc = check_name(c, k, "view", name)) || (rc = engine_text(c, node(c, p->value), what, &def)))
            break;
        if (def && !(rc = take_rel_name(c, k->start_mark, "view", name)))
            borch_schema_add_view(c->s, name, def);
    }
    return rc;
}

static int read_sequences(ctx *c, const yaml_node_t *n)
{
    if (is_null(n))
        return 0;
    int rc = want_mapping(c, n, "'sequences'");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top; p++) {
        const char *name, *owned = NULL;
        char where[300];
        if ((rc = read_key(c, n, p, "under 'sequences'", &name)))
            break;
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value), *vals[COUNT(sequence_keys)] = {NULL};
        snprintf(where, sizeof(where), "in sequence '%s'", name);
        if ((rc = check_name(c, k, "sequence", name)) ||
            (!is_null(v) && ((rc = want_mapping(c, v, where)) ||
                             (rc = split_keys(c, v, where, sequence_keys, COUNT(sequence_keys), vals)))))
            break;
        if (vals[0]) {
            if ((rc = want_text(c, vals[0], "'owned_by'", &owned)))
                break;
            const char *dot = strrchr(owned, '.');
            char *table = dot ? borch_xstrndup(owned, (size_t)(dot - owned)) : NULL;
            borch_table *t = table ? borch_schema_table(c->s, table) : NULL;
            free(table);
            if (!t || !borch_table_column(t, dot + 1)) {
                rc = fail(c, vals[0]->start_mark, "'owned_by' of sequence '%s' must name an existing table.column, not '%s'",
                          name, owned);
                break;
            }
        }
        if (c->engine == YM_SQLITE) /* SQLite has no sequences */
            continue;
        if (!(rc = take_rel_name(c, k->start_mark, "sequence", name)))
            borch_schema_add_sequence(c->s, name, owned);
    }
    return rc;
}

/* ---- what the engine implies ---- */

/* name truncated to the engine's limit, as the server would keep it; malloc'd. */
static char *limit_name(const ctx *c, const char *name)
{
    size_t max = c->engine == YM_POSTGRES ? YM_PG_NAME_MAX : c->engine == YM_MYSQL ? YM_MY_NAME_MAX : 0;
    return max && strlen(name) > max ? borch_xstrndup(name, max) : borch_xstrdup(name);
}

/* A constraint name of tn not yet taken: base, or base with a number (from first). */
static char *fresh_name(const ctx *c, tbl_note *tn, const char *base, int numbered, int first)
{
    for (int n = first;; n++) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_puts(&b, base);
        if (numbered || n > first)
            borch_buf_printf(&b, "%d", n);
        char *name = limit_name(c, b.data);
        borch_buf_release(&b);
        if (!borch_strv_contains(&tn->cnames, name)) {
            borch_strv_push(&tn->cnames, name);
            return name;
        }
        free(name);
    }
}

static int in_pk(const borch_table *t, const char *col)
{
    for (size_t i = 0; i < t->nprimary_key; i++)
        if (!strcmp(t->primary_key[i], col))
            return 1;
    return 0;
}

/* Whether the key's columns lead the primary key or an index (InnoDB then needs no index of its own). */
int ym_fk_covered(const borch_table *t, const borch_foreign_key *fk, const borch_index *except)
{
    int pk = t->nprimary_key >= fk->ncolumns;
    for (size_t j = 0; pk && j < fk->ncolumns; j++)
        pk = !strcmp(t->primary_key[j], fk->columns[j]);
    if (pk)
        return 1;
    for (size_t i = 0; i < t->nindexes; i++) {
        const borch_index *ix = &t->indexes[i];
        int lead = ix != except && ix->ncolumns >= fk->ncolumns;
        for (size_t j = 0; lead && j < fk->ncolumns; j++)
            lead = !strcmp(ix->columns[j], fk->columns[j]);
        if (lead)
            return 1;
    }
    return 0;
}

/* InnoDB gives a foreign key no index leads an index of its own, named after the key. */
static void add_fk_indexes(borch_table *t)
{
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        const borch_foreign_key *fk = &t->foreign_keys[i];
        if (ym_fk_covered(t, fk, NULL) || borch_table_index(t, fk->name))
            continue;
        borch_index *ix = borch_table_add_index(t, fk->name, 0);
        for (size_t j = 0; j < fk->ncolumns; j++)
            borch_index_add_column(ix, fk->columns[j]);
    }
}

/* Nullability, identity rules, and the names the engine would give. */
static int finish_table(ctx *c, tbl_note *tn)
{
    borch_table *t = &c->s->tables[tn->index];
    for (size_t i = 0; i < t->ncolumns; i++) {
        borch_column *col = &t->columns[i];
        const col_note *note = &tn->cols[i];
        int pk = in_pk(t, col->name);
        if ((pk || col->identity) && note->null_set == 1 && (c->engine != YM_SQLITE || col->identity))
            return fail(c, note->mark, "%s column '%s.%s' cannot allow NULL on %s",
                        col->identity ? "identity" : "primary key", t->name, col->name,
                        ym_engine_names[c->engine]);
        if (pk || col->identity)
            col->nullable = note->null_set == 1;
        if (!col->identity)
            continue;
        if (c->engine == YM_SQLITE) {
            if (t->nprimary_key != 1 || !pk)
                return fail(c, note->mark,
                            "identity column '%s.%s' must be the whole primary key on sqlite (an INTEGER PRIMARY KEY)",
                            t->name, col->name);
            free(col->type);
            col->type = borch_xstrdup("integer");
        } else if (c->engine == YM_MYSQL) {
            int keyed = t->nprimary_key && !strcmp(t->primary_key[0], col->name);
            for (size_t j = 0; !keyed && j < t->nindexes; j++)
                keyed = !strcmp(t->indexes[j].columns[0], col->name);
            if (!keyed)
                return fail(c, note->mark, "identity column '%s.%s' must come first in a key on mysql",
                            t->name, col->name);
        }
    }
    if (c->engine == YM_SQLITE && t->nprimary_key == 1) { /* the rowid alias */
        borch_column *col = borch_table_column(t, t->primary_key[0]);
        if (!strcmp(col->type, "integer")) {
            col->identity = 1;
            col->nullable = 0;
        }
    }
    if (c->engine == YM_POSTGRES && t->nprimary_key && !t->primary_key_name) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%s_pkey", t->name);
        t->primary_key_name = limit_name(c, b.data);
        borch_buf_release(&b);
        if (borch_strv_contains(&tn->cnames, t->primary_key_name))
            return fail(c, tn->pk_mark, "the primary key of table '%s' would be named '%s', which is taken",
                        t->name, t->primary_key_name);
        borch_strv_push(&tn->cnames, t->primary_key_name);
    }
    if (c->engine == YM_SQLITE)
        return 0; /* SQLite leaves unnamed constraints unnamed */
    int nfk = 0, nck = 0;
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        borch_foreign_key *fk = &t->foreign_keys[i];
        if (fk->name)
            continue;
        borch_buf b;
        borch_buf_init(&b);
        if (c->engine == YM_POSTGRES) {
            borch_buf_puts(&b, t->name);
            for (size_t j = 0; j < fk->ncolumns; j++)
                borch_buf_printf(&b, "_%s", fk->columns[j]);
            borch_buf_puts(&b, "_fkey");
            fk->name = fresh_name(c, tn, b.data, 0, 0);
        } else {
            borch_buf_printf(&b, "%s_ibfk_", t->name);
            fk->name = fresh_name(c, tn, b.data, 1, ++nfk);
        }
        borch_buf_release(&b);
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        borch_check *ck = &t->checks[i];
        if (ck->name)
            continue;
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, c->engine == YM_POSTGRES ? "%s_check" : "%s_chk_", t->name);
        ck->name = fresh_name(c, tn, b.data, c->engine == YM_MYSQL, c->engine == YM_MYSQL ? ++nck : 0);
        borch_buf_release(&b);
    }
    if (c->engine == YM_MYSQL)
        add_fk_indexes(t);
    return 0;
}

/* PostgreSQL lists an identity column's sequence: <table>_<column>_seq, owned by it. */
static void add_identity_sequences(ctx *c)
{
    for (size_t i = 0; i < c->s->ntables; i++) {
        const borch_table *t = &c->s->tables[i];
        for (size_t j = 0; j < t->ncolumns; j++) {
            if (!t->columns[j].identity)
                continue;
            borch_buf owned, name;
            borch_buf_init(&owned);
            borch_buf_init(&name);
            borch_buf_printf(&owned, "%s.%s", t->name, t->columns[j].name);
            int explicit = 0;
            for (size_t k = 0; k < c->s->nsequences && !explicit; k++)
                explicit = c->s->sequences[k].owned_by && !strcmp(c->s->sequences[k].owned_by, owned.data);
            if (!explicit) {
                borch_buf_printf(&name, "%s_%s_seq", t->name, t->columns[j].name);
                char *n = limit_name(c, name.data);
                borch_schema_add_sequence(c->s, n, owned.data);
                free(n);
            }
            borch_buf_release(&owned);
            borch_buf_release(&name);
        }
    }
}

/* ---- entry points ---- */

/* 1-based line and column of a byte offset (reader errors give only that). */
static void offset_position(const char *src, size_t len, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (src[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Turns libyaml's error state into a borch_error with its position. */
static int parser_error(const ctx *c, const yaml_parser_t *parser, const char *src, size_t len)
{
    if (parser->error == YAML_MEMORY_ERROR)
        return borch_error_set(c->err, BORCH_ENOMEM, "out of memory reading %s", c->file);
    const char *problem = parser->problem ? parser->problem : "unknown error";
    if (parser->error == YAML_READER_ERROR) {
        int line, col;
        offset_position(src, len, parser->problem_offset, &line, &col);
        borch_error_set(c->err, BORCH_EINPUT, "malformed YAML: %s", problem);
        borch_error_at(c->err, c->file, line, col);
        return BORCH_EINPUT;
    }
    if (parser->context)
        return fail(c, parser->problem_mark, "malformed YAML: %s (%s at line %d, column %d)", problem,
                    parser->context, (int)parser->context_mark.line + 1,
                    (int)parser->context_mark.column + 1);
    return fail(c, parser->problem_mark, "malformed YAML: %s", problem);
}

/* The whole model from the document's root. */
static int read_root(ctx *c, const yaml_node_t *root)
{
    if (!root || is_null(root))
        return 0; /* an empty model: no tables */
    char where[600];
    snprintf(where, sizeof(where), "in %s", c->file);
    yaml_node_t *v[COUNT(top_keys)];
    int rc;
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root->start_mark, "%s must be a mapping (tables, views, enums, sequences), not %s",
                    c->file, kind_name(root));
    if ((rc = split_keys(c, root, where, top_keys, COUNT(top_keys), v)) ||
        (v[2] && (rc = read_enums(c, v[2]))))
        return rc;
    if (v[0] && !is_null(v[0])) {
        if ((rc = want_mapping(c, v[0], "'tables'")))
            return rc;
        for (yaml_node_pair_t *p = v[0]->data.mapping.pairs.start; p < v[0]->data.mapping.pairs.top; p++) {
            const char *name;
            if ((rc = read_key(c, v[0], p, "under 'tables'", &name)) ||
                (rc = read_table(c, node(c, p->key), node(c, p->value))))
                return rc;
        }
    }
    if ((rc = read_fks(c)) || (v[1] && (rc = read_views(c, v[1]))) ||
        (v[3] && (rc = read_sequences(c, v[3]))))
        return rc;
    for (size_t i = 0; i < c->ntables; i++)
        if ((rc = finish_table(c, &c->tables[i])))
            return rc;
    if (c->engine == YM_POSTGRES) {
        add_identity_sequences(c);
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
        return borch_error_set(err, BORCH_EUSAGE, "unknown engine '%s' (known: sqlite, postgres, mysql)",
                               engine ? engine : "");
    yaml_parser_t parser;
    yaml_document_t doc;
    ctx c = {.doc = &doc, .file = file, .engine = e, .err = err};
    if (!yaml_parser_initialize(&parser))
        return borch_error_set(err, BORCH_ENOMEM, "out of memory reading %s", file);
    yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = parser_error(&c, &parser, src, len);
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
            rc = parser_error(&c, &parser, src, len);
        } else {
            yaml_node_t *extra = yaml_document_get_root_node(&doc);
            if (extra)
                rc = fail(&c, extra->start_mark, "%s holds more than one YAML document", file);
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
    borch_schema_free(c.enums);
    if (rc) {
        borch_schema_free(c.s);
        return rc;
    }
    borch_schema_sort(c.s);
    *out = c.s;
    return 0;
}

int borch_yaml_model_read(const char *path, const char *engine, borch_schema **out, borch_error *err)
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
