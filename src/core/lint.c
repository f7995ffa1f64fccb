/*
 * lint.c - the rule table, the report, and the run: each linted migration
 * goes up in the throwaway database between two introspections; the change
 * list between them (core/diff) feeds the engine-neutral rules, the down is
 * rehearsed for "down does not reverse up", and the PostgreSQL and MySQL
 * statement rules read the up section's text.
 */
#include "core/lint.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diff.h"
#include "core/diff_internal.h"
#include "core/lint_internal.h"
#include "core/source.h"
#include "util/buf.h"
#include "util/mem.h"

static const borch_lint_rule RULES[] = {
    {"BD001", BORCH_LINT_ERROR, NULL, "destructive change: drops a table or a column",
     "the data is gone for good once it runs; copy it elsewhere first, or drop in a later "
     "release after nothing reads it, and silence with lint:ignore giving the reason"},
    {"BD002", BORCH_LINT_WARNING, NULL,
     "data-dependent change: NOT NULL, unique, check, key or narrower type on existing data",
     "it fails on rows that do not fit; clean or backfill the data in an earlier migration, "
     "then add the constraint"},
    {"BD003", BORCH_LINT_ERROR, NULL, "missing down section: the migration cannot be rolled back",
     "add a `-- +borch down` section that undoes the up"},
    {"BD004", BORCH_LINT_ERROR, NULL, "the down does not reverse the up",
     "rollback would leave another schema than before the up; make the down undo exactly what "
     "the up does (try `borch-db rollback --verify`)"},
    {"BD005", BORCH_LINT_WARNING, "postgres", "CREATE INDEX without CONCURRENTLY on an existing table",
     "it blocks writes to the table while the index builds; use CREATE INDEX CONCURRENTLY in a "
     "`-- +borch up notx` section"},
    {"BD006", BORCH_LINT_WARNING, "postgres", "ALTER COLUMN TYPE that rewrites the table",
     "the table is rewritten under an ACCESS EXCLUSIVE lock; add a new column, backfill it in "
     "batches and swap, or only widen varchar / turn varchar into text"},
    {"BD007", BORCH_LINT_WARNING, "postgres", "volatile default on a new column",
     "a volatile default (or any default before PostgreSQL 11) rewrites the table; add the "
     "column without a default, backfill in batches, then set the default"},
    {"BD008", BORCH_LINT_WARNING, "postgres", "long ACCESS EXCLUSIVE lock on an existing table",
     "reads and writes wait for the whole migration; split the DDL and the data change into "
     "separate migrations, and avoid rewriting ALTERs"},
    {"BD009", BORCH_LINT_WARNING, "mysql", "DDL and DML mixed in one migration",
     "MySQL commits DDL implicitly, so a failure leaves the migration half applied; put the "
     "schema change and the data change in separate migrations"},
    {"BD010", BORCH_LINT_INFO, "sqlite", "change that makes SQLite rebuild the table",
     "SQLite copies the whole table into a new one; expect time and space proportional to its "
     "size, and foreign keys are checked again"},
    {NULL, BORCH_LINT_INFO, NULL, NULL, NULL},
};

const borch_lint_rule *borch_lint_rules(void)
{
    return RULES;
}

void borch_lint_report_release(borch_lint_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].message);
        free(r->items[i].file);
        free(r->items[i].ignore_reason);
    }
    free(r->items);
    memset(r, 0, sizeof(*r));
}

size_t borch_lint_errors(const borch_lint_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        n += r->items[i].rule->severity == BORCH_LINT_ERROR && !r->items[i].ignored;
    return n;
}

void lint_add(borch_lint_report *r, enum lint_rule_ix ix, const borch_migration *m, int line,
              const char *fmt, ...)
{
    borch_grow((void **)&r->items, &r->cap, r->count + 1, sizeof(*r->items));
    borch_lint_finding *f = &r->items[r->count++];
    memset(f, 0, sizeof(*f));
    f->rule = &RULES[ix];
    f->migration = m;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    f->message = borch_xstrdup(tmp);
    f->file = borch_xstrdup(m->up.file ? m->up.file : m->path);
    f->line = line > 0 ? line : m->up.first_line;
}

