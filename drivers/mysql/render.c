/*
 * render.c - the MySQL/MariaDB dialect of a change list (core/diff.h):
 * CREATE/DROP TABLE, ALTER TABLE ... ADD/DROP/MODIFY COLUMN, keys, indexes,
 * foreign keys, checks, CREATE/DROP VIEW. See docs/diff-mysql.md.
 *
 * The change list comes in dependency order and is rendered in that order,
 * one statement per change, except where MySQL needs changes together or
 * in another order than an engine-neutral list gives them:
 * - a table whose primary key changes gets one ALTER TABLE for its key and
 *   column changes, because MySQL checks "an AUTO_INCREMENT column must be
 *   a key" and "primary key parts are NOT NULL" after each statement;
 * - InnoDB's automatic index for a foreign key (named after it) is dropped
 *   with the key when `to` has no index of that name, and an index of that
 *   name is created before its foreign key, which then reuses it; an index
 *   a kept key may rest on is dropped in the statement that adds the
 *   table's new indexes; and a new index that would make InnoDB silently
 *   drop its own index for a kept key remakes that index in its statement;
 * - MariaDB column-level checks (named after their column) vanish when the
 *   column is restated by MODIFY, so they are put back after it.
 * MySQL DDL is not transactional: each statement commits on its own.
 */
#include "mysql/mysql_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diff.h"
#include "util/buf.h"
#include "util/mem.h"

int borch_mysql_render(const borch_schema *from, const borch_schema *to,
                       const struct borch_changes *changes, struct borch_buf *out,
                       borch_error *err);

/* State of one render: the inputs, and which changes are already written. */
typedef struct rctx {
    const borch_schema *from;
    const borch_schema *to;
    const borch_changes *ch;
    unsigned char *done;  /* done[i]: change i was written together with an earlier one */
    borch_strv pk_tables; /* tables of both models whose primary key changes */
    borch_buf *out;
    borch_error *err;
} rctx;

/* ---- identifiers and literals ---- */

/* Reserved words of MySQL 8 and MariaDB 10/11, in strcmp order (for bsearch): such names need
 * backticks. */
/* clang-format off */
static const char *const reserved[] = {
    "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "asensitive", "before",
    "between", "bigint", "binary", "blob", "both", "by", "call", "cascade", "case", "change",
    "char", "character", "check", "collate", "column", "condition", "constraint", "continue",
    "convert", "create", "cross", "cube", "cume_dist", "current_date", "current_role",
    "current_time", "current_timestamp", "current_user", "cursor", "database", "databases",
    "day_hour", "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare",
    "default", "delayed", "delete", "delete_domain_id", "dense_rank", "desc", "describe",
    "deterministic", "distinct", "distinctrow", "div", "do_domain_ids", "double", "drop", "dual",
    "each", "else", "elseif", "empty", "enclosed", "escaped", "except", "exists", "exit",
    "explain", "false", "fetch", "first_value", "float", "float4", "float8", "for", "force",
    "foreign", "from", "fulltext", "function", "general", "generated", "get", "grant", "group",
    "grouping", "groups", "having", "high_priority", "hour_microsecond", "hour_minute",
    "hour_second", "if", "ignore", "ignore_domain_ids", "ignore_server_ids", "in", "index",
    "infile", "inner", "inout", "insensitive", "insert", "int", "int1", "int2", "int3", "int4",
    "int8", "integer", "intersect", "interval", "into", "io_after_gtids", "io_before_gtids", "is",
    "iterate", "join", "json_table", "key", "keys", "kill", "lag", "last_value", "lateral",
    "lead", "leading", "leave", "left", "like", "limit", "linear", "lines", "load", "localtime",
    "localtimestamp", "lock", "long", "longblob", "longtext", "loop", "low_priority",
    "master_bind", "master_heartbeat_period", "master_ssl_verify_server_cert", "match",
    "maxvalue", "mediumblob", "mediumint", "mediumtext", "middleint", "minute_microsecond",
    "minute_second", "mod", "modifies", "natural", "no_write_to_binlog", "not", "nth_value",
    "ntile", "null", "numeric", "of", "offset", "on", "optimize", "optimizer_costs", "option",
    "optionally", "or", "order", "out", "outer", "outfile", "over", "page_checksum",
    "parse_vcol_expr", "partition", "percent_rank", "position", "precision", "primary",
    "procedure", "purge", "range", "rank", "read", "read_write", "reads", "real", "recursive",
    "ref_system_id", "references", "regexp", "release", "rename", "repeat", "replace", "require",
    "resignal", "restrict", "return", "returning", "revoke", "right", "rlike", "row",
    "row_number", "rows", "schema", "schemas", "second_microsecond", "select", "sensitive",
    "separator", "set", "show", "signal", "slow", "smallint", "spatial", "specific", "sql",
    "sql_big_result", "sql_calc_found_rows", "sql_small_result", "sqlexception", "sqlstate",
    "sqlwarning", "ssl", "starting", "stats_auto_recalc", "stats_persistent",
    "stats_sample_pages", "stored", "straight_join", "system", "table", "terminated", "then",
    "tinyblob", "tinyint", "tinytext", "to", "trailing", "trigger", "true", "undo", "union",
    "unique", "unlock", "unsigned", "update", "update_domain_id", "usage", "use", "using",
    "utc_date", "utc_time", "utc_timestamp", "values", "varbinary", "varchar", "varcharacter",
    "varying", "virtual", "when", "where", "while", "window", "with", "write", "xor",
    "year_month", "zerofill", NULL};
