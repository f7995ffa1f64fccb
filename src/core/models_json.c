/*
 * models_json.c - the schema model as the models.json document and back
 * (see models_json.h, docs/models-json.md, docs/models.schema.json).
 *
 * Layout: rendering (model -> jansson tree -> text), then parsing (text ->
 * jansson tree -> model) with a small "reader" that knows the JSON path of
 * the value it looks at, so every structural error names it, e.g.
 * "tables[2].columns[0]: 'nullable' must be true or false".
 *
 * Rendering rules that keep the output deterministic and lean: keys sorted,
 * objects sorted by name (borch_schema_sort on a copy), two-space indent,
 * final newline; optional facts ("identity", "where", "method",
 * "expression", "constraint", "primary_key_name", "comment", "enums",
 * "sequences") are written only when set, so a schema that does not use
 * them prints the same document on every engine.
 */
#include "core/models_json.h"

#include "core/json_text.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODELS_FORMAT "borch-models/1"

/* ---- rendering ---------------------------------------------------------- */

/* Every text of the model may come from a database in another encoding. */
static json_t *str_or_null(const char *s)
{
    return borch_json_text(s);
}

/* A required text; a NULL where the model promises one prints as "". */
static json_t *str(const char *s)
{
    return borch_json_text(s ? s : "");
}

static json_t *str_array(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, str(items[i]));
    return a;
}

/*
 * Every object below sets its keys in byte order and the document is
 * dumped with JSON_PRESERVE_ORDER: the same bytes JSON_SORT_KEYS would give,
 * without sorting the keys of tens of thousands of objects on each render
 * (status renders the live schema to compare it with models.json).
 */
static json_t *render_column(const borch_column *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "default", str_or_null(c->default_expr));
    if (c->identity)
        json_object_set_new(o, "identity", json_true());
    json_object_set_new(o, "name", str(c->name));
    json_object_set_new(o, "nullable", json_boolean(c->nullable));
    json_object_set_new(o, "type", str_or_null(c->type));
    return o;
}

static json_t *render_index(const borch_index *ix)
{
    json_t *o = json_object();
    json_object_set_new(o, "columns", str_array(ix->columns, ix->ncolumns));
    if (ix->constraint)
        json_object_set_new(o, "constraint", json_true());
    if (ix->expression)
        json_object_set_new(o, "expression", json_true());
    if (ix->method)
        json_object_set_new(o, "method", str(ix->method));
    json_object_set_new(o, "name", str(ix->name));
    json_object_set_new(o, "unique", json_boolean(ix->unique));
    if (ix->where)
        json_object_set_new(o, "where", str(ix->where));
    return o;
}

static json_t *render_fk(const borch_foreign_key *fk)
{
    json_t *o = json_object();
    json_object_set_new(o, "columns", str_array(fk->columns, fk->ncolumns));
    json_object_set_new(o, "name", str_or_null(fk->name));
    json_object_set_new(o, "on_delete", str_or_null(fk->on_delete));
    json_object_set_new(o, "on_update", str_or_null(fk->on_update));
    json_object_set_new(o, "ref_columns", str_array(fk->ref_columns, fk->nref_columns));
    json_object_set_new(o, "ref_table", str(fk->ref_table));
    return o;
}

static json_t *render_table(const borch_table *t)
{
    json_t *o = json_object();
    json_t *checks = json_array();
    for (size_t i = 0; i < t->nchecks; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "expression", str(t->checks[i].expression));
        json_object_set_new(c, "name", str_or_null(t->checks[i].name));
        json_array_append_new(checks, c);
    }
    json_object_set_new(o, "checks", checks);
    json_t *cols = json_array();
    for (size_t i = 0; i < t->ncolumns; i++)
        json_array_append_new(cols, render_column(&t->columns[i]));
    json_object_set_new(o, "columns", cols);
    if (t->comment)
        json_object_set_new(o, "comment", str(t->comment));
    json_t *fks = json_array();
    for (size_t i = 0; i < t->nforeign_keys; i++)
        json_array_append_new(fks, render_fk(&t->foreign_keys[i]));
    json_object_set_new(o, "foreign_keys", fks);
    json_t *ixs = json_array();
    for (size_t i = 0; i < t->nindexes; i++)
        json_array_append_new(ixs, render_index(&t->indexes[i]));
    json_object_set_new(o, "indexes", ixs);
    json_object_set_new(o, "name", str(t->name));
    json_object_set_new(o, "primary_key", str_array(t->primary_key, t->nprimary_key));
    if (t->primary_key_name)
        json_object_set_new(o, "primary_key_name", str(t->primary_key_name));
    return o;
}

