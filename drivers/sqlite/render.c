/*
 * render.c - the SQLite dialect of a change list (core/diff.h): the DDL
 * that turns `from` into `to` while keeping every row of the tables both
 * keep. See docs/diff-sqlite.md for the rules and their reasons.
 *
 * SQLite's ALTER TABLE can add a column (nullable or with a constant
 * default, no key), drop a column (3.35+, when nothing else names it) and
 * rename; CREATE/DROP of tables, indexes and views need no help. Every other
 * change to a table goes through the documented 12-step rebuild
 * (https://www.sqlite.org/lang_altertable.html#otheralter): new table with
 * the whole target definition, copy, drop, rename, recreate indexes, check
 * foreign keys. All changes to one table share one rebuild.
 *
 * Layout: identifier and default writing; the plan (which tables are
 * created, dropped, rebuilt); statement writers; the phases, in the order
 * borch_sqlite_render emits them:
 *   A  drop views, drop indexes, drop columns directly; drop the tables
 *      that no table that stays references
 *   B  create tables (foreign keys and UNIQUE inline), add columns
 *      directly, create the indexes of tables not rebuilt (a rebuilt
 *      table's foreign key may need one of them)
 *   C  rebuilds, after PRAGMA foreign_keys=OFF / defer_foreign_keys=ON and,
 *      when a rebuilt table is referenced, a guard that fails the script if
 *      foreign keys are still on (see put_guard)
 *   D  drop the other tables (after the rebuilds that stop referencing them),
 *      then create the indexes that take over their index names;
 *      PRAGMA foreign_key_check of each rebuilt table, now that all are done
 *   E  create views; PRAGMA foreign_keys=ON after a rebuild
 */
#include "sqlite_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diff.h"
#include "util/buf.h"
#include "util/mem.h"

int borch_sqlite_render(const borch_schema *from, const borch_schema *to,
                        const struct borch_changes *changes, struct borch_buf *out,
                        borch_error *err);

/* What a rebuild of a referenced table reports when run in a transaction. */
#define BORCH_SQLITE_GUARD_MESSAGE                                                                 \
    "PRAGMA foreign_keys=OFF did not take effect (inside a transaction?): tables that "            \
    "foreign keys point at are rebuilt, run this outside a transaction (notx)"

/* ---- identifiers, defaults, mentions ---- */

static int ident_char(int ch)
{
    return isalnum(ch) || ch == '_';
}

/* Plain identifiers stay bare so the DDL reads like hand-written SQL;
 * keywords, odd characters and a leading digit need double quotes. */
static int needs_quote(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 1;
    for (const char *p = s; *p; p++)
        if (!ident_char((unsigned char)*p))
            return 1;
    return sqlite3_keyword_check(s, (int)strlen(s)) != 0;
}

static void put_ident(borch_buf *b, const char *s)
{
    if (!needs_quote(s)) {
        borch_buf_puts(b, s);
        return;
    }
    borch_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            borch_buf_putc(b, '"');
        borch_buf_putc(b, *p);
    }
    borch_buf_putc(b, '"');
}

static void put_ident_list(borch_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        put_ident(b, v[i]);
    }
}

static int is_word(const char *s, const char *word)
{
    return strcasecmp(s, word) == 0;
}

static int is_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!isxdigit((unsigned char)*s))
            return 0;
        while (isxdigit((unsigned char)*s))
            s++;
        return *s == '\0';
    }
    int digits = 0;
    while (isdigit((unsigned char)*s))
        s++, digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

/* A quoted string ('it''s') or blob (x'00') that is the whole text. */
static int is_quoted_literal(const char *s)
{
    if (*s == 'x' || *s == 'X')
        s++;
    if (*s != '\'')
        return 0;
    for (s++; *s; s++) {
        if (*s == '\'') {
            if (s[1] == '\'')
                s++;
            else
                return s[1] == '\0';
        }
    }
    return 0;
}

static int is_time_keyword(const char *d)
{
    return is_word(d, "current_time") || is_word(d, "current_date") ||
           is_word(d, "current_timestamp");
}

/* Text SQLite accepts after DEFAULT without parentheses. */
static int is_literal(const char *d)
{
    return is_number(d) || is_quoted_literal(d) || is_word(d, "null") || is_word(d, "true") ||
           is_word(d, "false") || is_time_keyword(d);
}

