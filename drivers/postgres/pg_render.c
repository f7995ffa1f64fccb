/*
 * pg_render.c - the PostgreSQL dialect of a change list (core/diff.h): one
 * DDL statement (or a few, for a column alteration) per change, in the
 * list's order, each ending ";\n", a destructive change preceded by a
 * "-- warning: ..." line.
 *
 * The model already holds PostgreSQL's own spellings (pg_introspect.c):
 * types are format_type() text, defaults, checks, index expressions and
 * predicates and view bodies are the server's deparsed text, so they are
 * written back verbatim. Identifiers are written bare when PostgreSQL's
 * quote_ident() would leave them bare (lowercase, not a reserved-ish
 * keyword) and double-quoted otherwise, so the output reads like
 * hand-written DDL and is the same bytes for the same changes.
 *
 * Layout: identifier and literal writers; column and constraint clauses
 * shared by CREATE TABLE and ALTER TABLE; one function per change kind;
 * pg_render, which walks the list.
 */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diff.h"
#include "util/buf.h"
#include "util/mem.h"

/*
 * PostgreSQL keywords that are not UNRESERVED_KEYWORD (reserved, column-name
 * and type/function-name keywords), which quote_ident() quotes; PostgreSQL
 * 15's list plus the few later versions added. Sorted for bsearch.
 */
/* clang-format off */
static const char *const quoted_keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int",
    "integer", "intersect", "interval", "into", "is", "isnull", "join", "json", "json_array",
    "json_arrayagg", "json_exists", "json_object", "json_objectagg", "json_query", "json_scalar",
    "json_serialize", "json_table", "json_value", "lateral", "leading", "least", "left", "like",
    "limit", "localtime", "localtimestamp", "merge_action", "national", "natural", "nchar", "none",
    "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or",
    "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision", "primary",
    "real", "references", "returning", "right", "row", "select", "session_user", "setof",
    "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
    "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union",
    "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
    "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
    "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};
/* clang-format on */

static int cmp_word(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

/* True when quote_ident() would write name as it is. */
static int bare_ok(const char *name)
{
    if (!name[0] || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return !bsearch(name, quoted_keywords, sizeof(quoted_keywords) / sizeof(*quoted_keywords),
                    sizeof(*quoted_keywords), cmp_word);
}

/*
 * Writes an identifier, double-quoted (quotes doubled) only when needed. A
 * missing name (NULL) is written "", which the server refuses by name
 * ("zero-length delimited identifier") rather than this crashing.
 */
static void put_ident(borch_buf *b, const char *name)
{
    if (!name)
        name = "";
    if (bare_ok(name)) {
        borch_buf_puts(b, name);
        return;
    }
    borch_buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            borch_buf_putc(b, '"');
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '"');
}

/*
 * Writes a referenced table name. pg_introspect gives "schema.table" for a
 * table of another schema; a name the target model has as a table of its
 * own is one identifier even when it holds a dot.
 */
static void put_table_ref(borch_buf *b, const borch_schema *to, const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot || (to && borch_schema_table(to, name))) {
        put_ident(b, name);
        return;
    }
    char *nsp = borch_xstrndup(name, (size_t)(dot - name));
    put_ident(b, nsp);
    free(nsp);
    borch_buf_putc(b, '.');
    put_ident(b, dot + 1);
}

/*
 * Writes a string literal as quote_literal() does: quotes doubled, and a
 * text with a backslash as E'...' with the backslashes doubled, so it reads
 * the same whatever standard_conforming_strings says.
 */
static void put_literal(borch_buf *b, const char *text)
{
    if (strchr(text, '\\'))
        borch_buf_putc(b, 'E');
    borch_buf_putc(b, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'' || *p == '\\')
            borch_buf_putc(b, *p);
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '\'');
}

/* "(a, b)" */
static void put_ident_list(borch_buf *b, char *const *names, size_t n)
{
    borch_buf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        put_ident(b, names[i]);
    }
    borch_buf_putc(b, ')');
}