/* clang-format on */

static int cmp_word(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether name must be backticked: not a plain word, starts with a digit, or reserved. */
static int needs_quotes(const char *name)
{
    if (!name[0] || isdigit((unsigned char)name[0]))
        return 1;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 1;
    char lower[64];
    size_t n = strlen(name);
    if (n >= sizeof(lower))
        return 0; /* longer than any reserved word */
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    const char *key = lower;
    return bsearch(&key, reserved, sizeof(reserved) / sizeof(reserved[0]) - 1, sizeof(reserved[0]),
                   cmp_word) != NULL;
}

/* Appends name, in backticks (doubled inside) only when it needs them. */
static void ident(borch_buf *b, const char *name)
{
    if (!needs_quotes(name)) {
        borch_buf_puts(b, name);
        return;
    }
    borch_buf_putc(b, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            borch_buf_putc(b, '`');
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '`');
}

/* Appends a list of names, quoted as needed, joined by ", ". */
static void ident_list(borch_buf *b, char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        ident(b, names[i]);
    }
}

/* A table reference: "db.table" from another database (see introspect.c) is split. */
static void table_ref(rctx *r, borch_buf *b, const char *name)
{
    const char *dot = strchr(name, '.');
    if (dot && !borch_schema_table(r->to, name) && !borch_schema_table(r->from, name)) {
        char *db = borch_xstrndup(name, (size_t)(dot - name));
        ident(b, db);
        borch_buf_putc(b, '.');
        ident(b, dot + 1);
        free(db);
        return;
    }
    ident(b, name);
}

/* Appends s as a '...' literal (quotes doubled, backslashes escaped). */
static void string_literal(borch_buf *b, const char *s)
{
    borch_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '\\')
            borch_buf_putc(b, *p);
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '\'');
}

/* Types whose defaults MySQL 8 accepts only as (expression). */
static int blob_like(const char *type)
{
    static const char *const kinds[] = {"tinytext", "text",     "mediumtext", "longtext",
                                        "tinyblob", "blob",     "mediumblob", "longblob",
                                        "json",     "geometry", NULL};
    for (size_t i = 0; kinds[i]; i++)
        if (strcmp(type, kinds[i]) == 0)
            return 1;
    return 0;
}

/*
 * Whether a default (SQL text as the model keeps it) may follow DEFAULT
 * bare: a string, a number, NULL/TRUE/FALSE, b'..'/x'..', current_timestamp
 * or something already in parentheses. Anything else is an expression.
 */
static int literal_default(const char *d)
{
    if (d[0] == '\'' || d[0] == '(')
        return 1;
    if ((d[0] == 'b' || d[0] == 'x' || d[0] == 'B' || d[0] == 'X') && d[1] == '\'')
        return 1;
    if (strcasecmp(d, "null") == 0 || strcasecmp(d, "true") == 0 || strcasecmp(d, "false") == 0)
        return 1;
    if (strncasecmp(d, "current_timestamp", 17) == 0 || strncasecmp(d, "now(", 4) == 0 ||
        strncasecmp(d, "localtimestamp", 14) == 0)
        return 1;
    const char *p = d;
    if (*p == '-' || *p == '+')
        p++;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '-' &&
            *p != '+')
            return 0;
    return 1;
}

/* "name type [NULL|NOT NULL] [DEFAULT x] [AUTO_INCREMENT]", the whole column. */
static void column_def(borch_buf *b, const borch_column *c)
{
    ident(b, c->name);
    borch_buf_printf(b, " %s", c->type);
    if (!c->nullable)
        borch_buf_puts(b, " NOT NULL");
    else if (strncmp(c->type, "timestamp", 9) == 0)
        borch_buf_puts(b, " NULL"); /* without it an old server makes it NOT NULL */
    if (c->default_expr && !c->identity) {
        const char *d = c->default_expr;
        int paren = d[0] != '(' && (!literal_default(d) || blob_like(c->type));
        borch_buf_printf(b, paren ? " DEFAULT (%s)" : " DEFAULT %s", d);
    }
    if (c->identity)
        borch_buf_puts(b, " AUTO_INCREMENT");
}

/*
 * One index part as the model keeps it: a column, "col(10)" (a prefix),
 * "col DESC", or an expression (MySQL 8 functional parts), which gets its
 * own parentheses. A spatial index takes no prefix: MariaDB reports one
 * (SUB_PART 32) for its parts but refuses it in DDL, so it is left out.
 */