/* A default ADD COLUMN takes on a table with rows: a constant. */
static int constant_default(const char *d)
{
    return !d || (is_literal(d) && !is_time_keyword(d));
}

static int null_default(const char *d)
{
    return !d || is_word(d, "null");
}

/* SQLite reports `DEFAULT (1 + 2)` as "1 + 2": an expression gets its
 * parentheses back, so the text reads back the same. */
static void put_default(borch_buf *b, const char *d)
{
    if (is_literal(d))
        borch_buf_puts(b, d);
    else
        borch_buf_printf(b, "(%s)", d);
}

/* Whether SQL text names ident as a word (bare, "quoted", `quoted` or
 * [bracketed]): errs towards yes, which only costs a rebuild. */
static int mentions(const char *text, const char *ident)
{
    if (!text)
        return 0;
    size_t n = strlen(ident);
    for (const char *p = text; *p; p++) {
        if (strncasecmp(p, ident, n) != 0)
            continue;
        int before = p > text ? (unsigned char)p[-1] : ' ';
        int after = (unsigned char)p[n];
        if (!ident_char(before) && !ident_char(after))
            return 1;
    }
    return 0;
}

/* ---- the plan ---- */

/* What the plan learns about each table of from (fflag) and of to (tflag). */
enum {
    F_DROPPED = 1,    /* removed by DROP_TABLE */
    F_EARLY = 2,      /* dropped, and no table that stays references it */
    T_CREATED = 1,    /* made by CREATE_TABLE */
    T_REBUILT = 2,    /* rebuilt */
    T_REFERENCED = 4, /* a table that may hold rows has a foreign key to it */
    T_ADDED_LATE = 8, /* ADD_COLUMN changes for it come in another order than to's */
};

typedef struct rctx {
    const borch_schema *from, *to;
    const borch_changes *ch;
    borch_buf *out;
    int from_sorted, to_sorted; /* tables in name order: lookups bisect */
    unsigned char *fflag;       /* per table of from */
    unsigned char *tflag;       /* per table of to */
    borch_strv rebuilt;         /* tables rebuilt, in the order of their first change */
    borch_strv dropped_indexes;
} rctx;

static int sorted(const borch_schema *s)
{
    for (size_t i = 1; i < s->ntables; i++)
        if (strcmp(s->tables[i - 1].name, s->tables[i].name) >= 0)
            return 0;
    return 1;
}

/* Position of table name in s, or -1. borch_diff takes sorted schemas, so
 * this bisects; a 2,000-table diff makes a linear lookup quadratic. */
