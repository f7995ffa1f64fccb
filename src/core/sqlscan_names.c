/*
 * sqlscan_names.c - names in a query: scopes (one per SELECT, UPDATE or
 * DELETE, chained to the enclosing one for correlated subqueries), the
 * sources each scope reads (model tables, which become table uses, and
 * loose ones: CTEs, views, derived tables, table functions), and the
 * lookups of tables and columns in the model with the "does not exist
 * (did you mean ...)" errors.
 *
 * Unquoted names compare case-insensitively; quoted ones exactly first,
 * then (outside PostgreSQL, where quotes make names case-sensitive)
 * case-insensitively too. An exact match always wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sqlscan_internal.h"
#include "util/suggest.h"

scope *sqlscan_scope_new(parser *p, scope *parent)
{
    scope *s = sqlscan_alloc(p->a, sizeof(*s));
    s->parent = parent;
    return s;
}

/* Whether a model name matches what tok spells. */
static int name_match(parser *p, const char *model_name, const token *tok, int *exact)
{
    *exact = strcmp(model_name, tok->text) == 0;
    if (*exact)
        return 1;
    if (tok->kind == T_QIDENT && p->postgres)
        return 0;
    return strcasecmp(model_name, tok->text) == 0;
}

const borch_table *sqlscan_table(parser *p, const token *tok)
{
    const borch_table *found = NULL;
    for (size_t i = 0; i < p->model->ntables; i++) {
        int exact;
        if (name_match(p, p->model->tables[i].name, tok, &exact)) {
            if (exact)
                return &p->model->tables[i];
            if (!found)
                found = &p->model->tables[i];
        }
    }
    return found;
}

const borch_column *sqlscan_column(parser *p, const borch_table *t, const token *tok)
{
    const borch_column *found = NULL;
    for (size_t i = 0; i < t->ncolumns; i++) {
        int exact;
        if (name_match(p, t->columns[i].name, tok, &exact)) {
            if (exact)
                return &t->columns[i];
            if (!found)
                found = &t->columns[i];
        }
    }
    return found;
}

int sqlscan_loose_name(parser *p, scope *sc, const token *tok)
{
    for (scope *s = sc; s; s = s->parent)
        for (size_t i = 0; i < s->nctes; i++)
            if (strcasecmp(s->ctes[i], tok->text) == 0)
                return 1;
    for (size_t i = 0; i < p->model->nviews; i++) {
        int exact;
        if (name_match(p, p->model->views[i].name, tok, &exact))
            return 1;
    }
    return 0;
}

int sqlscan_add_source(parser *p, scope *sc, const char *name, const borch_table *table,
                       const char *alias)
{
    int use = -1;
    if (table) {
        borch_query_shape *o = p->out;
        borch_grow((void **)&o->tables, &o->cap, o->ntables + 1, sizeof(borch_table_use));
        borch_table_use *u = &o->tables[o->ntables];
        memset(u, 0, sizeof(*u));
        u->table = borch_xstrdup(table->name);
        u->alias = borch_xstrdup(alias);
        use = (int)o->ntables++;
    }
    if (sc->nsrc == sc->capsrc) {
        size_t cap = sc->capsrc ? sc->capsrc * 2 : 4;
        source *s = sqlscan_alloc(p->a, cap * sizeof(*s));
        if (sc->nsrc)
            memcpy(s, sc->src, sc->nsrc * sizeof(*s));
        sc->src = s;
        sc->capsrc = cap;
    }
    source *s = &sc->src[sc->nsrc++];
    s->name = alias ? alias : name;
    s->table = table;
    s->use = use;
    return use;
}

source *sqlscan_find_source(scope *sc, const token *q)
{
    for (scope *s = sc; s; s = s->parent)
        for (size_t i = s->nsrc; i-- > 0;)
            if (s->src[i].name && strcasecmp(s->src[i].name, q->text) == 0)
                return &s->src[i];
    return NULL;
}

/* Names that are not columns of the model but are no mistake either. */
static int soft_word(const char *w)
{
    static const char *const words[] = {
        "year",          "month",      "day",        "hour",        "minute",
        "second",        "week",       "quarter",    "microsecond", "millisecond",
        "epoch",         "dow",        "doy",        "isodow",      "isoyear",
        "century",       "decade",     "millennium", "timezone",    "year_month",
        "day_hour",      "day_minute", "day_second", "hour_minute", "hour_second",
        "minute_second", "user",       "signed",     "unsigned",    "rowid",
        "oid",           "_rowid_",    "ctid",       "xmin",        "xmax",
        "tableoid",      "excluded",   NULL,
    };
    for (int i = 0; words[i]; i++)
        if (strcasecmp(w, words[i]) == 0)
            return 1;
    return 0;
}