/* Writes an action word of the model ("set null") as SQL ("SET NULL"). */
static void put_upper(borch_buf *b, const char *word)
{
    for (const char *p = word; *p; p++)
        borch_buf_putc(b, (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p);
}

static void alter_table(borch_buf *b, const borch_table *t)
{
    borch_buf_puts(b, "ALTER TABLE ");
    put_ident(b, t->name);
    borch_buf_putc(b, ' ');
}

static void end_stmt(borch_buf *b)
{
    borch_buf_puts(b, ";\n");
}

/*
 * True when expr has, outside quotes and parentheses, an operator word that
 * a column definition's DEFAULT (a b_expr in the grammar) cannot take bare:
 * "a IS NULL", "x AND y", "s LIKE 'p%'", "t AT TIME ZONE 'utc'", "x = ANY (...)".
 */
static int needs_parens(const char *expr)
{
    static const char *const words[] = {
        "all",    "and",  "any", "at",      "between", "collate",  "ilike",   "in",  "is",
        "isnull", "like", "not", "notnull", "or",      "overlaps", "similar", "some"};
    int depth = 0;
    for (const char *p = expr; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && !(*p == q && p[1] != q))
                p += (*p == q) ? 2 : 1;
            if (*p)
                p++;
        } else if (*p == '(' || *p == '[') {
            depth++, p++;
        } else if (*p == ')' || *p == ']') {
            depth--, p++;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
            const char *w = p;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
                   (*p >= '0' && *p <= '9') || *p == '$')
                p++;
            size_t n = (size_t)(p - w);
            for (size_t i = 0; depth == 0 && i < sizeof(words) / sizeof(*words); i++)
                if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
                    return 1;
        } else {
            p++;
        }
    }
    return 0;
}

/* "name type [GENERATED BY DEFAULT AS IDENTITY] [DEFAULT e] [NOT NULL]" */
static void put_column_def(borch_buf *b, const borch_column *c)
{
    put_ident(b, c->name);
    borch_buf_putc(b, ' ');
    borch_buf_puts(b, c->type);
    if (c->identity)
        borch_buf_puts(b, " GENERATED BY DEFAULT AS IDENTITY");
    else if (c->default_expr)
        borch_buf_printf(b, needs_parens(c->default_expr) ? " DEFAULT (%s)" : " DEFAULT %s",
                         c->default_expr);
    if (!c->nullable)
        borch_buf_puts(b, " NOT NULL");
}

/* "[CONSTRAINT name] " */
static void put_constraint_name(borch_buf *b, const char *name)
{
    if (!name)
        return;
    borch_buf_puts(b, "CONSTRAINT ");
    put_ident(b, name);
    borch_buf_putc(b, ' ');
}

static void put_primary_key(borch_buf *b, const borch_table *t)
{
    put_constraint_name(b, t->primary_key_name);
    borch_buf_puts(b, "PRIMARY KEY ");
    put_ident_list(b, t->primary_key, t->nprimary_key);
}

static void put_check(borch_buf *b, const borch_check *k)
{
    put_constraint_name(b, k->name);
    borch_buf_printf(b, "CHECK (%s)", k->expression);
}

/* Columns, primary key and checks; indexes and foreign keys come as their own changes. */
static void create_table(borch_buf *b, const borch_table *t)
{
    borch_buf_puts(b, "CREATE TABLE ");
    put_ident(b, t->name);
    borch_buf_puts(b, " (");
    const char *sep = "\n    ";
    for (size_t i = 0; i < t->ncolumns; i++) {
        borch_buf_puts(b, sep);
        put_column_def(b, &t->columns[i]);
        sep = ",\n    ";
    }
    if (t->nprimary_key) {
        borch_buf_puts(b, sep);
        put_primary_key(b, t);
        sep = ",\n    ";
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        borch_buf_puts(b, sep);
        put_check(b, &t->checks[i]);
        sep = ",\n    ";
    }
    borch_buf_puts(b, t->ncolumns || t->nprimary_key || t->nchecks ? "\n)" : ")");
    end_stmt(b);
    if (t->comment) {
        borch_buf_puts(b, "COMMENT ON TABLE ");
        put_ident(b, t->name);
        borch_buf_puts(b, " IS ");
        put_literal(b, t->comment);
        end_stmt(b);
    }
}

