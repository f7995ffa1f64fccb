/*
 * yaml_model_node.c - what every part of the YAML model reader asks of a
 * libyaml node: its text, its kind, keys checked against a list (with "did
 * you mean"), per-engine texts, and errors that carry the node's
 * file:line:column (libyaml marks are 0-based; messages are 1-based). Also
 * the registries of names the engine keeps unique.
 */
#include "core/yaml_model_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* Sets a BORCH_EINPUT message at mark and returns BORCH_EINPUT. */
int ym_fail(const ym_ctx *c, yaml_mark_t mark, const char *fmt, ...)
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

yaml_node_t *ym_node(const ym_ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

const char *ym_kind_name(const yaml_node_t *n)
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
int ym_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = (const char *)n->data.scalar.value;
    return !v[0] || !strcmp(v, "~") || !strcasecmp(v, "null");
}

const char *ym_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* Requires a non-empty scalar without NUL bytes; *out borrows its text. */
int ym_want_text(const ym_ctx *c, const yaml_node_t *n, const char *what, const char **out)
{
    if (n->type != YAML_SCALAR_NODE)
        return ym_fail(c, n->start_mark, "%s must be a string, not %s", what, ym_kind_name(n));
    if (ym_is_null(n) || !n->data.scalar.length)
        return ym_fail(c, n->start_mark, "%s must not be empty", what);
    if (memchr(n->data.scalar.value, 0, n->data.scalar.length))
        return ym_fail(c, n->start_mark, "%s holds a NUL character", what);
    *out = ym_text(n);
    return 0;
}

/* true/false (yes/no, on/off) into *out. */
int ym_want_bool(const ym_ctx *c, const yaml_node_t *n, const char *what, int *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        for (size_t i = 0; i < 3; i++) {
            if (!strcasecmp(ym_text(n), yes[i]))
                return *out = 1, 0;
            if (!strcasecmp(ym_text(n), no[i]))
                return *out = 0, 0;
        }
    }
    return ym_fail(c, n->start_mark, "%s must be true or false", what);
}

/* Requires a mapping (after the caller let null through or not). */
int ym_want_mapping(const ym_ctx *c, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_MAPPING_NODE)
        return ym_fail(c, n->start_mark, "%s must be a mapping, not %s", what, ym_kind_name(n));
    return 0;
}

/*
 * The key of pair p of mapping m: a non-empty string, not the same as an
 * earlier key. *name borrows its text.
 */
int ym_read_key(const ym_ctx *c, const yaml_node_t *m, const yaml_node_pair_t *p, const char *where,
                const char **name)
{
    yaml_node_t *k = ym_node(c, p->key);
    if (k->type != YAML_SCALAR_NODE)
        return ym_fail(c, k->start_mark, "keys %s must be names, not %s", where, ym_kind_name(k));
    if (!k->data.scalar.length || memchr(k->data.scalar.value, 0, k->data.scalar.length))
        return ym_fail(c, k->start_mark, "an empty or NUL-holding name %s", where);
    for (const yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
        yaml_node_t *qk = ym_node(c, q->key);
        if (qk->type == YAML_SCALAR_NODE && qk->data.scalar.length == k->data.scalar.length &&
            !memcmp(qk->data.scalar.value, k->data.scalar.value, k->data.scalar.length))
            return ym_fail(c, k->start_mark, "duplicate name '%s' %s (first at line %d)",
                           ym_text(k), where, (int)qk->start_mark.line + 1);
    }
    *name = ym_text(k);
    return 0;
}

/* "unknown key" with the closest known key, or the list of known keys. */
static int unknown_key(const ym_ctx *c, const yaml_node_pair_t *p, const char *where,
                       const char *const *known, size_t count)
{
    yaml_node_t *k = ym_node(c, p->key);
    const char *kt = ym_text(k);
    if (strchr(kt, ')') && !strchr(kt, '('))
        return ym_fail(c, k->start_mark,
                       "unknown key '%s' %s: inside { } a comma ends a value, so quote a type "
                       "such as \"decimal(10,2)\"",
                       kt, where);
    const char *near = ym_suggest(kt, known, count);
    if (near)
        return ym_fail(c, k->start_mark, "unknown key '%s' %s, did you mean '%s'?", ym_text(k),
                       where, near);
    borch_buf list;
    borch_buf_init(&list);
    for (size_t i = 0; i < count; i++)
        borch_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
    ym_fail(c, k->start_mark, "unknown key '%s' %s (known: %s)", ym_text(k), where, list.data);
    borch_buf_release(&list);
    return BORCH_EINPUT;
}

/*
 * Splits mapping m into the values of known keys (vals[i] for known[i],
 * NULL when absent), refusing unknown and duplicate keys.
 */
int ym_split_keys(const ym_ctx *c, const yaml_node_t *m, const char *where,
                  const char *const *known, size_t count, yaml_node_t **vals)
{
    for (size_t i = 0; i < count; i++)
        vals[i] = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *key;
        int rc = ym_read_key(c, m, p, where, &key);
        if (rc)
            return rc;
        size_t i = 0;
        while (i < count && strcmp(known[i], key))
            i++;
        if (i == count)
            return unknown_key(c, p, where, known, count);
        vals[i] = ym_node(c, p->value);
    }
    return 0;
}

