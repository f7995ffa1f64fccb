/*
 * yaml_model_render.c - a schema model written as a YAML model (the format
 * yaml_model_read.c reads), with libyaml's emitter so that every string is
 * quoted exactly as much as YAML needs.
 *
 * Layout: emitter helpers; the column, key, index, foreign key and check
 * writers of one table; the document. The rule throughout is that reading
 * the output for the model's engine gives the model back: types become the
 * neutral type that maps to them (or an override in the engine's own
 * words), and only what the reader would not imply is written.
 */
#include "core/yaml_model_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

/* The emitter and where its text goes. */
typedef struct out {
    yaml_emitter_t em;
    borch_buf buf;
    int failed; /* an emit failed: the model held something libyaml refuses */
    int engine;
    const borch_schema *s;
} out;

static int write_handler(void *data, unsigned char *bytes, size_t size)
{
    borch_buf_append(data, (const char *)bytes, size);
    return 1;
}

/* Hands ev to the emitter, which frees it; after a failure it is only freed. */
static void emit(out *o, yaml_event_t *ev)
{
    if (o->failed)
        yaml_event_delete(ev);
    else if (!yaml_emitter_emit(&o->em, ev))
        o->failed = 1;
}

/* Strings a reader would take for null or a boolean are quoted. */
static int looks_special(const char *s)
{
    static const char *const words[] = {"~", "null", "true", "false", "yes", "no", "on", "off"};
    if (!*s)
        return 1;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (!strcasecmp(s, words[i]))
            return 1;
    return 0;
}

/* A string: plain when YAML allows, double-quoted for SQL literals, a block for many lines. */
static void str(out *o, const char *s)
{
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (strchr(s, '\n'))
        style = YAML_LITERAL_SCALAR_STYLE;
    else if (s[0] == '\'' || looks_special(s))
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    yaml_event_t ev;
    /* libyaml refuses text that is not UTF-8, leaving no event to emit */
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      style))
        o->failed = 1;
    else
        emit(o, &ev);
}

/* A YAML boolean or other plain word. */
static void word(out *o, const char *s)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                 YAML_PLAIN_SCALAR_STYLE);
    emit(o, &ev);
}

static void map_start(out *o, int flow)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                        flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    emit(o, &ev);
}

static void map_end(out *o)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    emit(o, &ev);
}

static void seq_start(out *o, int flow)
{
    yaml_event_t ev;
    yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    emit(o, &ev);
}

static void seq_end(out *o)
{
    yaml_event_t ev;
    yaml_sequence_end_event_initialize(&ev);
    emit(o, &ev);
}

static void str_list(out *o, char *const *v, size_t n)
{
    seq_start(o, 1);
    for (size_t i = 0; i < n; i++)
        str(o, v[i]);
    seq_end(o);
}

static void key_str(out *o, const char *k, const char *v)
{
    str(o, k);
    str(o, v);
}

/* ---- one table ---- */

static int in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

/* name cut to the engine's identifier limit, as the reader does; malloc'd. */
static char *limited(int engine, const borch_buf *b)
{
    size_t max = engine == YM_POSTGRES ? YM_PG_NAME_MAX : engine == YM_MYSQL ? YM_MY_NAME_MAX : 0;
    return max && b->len > max ? borch_xstrndup(b->data, max) : borch_xstrdup(b->data);
}

static void column(out *o, const borch_table *t, const borch_column *c)
{
    char *neutral = NULL;
    const char *override = NULL;
    for (size_t i = 0; o->engine == YM_POSTGRES && i < o->s->nenums && !neutral; i++)
        if (!strcmp(o->s->enums[i].name, c->type))
            neutral = borch_xstrdup(c->type);
    if (!neutral)
        neutral = ym_type_neutral(c->type, o->engine);
    if (!neutral)
        override = c->type;
    int pk = in_list(t->primary_key, t->nprimary_key, c->name);
    int want_null = !(pk || c->identity); /* what the reader assumes */
    int identity = c->identity && !(o->engine == YM_SQLITE && c->default_expr);
    str(o, c->name);
    if (neutral && !identity && c->nullable == want_null && !c->default_expr) {
        str(o, neutral); /* shorthand: name: type */
        free(neutral);
        return;
    }
    map_start(o, 1);
    if (neutral)
        key_str(o, "type", neutral);
    else
        key_str(o, ym_engine_names[o->engine], override);
    if (c->nullable != want_null) {
        word(o, "null"); /* a key: read as the name, so no quotes */
        word(o, c->nullable ? "true" : "false");
    }
    if (c->default_expr)
        key_str(o, "default", c->default_expr);
    if (identity) {
        str(o, "identity");
        word(o, "true");
    }
    map_end(o);
    free(neutral);
}