static void index_part(borch_buf *b, const borch_table *t, const borch_index *ix, const char *part)
{
    size_t n = strlen(part);
    const char *order = NULL;
    if (n > 5 && strcasecmp(part + n - 5, " DESC") == 0)
        order = " DESC", n -= 5;
    else if (n > 4 && strcasecmp(part + n - 4, " ASC") == 0)
        order = " ASC", n -= 4;
    char *name = borch_xstrndup(part, n);
    char *prefix = NULL;
    char *open = strrchr(name, '(');
    if (open && open != name && name[n - 1] == ')') {
        size_t digits = 0;
        for (const char *p = open + 1; isdigit((unsigned char)*p); p++)
            digits++;
        if (digits > 0 && open + 1 + digits == name + n - 1) {
            prefix = borch_xstrdup(open);
            *open = '\0';
        }
    }
    if (ix->expression && !borch_table_column(t, name)) {
        borch_buf_printf(b, "(%.*s)", (int)n, part);
    } else {
        ident(b, name);
        if (prefix && !(ix->method && strcmp(ix->method, "spatial") == 0))
            borch_buf_puts(b, prefix);
    }
    if (order)
        borch_buf_puts(b, order);
    free(prefix);
    free(name);
}

/* "(a, b(10), c DESC)" */
static void index_parts(borch_buf *b, const borch_table *t, const borch_index *ix)
{
    borch_buf_putc(b, '(');
    for (size_t i = 0; i < ix->ncolumns; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        index_part(b, t, ix, ix->columns[i]);
    }
    borch_buf_putc(b, ')');
}

/* An index definition for CREATE TABLE or ADD: "[CONSTRAINT n UNIQUE|UNIQUE INDEX n|INDEX n]
 * (...)". */
static int index_def(rctx *r, borch_buf *b, const borch_table *t, const borch_index *ix,
                     int in_create)
{
    if (ix->where)
        return borch_error_set(r->err, BORCH_EUNSUPPORTED,
                               "index '%s' on '%s' is partial (WHERE %s): MySQL has no partial "
                               "indexes",
                               ix->name, t->name, ix->where);
    const char *method = ix->method;
    if (method && strcmp(method, "fulltext") == 0) {
        borch_buf_puts(b, in_create ? "FULLTEXT KEY " : "FULLTEXT INDEX ");
        method = NULL;
    } else if (method && strcmp(method, "spatial") == 0) {
        borch_buf_puts(b, in_create ? "SPATIAL KEY " : "SPATIAL INDEX ");
        method = NULL;
    } else if (ix->unique && ix->constraint) {
        borch_buf_puts(b, "CONSTRAINT ");
        ident(b, ix->name);
        borch_buf_puts(b, " UNIQUE ");
        index_parts(b, t, ix);
        goto using;
    } else if (ix->unique) {
        borch_buf_puts(b, in_create ? "UNIQUE KEY " : "UNIQUE INDEX ");
    } else {
        borch_buf_puts(b, in_create ? "KEY " : "INDEX ");
    }
    ident(b, ix->name);
    borch_buf_putc(b, ' ');
    index_parts(b, t, ix);
    using : if (method && strcmp(method, "btree") != 0)
    {
        borch_buf_puts(b, " USING ");
        for (const char *p = method; *p; p++)
            borch_buf_putc(b, (char)toupper((unsigned char)*p));
    }
    return 0;
}

/* "CONSTRAINT n FOREIGN KEY (a) REFERENCES t (b) ON DELETE x ON UPDATE y" */
static void fk_def(rctx *r, borch_buf *b, const borch_foreign_key *fk)
{
    if (fk->name) {
        borch_buf_puts(b, "CONSTRAINT ");
        ident(b, fk->name);
        borch_buf_putc(b, ' ');
    }
    borch_buf_puts(b, "FOREIGN KEY (");
    ident_list(b, fk->columns, fk->ncolumns);
    borch_buf_puts(b, ") REFERENCES ");
    table_ref(r, b, fk->ref_table);
    borch_buf_puts(b, " (");
    ident_list(b, fk->ref_columns, fk->nref_columns);
    borch_buf_putc(b, ')');
    const char *acts[2] = {fk->on_delete, fk->on_update};
    const char *words[2] = {" ON DELETE ", " ON UPDATE "};
    for (int i = 0; i < 2; i++) {
        borch_buf_puts(b, words[i]);
        for (const char *p = acts[i] ? acts[i] : "no action"; *p; p++)
            borch_buf_putc(b, (char)toupper((unsigned char)*p));
    }
}

/* "CONSTRAINT n CHECK (expr)" */
static void check_def(borch_buf *b, const borch_check *ck)
{
    if (ck->name) {
        borch_buf_puts(b, "CONSTRAINT ");
        ident(b, ck->name);
        borch_buf_putc(b, ' ');
    }
    borch_buf_printf(b, "CHECK (%s)", ck->expression);
}

/* ---- lookups ---- */

/* Index or check of a table by name; NULL when either is missing. */
static const borch_index *find_index(const borch_table *t, const char *name)
{
    return t && name ? borch_table_index(t, name) : NULL;
}

static const borch_check *find_check(const borch_table *t, const char *name)
{
    for (size_t i = 0; t && name && i < t->nchecks; i++)
        if (t->checks[i].name && strcmp(t->checks[i].name, name) == 0)
            return &t->checks[i];
    return NULL;
}

/* The name of the table a change is about. */
static const char *change_table(const borch_change *c)
{
    return c->table ? c->table->name : c->old_table ? c->old_table->name : NULL;
}