static long table_at(const borch_schema *s, int is_sorted, const char *name)
{
    if (!name)
        return -1;
    if (!is_sorted) {
        for (size_t i = 0; i < s->ntables; i++)
            if (strcmp(s->tables[i].name, name) == 0)
                return (long)i;
        return -1;
    }
    size_t lo = 0, hi = s->ntables;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->tables[mid].name, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const borch_table *from_table(const rctx *x, const char *name)
{
    long i = table_at(x->from, x->from_sorted, name);
    return i < 0 ? NULL : &x->from->tables[i];
}

static const borch_table *to_table(const rctx *x, const char *name)
{
    long i = table_at(x->to, x->to_sorted, name);
    return i < 0 ? NULL : &x->to->tables[i];
}

static int fflag(const rctx *x, const char *name, int flag)
{
    long i = table_at(x->from, x->from_sorted, name);
    return i >= 0 && (x->fflag[i] & flag);
}

static int tflag(const rctx *x, const char *name, int flag)
{
    long i = table_at(x->to, x->to_sorted, name);
    return i >= 0 && (x->tflag[i] & flag);
}

static void set_fflag(rctx *x, const char *name, int flag)
{
    long i = table_at(x->from, x->from_sorted, name);
    if (i >= 0)
        x->fflag[i] |= (unsigned char)flag;
}

static void set_tflag(rctx *x, const char *name, int flag)
{
    long i = table_at(x->to, x->to_sorted, name);
    if (i >= 0)
        x->tflag[i] |= (unsigned char)flag;
}

static const char *change_table(const borch_change *c)
{
    if (c->table)
        return c->table->name;
    return c->old_table ? c->old_table->name : NULL;
}

/* A table that both models have and the list neither creates nor drops. */
static int kept(const rctx *x, const char *name)
{
    return from_table(x, name) && to_table(x, name) && !fflag(x, name, F_DROPPED) &&
           !tflag(x, name, T_CREATED);
}

static int in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* ADD COLUMN works for a column that is no key, not UNIQUE, and either
 * nullable or NOT NULL with a non-NULL constant default. */
static int can_add_directly(const borch_table *tt, const borch_column *col)
{
    if (col->identity || in_list(tt->primary_key, tt->nprimary_key, col->name))
        return 0;
    for (size_t i = 0; i < tt->nindexes; i++)
        if (tt->indexes[i].constraint &&
            in_list(tt->indexes[i].columns, tt->indexes[i].ncolumns, col->name))
            return 0;
    if (!constant_default(col->default_expr))
        return 0;
    if (!col->nullable && null_default(col->default_expr))
        return 0;
    return 1;
}

/* DROP COLUMN (3.35+) refuses a column that a key, an index that stays, a
 * foreign key, a check or a view that stays still names. */
static int can_drop_directly(const rctx *x, const borch_table *ft, const char *col)
{
    if (sqlite3_libversion_number() < 3035000) /* DROP COLUMN came in 3.35.0 */
        return 0;
    if (in_list(ft->primary_key, ft->nprimary_key, col))
        return 0;
    for (size_t i = 0; i < ft->nindexes; i++) {
        const borch_index *ix = &ft->indexes[i];
        int names = in_list(ix->columns, ix->ncolumns, col) || mentions(ix->where, col);
        for (size_t k = 0; ix->expression && !names && k < ix->ncolumns; k++)
            names = mentions(ix->columns[k], col);
        if (names && (ix->constraint || !borch_strv_contains(&x->dropped_indexes, ix->name)))
            return 0;
    }
    for (size_t i = 0; i < ft->nforeign_keys; i++)
        if (in_list(ft->foreign_keys[i].columns, ft->foreign_keys[i].ncolumns, col))
            return 0;
    for (size_t i = 0; i < x->from->ntables; i++) {
        const borch_table *other = &x->from->tables[i];
        for (size_t k = 0; k < other->nforeign_keys; k++)
            if (strcmp(other->foreign_keys[k].ref_table, ft->name) == 0 &&
                in_list(other->foreign_keys[k].ref_columns, other->foreign_keys[k].nref_columns,
                        col))
                return 0;
    }
    for (size_t i = 0; i < ft->nchecks; i++)
        if (mentions(ft->checks[i].expression, col))
            return 0;
    for (size_t i = 0; i < x->from->nviews; i++) {
        const borch_view *v = &x->from->views[i];
        int view_dropped = 0;
        for (size_t k = 0; k < x->ch->count && !view_dropped; k++)
            view_dropped = x->ch->items[k].kind == BORCH_CH_DROP_VIEW && x->ch->items[k].view &&
                           strcmp(x->ch->items[k].view->name, v->name) == 0;
        if (!view_dropped && mentions(v->definition, col))
            return 0;
    }
    return 1;
}

static void mark_rebuilt(rctx *x, const char *name)
{
    if (!tflag(x, name, T_REBUILT)) {
        set_tflag(x, name, T_REBUILT);
        borch_strv_push(&x->rebuilt, name);
    }
}

/* Whether a change to a kept table is beyond ALTER TABLE. */
static int needs_rebuild(const rctx *x, const borch_change *c, const char *name)
{
    switch (c->kind) {
    case BORCH_CH_ALTER_COLUMN:
    case BORCH_CH_ADD_PRIMARY_KEY:
    case BORCH_CH_DROP_PRIMARY_KEY:
    case BORCH_CH_ADD_CHECK:
    case BORCH_CH_DROP_CHECK:
    case BORCH_CH_ADD_FOREIGN_KEY:
    case BORCH_CH_DROP_FOREIGN_KEY:
        return 1;
    case BORCH_CH_ADD_INDEX:
    case BORCH_CH_DROP_INDEX:
        return c->index && c->index->constraint; /* UNIQUE lives in CREATE TABLE */
    case BORCH_CH_ADD_COLUMN:
        return !c->column || !can_add_directly(to_table(x, name), c->column);
    case BORCH_CH_DROP_COLUMN:
        return !c->column || !can_drop_directly(x, from_table(x, name), c->column->name);
    default:
        return 0;
    }
}

/* After direct drops and adds the columns read: from's minus the dropped,
 * then the added in list order. When to has another order, rebuild. */
static int order_matches(const rctx *x, const char *name)
{
    const borch_table *ft = from_table(x, name);
    const borch_table *tt = to_table(x, name);
    if (tflag(x, name, T_ADDED_LATE))
        return 0;
    size_t n = 0; /* to's columns must start with from's kept ones, in from's order */
    for (size_t i = 0; i < ft->ncolumns; i++) {
        if (!borch_table_column(tt, ft->columns[i].name))
            continue;
        if (n >= tt->ncolumns || strcmp(tt->columns[n].name, ft->columns[i].name) != 0)
            return 0;
        n++;
    }
    for (; n < tt->ncolumns; n++) /* and end with new ones (each has its ADD_COLUMN) */
        if (borch_table_column(ft, tt->columns[n].name))
            return 0;
    return 1;
}

/* Marks tables whose ADD_COLUMN changes come in another order than to's columns. */
static void check_add_order(rctx *x)
{
    size_t *last = borch_xcalloc(x->to->ntables + 1, sizeof(*last)); /* 1 + last position */
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        if (c->kind != BORCH_CH_ADD_COLUMN)
            continue;
        long t = table_at(x->to, x->to_sorted, change_table(c));
        if (t < 0)
            continue;
        const borch_table *tt = &x->to->tables[t];
        size_t pos = 0;
        while (pos < tt->ncolumns && strcmp(tt->columns[pos].name, c->column->name) != 0)
            pos++;
        if (pos + 1 <= last[t])
            x->tflag[t] |= T_ADDED_LATE;
        last[t] = pos + 1;
    }
    free(last);
}