/* Names the error message may suggest: columns of the tables in scope. */
static const char **known_columns(parser *p, scope *sc, const borch_table *only, size_t *count)
{
    size_t n = 0, cap = 0;
    const char **v = NULL;
    for (scope *s = sc; s; s = s->parent)
        for (size_t i = 0; i < s->nsrc; i++) {
            const borch_table *t = s->src[i].table;
            if (!t || (only && t != only))
                continue;
            for (size_t c = 0; c < t->ncolumns; c++) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    const char **nv = sqlscan_alloc(p->a, cap * sizeof(*nv));
                    if (n)
                        memcpy(nv, v, n * sizeof(*nv));
                    v = nv;
                }
                v[n++] = t->columns[c].name;
            }
        }
    *count = n;
    return v;
}

int sqlscan_no_column(parser *p, scope *sc, const token *tok, const borch_table *t)
{
    size_t n;
    const char **known = known_columns(p, sc, t, &n);
    const char *s = borch_suggest(tok->text, known, n);
    char mean[300] = "";
    if (s)
        snprintf(mean, sizeof(mean), " (did you mean '%s'?)", s);
    if (t)
        return sqlscan_fail(p, tok, "column '%s' does not exist in '%s'%s", tok->text, t->name,
                            mean);
    return sqlscan_fail(p, tok, "column '%s' does not exist in any table of the query%s", tok->text,
                        mean);
}

int sqlscan_no_table(parser *p, const token *tok)
{
    const borch_schema *m = p->model;
    const char **known = sqlscan_alloc(p->a, (m->ntables + m->nviews + 1) * sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; i < m->ntables; i++)
        known[n++] = m->tables[i].name;
    for (size_t i = 0; i < m->nviews; i++)
        known[n++] = m->views[i].name;
    const char *s = borch_suggest(tok->text, known, n);
    if (s)
        return sqlscan_fail(p, tok, "table '%s' does not exist (did you mean '%s'?)", tok->text, s);
    return sqlscan_fail(p, tok, "table '%s' does not exist", tok->text);
}

/* Resolves a qualified reference q.name. */
static int resolve_qualified(parser *p, scope *sc, node *n, const token *q, const token *name)
{
    source *src = sqlscan_find_source(sc, q);
    if (!src) {
        for (scope *s = sc; s; s = s->parent)
            if (s->loose)
                return 0;
        return sqlscan_fail(p, q, "table or alias '%s' is not in the query", q->text);
    }
    if (!src->table)
        return 0;
    const borch_column *c = sqlscan_column(p, src->table, name);
    if (!c) {
        if (soft_word(name->text))
            return 0;
        return sqlscan_no_column(p, sc, name, src->table);
    }
    n->use = src->use;
    n->column = c->name;
    sqlscan_note_used(p, n->use, c->name);
    return 0;
}

int sqlscan_resolve(parser *p, scope *sc, node *n, const token *qual, const token *name)
{
    if (qual)
        return resolve_qualified(p, sc, n, qual, name);
    const borch_table *single = NULL; /* the one table of the innermost scope with sources */
    int first = 1;
    for (scope *s = sc; s; s = s->parent) {
        if (s->loose)
            return 0;
        int matches = 0, loose = 0;
        const source *hit = NULL;
        const borch_column *col = NULL;
        for (size_t i = 0; i < s->nsrc; i++) {
            if (!s->src[i].table) {
                loose = 1;
                continue;
            }
            const borch_column *c = sqlscan_column(p, s->src[i].table, name);
            if (c) {
                matches++;
                hit = &s->src[i];
                col = c;
            }
        }
        if (matches > 1)
            return 0; /* ambiguous: read, but not classified */
        if (matches == 1) {
            n->use = hit->use;
            n->column = col->name;
            sqlscan_note_used(p, n->use, col->name);
            return 0;
        }
        if (loose)
            return 0;
        for (size_t i = 0; i < s->nitems; i++)
            if (s->items[i].alias && strcasecmp(s->items[i].alias, name->text) == 0)
                return 0;
        if (first && s->nsrc) {
            first = 0;
            if (s->nsrc == 1)
                single = s->src[0].table;
        }
    }
    if (soft_word(name->text))
        return 0;
    source *whole = sqlscan_find_source(sc, name);
    if (whole) { /* PostgreSQL whole-row reference: row_to_json(c) reads every column */
        if (whole->use >= 0)
            p->out->tables[whole->use].star = 1;
        return 0;
    }
    if (p->sqlite && name->dquoted) { /* SQLite reads an unknown "x" as the string 'x' */
        n->kind = N_CONST;
        n->str = name->text;
        n->is_string = 1;
        return 0;
    }
    return sqlscan_no_column(p, sc, name, single);
}