static void alter_column_head(borch_buf *b, const borch_table *t, const borch_column *c)
{
    alter_table(b, t);
    borch_buf_puts(b, "ALTER COLUMN ");
    put_ident(b, c->name);
    borch_buf_putc(b, ' ');
}

/* The sequence `from` has owned by table.column (a serial's), or NULL. */
static const char *owned_sequence(const borch_schema *from, const char *table, const char *column)
{
    if (!from)
        return NULL;
    size_t tl = strlen(table);
    for (size_t i = 0; i < from->nsequences; i++) {
        const char *o = from->sequences[i].owned_by;
        if (o && strncmp(o, table, tl) == 0 && o[tl] == '.' && strcmp(o + tl + 1, column) == 0)
            return from->sequences[i].name;
    }
    return NULL;
}

/*
 * One ALTER_COLUMN as the statements PostgreSQL needs, in an order each of
 * them can succeed in: the old identity (or serial default) and the old
 * default go first, so a type change never has to cast a default; then
 * type, nullability, the new default, and a new identity last, when the
 * column is NOT NULL and has no default, as ADD IDENTITY requires.
 */
static void alter_column(borch_buf *b, const borch_schema *from, const borch_change *ch)
{
    const borch_table *t = ch->table;
    const borch_column *c = ch->column, *old = ch->old_column ? ch->old_column : ch->column;
    unsigned a = ch->alter;
    int drop_identity = old->identity && !c->identity;
    int add_identity = c->identity && !old->identity;
    int type = (a & BORCH_ALTER_TYPE) && strcmp(old->type, c->type) != 0;
    /* A default that is not wanted any more, or one a type change would have to cast. */
    int drop_default = old->default_expr && (!c->default_expr || type ||
                                             strcmp(old->default_expr, c->default_expr) != 0);
    int set_default = c->default_expr && (drop_default || !old->default_expr);

    if (drop_identity) {
        /* A serial is identity=1 in the model but a nextval() default on
         * the server: IF EXISTS makes one statement right for both. */
        alter_column_head(b, t, c);
        borch_buf_puts(b, "DROP IDENTITY IF EXISTS");
        end_stmt(b);
        alter_column_head(b, t, c);
        borch_buf_puts(b, "DROP DEFAULT");
        end_stmt(b);
        const char *seq = owned_sequence(from, t->name, c->name);
        if (seq) {
            borch_buf_puts(b, "DROP SEQUENCE IF EXISTS ");
            put_ident(b, seq);
            end_stmt(b);
        }
    } else if (drop_default) {
        alter_column_head(b, t, c);
        borch_buf_puts(b, "DROP DEFAULT");
        end_stmt(b);
    }
    if (type) {
        alter_column_head(b, t, c);
        borch_buf_printf(b, "TYPE %s USING ", c->type);
        put_ident(b, c->name);
        borch_buf_printf(b, "::%s", c->type);
        end_stmt(b);
    }
    if (c->nullable != old->nullable) {
        alter_column_head(b, t, c);
        borch_buf_puts(b, c->nullable ? "DROP NOT NULL" : "SET NOT NULL");
        end_stmt(b);
    }
    if (set_default && !c->identity) {
        alter_column_head(b, t, c);
        borch_buf_printf(b, "SET DEFAULT %s", c->default_expr);
        end_stmt(b);
    }
    if (add_identity) {
        alter_column_head(b, t, c);
        borch_buf_puts(b, "ADD GENERATED BY DEFAULT AS IDENTITY");
        end_stmt(b);
    }
}

/* "(a, (lower(b)))": key columns bare or quoted, expressions parenthesized. */
static void put_index_parts(borch_buf *b, const borch_table *t, const borch_index *ix)
{
    borch_buf_putc(b, '(');
    for (size_t i = 0; i < ix->ncolumns; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        if (ix->expression && !borch_table_column(t, ix->columns[i]))
            borch_buf_printf(b, "(%s)", ix->columns[i]);
        else
            put_ident(b, ix->columns[i]);
    }
    borch_buf_putc(b, ')');
}