/* Every change names what its kind needs, so the writers below need not check. */
static int validate(const borch_changes *ch, borch_error *err)
{
    for (size_t i = 0; i < ch->count; i++) {
        const borch_change *c = &ch->items[i];
        const char *miss = NULL;
        switch (c->kind) {
        case BORCH_CH_DROP_VIEW:
        case BORCH_CH_CREATE_VIEW:
            miss = c->view ? NULL : "view";
            break;
        case BORCH_CH_CREATE_ENUM:
        case BORCH_CH_DROP_ENUM:
            break;
        default:
            if (!change_table(c))
                miss = "table";
            else if ((c->kind == BORCH_CH_ADD_INDEX || c->kind == BORCH_CH_DROP_INDEX) && !c->index)
                miss = "index";
            else if ((c->kind == BORCH_CH_ADD_COLUMN || c->kind == BORCH_CH_DROP_COLUMN) &&
                     !c->column)
                miss = "column";
            else if ((c->kind == BORCH_CH_CREATE_TABLE || c->kind == BORCH_CH_DROP_TABLE) &&
                     !c->table)
                miss = "table";
        }
        if (miss)
            return borch_error_set(err, BORCH_EINPUT, "change %zu names no %s", i + 1, miss);
    }
    return 0;
}

static int plan(rctx *x, borch_error *err)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        if (c->kind == BORCH_CH_CREATE_ENUM || c->kind == BORCH_CH_DROP_ENUM)
            return borch_error_set(err, BORCH_EUNSUPPORTED,
                                   "enum types are not supported by the sqlite driver");
        if (c->kind == BORCH_CH_CREATE_TABLE)
            set_tflag(x, c->table->name, T_CREATED);
        else if (c->kind == BORCH_CH_DROP_TABLE)
            set_fflag(x, c->table->name, F_DROPPED);
        else if (c->kind == BORCH_CH_DROP_INDEX && c->index)
            borch_strv_push(&x->dropped_indexes, c->index->name);
    }
    check_add_order(x);
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *name = change_table(c);
        if (c->kind == BORCH_CH_DROP_VIEW || c->kind == BORCH_CH_CREATE_VIEW ||
            c->kind == BORCH_CH_CREATE_TABLE || c->kind == BORCH_CH_DROP_TABLE ||
            tflag(x, name, T_REBUILT) || !kept(x, name))
            continue;
        if (needs_rebuild(x, c, name) || !order_matches(x, name))
            mark_rebuilt(x, name);
    }
    /* Dropped tables that nothing staying references can go first. */
    for (size_t i = 0; i < x->from->ntables; i++)
        if (x->fflag[i] & F_DROPPED)
            x->fflag[i] |= F_EARLY;
    for (size_t i = 0; i < x->from->ntables; i++) {
        const borch_table *ft = &x->from->tables[i];
        if (x->fflag[i] & F_DROPPED)
            continue;
        for (size_t k = 0; k < ft->nforeign_keys; k++) {
            long r = table_at(x->from, x->from_sorted, ft->foreign_keys[k].ref_table);
            if (r >= 0)
                x->fflag[r] &= (unsigned char)~F_EARLY;
        }
    }
    /*
     * Referenced: a table that may hold rows when the rebuilds run has a
     * foreign key to it, now or after its own rebuild. Tables the list
     * creates are still empty then, and those dropped early are gone.
     */
    for (size_t i = 0; i < x->from->ntables; i++) {
        const borch_table *ft = &x->from->tables[i];
        if (x->fflag[i] & F_EARLY)
            continue;
        const borch_table *tt = to_table(x, ft->name);
        for (size_t k = 0; k < ft->nforeign_keys; k++)
            set_tflag(x, ft->foreign_keys[k].ref_table, T_REFERENCED);
        for (size_t k = 0; tt && k < tt->nforeign_keys; k++)
            set_tflag(x, tt->foreign_keys[k].ref_table, T_REFERENCED);
    }
    return 0;
}

