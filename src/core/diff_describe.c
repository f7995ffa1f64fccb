/*
 * diff_describe.c - one line of plain words per change ("drop table users",
 * "alter column users.email (type varchar(200) -> text, set not null)"),
 * for reports, plans and tests. Not SQL: renderers write that.
 */
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "util/buf.h"

/* NULL-tolerant text for printing. */
static const char *nz(const char *s)
{
    return s ? s : "";
}

/* "a, b, c". */
static void put_list(borch_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            borch_buf_puts(b, ", ");
        borch_buf_puts(b, nz(v[i]));
    }
}

/* The table a change is on ("?" for a malformed change). */
static const char *tname(const borch_change *c)
{
    return c->table ? c->table->name : "?";
}

/* "t(a) -> r(b)", with non-default actions when it is added. */
static void put_fk(borch_buf *b, const borch_change *c)
{
    const borch_foreign_key *fk = c->foreign_key;
    borch_buf_printf(b, "%s(", tname(c));
    put_list(b, fk->columns, fk->ncolumns);
    borch_buf_printf(b, ") -> %s(", nz(fk->ref_table));
    put_list(b, fk->ref_columns, fk->nref_columns);
    borch_buf_putc(b, ')');
    if (c->kind != BORCH_CH_ADD_FOREIGN_KEY)
        return;
    if (fk->on_delete && strcmp(fk->on_delete, "no action") != 0)
        borch_buf_printf(b, " on delete %s", fk->on_delete);
    if (fk->on_update && strcmp(fk->on_update, "no action") != 0)
        borch_buf_printf(b, " on update %s", fk->on_update);
}

/* What to call an index: a unique constraint is not an index to users. */
static const char *index_word(const borch_index *ix)
{
    return ix->constraint ? "unique constraint" : ix->unique ? "unique index" : "index";
}

/* "alter column t.c (type a -> b, set not null, ...)": one part per bit. */
static void put_alter(borch_buf *b, const borch_change *c)
{
    const borch_column *a = c->old_column, *n = c->column;
    const char *sep = "";
    borch_buf_printf(b, "alter column %s.%s (", tname(c), n->name);
    if (c->alter & BORCH_ALTER_TYPE) {
        borch_buf_printf(b, "type %s -> %s", a->type, n->type);
        sep = ", ";
    }
    if (c->alter & BORCH_ALTER_NULLABLE) {
        borch_buf_printf(b, "%s%s not null", sep, n->nullable ? "drop" : "set");
        sep = ", ";
    }
    if (c->alter & BORCH_ALTER_DEFAULT) {
        if (n->default_expr)
            borch_buf_printf(b, "%sset default %s", sep, n->default_expr);
        else
            borch_buf_printf(b, "%sdrop default", sep);
        sep = ", ";
    }
    if (c->alter & BORCH_ALTER_IDENTITY)
        borch_buf_printf(b, "%s%s identity", sep, n->identity ? "add" : "drop");
    borch_buf_putc(b, ')');
}

/* See diff.h. */
char *borch_change_describe(const borch_change *c)
{
    borch_buf b;
    borch_buf_init(&b);
    switch (c->kind) {
    case BORCH_CH_DROP_VIEW:
        borch_buf_printf(&b, "drop view %s", c->view->name);
        break;
    case BORCH_CH_CREATE_VIEW:
        borch_buf_printf(&b, "create view %s", c->view->name);
        break;
    case BORCH_CH_DROP_FOREIGN_KEY:
        borch_buf_puts(&b, "drop foreign key ");
        put_fk(&b, c);
        break;
    case BORCH_CH_ADD_FOREIGN_KEY:
        borch_buf_puts(&b, "add foreign key ");
        put_fk(&b, c);
        break;
    case BORCH_CH_DROP_INDEX:
        borch_buf_printf(&b, "drop %s %s", index_word(c->index), c->index->name);
        break;
    case BORCH_CH_ADD_INDEX: {
        const borch_index *ix = c->index;
        borch_buf_printf(&b, "add %s %s on %s (", index_word(ix), ix->name, tname(c));
        put_list(&b, ix->columns, ix->ncolumns);
        borch_buf_putc(&b, ')');
        if (ix->where)
            borch_buf_printf(&b, " where %s", ix->where);
        break;
    }
    case BORCH_CH_DROP_CHECK:
        borch_buf_printf(&b, "drop check (%s) on %s", nz(c->check->expression), tname(c));
        break;
    case BORCH_CH_ADD_CHECK:
        borch_buf_printf(&b, "add check (%s) on %s", nz(c->check->expression), tname(c));
        break;
    case BORCH_CH_DROP_PRIMARY_KEY:
        borch_buf_printf(&b, "drop primary key of %s (", tname(c));
        put_list(&b, c->table->primary_key, c->table->nprimary_key);
        borch_buf_putc(&b, ')');
        break;
    case BORCH_CH_ADD_PRIMARY_KEY:
        borch_buf_printf(&b, "add primary key to %s (", tname(c));
        put_list(&b, c->table->primary_key, c->table->nprimary_key);
        borch_buf_putc(&b, ')');
        break;
    case BORCH_CH_DROP_COLUMN:
        borch_buf_printf(&b, "drop column %s.%s", tname(c), c->column->name);
        break;
    case BORCH_CH_ADD_COLUMN:
        borch_buf_printf(&b, "add column %s.%s", tname(c), c->column->name);
        break;
    case BORCH_CH_ALTER_COLUMN:
        put_alter(&b, c);
        break;
    case BORCH_CH_DROP_TABLE:
        borch_buf_printf(&b, "drop table %s", tname(c));
        break;
    case BORCH_CH_CREATE_TABLE:
        borch_buf_printf(&b, "create table %s", tname(c));
        break;
    case BORCH_CH_CREATE_ENUM:
        borch_buf_printf(&b, "create enum %s (", c->enum_type->name);
        put_list(&b, c->enum_type->values, c->enum_type->nvalues);
        borch_buf_putc(&b, ')');
        break;
    case BORCH_CH_DROP_ENUM:
        borch_buf_printf(&b, "drop enum %s", c->enum_type->name);
        break;
    }
    return borch_buf_detach(&b);
}