/*
 * SQL text that may differ by engine: a string, or a mapping of engine
 * names to strings. *out borrows the target engine's text, or is NULL when
 * the mapping leaves this engine out.
 */
int ym_engine_text(const ym_ctx *c, const yaml_node_t *n, const char *what, const char **out)
{
    *out = NULL;
    if (n->type != YAML_MAPPING_NODE)
        return ym_want_text(c, n, what, out);
    char where[300];
    snprintf(where, sizeof(where), "in %s", what);
    yaml_node_t *vals[YM_NENGINES];
    int rc = ym_split_keys(c, n, where, ym_engine_names, YM_NENGINES, vals);
    for (int e = 0; !rc && e < YM_NENGINES; e++) {
        const char *t;
        if (vals[e] && !(rc = ym_want_text(c, vals[e], what, &t)) && e == c->engine)
            *out = t;
    }
    return rc;
}

/*
 * "engines: [postgres, sqlite]": the engines an object is for; *wanted
 * says whether the target is one of them.
 */
int ym_read_engines(const ym_ctx *c, const yaml_node_t *n, const char *what, int *wanted)
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
            items[i] = ym_node(c, n->data.sequence.items.start[i]);
    }
    int rc = count ? 0 : ym_fail(c, n->start_mark, "%s must be a non-empty list of engines", w);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *name = NULL;
        if ((rc = ym_want_text(c, items[i], w, &name)))
            break;
        int e = ym_engine_of(name);
        if (e < 0) {
            const char *near = ym_suggest(name, ym_engine_names, YM_NENGINES);
            rc = near ? ym_fail(c, items[i]->start_mark,
                                "%s names unknown engine '%s', did you mean '%s'?", w, name, near)
                      : ym_fail(c, items[i]->start_mark,
                                "%s names unknown engine '%s' (known: sqlite, postgres, mysql)", w,
                                name);
        }
        *wanted |= e == c->engine;
    }
    if (items != one)
        free(items);
    return rc;
}

/* Checks a declared name against the engine's length limit. */
int ym_check_name(const ym_ctx *c, const yaml_node_t *k, const char *what, const char *name)
{
    size_t max = c->engine == YM_POSTGRES ? YM_PG_NAME_MAX
                 : c->engine == YM_MYSQL  ? YM_MY_NAME_MAX
                                          : 0;
    if (max && strlen(name) > max)
        return ym_fail(c, k->start_mark, "%s name '%s' is longer than %s's limit of %zu bytes",
                       what, name, ym_engine_names[c->engine], max);
    return 0;
}

/* ---- names the engine keeps unique across the schema ---- */

/*
 * Takes name in the relation namespace (PostgreSQL and SQLite put tables,
 * views and indexes in one; MySQL only tables and views). Fails at mark
 * when it is taken.
 */
static size_t name_hash(const char *s)
{
    size_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Puts rel[i] in the hash (which has room). */
static void rel_slot_put(ym_ctx *c, size_t i)
{
    size_t mask = c->nrel_slots - 1, k = name_hash(c->rel[i].name) & mask;
    while (c->rel_slots[k])
        k = (k + 1) & mask;
    c->rel_slots[k] = i + 1;
}

/* A hash, not a scan: a 2,000-table model has some 10,000 names. */
int ym_take_rel_name(ym_ctx *c, yaml_mark_t mark, const char *kind, const char *name)
{
    if (c->nrel_slots) {
        size_t mask = c->nrel_slots - 1;
        for (size_t k = name_hash(name) & mask; c->rel_slots[k]; k = (k + 1) & mask) {
            const ym_used_name *u = &c->rel[c->rel_slots[k] - 1];
            if (!strcmp(u->name, name))
                return ym_fail(c, mark, "%s name '%s' is already used by %s '%s' (line %d)", kind,
                               name, u->kind, name, u->line);
        }
    }
    borch_grow((void **)&c->rel, &c->caprel, c->nrel + 1, sizeof(*c->rel));
    c->rel[c->nrel++] = (ym_used_name){borch_xstrdup(name), kind, (int)mark.line + 1};
    if (c->nrel * 2 > c->nrel_slots) { /* keep it at most half full */
        free(c->rel_slots);
        c->nrel_slots = c->nrel_slots ? c->nrel_slots * 2 : 64;
        c->rel_slots = borch_xcalloc(c->nrel_slots, sizeof(*c->rel_slots));
        for (size_t i = 0; i < c->nrel; i++)
            rel_slot_put(c, i);
    } else {
        rel_slot_put(c, c->nrel - 1);
    }
    return 0;
}

/* Takes a constraint name of one table. */
int ym_take_constraint_name(const ym_ctx *c, ym_tbl_note *tn, yaml_mark_t mark, const char *name)
{
    if (borch_strv_contains(&tn->cnames, name))
        return ym_fail(c, mark, "duplicate constraint name '%s' in table '%s'", name,
                       c->s->tables[tn->index].name);
    borch_strv_push(&tn->cnames, name);
    return 0;
}

/* ---- entry points ---- */