/* ---- statements ---- */

static void put_warning(borch_buf *b, const char *text)
{
    borch_buf_puts(b, "-- warning: ");
    for (const char *p = text; *p; p++)
        borch_buf_putc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
    borch_buf_putc(b, '\n');
}

/* The "-- warning:" line a destructive change carries. */
static void warn(borch_buf *b, const borch_change *c)
{
    if (c->warning) {
        put_warning(b, c->warning);
    } else if (c->destructive) {
        char line[300];
        snprintf(line, sizeof(line), "destructive change to table '%s'",
                 change_table(c) ? change_table(c) : "?");
        put_warning(b, line);
    }
}

static void put_action(borch_buf *b, const char *what, const char *action)
{
    if (!action || is_word(action, "no action"))
        return;
    borch_buf_printf(b, " %s ", what);
    for (const char *p = action; *p; p++)
        borch_buf_putc(b, (char)toupper((unsigned char)*p));
}

static void put_column(borch_buf *b, const borch_column *c)
{
    put_ident(b, c->name);
    if (c->type && *c->type)
        borch_buf_printf(b, " %s", c->type);
    if (!c->nullable && !c->identity)
        borch_buf_puts(b, " NOT NULL");
    if (c->default_expr) {
        borch_buf_puts(b, " DEFAULT ");
        put_default(b, c->default_expr);
    }
}

/* CREATE TABLE name (...) with the whole definition of t: columns, key,
 * UNIQUE constraints, checks and foreign keys, which SQLite cannot add later. */
static void put_create_table(borch_buf *b, const borch_table *t, const char *name)
{
    borch_buf_puts(b, "CREATE TABLE ");
    put_ident(b, name);
    borch_buf_puts(b, " (");
    const char *sep = "\n    ";
    for (size_t i = 0; i < t->ncolumns; i++, sep = ",\n    ") {
        borch_buf_puts(b, sep);
        put_column(b, &t->columns[i]);
    }
    if (t->nprimary_key) {
        borch_buf_puts(b, sep);
        if (t->primary_key_name) {
            borch_buf_puts(b, "CONSTRAINT ");
            put_ident(b, t->primary_key_name);
            borch_buf_putc(b, ' ');
        }
        borch_buf_puts(b, "PRIMARY KEY (");
        put_ident_list(b, t->primary_key, t->nprimary_key);
        borch_buf_putc(b, ')');
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const borch_index *ix = &t->indexes[i];
        if (!ix->constraint)
            continue;
        borch_buf_puts(b, sep);
        borch_buf_puts(b, "UNIQUE (");
        put_ident_list(b, ix->columns, ix->ncolumns);
        borch_buf_putc(b, ')');
    }
    for (size_t i = 0; i < t->nchecks; i++) {
        borch_buf_puts(b, sep);
        if (t->checks[i].name) {
            borch_buf_puts(b, "CONSTRAINT ");
            put_ident(b, t->checks[i].name);
            borch_buf_putc(b, ' ');
        }
        borch_buf_printf(b, "CHECK (%s)", t->checks[i].expression);
    }
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        const borch_foreign_key *fk = &t->foreign_keys[i];
        borch_buf_puts(b, sep);
        if (fk->name) {
            borch_buf_puts(b, "CONSTRAINT ");
            put_ident(b, fk->name);
            borch_buf_putc(b, ' ');
        }
        borch_buf_puts(b, "FOREIGN KEY (");
        put_ident_list(b, fk->columns, fk->ncolumns);
        borch_buf_puts(b, ") REFERENCES ");
        put_ident(b, fk->ref_table);
        if (fk->nref_columns) {
            borch_buf_puts(b, " (");
            put_ident_list(b, fk->ref_columns, fk->nref_columns);
            borch_buf_putc(b, ')');
        }
        put_action(b, "ON DELETE", fk->on_delete);
        put_action(b, "ON UPDATE", fk->on_update);
    }
    borch_buf_puts(b, "\n);\n");
}