/* Whether c is of kind on table and (when name is given) about the index/check/FK name. */
static int change_is(const borch_change *c, borch_change_kind kind, const char *table,
                     const char *name)
{
    if (c->kind != kind || !change_table(c) || strcmp(change_table(c), table) != 0)
        return 0;
    if (!name)
        return 1;
    const char *n = c->index         ? c->index->name
                    : c->check       ? c->check->name
                    : c->foreign_key ? c->foreign_key->name
                                     : NULL;
    return n && strcmp(n, name) == 0;
}

/* The first change after `after`, not yet written, that matches change_is; or -1. */
static long find_change(const rctx *r, size_t after, borch_change_kind kind, const char *table,
                        const char *name)
{
    for (size_t j = after + 1; j < r->ch->count; j++)
        if (!r->done[j] && change_is(&r->ch->items[j], kind, table, name))
            return (long)j;
    return -1;
}

/* The `from` and `to` versions of a change's table (either may be NULL). */
static const borch_table *from_table(const rctx *r, const borch_change *c)
{
    if (c->old_table)
        return c->old_table;
    const char *n = change_table(c);
    return n ? borch_schema_table(r->from, n) : NULL;
}

/* (The table may be absent from `to`: a drop.) */
static const borch_table *to_table(const rctx *r, const borch_change *c)
{
    const char *n = change_table(c);
    return n ? borch_schema_table(r->to, n) : NULL;
}

/* ---- statements ---- */

/* "-- warning: ..." for a destructive change, one line. */
static void warning(rctx *r, const borch_change *c)
{
    if (!c->destructive)
        return;
    borch_buf_puts(r->out, "-- warning: ");
    if (c->warning) {
        for (const char *p = c->warning; *p; p++)
            borch_buf_putc(r->out, *p == '\n' || *p == '\r' ? ' ' : *p);
    } else {
        char *d = borch_change_describe(c);
        borch_buf_printf(r->out, "%s may lose data or fail on existing rows", d ? d : "change");
        free(d);
    }
    borch_buf_putc(r->out, '\n');
}

/* "ALTER TABLE t " */
static void alter_start(borch_buf *b, const char *table)
{
    borch_buf_puts(b, "ALTER TABLE ");
    ident(b, table);
    borch_buf_putc(b, ' ');
}

/*
 * " FIRST" or " AFTER prev": where an added column goes, so that the
 * columns end in `to`'s order. prev is the nearest column before it in
 * `to` that exists by then (kept from `from`, or added by an earlier change).
 */
static void column_position(rctx *r, borch_buf *b, size_t at, const borch_table *t,
                            const borch_table *old, const borch_column *col)
{
    size_t idx = 0;
    while (idx < t->ncolumns && &t->columns[idx] != col)
        idx++;
    while (idx-- > 0) {
        const char *prev = t->columns[idx].name;
        int exists = old && borch_table_column(old, prev);
        for (size_t j = 0; j < at && !exists; j++) {
            const borch_change *e = &r->ch->items[j];
            exists = e->kind == BORCH_CH_ADD_COLUMN && e->column &&
                     strcmp(e->column->name, prev) == 0 && change_is(e, e->kind, t->name, NULL);
        }
        if (exists) {
            borch_buf_puts(b, " AFTER ");
            ident(b, prev);
            return;
        }
    }
    borch_buf_puts(b, " FIRST");
}

/*
 * After `column` was restated by MODIFY: MariaDB dropped a column-level
 * check named after it, so one `to` keeps under that name is put back
 * (IF NOT EXISTS: a table-level check of that name survived MODIFY). A
 * later ADD_CHECK of that name is then written here.
 */
static void restore_column_check(rctx *r, size_t at, const borch_table *old, const borch_table *t,
                                 const char *column)
{
    const borch_check *ck = find_check(t, column);
    if (!ck || !find_check(old, column))
        return;
    alter_start(r->out, t->name);
    borch_buf_puts(r->out, "ADD CONSTRAINT IF NOT EXISTS ");
    ident(r->out, ck->name);
    borch_buf_printf(r->out, " CHECK (%s);\n", ck->expression);
    long j = find_change(r, at, BORCH_CH_ADD_CHECK, t->name, column);
    if (j >= 0)
        r->done[j] = 1;
}

/* CREATE TABLE with columns, primary key, checks, and an index an AUTO_INCREMENT column needs. */
static int create_table(rctx *r, size_t at, const borch_table *t)
{
    borch_buf *b = r->out;
    borch_buf_puts(b, "CREATE TABLE ");
    ident(b, t->name);
    borch_buf_puts(b, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        borch_buf_puts(b, i ? ",\n  " : "\n  ");
        column_def(b, &t->columns[i]);
    }
    if (t->nprimary_key) {
        borch_buf_puts(b, ",\n  PRIMARY KEY (");
        ident_list(b, t->primary_key, t->nprimary_key);
        borch_buf_putc(b, ')');
    }
    /* An AUTO_INCREMENT column must lead a key from the start. */
    for (size_t i = 0; i < t->ncolumns; i++) {
        const borch_column *c = &t->columns[i];
        if (!c->identity || (t->nprimary_key && strcmp(t->primary_key[0], c->name) == 0))
            continue;
        for (size_t k = 0; k < t->nindexes; k++) {
            const borch_index *ix = &t->indexes[k];
            if (ix->ncolumns == 0 || strcmp(ix->columns[0], c->name) != 0)
                continue;
            borch_buf_puts(b, ",\n  ");
            int rc = index_def(r, b, t, ix, 1);
            if (rc)
                return rc;
            long j = find_change(r, at, BORCH_CH_ADD_INDEX, t->name, ix->name);
            if (j >= 0)
                r->done[j] = 1;
            break;
        }
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        borch_buf_puts(b, ",\n  ");
        check_def(b, &t->checks[i]);
    }
    borch_buf_puts(b, "\n)");
    if (t->comment) {
        borch_buf_puts(b, " COMMENT=");
        string_literal(b, t->comment);
    }
    borch_buf_puts(b, ";\n");
    return 0;
}