static void primary_key(out *o, const borch_table *t)
{
    int named = t->primary_key_name != NULL;
    if (named && o->engine == YM_POSTGRES) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%s_pkey", t->name);
        char *def = limited(o->engine, &b);
        named = strcmp(def, t->primary_key_name) != 0;
        free(def);
        borch_buf_release(&b);
    }
    str(o, "primary_key");
    if (!named) {
        str_list(o, t->primary_key, t->nprimary_key);
        return;
    }
    map_start(o, 1);
    key_str(o, "name", t->primary_key_name);
    str(o, "columns");
    str_list(o, t->primary_key, t->nprimary_key);
    map_end(o);
}

/* MySQL's own index for a foreign key no other index serves (the reader adds it back). */
static int implied_index(const out *o, const borch_table *t, const borch_index *ix)
{
    if (o->engine != YM_MYSQL || ix->unique || ix->method || ix->where)
        return 0;
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        const borch_foreign_key *fk = &t->foreign_keys[i];
        if (!fk->name || strcmp(fk->name, ix->name) || fk->ncolumns != ix->ncolumns)
            continue;
        int same = 1;
        for (size_t j = 0; same && j < fk->ncolumns; j++)
            same = !strcmp(fk->columns[j], ix->columns[j]);
        if (same && !ym_fk_covered(t, fk, ix))
            return 1;
    }
    return 0;
}

/* Whether indexes() would write anything. */
static size_t written_indexes(const out *o, const borch_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nindexes; i++)
        n += !implied_index(o, t, &t->indexes[i]);
    return n;
}

static void indexes(out *o, const borch_table *t)
{
    str(o, "indexes");
    map_start(o, 0);
    for (size_t i = 0; i < t->nindexes; i++) {
        const borch_index *ix = &t->indexes[i];
        if (implied_index(o, t, ix))
            continue;
        str(o, ix->name);
        map_start(o, 1);
        str(o, "columns");
        str_list(o, ix->columns, ix->ncolumns);
        if (ix->unique) {
            str(o, "unique");
            word(o, "true");
        }
        if (ix->constraint && o->engine != YM_MYSQL) { /* on MySQL unique says it */
            str(o, "constraint");
            word(o, "true");
        }
        if (ix->where)
            key_str(o, "where", ix->where);
        if (ix->method)
            key_str(o, "method", ix->method);
        map_end(o);
    }
    map_end(o);
}

/* PostgreSQL's name for an unnamed key, which the reader would give again. */
static int default_fk_name(const out *o, const borch_table *t, const borch_foreign_key *fk)
{
    if (o->engine != YM_POSTGRES || !fk->name)
        return 0;
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, t->name);
    for (size_t j = 0; j < fk->ncolumns; j++)
        borch_buf_printf(&b, "_%s", fk->columns[j]);
    borch_buf_puts(&b, "_fkey");
    char *def = limited(o->engine, &b);
    int same = !strcmp(def, fk->name);
    free(def);
    borch_buf_release(&b);
    return same;
}

/* "orgs(id)" when the names allow, else { table: ..., columns: [...] }. */
static void reference(out *o, const borch_foreign_key *fk)
{
    int plain = !strpbrk(fk->ref_table, "(),");
    for (size_t i = 0; plain && i < fk->nref_columns; i++)
        plain = fk->ref_columns[i][0] && !strpbrk(fk->ref_columns[i], "(),") &&
                fk->ref_columns[i][0] != ' ' &&
                fk->ref_columns[i][strlen(fk->ref_columns[i]) - 1] != ' ';
    str(o, "references");
    if (plain) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%s(", fk->ref_table);
        for (size_t i = 0; i < fk->nref_columns; i++)
            borch_buf_printf(&b, "%s%s", i ? ", " : "", fk->ref_columns[i]);
        borch_buf_putc(&b, ')');
        str(o, b.data);
        borch_buf_release(&b);
        return;
    }
    map_start(o, 1);
    key_str(o, "table", fk->ref_table);
    str(o, "columns");
    str_list(o, fk->ref_columns, fk->nref_columns);
    map_end(o);
}

static void foreign_keys(out *o, const borch_table *t)
{
    str(o, "foreign_keys");
    seq_start(o, 0);
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        const borch_foreign_key *fk = &t->foreign_keys[i];
        map_start(o, 1);
        if (fk->name && !default_fk_name(o, t, fk))
            key_str(o, "name", fk->name);
        str(o, "columns");
        str_list(o, fk->columns, fk->ncolumns);
        reference(o, fk);
        const char *unsaid = o->engine == YM_MYSQL ? "restrict" : "no action";
        if (fk->on_delete && strcmp(fk->on_delete, unsaid))
            key_str(o, "on_delete", fk->on_delete);
        if (fk->on_update && strcmp(fk->on_update, unsaid))
            key_str(o, "on_update", fk->on_update);
        map_end(o);
    }
    seq_end(o);
}

static void checks(out *o, const borch_table *t)
{
    str(o, "checks");
    seq_start(o, 0);
    for (size_t i = 0; i < t->nchecks; i++) {
        map_start(o, 1);
        if (t->checks[i].name)
            key_str(o, "name", t->checks[i].name);
        key_str(o, "expression", t->checks[i].expression ? t->checks[i].expression : "");
        map_end(o);
    }
    seq_end(o);
}