int lint_offset_line(const borch_section *sec, size_t off)
{
    int line = sec->first_line > 0 ? sec->first_line : 1;
    for (size_t i = 0; i < off && sec->sql[i]; i++)
        line += sec->sql[i] == '\n';
    return line;
}

/* Whether line [s, e) names ident as a whole word, case-insensitively. */
static int line_names(const char *s, const char *e, const char *ident)
{
    size_t n = strlen(ident);
    if (!n)
        return 0;
    for (const char *p = s; p + n <= e; p++) {
        if (strncasecmp(p, ident, n) != 0)
            continue;
        int before = p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = p + n < e && (isalnum((unsigned char)p[n]) || p[n] == '_');
        if (!before && !after)
            return 1;
    }
    return 0;
}

/*
 * The line of m's up section that names a (and b, and the keyword kw, when
 * given), so a finding from the change model points at the statement that
 * caused it: the best line names all three, the next best a and b, then a;
 * the section's first line when none does.
 */
static int find_line_kw(const borch_migration *m, const char *a, const char *b, const char *kw)
{
    const borch_section *sec = &m->up;
    int best[3] = {0, 0, 0};
    int line = sec->first_line > 0 ? sec->first_line : 1;
    for (const char *s = sec->sql; s && *s && a; line++) {
        const char *e = strchr(s, '\n');
        if (!e)
            e = s + strlen(s);
        if (line_names(s, e, a)) {
            int with_b = !b || line_names(s, e, b);
            int with_kw = with_b && (!kw || line_names(s, e, kw));
            int rank = with_kw ? 0 : with_b ? 1 : 2;
            if (!best[rank])
                best[rank] = line;
        }
        s = *e ? e + 1 : e;
    }
    for (int i = 0; i < 3; i++)
        if (best[i])
            return best[i];
    return sec->first_line;
}

static int find_line(const borch_migration *m, const char *a, const char *b)
{
    return find_line_kw(m, a, b, NULL);
}

/* Whether PostgreSQL changes type from -> to without a rewrite (varchar widening, varchar -> text). */
static int pg_type_change_cheap(const char *from, const char *to)
{
    const char *vc[] = {"character varying", "varchar"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(vc[i]);
        if (strncmp(from, vc[i], n) != 0)
            continue;
        if (strcmp(to, "text") == 0 || strcmp(to, vc[0]) == 0 || strcmp(to, vc[1]) == 0)
            return 1;
        for (size_t j = 0; j < 2; j++) {
            size_t k = strlen(vc[j]);
            if (strncmp(to, vc[j], k) == 0 && from[n] == '(' && to[k] == '(')
                return atol(to + k + 1) >= atol(from + n + 1);
        }
    }
    return 0;
}