static void add_index(borch_buf *b, const borch_table *t, const borch_index *ix, int concurrent)
{
    if (ix->constraint) {
        alter_table(b, t);
        borch_buf_puts(b, "ADD ");
        put_constraint_name(b, ix->name);
        borch_buf_puts(b, "UNIQUE ");
        put_ident_list(b, ix->columns, ix->ncolumns);
        end_stmt(b);
        return;
    }
    borch_buf_puts(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (concurrent)
        borch_buf_puts(b, "CONCURRENTLY ");
    put_ident(b, ix->name);
    borch_buf_puts(b, " ON ");
    put_ident(b, t->name);
    if (ix->method) {
        borch_buf_puts(b, " USING ");
        put_ident(b, ix->method);
    }
    borch_buf_putc(b, ' ');
    put_index_parts(b, t, ix);
    if (ix->where)
        borch_buf_printf(b, " WHERE %s", ix->where);
    end_stmt(b);
}

static void add_foreign_key(borch_buf *b, const borch_schema *to, const borch_table *t,
                            const borch_foreign_key *fk)
{
    alter_table(b, t);
    borch_buf_puts(b, "ADD ");
    put_constraint_name(b, fk->name);
    borch_buf_puts(b, "FOREIGN KEY ");
    put_ident_list(b, fk->columns, fk->ncolumns);
    borch_buf_puts(b, " REFERENCES ");
    put_table_ref(b, to, fk->ref_table);
    borch_buf_putc(b, ' ');
    put_ident_list(b, fk->ref_columns, fk->nref_columns);
    if (fk->on_delete && strcmp(fk->on_delete, "no action") != 0) {
        borch_buf_puts(b, " ON DELETE ");
        put_upper(b, fk->on_delete);
    }
    if (fk->on_update && strcmp(fk->on_update, "no action") != 0) {
        borch_buf_puts(b, " ON UPDATE ");
        put_upper(b, fk->on_update);
    }
    end_stmt(b);
}

/* "ALTER TABLE t DROP CONSTRAINT name"; constraints are dropped by name only. */
static int drop_constraint(borch_buf *b, const borch_table *t, const char *name, const char *what,
                           borch_error *err)
{
    if (!name)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "cannot drop the unnamed %s of '%s': PostgreSQL drops constraints "
                               "by name",
                               what, t->name);
    alter_table(b, t);
    borch_buf_puts(b, "DROP CONSTRAINT ");
    put_ident(b, name);
    end_stmt(b);
    return 0;
}

static void create_enum(borch_buf *b, const borch_enum *e)
{
    borch_buf_puts(b, "CREATE TYPE ");
    put_ident(b, e->name);
    borch_buf_puts(b, " AS ENUM (");
    for (size_t i = 0; i < e->nvalues; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        put_literal(b, e->values[i]);
    }
    borch_buf_putc(b, ')');
    end_stmt(b);
}

/*
 * A type whose values change comes as a DROP_ENUM of the old list followed
 * by a CREATE_ENUM of the new one (core/diff.c). Dropping a type a column
 * uses fails, so the pair is rendered as one of two alterations instead.
 */
enum enum_change {
    ENUM_PLAIN,      /* no counterpart on the other side: a real create or drop */
    ENUM_ADD_VALUES, /* old values kept in order: ALTER TYPE ... ADD VALUE, no rewrite */
    ENUM_RECREATE,   /* values gone or reordered: new type, columns moved over, old dropped */
};

static const borch_enum *find_enum(const borch_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->nenums; i++)
        if (strcmp(s->enums[i].name, name) == 0)
            return &s->enums[i];
    return NULL;
}

static int has_value(const borch_enum *e, const char *v)
{
    for (size_t i = 0; i < e->nvalues; i++)
        if (strcmp(e->values[i], v) == 0)
            return 1;
    return 0;
}

static int mentions(const char *text, const char *needle)
{
    return text && strstr(text, needle);
}

/* True when an expression of `to` holds needle: a default, check, index
 * expression or predicate, or a view. */