/* The document for an already sorted schema. */
static json_t *render_doc(const borch_schema *s)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "engine", str_or_null(s->engine));
    if (s->nenums) {
        json_t *enums = json_array();
        for (size_t i = 0; i < s->nenums; i++) {
            json_t *e = json_object();
            json_object_set_new(e, "name", str(s->enums[i].name));
            json_object_set_new(e, "values", str_array(s->enums[i].values, s->enums[i].nvalues));
            json_array_append_new(enums, e);
        }
        json_object_set_new(doc, "enums", enums);
    }
    json_object_set_new(doc, "format", json_string(MODELS_FORMAT));
    if (s->nsequences) {
        json_t *seqs = json_array();
        for (size_t i = 0; i < s->nsequences; i++) {
            json_t *q = json_object();
            json_object_set_new(q, "name", str(s->sequences[i].name));
            json_object_set_new(q, "owned_by", str_or_null(s->sequences[i].owned_by));
            json_array_append_new(seqs, q);
        }
        json_object_set_new(doc, "sequences", seqs);
    }
    json_t *tables = json_array();
    for (size_t i = 0; i < s->ntables; i++)
        json_array_append_new(tables, render_table(&s->tables[i]));
    json_object_set_new(doc, "tables", tables);
    json_object_set_new(doc, "version", str_or_null(s->version));
    json_t *views = json_array();
    for (size_t i = 0; i < s->nviews; i++) {
        json_t *v = json_object();
        json_object_set_new(v, "definition", str_or_null(s->views[i].definition));
        json_object_set_new(v, "name", str(s->views[i].name));
        json_array_append_new(views, v);
    }
    json_object_set_new(doc, "views", views);
    return doc;
}

char *borch_models_json_render(const borch_schema *s)
{
    borch_schema *copy = borch_schema_clone(s);
    borch_schema_sort(copy);
    json_t *doc = render_doc(copy);
    borch_schema_free(copy);
    char *text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(doc);
    if (!text)
        abort(); /* jansson fails only when out of memory */
    size_t n = strlen(text);
    text = borch_xrealloc(text, n + 2); /* jansson's text is malloc'd */
    text[n] = '\n';
    text[n + 1] = '\0';
    return text;
}

int borch_models_json_write(const borch_schema *s, const char *path, borch_error *err)
{
    char *text = borch_models_json_render(s);
    int rc = borch_write_file_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* ---- parsing ------------------------------------------------------------ */

/* Where parsing is: the file (for errors) and the JSON path being read. */
typedef struct reader {
    const char *file; /* path for messages, or NULL */
    borch_error *err;
    char where[256]; /* "tables[2].columns[0]" or "" for the top level */
    int unsorted;    /* a table came out of name order: duplicates need a full search */
} reader;

/* Sets a BORCH_EINPUT error prefixed with the JSON path; returns the code. */
static int fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(reader *r, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->where[0])
        borch_error_set(r->err, BORCH_EINPUT, "%s: %s", r->where, msg);
    else
        borch_error_set(r->err, BORCH_EINPUT, "%s", msg);
    if (r->file)
        borch_error_at(r->err, r->file, 0, 0);
    return BORCH_EINPUT;
}

/* Enters element i of array key (or key alone when i < 0); returns the old length. */
static size_t enter(reader *r, const char *key, long i)
{
    size_t old = strlen(r->where);
    size_t room = sizeof r->where - old;
    if (i >= 0)
        snprintf(r->where + old, room, "%s%s[%ld]", old ? "." : "", key, i);
    else
        snprintf(r->where + old, room, "%s%s", old ? "." : "", key);
    return old;
}

static void leave(reader *r, size_t old)
{
    r->where[old] = '\0';
}

/* Refuses keys outside allowed (NULL-terminated): a typo must not pass silently. */
static int only_keys(reader *r, json_t *o, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return fail(r, "unknown key '%s'", key);
    }
    return 0;
}