/* The rules read from the change model: one change at a time. */
static void change_rules(const borch_migration *m, const borch_schema *before,
                         const borch_change *c, borch_lint_report *r)
{
    const char *engine = before->engine;
    int pg = strcmp(engine, "postgres") == 0, lite = strcmp(engine, "sqlite") == 0;
    const char *t = c->table ? c->table->name : NULL;
    int existing = t && borch_schema_table(before, t) != NULL;
    switch (c->kind) {
    case BORCH_CH_DROP_TABLE:
        lint_add(r, LR_DESTRUCTIVE, m, find_line(m, t, NULL), "drops table %s", t);
        break;
    case BORCH_CH_DROP_COLUMN:
        lint_add(r, LR_DESTRUCTIVE, m, find_line(m, t, c->column->name), "drops column %s.%s", t,
                 c->column->name);
        break;
    case BORCH_CH_ADD_COLUMN:
        if (existing && !c->column->nullable && !c->column->default_expr && !c->column->identity)
            lint_add(r, LR_DATA_DEPENDENT, m, find_line(m, t, c->column->name),
                     "adds NOT NULL column %s.%s without a default to an existing table", t,
                     c->column->name);
        break;
    case BORCH_CH_ALTER_COLUMN: {
        const borch_column *o = c->old_column, *n = c->column;
        int line = find_line_kw(m, t, n->name, (c->alter & BORCH_ALTER_TYPE) ? "type" : "null");
        if ((c->alter & BORCH_ALTER_NULLABLE) && o->nullable && !n->nullable)
            lint_add(r, LR_DATA_DEPENDENT, m, find_line_kw(m, t, n->name, "null"),
                     "sets %s.%s NOT NULL", t, n->name);
        if (c->alter & BORCH_ALTER_TYPE) {
            borch_type_change k = borch_diff_type_change(o->type, n->type, engine);
            if (k == BORCH_TYPE_NARROW || k == BORCH_TYPE_OTHER)
                lint_add(r, LR_DATA_DEPENDENT, m, line, "changes %s.%s from %s to %s%s", t,
                         n->name, o->type, n->type,
                         k == BORCH_TYPE_NARROW ? ", a narrower type" : "");
            if (pg && !pg_type_change_cheap(o->type, n->type)) {
                lint_add(r, LR_TYPE_REWRITE, m, line, "changes %s.%s from %s to %s: rewrites %s",
                         t, n->name, o->type, n->type, t);
                lint_add(r, LR_EXCLUSIVE_LOCK, m, line,
                         "rewrites %s under an ACCESS EXCLUSIVE lock", t);
            }
        }
        if (lite && (c->alter & (BORCH_ALTER_TYPE | BORCH_ALTER_NULLABLE | BORCH_ALTER_DEFAULT)))
            lint_add(r, LR_SQLITE_REBUILD, m, line, "changes column %s.%s: rebuilds table %s", t,
                     n->name, t);
        break;
    }
    case BORCH_CH_ADD_INDEX:
        if (existing && c->index->unique)
            lint_add(r, LR_DATA_DEPENDENT, m, find_line(m, c->index->name, NULL),
                     "adds unique %s %s on existing table %s",
                     c->index->constraint ? "constraint" : "index", c->index->name, t);
        break;
    case BORCH_CH_ADD_CHECK:
        if (existing) {
            const char *name = c->check->name ? c->check->name : c->check->expression;
            lint_add(r, LR_DATA_DEPENDENT, m, find_line(m, t, c->check->name),
                     "adds check %s on existing table %s", name, t);
            if (lite)
                lint_add(r, LR_SQLITE_REBUILD, m, find_line(m, t, NULL),
                         "adds check %s: rebuilds table %s", name, t);
        }
        break;
    case BORCH_CH_ADD_PRIMARY_KEY:
        if (existing) {
            lint_add(r, LR_DATA_DEPENDENT, m, find_line(m, t, NULL),
                     "adds a primary key to existing table %s", t);
            if (lite)
                lint_add(r, LR_SQLITE_REBUILD, m, find_line(m, t, NULL),
                         "adds a primary key: rebuilds table %s", t);
        }
        break;
    case BORCH_CH_ADD_FOREIGN_KEY:
        if (existing) {
            lint_add(r, LR_DATA_DEPENDENT, m, find_line(m, t, c->foreign_key->ref_table),
                     "adds a foreign key from existing table %s to %s", t,
                     c->foreign_key->ref_table);
            if (lite)
                lint_add(r, LR_SQLITE_REBUILD, m, find_line(m, t, NULL),
                         "adds a foreign key: rebuilds table %s", t);
        }
        break;
    case BORCH_CH_DROP_PRIMARY_KEY:
    case BORCH_CH_DROP_FOREIGN_KEY:
    case BORCH_CH_DROP_CHECK:
        if (lite && t && borch_schema_table(before, t) && c->kind != BORCH_CH_DROP_TABLE)
            lint_add(r, LR_SQLITE_REBUILD, m, find_line(m, t, NULL), "drops a %s: rebuilds table %s",
                     c->kind == BORCH_CH_DROP_PRIMARY_KEY ? "primary key"
                     : c->kind == BORCH_CH_DROP_FOREIGN_KEY ? "foreign key" : "check", t);
        break;
    default:
        break;
    }
}