static int schema_mentions(const borch_schema *to, const char *needle)
{
    for (size_t i = 0; i < to->ntables; i++) {
        const borch_table *t = &to->tables[i];
        for (size_t j = 0; j < t->ncolumns; j++)
            if (mentions(t->columns[j].default_expr, needle))
                return 1;
        for (size_t j = 0; j < t->nchecks; j++)
            if (mentions(t->checks[j].expression, needle))
                return 1;
        for (size_t j = 0; j < t->nindexes; j++) {
            if (mentions(t->indexes[j].where, needle))
                return 1;
            for (size_t k = 0; k < t->indexes[j].ncolumns; k++)
                if (mentions(t->indexes[j].columns[k], needle))
                    return 1;
        }
    }
    for (size_t i = 0; i < to->nviews; i++)
        if (mentions(to->views[i].definition, needle))
            return 1;
    return 0;
}

/*
 * True when the target uses a value that old lacks ("'v'::mood", as the
 * server deparses it). A value added by ALTER TYPE ... ADD VALUE cannot be
 * used before the transaction commits, so such a type is recreated
 * instead: the values of a type created in the transaction can.
 */
static int uses_new_value(const borch_schema *to, const borch_enum *old, const borch_enum *e)
{
    int used = 0;
    borch_buf needle;
    borch_buf_init(&needle);
    for (size_t k = 0; k < e->nvalues && !used; k++) {
        if (has_value(old, e->values[k]))
            continue;
        borch_buf_clear(&needle);
        put_literal(&needle, e->values[k]);
        borch_buf_puts(&needle, "::");
        put_ident(&needle, e->name);
        used = schema_mentions(to, needle.data);
    }
    borch_buf_release(&needle);
    return used;
}

static enum enum_change enum_change_of(const borch_schema *from, const borch_schema *to,
                                       const char *name)
{
    const borch_enum *a = find_enum(from, name), *b = find_enum(to, name);
    if (!a || !b)
        return ENUM_PLAIN;
    size_t j = 0;
    for (size_t i = 0; i < b->nvalues && j < a->nvalues; i++)
        if (strcmp(b->values[i], a->values[j]) == 0)
            j++;
    return j == a->nvalues && !uses_new_value(to, a, b) ? ENUM_ADD_VALUES : ENUM_RECREATE;
}

/* "ALTER TYPE e ADD VALUE 'v' AFTER 'prev'" for each value new in to. */
static void add_enum_values(borch_buf *b, const borch_enum *old, const borch_enum *e)
{
    for (size_t k = 0; k < e->nvalues; k++) {
        if (has_value(old, e->values[k]))
            continue;
        borch_buf_puts(b, "ALTER TYPE ");
        put_ident(b, e->name);
        borch_buf_puts(b, " ADD VALUE ");
        put_literal(b, e->values[k]);
        if (k > 0) { /* the one before is old or was added just now */
            borch_buf_puts(b, " AFTER ");
            put_literal(b, e->values[k - 1]);
        } else if (old->nvalues) {
            borch_buf_puts(b, " BEFORE ");
            put_literal(b, old->values[0]);
        }
        end_stmt(b);
    }
}

/* The name the old type has while its columns move to the new one. */
static void put_old_enum_name(borch_buf *b, const char *name)
{
    borch_buf tmp;
    borch_buf_init(&tmp);
    borch_buf_printf(&tmp, "%s__borch_old", name);
    put_ident(b, tmp.data);
    borch_buf_release(&tmp);
}

/*
 * The second half of ENUM_RECREATE (the first renamed the old type): the
 * new type, then every column of a table both models keep that is of the
 * type (or an array of it) moves over through text, its default dropped
 * for the cast and set back as `to` has it, and the old type goes.
 */