/* CREATE INDEX; a part that is a column of t is an identifier, any other
 * part an expression written as the model holds it. */
static void put_create_index(borch_buf *b, const borch_table *t, const borch_index *ix)
{
    borch_buf_puts(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    put_ident(b, ix->name);
    borch_buf_puts(b, " ON ");
    put_ident(b, t->name);
    borch_buf_puts(b, " (");
    for (size_t i = 0; i < ix->ncolumns; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        if (borch_table_column(t, ix->columns[i]))
            put_ident(b, ix->columns[i]);
        else
            borch_buf_puts(b, ix->columns[i]);
    }
    borch_buf_putc(b, ')');
    if (ix->where)
        borch_buf_printf(b, " WHERE %s", ix->where);
    borch_buf_puts(b, ";\n");
}

static void put_simple(borch_buf *b, const char *verb, const char *name)
{
    borch_buf_printf(b, "%s ", verb);
    put_ident(b, name);
    borch_buf_puts(b, ";\n");
}

/* Whether dropping the old table of a rebuild would fire someone's ON
 * DELETE action unless foreign_keys is OFF (see plan). */
static int referenced(const rctx *x, const char *name)
{
    return tflag(x, name, T_REFERENCED);
}

/* Tables, views and indexes share one namespace in SQLite, where names
 * differing only in ASCII case are the same name: new_Orders clashes with
 * a table new_orders. */
static int name_taken(const borch_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nviews; i++)
        if (strcasecmp(s->views[i].name, name) == 0)
            return 1;
    for (size_t i = 0; i < s->ntables; i++) {
        const borch_table *t = &s->tables[i];
        if (strcasecmp(t->name, name) == 0)
            return 1;
        for (size_t k = 0; k < t->nindexes; k++)
            if (strcasecmp(t->indexes[k].name, name) == 0)
                return 1;
    }
    return 0;
}

/* "new_<t>", lengthened until neither model uses the name. */
static char *temp_name(const rctx *x, const char *name)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "new_%s", name);
    while (name_taken(x->from, b.data) || name_taken(x->to, b.data))
        borch_buf_putc(&b, '_');
    return borch_buf_detach(&b);
}

/* Steps 4-10 of SQLite's procedure for one table, carrying the warnings of
 * every change it stands for. */
static void put_rebuild(rctx *x, const char *name)
{
    borch_buf *b = x->out;
    const borch_table *ft = from_table(x, name);
    const borch_table *tt = to_table(x, name);
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *cn = change_table(c);
        if (cn && strcmp(cn, name) == 0 && c->kind != BORCH_CH_DROP_VIEW &&
            c->kind != BORCH_CH_CREATE_VIEW)
            warn(b, c);
    }
    char line[600];
    snprintf(line, sizeof(line),
             "table '%s' is rebuilt (new table, copy, drop, rename): triggers on it are dropped "
             "and must be recreated",
             name);
    put_warning(b, line);
    if (referenced(x, name)) {
        snprintf(line, sizeof(line),
                 "foreign keys point at '%s': " BORCH_RENDER_NOTX_MARK " so that "
                 "PRAGMA foreign_keys=OFF takes effect, or dropping the old table fires their "
                 "ON DELETE actions",
                 name);
        put_warning(b, line);
    }
    char *tmp = temp_name(x, name);
    put_create_table(b, tt, tmp);
    borch_buf cols; /* the columns both keep, which the copy carries */
    borch_buf_init(&cols);
    for (size_t i = 0; i < tt->ncolumns; i++) {
        if (!borch_table_column(ft, tt->columns[i].name))
            continue;
        if (cols.len)
            borch_buf_puts(&cols, ", ");
        put_ident(&cols, tt->columns[i].name);
    }
    if (cols.len) {
        borch_buf_puts(b, "INSERT INTO ");
        put_ident(b, tmp);
        borch_buf_printf(b, " (%s) SELECT %s FROM ", cols.data, cols.data);
        put_ident(b, name);
        borch_buf_puts(b, ";\n");
    }
    borch_buf_release(&cols);
    put_simple(b, "DROP TABLE", name);
    borch_buf_puts(b, "ALTER TABLE ");
    put_ident(b, tmp);
    borch_buf_puts(b, " RENAME TO ");
    put_ident(b, name);
    borch_buf_puts(b, ";\n");
    free(tmp);
    for (size_t i = 0; i < tt->nindexes; i++)
        if (!tt->indexes[i].constraint)
            put_create_index(b, tt, &tt->indexes[i]);
}