/* Introspects conn into *out, sorted. */
static int snapshot(borch_conn *conn, borch_schema **out, borch_error *err)
{
    int rc = borch_conn_introspect(conn, out, err);
    if (rc == 0)
        borch_schema_sort(*out);
    return rc;
}

/* The first difference line between want and got, or NULL when equal. */
static char *first_difference(const borch_schema *want, const borch_schema *got)
{
    borch_buf b;
    borch_buf_init(&b);
    if (borch_schema_compare(want, got, &b) == 0) {
        borch_buf_release(&b);
        return NULL;
    }
    char *nl = strchr(b.data, '\n');
    if (nl)
        *nl = '\0';
    return borch_buf_detach(&b);
}

/* Runs a section's statements on conn as they are, without a transaction of its own. */
static int exec_plain(borch_conn *conn, const borch_migration *m, int down, borch_error *err)
{
    const borch_section *sec = down ? &m->down : &m->up;
    return borch_conn_exec(conn, sec->sql, sec->file ? sec->file : m->path, sec->first_line, err);
}

/*
 * BD004: the down must restore the schema before the up (s0). Where DDL is
 * transactional the down runs in a transaction that is rolled back; else
 * it is committed and the up applied again (when the down changed
 * anything: s1 is the schema after the up). Returns 0, 1 when the database
 * no longer stands after the up (the lint cannot go on), or an error from
 * introspection.
 */
static int down_rule(borch_conn *conn, const borch_migration *m, const borch_schema *s0,
                     const borch_schema *s1, borch_lint_report *r, borch_error *err)
{
    borch_error e = {0};
    borch_schema *s2 = NULL;
    int in_tx = borch_conn_transactional_ddl(conn) && !m->down.notx;
    const char *dfile = m->down.file ? m->down.file : m->path;
    int rc = 0, broken = 0;
    if (in_tx && (rc = borch_conn_begin(conn, err)) < 0)
        return rc;
    if ((in_tx ? exec_plain(conn, m, 1, &e) : borch_exec_section(conn, m, 1, &e)) < 0) {
        lint_add(r, LR_DOWN_DIFFERS, m, 0, "the down fails: %s", e.message);
        free(r->items[r->count - 1].file);
        r->items[r->count - 1].file = borch_xstrdup(e.file[0] ? e.file : dfile);
        r->items[r->count - 1].line = e.line ? e.line : m->down.first_line;
        broken = !in_tx;
    } else if ((rc = snapshot(conn, &s2, err)) == 0) {
        char *d = first_difference(s0, s2);
        if (d) {
            lint_add(r, LR_DOWN_DIFFERS, m, 0, "after the down the schema differs: %s", d);
            free(r->items[r->count - 1].file);
            r->items[r->count - 1].file = borch_xstrdup(dfile);
            r->items[r->count - 1].line = m->down.first_line;
            free(d);
        }
        /* Committed: apply the up again, unless the down changed nothing at all. */
        char *moved = in_tx ? NULL : first_difference(s1, s2);
        if (moved) {
            borch_error_clear(&e);
            broken = borch_exec_section(conn, m, 0, &e) < 0;
            free(moved);
        }
    }
    if (in_tx) {
        borch_error re = {0};
        borch_conn_rollback(conn, &re);
        borch_error_clear(&re);
    }
    borch_error_clear(&e);
    borch_schema_free(s2);
    return rc < 0 ? rc : broken;
}