static void recreate_enum(borch_buf *b, const borch_schema *from, const borch_schema *to,
                          const borch_enum *e)
{
    create_enum(b, e);
    borch_buf ident, arr;
    borch_buf_init(&ident);
    borch_buf_init(&arr);
    put_ident(&ident, e->name); /* format_type() quotes the way put_ident does */
    borch_buf_printf(&arr, "%s[]", ident.data);
    for (size_t i = 0; i < from->ntables; i++) {
        const borch_table *ft = &from->tables[i], *tt = borch_schema_table(to, ft->name);
        for (size_t j = 0; tt && j < ft->ncolumns; j++) {
            const borch_column *fc = &ft->columns[j], *tc = borch_table_column(tt, fc->name);
            int is_arr = strcmp(fc->type, arr.data) == 0;
            if (!tc || (!is_arr && strcmp(fc->type, ident.data) != 0))
                continue;
            if (fc->default_expr) {
                alter_column_head(b, tt, fc);
                borch_buf_puts(b, "DROP DEFAULT");
                end_stmt(b);
            }
            alter_column_head(b, tt, fc);
            borch_buf_printf(b, "TYPE %s USING ", fc->type);
            put_ident(b, fc->name);
            borch_buf_printf(b, "::text%s::%s", is_arr ? "[]" : "", fc->type);
            end_stmt(b);
            if (tc->default_expr && !tc->identity && strcmp(tc->type, fc->type) == 0) {
                alter_column_head(b, tt, fc);
                borch_buf_printf(b, "SET DEFAULT %s", tc->default_expr);
                end_stmt(b);
            }
        }
    }
    borch_buf_puts(b, "DROP TYPE ");
    put_old_enum_name(b, e->name);
    end_stmt(b);
    borch_buf_release(&ident);
    borch_buf_release(&arr);
}

/* A CREATE_ENUM or DROP_ENUM, alone or as half of a changed value list. */
static void render_enum(borch_buf *b, const borch_schema *from, const borch_schema *to,
                        const borch_change *ch)
{
    const borch_enum *e = ch->enum_type;
    enum enum_change how = enum_change_of(from, to, e->name);
    if (ch->kind == BORCH_CH_DROP_ENUM) {
        if (how == ENUM_PLAIN) {
            borch_buf_puts(b, "DROP TYPE ");
            put_ident(b, e->name);
            end_stmt(b);
        } else if (how == ENUM_RECREATE) {
            borch_buf_puts(b, "ALTER TYPE ");
            put_ident(b, e->name);
            borch_buf_puts(b, " RENAME TO ");
            put_old_enum_name(b, e->name);
            end_stmt(b);
        } /* ENUM_ADD_VALUES: the CREATE_ENUM half says it all */
        return;
    }
    if (how == ENUM_PLAIN)
        create_enum(b, e);
    else if (how == ENUM_ADD_VALUES)
        add_enum_values(b, find_enum(from, e->name), e);
    else
        recreate_enum(b, from, to, e);
}

/* The "-- warning:" line of a destructive change. */
static void put_warning(borch_buf *b, const borch_change *ch)
{
    if (!ch->destructive && !ch->warning)
        return;
    borch_buf_puts(b, "-- warning: ");
    const char *w = ch->warning ? ch->warning : "this change may lose data";
    for (const char *p = w; *p; p++)
        borch_buf_putc(b, *p == '\n' ? ' ' : *p); /* one comment line, whatever the text */
    borch_buf_putc(b, '\n');
}

/* The kind as words, for messages about a malformed list. */
static const char *kind_name(borch_change_kind k)
{
    static const char *const names[] = {
        [BORCH_CH_DROP_VIEW] = "drop view",
        [BORCH_CH_DROP_FOREIGN_KEY] = "drop foreign key",
        [BORCH_CH_DROP_INDEX] = "drop index",
        [BORCH_CH_DROP_CHECK] = "drop check",
        [BORCH_CH_DROP_PRIMARY_KEY] = "drop primary key",
        [BORCH_CH_DROP_COLUMN] = "drop column",
        [BORCH_CH_DROP_TABLE] = "drop table",
        [BORCH_CH_CREATE_ENUM] = "create enum",
        [BORCH_CH_CREATE_TABLE] = "create table",
        [BORCH_CH_ADD_COLUMN] = "add column",
        [BORCH_CH_ALTER_COLUMN] = "alter column",
        [BORCH_CH_ADD_PRIMARY_KEY] = "add primary key",
        [BORCH_CH_ADD_CHECK] = "add check",
        [BORCH_CH_ADD_INDEX] = "add index",
        [BORCH_CH_ADD_FOREIGN_KEY] = "add foreign key",
        [BORCH_CH_CREATE_VIEW] = "create view",
        [BORCH_CH_DROP_ENUM] = "drop enum",
    };
    unsigned i = (unsigned)k;
    return i < sizeof(names) / sizeof(*names) && names[i] ? names[i] : "unknown";
}