/* A required non-empty string; *out borrowed from o. */
static int get_str(reader *r, json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return fail(r, "missing '%s'", key);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(r, "'%s' must be a non-empty string", key);
    *out = json_string_value(v);
    return 0;
}

/* An optional string: absent or null gives NULL. */
static int get_opt_str(reader *r, json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return fail(r, "'%s' must be a string or null", key);
    *out = json_string_value(v);
    return 0;
}

/* A boolean; absent gives dflt, or an error when required. */
static int get_bool(reader *r, json_t *o, const char *key, int required, int dflt, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = dflt;
    if (!v) {
        if (required)
            return fail(r, "missing '%s'", key);
        *out = dflt;
        return 0;
    }
    if (!json_is_boolean(v))
        return fail(r, "'%s' must be true or false", key);
    *out = json_is_true(v);
    return 0;
}

/* An array; absent gives NULL when optional. */
static int get_array(reader *r, json_t *o, const char *key, int required, json_t **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) {
        if (required)
            return fail(r, "missing '%s'", key);
        return 0;
    }
    if (!json_is_array(v))
        return fail(r, "'%s' must be an array", key);
    *out = v;
    return 0;
}

/* Checks that every element of a (named key) is a non-empty string. */
static int check_strings(reader *r, json_t *a, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0)
            return fail(r, "%s[%zu] must be a non-empty string", key, i);
    }
    return 0;
}

/* Each element of array key must be an object: enters it on success. */
static int enter_object(reader *r, json_t *v, const char *key, size_t i, size_t *old)
{
    *old = enter(r, key, (long)i);
    if (!json_is_object(v))
        return fail(r, "must be an object");
    return 0;
}

static int parse_column(reader *r, json_t *o, borch_table *t)
{
    static const char *const keys[] = {"name", "type", "nullable", "default", "identity", NULL};
    const char *name, *type, *dflt;
    int nullable, identity, rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_opt_str(r, o, "type", &type)) ||
        (rc = get_bool(r, o, "nullable", 1, 0, &nullable)) ||
        (rc = get_opt_str(r, o, "default", &dflt)) ||
        (rc = get_bool(r, o, "identity", 0, 0, &identity)))
        return rc;
    if (borch_table_column(t, name))
        return fail(r, "duplicate column '%s'", name);
    borch_column *c = borch_table_add_column(t, name, type, nullable, dflt);
    c->identity = identity;
    return 0;
}

static int parse_index(reader *r, json_t *o, borch_table *t)
{
    static const char *const keys[] = {"name",   "columns",    "unique",     "where",
                                       "method", "expression", "constraint", NULL};
    const char *name, *where, *method;
    json_t *cols;
    int unique, expression, constraint, rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_array(r, o, "columns", 1, &cols)) || (rc = check_strings(r, cols, "columns")) ||
        (rc = get_bool(r, o, "unique", 1, 0, &unique)) ||
        (rc = get_opt_str(r, o, "where", &where)) || (rc = get_opt_str(r, o, "method", &method)) ||
        (rc = get_bool(r, o, "expression", 0, 0, &expression)) ||
        (rc = get_bool(r, o, "constraint", 0, 0, &constraint)))
        return rc;
    if (json_array_size(cols) == 0)
        return fail(r, "'columns' must not be empty");
    if (borch_table_index(t, name))
        return fail(r, "duplicate index '%s'", name);
    borch_index *ix = borch_table_add_index(t, name, unique);
    size_t i;
    json_t *v;
    json_array_foreach(cols, i, v) borch_index_add_column(ix, json_string_value(v));
    ix->expression = expression;
    ix->constraint = constraint;
    ix->where = borch_xstrdup(where);
    ix->method = borch_xstrdup(method);
    return 0;
}

