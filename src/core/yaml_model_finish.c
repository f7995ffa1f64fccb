/*
 * yaml_model_finish.c - what the engine would add to a model read from
 * YAML, so that it compares equal to the database built from it: NOT NULL
 * on key and identity columns, SQLite's rowid alias, PostgreSQL's
 * <table>_pkey and identity sequences, the names PostgreSQL and MySQL give
 * unnamed foreign keys and checks, and InnoDB's index for a foreign key.
 */
#include "core/yaml_model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

/* name truncated to the engine's limit, as the server would keep it; malloc'd. */
static char *limit_name(const ym_ctx *c, const char *name)
{
    size_t max = c->engine == YM_POSTGRES ? YM_PG_NAME_MAX
                 : c->engine == YM_MYSQL  ? YM_MY_NAME_MAX
                                          : 0;
    return max && strlen(name) > max ? borch_xstrndup(name, max) : borch_xstrdup(name);
}

/* A constraint name of tn not yet taken: base, or base with a number (from first). */
static char *fresh_name(const ym_ctx *c, ym_tbl_note *tn, const char *base, int numbered, int first)
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

/* Whether col is part of t's primary key. */
static int in_pk(const borch_table *t, const char *col)
{
    for (size_t i = 0; i < t->nprimary_key; i++)
        if (!strcmp(t->primary_key[i], col))
            return 1;
    return 0;
}

/* Whether the key's columns lead the primary key or an index: InnoDB then adds none. */
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
int ym_finish_table(ym_ctx *c, ym_tbl_note *tn)
{
    borch_table *t = &c->s->tables[tn->index];
    for (size_t i = 0; i < t->ncolumns; i++) {
        borch_column *col = &t->columns[i];
        const ym_col_note *note = &tn->cols[i];
        int pk = in_pk(t, col->name);
        if ((pk || col->identity) && note->null_set == 1 &&
            (c->engine != YM_SQLITE || col->identity))
            return ym_fail(c, note->mark, "%s column '%s.%s' cannot allow NULL on %s",
                           col->identity ? "identity" : "primary key", t->name, col->name,
                           ym_engine_names[c->engine]);
        if (pk || col->identity)
            col->nullable = note->null_set == 1;
        if (!col->identity)
            continue;
        if (c->engine == YM_SQLITE) {
            if (t->nprimary_key != 1 || !pk)
                return ym_fail(c, note->mark,
                               "identity column '%s.%s' must be the whole primary key on sqlite "
                               "(an INTEGER PRIMARY KEY)",
                               t->name, col->name);
            free(col->type);
            col->type = borch_xstrdup("integer");
        } else if (c->engine == YM_MYSQL) {
            int keyed = t->nprimary_key && !strcmp(t->primary_key[0], col->name);
            for (size_t j = 0; !keyed && j < t->nindexes; j++)
                keyed = !strcmp(t->indexes[j].columns[0], col->name);
            if (!keyed)
                return ym_fail(c, note->mark,
                               "identity column '%s.%s' must come first in a key on mysql", t->name,
                               col->name);
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
            return ym_fail(c, tn->pk_mark,
                           "the primary key of table '%s' would be named '%s', which is taken",
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
        ck->name =
            fresh_name(c, tn, b.data, c->engine == YM_MYSQL, c->engine == YM_MYSQL ? ++nck : 0);
        borch_buf_release(&b);
    }
    if (c->engine == YM_MYSQL)
        add_fk_indexes(t);
    return 0;
}

/* PostgreSQL lists an identity column's sequence: <table>_<column>_seq, owned by it. */
void ym_add_identity_sequences(ym_ctx *c)
{
    size_t declared = c->s->nsequences; /* those from the file; only they can own a column */
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
            for (size_t k = 0; k < declared && !explicit; k++)
                explicit =
                    c->s->sequences[k].owned_by && !strcmp(c->s->sequences[k].owned_by, owned.data);
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