/* Fails with BORCH_EINPUT when a change lacks the element its kind needs. */
static int need(const void *p, const borch_change *ch, size_t i, const char *what, borch_error *err)
{
    if (p)
        return 0;
    return borch_error_set(err, BORCH_EINPUT, "change %zu (%s) has no %s", i + 1,
                           kind_name(ch->kind), what);
}

/* A column without a name or a type cannot be written. */
static int column_ok(const borch_column *c, const borch_table *t, size_t i, borch_error *err)
{
    if (c->name && *c->name && c->type && *c->type)
        return 0;
    return borch_error_set(err, BORCH_EINPUT, "change %zu: a column of '%s' has no %s", i + 1,
                           t->name ? t->name : "", c->name && *c->name ? "type" : "name");
}

/*
 * Renders one change; the element checks keep a malformed list from
 * crashing. concurrent: indexes are built and dropped CONCURRENTLY.
 */
static int render_one(borch_buf *b, const borch_schema *from, const borch_schema *to,
                      const borch_change *ch, size_t i, int concurrent, borch_error *err)
{
    const borch_table *t = ch->table;
    int rc;
    switch (ch->kind) {
    case BORCH_CH_DROP_VIEW:
    case BORCH_CH_CREATE_VIEW:
        if ((rc = need(ch->view, ch, i, "view", err)))
            return rc;
        if (ch->kind == BORCH_CH_DROP_VIEW) {
            borch_buf_puts(b, "DROP VIEW ");
            put_ident(b, ch->view->name);
        } else {
            borch_buf_puts(b, "CREATE VIEW ");
            put_ident(b, ch->view->name);
            borch_buf_printf(b, " AS\n%s", ch->view->definition);
        }
        end_stmt(b);
        return 0;
    case BORCH_CH_CREATE_ENUM:
    case BORCH_CH_DROP_ENUM:
        if ((rc = need(ch->enum_type, ch, i, "enum type", err)))
            return rc;
        render_enum(b, from, to, ch);
        return 0;
    default:
        break;
    }
    if ((rc = need(t, ch, i, "table", err)))
        return rc;
    switch (ch->kind) {
    case BORCH_CH_CREATE_TABLE:
        for (size_t k = 0; k < t->ncolumns; k++)
            if ((rc = column_ok(&t->columns[k], t, i, err)))
                return rc;
        create_table(b, t);
        return 0;
    case BORCH_CH_DROP_TABLE:
        borch_buf_puts(b, "DROP TABLE ");
        put_ident(b, t->name);
        end_stmt(b);
        return 0;
    case BORCH_CH_ADD_COLUMN:
        if ((rc = need(ch->column, ch, i, "column", err)) ||
            (rc = column_ok(ch->column, t, i, err)))
            return rc;
        alter_table(b, t);
        borch_buf_puts(b, "ADD COLUMN ");
        put_column_def(b, ch->column);
        end_stmt(b);
        return 0;
    case BORCH_CH_DROP_COLUMN:
        if ((rc = need(ch->column, ch, i, "column", err)))
            return rc;
        alter_table(b, t);
        borch_buf_puts(b, "DROP COLUMN ");
        put_ident(b, ch->column->name);
        end_stmt(b);
        return 0;
    case BORCH_CH_ALTER_COLUMN:
        if ((rc = need(ch->column, ch, i, "column", err)) ||
            (rc = column_ok(ch->column, t, i, err)) ||
            (ch->old_column && (rc = column_ok(ch->old_column, t, i, err))))
            return rc;
        alter_column(b, from, ch);
        return 0;
    case BORCH_CH_ADD_PRIMARY_KEY:
        if (!t->nprimary_key)
            return need(NULL, ch, i, "primary key", err);
        alter_table(b, t);
        borch_buf_puts(b, "ADD ");
        put_primary_key(b, t);
        end_stmt(b);
        return 0;
    case BORCH_CH_DROP_PRIMARY_KEY: {
        const borch_table *ot = ch->old_table ? ch->old_table : t;
        if (ot->primary_key_name)
            return drop_constraint(b, ot, ot->primary_key_name, "primary key", err);
        /* PostgreSQL names an unnamed primary key <table>_pkey */
        borch_buf name;
        borch_buf_init(&name);
        borch_buf_printf(&name, "%s_pkey", ot->name);
        rc = drop_constraint(b, ot, name.data, "primary key", err);
        borch_buf_release(&name);
        return rc;
    }
    case BORCH_CH_ADD_CHECK:
        if ((rc = need(ch->check, ch, i, "check", err)))
            return rc;
        alter_table(b, t);
        borch_buf_puts(b, "ADD ");
        put_check(b, ch->check);
        end_stmt(b);
        return 0;
    case BORCH_CH_DROP_CHECK:
        if ((rc = need(ch->check, ch, i, "check", err)))
            return rc;
        return drop_constraint(b, t, ch->check->name, "check", err);
    case BORCH_CH_ADD_INDEX:
        if ((rc = need(ch->index, ch, i, "index", err)))
            return rc;
        add_index(b, t, ch->index, concurrent);
        return 0;
    case BORCH_CH_DROP_INDEX:
        if ((rc = need(ch->index, ch, i, "index", err)))
            return rc;
        if (ch->index->constraint)
            return drop_constraint(b, t, ch->index->name, "unique constraint", err);
        borch_buf_puts(b, concurrent ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ");
        put_ident(b, ch->index->name);
        end_stmt(b);
        return 0;
    case BORCH_CH_ADD_FOREIGN_KEY:
        if ((rc = need(ch->foreign_key, ch, i, "foreign key", err)))
            return rc;
        add_foreign_key(b, to, t, ch->foreign_key);
        return 0;
    case BORCH_CH_DROP_FOREIGN_KEY:
        if ((rc = need(ch->foreign_key, ch, i, "foreign key", err)))
            return rc;
        return drop_constraint(b, t, ch->foreign_key->name, "foreign key", err);
    default:
        return borch_error_set(err, BORCH_EINPUT, "change %zu has an unknown kind %d", i + 1,
                               (int)ch->kind);
    }
}

/*
 * The driver's render slot (driver.h). Appends to out; on failure (a
 * malformed change list, or a constraint PostgreSQL cannot drop because the
 * model gives it no name) returns a negative code with err set, and out
 * holds the statements rendered before the bad change.
 */
int pg_render(const borch_schema *from, const borch_schema *to, const struct borch_changes *changes,
              struct borch_buf *out, borch_error *err)
{
    for (size_t i = 0; i < changes->count; i++) {
        const borch_change *ch = &changes->items[i];
        size_t mark = out->len;
        /* adding values to a type loses nothing: no warning for that pair */
        if (!(ch->kind == BORCH_CH_DROP_ENUM && ch->enum_type &&
              enum_change_of(from, to, ch->enum_type->name) == ENUM_ADD_VALUES))
            put_warning(out, ch);
        /* CONCURRENTLY applies to plain indexes; it cannot run in a transaction */
        int concurrent = (changes->render_flags & BORCH_RENDER_CONCURRENT_INDEXES) &&
                         (ch->kind == BORCH_CH_ADD_INDEX || ch->kind == BORCH_CH_DROP_INDEX) &&
                         ch->index && !ch->index->constraint;
        if (concurrent)
            borch_buf_puts(out, "-- warning: CONCURRENTLY: " BORCH_RENDER_NOTX_MARK "\n");
        int rc = render_one(out, from, to, ch, i, concurrent, err);
        if (rc) {
            out->len = mark; /* no warning line left without its statement */
            out->data[mark] = '\0';
            return rc;
        }
    }
    return 0;
}