static int parse_fk(reader *r, json_t *o, borch_table *t)
{
    static const char *const keys[] = {"name",      "columns",   "ref_table", "ref_columns",
                                       "on_delete", "on_update", NULL};
    const char *name, *ref_table, *on_delete, *on_update;
    json_t *cols, *refs;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_opt_str(r, o, "name", &name)) ||
        (rc = get_array(r, o, "columns", 1, &cols)) || (rc = check_strings(r, cols, "columns")) ||
        (rc = get_str(r, o, "ref_table", &ref_table)) ||
        (rc = get_array(r, o, "ref_columns", 1, &refs)) ||
        (rc = check_strings(r, refs, "ref_columns")) ||
        (rc = get_opt_str(r, o, "on_delete", &on_delete)) ||
        (rc = get_opt_str(r, o, "on_update", &on_update)))
        return rc;
    if (json_array_size(cols) == 0)
        return fail(r, "'columns' must not be empty");
    if (json_array_size(cols) != json_array_size(refs))
        return fail(r, "'columns' has %zu names but 'ref_columns' has %zu", json_array_size(cols),
                    json_array_size(refs));
    borch_foreign_key *fk = borch_table_add_foreign_key(t, name, ref_table);
    for (size_t i = 0; i < json_array_size(cols); i++)
        borch_fk_add_pair(fk, json_string_value(json_array_get(cols, i)),
                          json_string_value(json_array_get(refs, i)));
    /* Absent keeps the model's default ("no action"); null is kept as null. */
    if (json_object_get(o, "on_delete")) {
        free(fk->on_delete);
        fk->on_delete = borch_xstrdup(on_delete);
    }
    if (json_object_get(o, "on_update")) {
        free(fk->on_update);
        fk->on_update = borch_xstrdup(on_update);
    }
    return 0;
}

static int parse_check(reader *r, json_t *o, borch_table *t)
{
    static const char *const keys[] = {"name", "expression", NULL};
    const char *name, *expression;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_opt_str(r, o, "name", &name)) ||
        (rc = get_str(r, o, "expression", &expression)))
        return rc;
    borch_table_add_check(t, name, expression);
    return 0;
}

/* Runs one element parser over each object of the optional array key. */
static int parse_list(reader *r, json_t *o, const char *key, int required,
                      int (*one)(reader *, json_t *, borch_table *), borch_table *t)
{
    json_t *a;
    int rc = get_array(r, o, key, required, &a);
    if (rc || !a)
        return rc;
    size_t i, old;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if ((rc = enter_object(r, v, key, i, &old)) || (rc = one(r, v, t)))
            return rc;
        leave(r, old);
    }
    return 0;
}

static int parse_table(reader *r, json_t *o, borch_schema *s)
{
    static const char *const keys[] = {"name",    "columns",      "primary_key", "primary_key_name",
                                       "indexes", "foreign_keys", "checks",      "comment",
                                       NULL};
    const char *name, *pk_name, *comment;
    json_t *pk;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_opt_str(r, o, "primary_key_name", &pk_name)) ||
        (rc = get_opt_str(r, o, "comment", &comment)) ||
        (rc = get_array(r, o, "primary_key", 0, &pk)) ||
        (pk && (rc = check_strings(r, pk, "primary_key"))))
        return rc;
    /* Files we write are in name order, where a duplicate can only be the
     * previous table; a hand-edited file in another order gets a full search. */
    int ascending = s->ntables == 0 || strcmp(s->tables[s->ntables - 1].name, name) < 0;
    if (!ascending)
        r->unsorted = 1;
    if ((!ascending || r->unsorted) && borch_schema_table(s, name))
        return fail(r, "duplicate table '%s'", name);
    borch_table *t = borch_schema_add_table(s, name);
    t->primary_key_name = borch_xstrdup(pk_name);
    t->comment = borch_xstrdup(comment);
    if ((rc = parse_list(r, o, "columns", 1, parse_column, t)))
        return rc;
    size_t i;
    json_t *v;
    json_array_foreach(pk, i, v)
    {
        if (!borch_table_column(t, json_string_value(v)))
            return fail(r, "primary key column '%s' is not a column of the table",
                        json_string_value(v));
        borch_table_add_pk_column(t, json_string_value(v));
    }
    if ((rc = parse_list(r, o, "indexes", 0, parse_index, t)) ||
        (rc = parse_list(r, o, "foreign_keys", 0, parse_fk, t)) ||
        (rc = parse_list(r, o, "checks", 0, parse_check, t)))
        return rc;
    return 0;
}