/*
 * PRAGMA foreign_key_check of every rebuilt table, once all of them are
 * rebuilt and every index exists: a key that points at a table rebuilt
 * later, or at a unique index created later, is a "foreign key mismatch"
 * error until then, not a violation.
 */
static void put_key_checks(const rctx *x)
{
    for (size_t i = 0; i < x->rebuilt.count; i++) {
        borch_buf_puts(x->out, "PRAGMA foreign_key_check(");
        put_ident(x->out, x->rebuilt.items[i]);
        borch_buf_puts(x->out, ");\n");
    }
}

/*
 * When a rebuilt table is referenced, stops the script (so that the
 * transaction around it rolls back) if PRAGMA foreign_keys=OFF did not take
 * effect: inside a transaction it cannot, and dropping the old table would
 * then fire the referencing keys' ON DELETE actions. The CHECK's name is
 * the message SQLite reports.
 */
static void put_guard(const rctx *x)
{
    int any = 0;
    for (size_t i = 0; i < x->rebuilt.count && !any; i++)
        any = referenced(x, x->rebuilt.items[i]);
    if (!any)
        return;
    borch_buf_puts(x->out, "CREATE TEMP TABLE IF NOT EXISTS borch_rebuild_guard (foreign_keys_off "
                           "INTEGER CONSTRAINT \"" BORCH_SQLITE_GUARD_MESSAGE
                           "\" CHECK (foreign_keys_off = 0));\n"
                           "INSERT INTO borch_rebuild_guard SELECT foreign_keys FROM "
                           "pragma_foreign_keys;\n"
                           "DROP TABLE borch_rebuild_guard;\n");
}

/* ---- phases ---- */

static int rebuilt(const rctx *x, const char *name)
{
    return tflag(x, name, T_REBUILT);
}

/* A: what must go before tables change. */
static void phase_drops(rctx *x)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *name = change_table(c);
        if (c->kind == BORCH_CH_DROP_VIEW) {
            warn(x->out, c);
            put_simple(x->out, "DROP VIEW", c->view->name);
        } else if (c->kind == BORCH_CH_DROP_INDEX && !c->index->constraint && kept(x, name)) {
            warn(x->out, c);
            put_simple(x->out, "DROP INDEX", c->index->name);
        } else if (c->kind == BORCH_CH_DROP_COLUMN && kept(x, name) && !rebuilt(x, name)) {
            warn(x->out, c);
            borch_buf_puts(x->out, "ALTER TABLE ");
            put_ident(x->out, name);
            borch_buf_puts(x->out, " DROP COLUMN ");
            put_ident(x->out, c->column->name);
            borch_buf_puts(x->out, ";\n");
        }
    }
}

/* B: new tables, whole; columns ALTER TABLE can add. */
static void phase_creates(rctx *x)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        if (c->kind == BORCH_CH_CREATE_TABLE) {
            warn(x->out, c);
            put_create_table(x->out, c->table, c->table->name);
        }
    }
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *name = change_table(c);
        if (c->kind == BORCH_CH_ADD_COLUMN && kept(x, name) && !rebuilt(x, name)) {
            warn(x->out, c);
            borch_buf_puts(x->out, "ALTER TABLE ");
            put_ident(x->out, name);
            borch_buf_puts(x->out, " ADD COLUMN ");
            put_column(x->out, c->column);
            borch_buf_puts(x->out, ";\n");
        }
    }
}

/*
 * Dropped tables, with the warnings of the changes they absorb. Those no
 * table that stays references go before the rebuilds (their rows cannot
 * cascade into a rebuilt table, and a rebuilt table they reference is then
 * referenced by one table less); the others after the rebuilds, which stop
 * referencing them, so that their implicit DELETE reaches nobody.
 */