/* The server's major version (PostgreSQL), or 0 when unknown. */
static int server_major(borch_conn *conn)
{
    if (!conn->driver->server_version)
        return 0;
    char *v = conn->driver->server_version(conn);
    int major = v ? atoi(v) : 0;
    free(v);
    return major;
}

/* Marks findings silenced by m's `-- +borch lint:ignore RULE reason` lines, from index from on. */
static void apply_ignores(const borch_migration *m, borch_lint_report *r, size_t from)
{
    for (size_t i = from; i < r->count; i++) {
        borch_lint_finding *f = &r->items[i];
        for (size_t j = 0; j < m->nlint_ignores; j++) {
            const char *ig = m->lint_ignores[j];
            size_t n = strlen(f->rule->id);
            if (strncasecmp(ig, f->rule->id, n) != 0 || (ig[n] && !isspace((unsigned char)ig[n])))
                continue;
            const char *why = ig + n;
            while (isspace((unsigned char)*why))
                why++;
            f->ignored = 1;
            f->ignore_reason = borch_xstrdup(*why ? why : "no reason given");
            break;
        }
    }
}

/* Lints one migration: up between two snapshots, the rules, the down. */
static int lint_one(borch_conn *conn, const borch_migration *m, int pg_major,
                    borch_lint_report *r, int *broken, borch_error *err)
{
    borch_schema *s0 = NULL, *s1 = NULL;
    borch_changes ch = {0};
    size_t from = r->count;
    int rc = snapshot(conn, &s0, err);
    if (rc < 0)
        return rc;
    if ((rc = borch_exec_section(conn, m, 0, err)) < 0)
        goto done;
    if ((rc = snapshot(conn, &s1, err)) < 0)
        goto done;
    if ((rc = borch_diff(s0, s1, &ch, err)) < 0)
        goto done;
    for (size_t i = 0; i < ch.count; i++)
        change_rules(m, s0, &ch.items[i], r);
    if (strcmp(s0->engine, "postgres") == 0)
        lint_pg_rules(m, s0, pg_major, r);
    else if (strcmp(s0->engine, "mysql") == 0)
        lint_mysql_rules(m, r);
    if (!m->has_down)
        lint_add(r, LR_NO_DOWN, m, m->up.first_line > 1 ? m->up.first_line - 1 : 1, "has no down section: it cannot be rolled back");
    else if ((rc = down_rule(conn, m, s0, s1, r, err)) > 0) {
        *broken = 1;
        rc = 0;
    }
    if (rc == 0)
        apply_ignores(m, r, from);
done:
    borch_changes_release(&ch);
    borch_schema_free(s0);
    borch_schema_free(s1);
    return rc;
}

int borch_lint_run(borch_conn *conn, const borch_migration_set *set, size_t first, size_t n,
                   borch_lint_report *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    if (first > set->count)
        first = set->count;
    if (n > set->count - first)
        n = set->count - first;
    int rc;
    if (first > 0 && (rc = borch_replay(conn, set, set->items[first - 1].version, err)) < 0)
        return rc;
    int pg_major = strcmp(conn->driver->name, "postgres") == 0 ? server_major(conn) : 0;
    for (size_t i = first; i < first + n; i++) {
        int broken = 0;
        if ((rc = lint_one(conn, &set->items[i], pg_major, out, &broken, err)) < 0) {
            borch_lint_report_release(out);
            return rc;
        }
        if (broken) {
            /* Nothing rolls back here (MySQL, notx): later schemas would be wrong. */
            if (i + 1 < first + n) {
                const borch_migration *next = &set->items[i + 1];
                lint_add(out, LR_DOWN_DIFFERS, next, 0,
                         "not linted: the down of %s_%s left the throwaway database broken",
                         set->items[i].version, set->items[i].name);
            }
            break;
        }
    }
    return 0;
}