static int parse_view(reader *r, json_t *o, borch_schema *s)
{
    static const char *const keys[] = {"name", "definition", NULL};
    const char *name, *definition;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_opt_str(r, o, "definition", &definition)))
        return rc;
    if (borch_schema_view(s, name))
        return fail(r, "duplicate view '%s'", name);
    borch_schema_add_view(s, name, definition);
    return 0;
}

static int parse_enum(reader *r, json_t *o, borch_schema *s)
{
    static const char *const keys[] = {"name", "values", NULL};
    const char *name;
    json_t *values;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_array(r, o, "values", 1, &values)))
        return rc;
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v)
    {
        if (!json_is_string(v)) /* an enum label may be the empty string */
            return fail(r, "values[%zu] must be a string", i);
    }
    borch_enum *e = borch_schema_add_enum(s, name);
    json_array_foreach(values, i, v) borch_enum_add_value(e, json_string_value(v));
    return 0;
}

static int parse_sequence(reader *r, json_t *o, borch_schema *s)
{
    static const char *const keys[] = {"name", "owned_by", NULL};
    const char *name, *owned_by;
    int rc;
    if ((rc = only_keys(r, o, keys)) || (rc = get_str(r, o, "name", &name)) ||
        (rc = get_opt_str(r, o, "owned_by", &owned_by)))
        return rc;
    borch_schema_add_sequence(s, name, owned_by);
    return 0;
}

/* Runs one schema-level element parser over each object of array key. */
static int parse_top_list(reader *r, json_t *doc, const char *key, int required,
                          int (*one)(reader *, json_t *, borch_schema *), borch_schema *s)
{
    json_t *a;
    int rc = get_array(r, doc, key, required, &a);
    if (rc || !a)
        return rc;
    size_t i, old;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if ((rc = enter_object(r, v, key, i, &old)) || (rc = one(r, v, s)))
            return rc;
        leave(r, old);
    }
    return 0;
}

/* Builds the model from a parsed document; *out only on success. */
static int parse_doc(reader *r, json_t *doc, borch_schema **out)
{
    static const char *const keys[] = {"format", "engine", "version",   "tables",
                                       "views",  "enums",  "sequences", NULL};
    if (!json_is_object(doc))
        return fail(r, "a models.json document is a JSON object");
    json_t *format = json_object_get(doc, "format");
    if (!format)
        return fail(r, "missing 'format' (expected \"%s\")", MODELS_FORMAT);
    if (!json_is_string(format) || strcmp(json_string_value(format), MODELS_FORMAT) != 0)
        return fail(r, "unsupported format '%s' (expected \"%s\")",
                    json_is_string(format) ? json_string_value(format) : "(not a string)",
                    MODELS_FORMAT);
    const char *engine, *version;
    int rc;
    if ((rc = only_keys(r, doc, keys)) || (rc = get_str(r, doc, "engine", &engine)) ||
        (rc = get_opt_str(r, doc, "version", &version)))
        return rc;
    borch_schema *s = borch_schema_new(engine);
    s->version = borch_xstrdup(version);
    if ((rc = parse_top_list(r, doc, "tables", 1, parse_table, s)) ||
        (rc = parse_top_list(r, doc, "views", 0, parse_view, s)) ||
        (rc = parse_top_list(r, doc, "enums", 0, parse_enum, s)) ||
        (rc = parse_top_list(r, doc, "sequences", 0, parse_sequence, s))) {
        borch_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int borch_models_json_parse(const char *text, const char *path, borch_schema **out,
                            borch_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        if (!path) /* no file to put the position on: say it in the message */
            return borch_error_set(err, BORCH_EINPUT, "not valid JSON: %s (line %d, column %d)",
                                   jerr.text, jerr.line, jerr.column);
        borch_error_set(err, BORCH_EINPUT, "not valid JSON: %s", jerr.text);
        return borch_error_at(err, path, jerr.line > 0 ? jerr.line : 0,
                              jerr.column > 0 ? jerr.column : 0);
    }
    reader r = {.file = path, .err = err, .where = ""};
    int rc = parse_doc(&r, doc, out);
    json_decref(doc);
    return rc;
}

int borch_models_json_read(const char *path, borch_schema **out, borch_error *err)
{
    char *text = NULL;
    int rc = borch_read_file(path, &text, NULL, err);
    if (rc)
        return rc;
    rc = borch_models_json_parse(text, path, out, err);
    free(text);
    return rc;
}