static void phase_drop_tables(rctx *x, int early)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        if (c->kind != BORCH_CH_DROP_TABLE || fflag(x, c->table->name, F_EARLY) != early)
            continue;
        warn(x->out, c);
        put_simple(x->out, "DROP TABLE", c->table->name);
    }
}

/* Whether an index named name goes only with a table dropped after the
 * rebuilds, so that an index taking over its name must wait for that. */
static int name_freed_late(const rctx *x, const char *name)
{
    for (size_t i = 0; i < x->from->ntables; i++) {
        const borch_table *t = &x->from->tables[i];
        if (!(x->fflag[i] & F_DROPPED) || (x->fflag[i] & F_EARLY))
            continue;
        for (size_t k = 0; k < t->nindexes; k++)
            if (strcasecmp(t->indexes[k].name, name) == 0)
                return 1;
    }
    return 0;
}

/* B' (late = 0): indexes of tables not rebuilt, before the rebuilds: a
 * rebuilt table's foreign key may point at a unique index made here, and
 * copying rows into it with foreign keys on needs that index ("foreign key
 * mismatch"). D' (late = 1): those whose name a table dropped after the
 * rebuilds held. */
static void phase_indexes(rctx *x, int late)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *name = change_table(c);
        if (c->kind == BORCH_CH_ADD_INDEX && !c->index->constraint && !rebuilt(x, name) &&
            name_freed_late(x, c->index->name) == late) {
            warn(x->out, c);
            put_create_index(x->out, c->table, c->index);
        }
    }
}

/*
 * ANALYZE of each table that got an index: SQLite plans an index without
 * statistics as a poor one, so a new index might go unused until then.
 */
static void put_analyze_indexed(rctx *x)
{
    borch_strv done = {0};
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        const char *name = change_table(c);
        if (c->kind != BORCH_CH_ADD_INDEX || !name || borch_strv_contains(&done, name))
            continue;
        borch_strv_push(&done, name);
        put_simple(x->out, "ANALYZE", name);
    }
    borch_strv_release(&done);
}

/* E: views, once every table has its final shape. */
static void phase_views(rctx *x)
{
    for (size_t i = 0; i < x->ch->count; i++) {
        const borch_change *c = &x->ch->items[i];
        if (c->kind == BORCH_CH_CREATE_VIEW) {
            warn(x->out, c);
            borch_buf_puts(x->out, "CREATE VIEW ");
            put_ident(x->out, c->view->name);
            borch_buf_printf(x->out, " AS %s;\n", c->view->definition);
        }
    }
}

/*
 * The render slot of borch_sqlite_driver (driver.h). Appends the DDL to
 * out; returns 0, BORCH_EUNSUPPORTED for enum changes, or BORCH_EINPUT for
 * a change that lacks the table, column, index or view its kind needs.
 */
int borch_sqlite_render(const borch_schema *from, const borch_schema *to,
                        const struct borch_changes *changes, struct borch_buf *out,
                        borch_error *err)
{
    rctx x;
    memset(&x, 0, sizeof(x));
    x.from = from;
    x.to = to;
    x.ch = changes;
    x.out = out;
    x.from_sorted = sorted(from);
    x.to_sorted = sorted(to);
    x.fflag = borch_xcalloc(from->ntables + 1, 1);
    x.tflag = borch_xcalloc(to->ntables + 1, 1);
    int rc = validate(changes, err);
    if (rc == 0)
        rc = plan(&x, err);
    if (rc == 0) {
        phase_drops(&x);
        phase_drop_tables(&x, 1);
        phase_creates(&x);
        phase_indexes(&x, 0);
        if (x.rebuilt.count) {
            borch_buf_puts(out, "PRAGMA foreign_keys=OFF;\n");
            borch_buf_puts(out, "PRAGMA defer_foreign_keys=ON;\n");
            put_guard(&x);
            for (size_t i = 0; i < x.rebuilt.count; i++)
                put_rebuild(&x, x.rebuilt.items[i]);
        }
        phase_drop_tables(&x, 0);
        phase_indexes(&x, 1);
        put_key_checks(&x);
        phase_views(&x);
        if (x.rebuilt.count)
            borch_buf_puts(out, "PRAGMA foreign_keys=ON;\n");
        if (changes->render_flags & BORCH_RENDER_ANALYZE_INDEXED)
            put_analyze_indexed(&x);
    }
    free(x.fflag);
    free(x.tflag);
    borch_strv_release(&x.rebuilt);
    borch_strv_release(&x.dropped_indexes);
    return rc;
}