static void table(out *o, const borch_table *t)
{
    str(o, t->name);
    map_start(o, 0);
    str(o, "columns");
    map_start(o, 0);
    for (size_t i = 0; i < t->ncolumns; i++)
        column(o, t, &t->columns[i]);
    map_end(o);
    if (t->nprimary_key)
        primary_key(o, t);
    if (written_indexes(o, t))
        indexes(o, t);
    if (t->nforeign_keys)
        foreign_keys(o, t);
    if (t->nchecks)
        checks(o, t);
    if (t->comment)
        key_str(o, "comment", t->comment);
    map_end(o);
}

static int cmp_table_name(const void *key, const void *elem)
{
    return strcmp(key, ((const borch_table *)elem)->name);
}

/* Whether sequence q is the one PostgreSQL makes for an identity column (the reader adds it). */
static int implied_sequence(const out *o, const borch_sequence *q)
{
    if (o->engine != YM_POSTGRES || !q->owned_by)
        return 0;
    const char *dot = strrchr(q->owned_by, '.');
    if (!dot)
        return 0;
    char *tname = borch_xstrndup(q->owned_by, (size_t)(dot - q->owned_by));
    const borch_table *t = bsearch(tname, o->s->tables, o->s->ntables, sizeof(*o->s->tables),
                                   cmp_table_name); /* sorted: render works on a sorted copy */
    const borch_column *c = t ? borch_table_column(t, dot + 1) : NULL;
    int implied = 0;
    if (c && c->identity) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "%s_%s_seq", tname, dot + 1);
        char *def = limited(o->engine, &b);
        implied = !strcmp(def, q->name);
        free(def);
        borch_buf_release(&b);
    }
    free(tname);
    return implied;
}

static void document(out *o)
{
    const borch_schema *s = o->s;
    map_start(o, 0);
    if (s->ntables) {
        str(o, "tables");
        map_start(o, 0);
        for (size_t i = 0; i < s->ntables; i++)
            table(o, &s->tables[i]);
        map_end(o);
    }
    if (s->nviews) {
        str(o, "views");
        map_start(o, 0);
        for (size_t i = 0; i < s->nviews; i++)
            key_str(o, s->views[i].name, s->views[i].definition ? s->views[i].definition : "");
        map_end(o);
    }
    if (s->nenums && o->engine == YM_POSTGRES) {
        str(o, "enums");
        map_start(o, 0);
        for (size_t i = 0; i < s->nenums; i++) {
            str(o, s->enums[i].name);
            str_list(o, s->enums[i].values, s->enums[i].nvalues);
        }
        map_end(o);
    }
    size_t nseq = 0;
    for (size_t i = 0; i < s->nsequences; i++)
        nseq += !implied_sequence(o, &s->sequences[i]);
    if (nseq && o->engine != YM_SQLITE) {
        str(o, "sequences");
        map_start(o, 0);
        for (size_t i = 0; i < s->nsequences; i++) {
            const borch_sequence *q = &s->sequences[i];
            if (implied_sequence(o, q))
                continue;
            str(o, q->name);
            map_start(o, 1);
            if (q->owned_by)
                key_str(o, "owned_by", q->owned_by);
            map_end(o);
        }
        map_end(o);
    }
    map_end(o);
}

char *borch_yaml_model_render(const borch_schema *schema)
{
    borch_schema *s = borch_schema_clone(schema);
    borch_schema_sort(s);
    out o = {.s = s, .engine = ym_engine_of(s->engine)};
    if (o.engine < 0)
        o.engine = YM_SQLITE; /* an unnamed engine: write types as they are */
    borch_buf_init(&o.buf);
    borch_buf_printf(&o.buf, "# borch-db schema model (%s); format: docs/yaml-model.md\n",
                     s->engine ? s->engine : "unknown engine");
    yaml_emitter_initialize(&o.em);
    yaml_emitter_set_output(&o.em, write_handler, &o.buf);
    yaml_emitter_set_unicode(&o.em, 1);
    yaml_emitter_set_width(&o.em, -1);
    yaml_emitter_set_indent(&o.em, 2);
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(&o, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(&o, &ev);
    document(&o);
    yaml_document_end_event_initialize(&ev, 1);
    emit(&o, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(&o, &ev);
    yaml_emitter_flush(&o.em);
    yaml_emitter_delete(&o.em);
    borch_schema_free(s);
    if (o.failed) { /* only text libyaml cannot write (invalid UTF-8) gets here */
        borch_buf_release(&o.buf);
        return NULL;
    }
    return borch_buf_detach(&o.buf);
}

int borch_yaml_model_write(const borch_schema *s, const char *path, borch_error *err)
{
    char *text = borch_yaml_model_render(s);
    if (!text)
        return borch_error_set(
            err, BORCH_EINPUT,
            "the schema holds text that cannot be written as YAML (invalid UTF-8)");
    int rc = borch_write_file_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}