/* Whether the change list changes table's primary key (then its column changes go together). */
static int pk_changes(const rctx *r, const char *table)
{
    return table && borch_strv_contains(&r->pk_tables, table);
}

/* Fills r->pk_tables once, so that each change asks a short list, not the whole change list. */
static void find_pk_tables(rctx *r)
{
    for (size_t j = 0; j < r->ch->count; j++) {
        const borch_change *c = &r->ch->items[j];
        const char *t = change_table(c);
        if ((c->kind == BORCH_CH_DROP_PRIMARY_KEY || c->kind == BORCH_CH_ADD_PRIMARY_KEY) && t &&
            !borch_strv_contains(&r->pk_tables, t) && borch_schema_table(r->from, t) &&
            borch_schema_table(r->to, t))
            borch_strv_push(&r->pk_tables, t);
    }
}

/* Whether two lists of names are equal. */
static int same_names(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/*
 * The index InnoDB made for a foreign key of `from` (named after it) that
 * `to` keeps unchanged and that a new index ix (leading with the key's
 * columns) would make InnoDB drop silently; or NULL.
 */
static const borch_index *displaced_fk_index(const borch_table *old, const borch_table *t,
                                             const borch_index *ix)
{
    for (size_t i = 0; old && i < old->nforeign_keys; i++) {
        const borch_foreign_key *fk = &old->foreign_keys[i];
        const borch_index *was = find_index(old, fk->name);
        const borch_index *keep = find_index(t, fk->name);
        if (!was || !keep || strcmp(fk->name, ix->name) == 0 || ix->ncolumns < fk->ncolumns ||
            !same_names(was->columns, was->ncolumns, keep->columns, keep->ncolumns))
            continue;
        if (same_names(ix->columns, fk->ncolumns, fk->columns, fk->ncolumns))
            return keep;
    }
    return NULL;
}

/* "ADD INDEX ..." and, when it would displace a kept foreign key's InnoDB index, its remake. */
static int add_index_clause(rctx *r, borch_buf *b, const borch_change *c)
{
    const borch_table *t = c->table;
    borch_buf_puts(b, "ADD ");
    int rc = index_def(r, b, t, c->index, 0);
    const borch_index *keep = displaced_fk_index(from_table(r, c), t, c->index);
    if (rc == 0 && keep) {
        borch_buf_puts(b, ", DROP INDEX ");
        ident(b, keep->name);
        borch_buf_puts(b, ", ADD ");
        rc = index_def(r, b, t, keep, 0);
    }
    return rc;
}

/* The kinds that go into a key group (see key_group). */
static int key_group_kind(borch_change_kind k)
{
    return k == BORCH_CH_DROP_PRIMARY_KEY || k == BORCH_CH_DROP_COLUMN ||
           k == BORCH_CH_ADD_COLUMN || k == BORCH_CH_ALTER_COLUMN || k == BORCH_CH_ADD_PRIMARY_KEY;
}

/*
 * Whether change c goes into its table's key group: its primary key and
 * column changes and, when `to` has foreign keys on the table, its index
 * changes too, since a key may rest on the old primary key or on an index
 * the new primary key replaces (InnoDB refuses either step alone).
 */
static int in_key_group(const rctx *r, const borch_change *c)
{
    const char *tname = change_table(c);
    if (!pk_changes(r, tname))
        return 0;
    if (key_group_kind(c->kind))
        return 1;
    if (c->kind != BORCH_CH_DROP_INDEX && c->kind != BORCH_CH_ADD_INDEX)
        return 0;
    const borch_table *t = borch_schema_table(r->to, tname);
    return t && t->nforeign_keys > 0;
}

/* One clause of a key group: "DROP PRIMARY KEY", "ADD COLUMN ...", ... */
static int group_clause(rctx *r, borch_buf *b, size_t j)
{
    const borch_change *c = &r->ch->items[j];
    switch (c->kind) {
    case BORCH_CH_DROP_INDEX:
        borch_buf_puts(b, "DROP INDEX ");
        ident(b, c->index->name);
        break;
    case BORCH_CH_ADD_INDEX:
        return add_index_clause(r, b, c);
    case BORCH_CH_DROP_PRIMARY_KEY:
        borch_buf_puts(b, "DROP PRIMARY KEY");
        break;
    case BORCH_CH_DROP_COLUMN:
        borch_buf_puts(b, "DROP COLUMN ");
        ident(b, c->column->name);
        break;
    case BORCH_CH_ADD_COLUMN:
        borch_buf_puts(b, "ADD COLUMN ");
        column_def(b, c->column);
        column_position(r, b, j, c->table, from_table(r, c), c->column);
        break;
    case BORCH_CH_ALTER_COLUMN:
        borch_buf_puts(b, "MODIFY COLUMN ");
        column_def(b, c->column);
        break;
    case BORCH_CH_ADD_PRIMARY_KEY:
        borch_buf_puts(b, "ADD PRIMARY KEY (");
        ident_list(b, c->table->primary_key, c->table->nprimary_key);
        borch_buf_putc(b, ')');
        break;
    default:
        break;
    }
    return 0;
}

/*
 * All primary key and column changes of a table whose key changes, as one
 * ALTER TABLE written at the first of them: MySQL checks the table after
 * the whole statement, so an AUTO_INCREMENT column can move to the new key
 * and old key columns can become nullable.
 */
static int key_group(rctx *r, size_t at, const char *table)
{
    for (size_t j = at; j < r->ch->count; j++)
        if (!r->done[j] && in_key_group(r, &r->ch->items[j]) &&
            change_is(&r->ch->items[j], r->ch->items[j].kind, table, NULL))
            warning(r, &r->ch->items[j]);
    borch_buf *b = r->out;
    alter_start(b, table);
    int first = 1;
    for (size_t j = at; j < r->ch->count; j++) {
        const borch_change *c = &r->ch->items[j];
        if (r->done[j] || !in_key_group(r, c) || !change_is(c, c->kind, table, NULL))
            continue;
        if (!first)
            borch_buf_puts(b, ", ");
        first = 0;
        int rc = group_clause(r, b, j);
        if (rc)
            return rc;
        r->done[j] = 1;
    }
    borch_buf_puts(b, ";\n");
    for (size_t j = at; j < r->ch->count; j++) {
        const borch_change *c = &r->ch->items[j];
        if (c->kind == BORCH_CH_ALTER_COLUMN && change_is(c, c->kind, table, NULL))
            restore_column_check(r, j, from_table(r, c), c->table, c->column->name);
    }
    return 0;
}

/*
 * ADD INDEX (or UNIQUE constraint) as its own statement. When the new
 * index could serve a foreign key whose InnoDB index `to` keeps, InnoDB
 * would drop that index by itself; the same statement then makes it again
 * as an index of its own ("DROP INDEX fk, ADD INDEX fk (...)").
 */
static int add_index(rctx *r, const borch_change *c)
{
    borch_buf tmp;
    borch_buf_init(&tmp);
    alter_start(&tmp, c->table->name);
    int rc = add_index_clause(r, &tmp, c);
    if (rc == 0) {
        borch_buf_puts(r->out, tmp.data);
        borch_buf_puts(r->out, ";\n");
    }
    borch_buf_release(&tmp);
    return rc;
}

/*
 * Writes the pending ADD_INDEX of index name on table now, when there is
 * one: a foreign key reuses an index of its name made before it, and
 * InnoDB keeps an index a remaining foreign key needs.
 */
static int hoist_add_index(rctx *r, size_t at, const char *table, const char *name)
{
    long j = find_change(r, at, BORCH_CH_ADD_INDEX, table, name);
    if (j < 0)
        return 0;
    const borch_change *c = &r->ch->items[j];
    r->done[j] = 1;
    return add_index(r, c);
}

/*
 * DROP INDEX. On a table that keeps foreign keys the index may be the one
 * a key rests on, which InnoDB refuses to drop alone, and an index InnoDB
 * made for a key vanishes by itself once another index can serve the key.
 * So there the table's new indexes are added in the same statement (InnoDB
 * checks the end state): "DROP INDEX old, ADD INDEX new (...)". Indexes
 * that replace one dropped later (same name) wait for their drop.
 */
static int drop_index(rctx *r, size_t at, const borch_change *c)
{
    const char *tname = c->table->name;
    const borch_table *t = to_table(r, c);
    borch_buf tmp;
    borch_buf_init(&tmp);
    alter_start(&tmp, tname);
    borch_buf_puts(&tmp, "DROP INDEX ");
    ident(&tmp, c->index->name);
    int rc = 0;
    for (size_t j = at + 1; t && t->nforeign_keys && j < r->ch->count && rc == 0; j++) {
        const borch_change *a = &r->ch->items[j];
        if (r->done[j] || !a->index || !change_is(a, BORCH_CH_ADD_INDEX, tname, NULL))
            continue;
        if (strcmp(a->index->name, c->index->name) != 0 &&
            find_change(r, at, BORCH_CH_DROP_INDEX, tname, a->index->name) >= 0)
            continue;
        warning(r, a);
        borch_buf_puts(&tmp, ", ADD ");
        rc = index_def(r, &tmp, a->table, a->index, 0);
        r->done[j] = 1;
    }
    if (rc == 0) {
        borch_buf_puts(r->out, tmp.data);
        borch_buf_puts(r->out, ";\n");
    }
    borch_buf_release(&tmp);
    return rc;
}

/* DROP FOREIGN KEY, then its InnoDB index when `to` keeps the table but no index of that name. */
static void drop_fk(rctx *r, size_t at, const borch_change *c)
{
    const borch_foreign_key *fk = c->foreign_key;
    alter_start(r->out, c->table->name);
    borch_buf_puts(r->out, "DROP FOREIGN KEY ");
    ident(r->out, fk->name);
    borch_buf_puts(r->out, ";\n");
    const borch_table *old = from_table(r, c);
    const borch_table *t = to_table(r, c);
    if (!t || !find_index(old, fk->name) || find_index(t, fk->name))
        return;
    /* Another foreign key of `from` that `to` keeps may still use the index. */
    for (size_t i = 0; i < old->nforeign_keys; i++) {
        const borch_foreign_key *other = &old->foreign_keys[i];
        if (other != fk && other->name && strcmp(other->name, fk->name) != 0 &&
            find_change(r, at, BORCH_CH_DROP_FOREIGN_KEY, t->name, other->name) < 0 &&
            other->ncolumns == fk->ncolumns) {
            int same = 1;
            for (size_t k = 0; k < fk->ncolumns && same; k++)
                same = strcmp(other->columns[k], fk->columns[k]) == 0;
            if (same)
                return;
        }
    }
    long j = find_change(r, at, BORCH_CH_DROP_INDEX, t->name, fk->name);
    if (j >= 0) {
        warning(r, &r->ch->items[j]);
        r->done[j] = 1;
    }
    alter_start(r->out, t->name);
    borch_buf_puts(r->out, "DROP INDEX ");
    ident(r->out, fk->name);
    borch_buf_puts(r->out, ";\n");
}

/*
 * DROP_CHECK. A check named after a column of `from` may be MariaDB's
 * column-level check, which DROP CONSTRAINT does not reach and restating
 * the column removes; then the column is restated first and the DROP
 * CONSTRAINT takes IF EXISTS (for a table-level check of that name).
 */
static void drop_check(rctx *r, const borch_change *c)
{
    const borch_check *ck = c->check;
    const borch_table *old = from_table(r, c);
    const borch_column *col = old ? borch_table_column(old, ck->name) : NULL;
    if (col) {
        alter_start(r->out, c->table->name);
        borch_buf_puts(r->out, "MODIFY COLUMN ");
        column_def(r->out, col);
        borch_buf_puts(r->out, ";\n");
    }
    alter_start(r->out, c->table->name);
    borch_buf_puts(r->out, col ? "DROP CONSTRAINT IF EXISTS " : "DROP CONSTRAINT ");
    ident(r->out, ck->name);
    borch_buf_puts(r->out, ";\n");
}

/* CREATE VIEW, or CREATE OR REPLACE VIEW when the view stays in place (no DROP_VIEW first). */
static void create_view(rctx *r, const borch_view *v)
{
    int replace = borch_schema_view(r->from, v->name) != NULL;
    for (size_t j = 0; j < r->ch->count && replace; j++) {
        const borch_change *c = &r->ch->items[j];
        if (c->kind == BORCH_CH_DROP_VIEW && c->view && strcmp(c->view->name, v->name) == 0)
            replace = 0;
    }
    borch_buf_puts(r->out, replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ");
    ident(r->out, v->name);
    borch_buf_printf(r->out, " AS %s;\n", v->definition);
}

/*
 * Checks that change i has what its kind needs, before anything is
 * written (changes are written out of order, so each is checked up front).
 */
static int check_change(rctx *r, size_t i)
{
    const borch_change *c = &r->ch->items[i];
    int ok = 1;
    switch (c->kind) {
    case BORCH_CH_CREATE_VIEW:
    case BORCH_CH_DROP_VIEW:
        return c->view && c->view->name && c->view->definition
                   ? 0
                   : borch_error_set(r->err, BORCH_EINPUT,
                                     "change %zu: a view change without a view", i + 1);
    case BORCH_CH_CREATE_ENUM:
    case BORCH_CH_DROP_ENUM:
        return borch_error_set(r->err, BORCH_EUNSUPPORTED,
                               "MySQL has no named enum types ('%s'): use an enum(...) column type",
                               c->enum_type && c->enum_type->name ? c->enum_type->name : "?");
    case BORCH_CH_DROP_COLUMN:
    case BORCH_CH_ADD_COLUMN:
    case BORCH_CH_ALTER_COLUMN: /* MODIFY restates the new column; old_column is not needed */
        ok = c->column != NULL;
        break;
    case BORCH_CH_DROP_INDEX:
    case BORCH_CH_ADD_INDEX:
        ok = c->index != NULL;
        break;
    case BORCH_CH_DROP_CHECK:
        if (c->table && c->check && c->check->expression && !c->check->name)
            return borch_error_set(r->err, BORCH_EINPUT,
                                   "cannot drop the unnamed check (%s) on '%s': MySQL drops checks "
                                   "by name",
                                   c->check->expression, c->table->name);
        /* fall through */
    case BORCH_CH_ADD_CHECK:
        ok = c->check != NULL && c->check->expression != NULL;
        break;
    case BORCH_CH_DROP_FOREIGN_KEY:
        if (c->table && c->foreign_key && !c->foreign_key->name)
            return borch_error_set(r->err, BORCH_EINPUT,
                                   "cannot drop a foreign key without a name on '%s'",
                                   c->table->name);
        ok = c->foreign_key != NULL;
        break;
    case BORCH_CH_ADD_FOREIGN_KEY:
        ok = c->foreign_key != NULL;
        break;
    case BORCH_CH_DROP_PRIMARY_KEY:
    case BORCH_CH_ADD_PRIMARY_KEY:
    case BORCH_CH_DROP_TABLE:
    case BORCH_CH_CREATE_TABLE:
        break;
    default:
        return borch_error_set(r->err, BORCH_EINPUT, "change %zu: unknown kind %d", i + 1,
                               (int)c->kind);
    }
    if (!c->table || !c->table->name || !ok)
        return borch_error_set(r->err, BORCH_EINPUT, "change %zu (%s) is incomplete", i + 1,
                               c->table && c->table->name ? c->table->name : "no table");
    return 0;
}

/* Writes change i (and what must go with it). */
static int render_one(rctx *r, size_t i)
{
    const borch_change *c = &r->ch->items[i];
    borch_buf *b = r->out;
    int rc = 0;
    const char *tname = c->table ? c->table->name : NULL;
    if (in_key_group(r, c))
        return key_group(r, i, tname);
    warning(r, c);
    switch (c->kind) {
    case BORCH_CH_DROP_VIEW:
        borch_buf_puts(b, "DROP VIEW ");
        ident(b, c->view->name);
        borch_buf_puts(b, ";\n");
        break;
    case BORCH_CH_CREATE_VIEW:
        create_view(r, c->view);
        break;
    case BORCH_CH_DROP_FOREIGN_KEY:
        drop_fk(r, i, c);
        break;
    case BORCH_CH_DROP_INDEX:
        rc = drop_index(r, i, c);
        break;
    case BORCH_CH_DROP_CHECK:
        drop_check(r, c);
        break;
    case BORCH_CH_DROP_PRIMARY_KEY:
        alter_start(b, tname);
        borch_buf_puts(b, "DROP PRIMARY KEY;\n");
        break;
    case BORCH_CH_DROP_COLUMN:
        alter_start(b, tname);
        borch_buf_puts(b, "DROP COLUMN ");
        ident(b, c->column->name);
        borch_buf_puts(b, ";\n");
        break;
    case BORCH_CH_DROP_TABLE:
        borch_buf_puts(b, "DROP TABLE ");
        ident(b, tname);
        borch_buf_puts(b, ";\n");
        break;
    case BORCH_CH_CREATE_TABLE:
        rc = create_table(r, i, c->table);
        break;
    case BORCH_CH_ADD_COLUMN:
    case BORCH_CH_ALTER_COLUMN:
    case BORCH_CH_ADD_PRIMARY_KEY:
        alter_start(b, tname);
        group_clause(r, b, i);
        borch_buf_puts(b, ";\n");
        if (c->kind == BORCH_CH_ALTER_COLUMN)
            restore_column_check(r, i, from_table(r, c), c->table, c->column->name);
        break;
    case BORCH_CH_ADD_CHECK:
        alter_start(b, tname);
        borch_buf_puts(b, "ADD ");
        check_def(b, c->check);
        borch_buf_puts(b, ";\n");
        break;
    case BORCH_CH_ADD_INDEX:
        rc = add_index(r, c);
        break;
    case BORCH_CH_ADD_FOREIGN_KEY:
        if (c->foreign_key->name && (rc = hoist_add_index(r, i, tname, c->foreign_key->name)) != 0)
            return rc;
        alter_start(b, tname);
        borch_buf_puts(b, "ADD ");
        fk_def(r, b, c->foreign_key);
        borch_buf_puts(b, ";\n");
        break;
    default: /* enums and unknown kinds: refused by check_change */
        break;
    }
    return rc;
}

/* The render slot (driver.h): the change list as MySQL/MariaDB DDL appended to out. */
int borch_mysql_render(const borch_schema *from, const borch_schema *to,
                       const struct borch_changes *changes, struct borch_buf *out, borch_error *err)
{
    if (!from || !to || !changes || !out)
        return borch_error_set(err, BORCH_EINPUT, "render needs both schemas and a change list");
    /* Types, defaults and checks are written as the model holds them: only MySQL's will do. */
    const borch_schema *both[2] = {from, to};
    for (int k = 0; k < 2; k++)
        if (both[k]->engine && strcmp(both[k]->engine, "mysql") != 0 &&
            strcmp(both[k]->engine, "mariadb") != 0)
            return borch_error_set(err, BORCH_EINPUT,
                                   "cannot write a '%s' schema as MySQL DDL: compare schemas of "
                                   "the target's engine",
                                   both[k]->engine);
    rctx r = {.from = from, .to = to, .ch = changes, .out = out, .err = err};
    r.done = borch_xcalloc(changes->count ? changes->count : 1, 1);
    find_pk_tables(&r);
    size_t mark = out->len;
    int rc = 0;
    for (size_t i = 0; i < changes->count && rc == 0; i++)
        rc = check_change(&r, i);
    for (size_t i = 0; i < changes->count && rc == 0; i++)
        if (!r.done[i])
            rc = render_one(&r, i);
    free(r.done);
    borch_strv_release(&r.pk_tables);
    if (rc) { /* nothing half-written */
        out->len = mark;
        out->data[mark] = '\0';
    }
    return rc;
}
