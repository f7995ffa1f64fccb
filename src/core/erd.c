/*
 * erd.c - Mermaid and Graphviz renderings of the schema model (erd.h).
 *
 * Layout: what both formats ask of a table (the key marks of a column, how
 * optional and how unique a foreign key is), then Mermaid, then DOT. Both
 * work on a sorted copy so that output never depends on the order in which
 * a source happened to list things.
 */
#include "core/erd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static int in_list(char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0)
            return 1;
    return 0;
}

/* Same set of names, in any order (a key on (a, b) is unique as (b, a)). */
static int same_set(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb || na == 0)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (!in_list(b, nb, a[i]))
            return 0;
    return 1;
}

/* Whether cols are exactly the primary key or a unique index of t. */
static int unique_cols(const borch_table *t, char *const *cols, size_t n)
{
    if (same_set(t->primary_key, t->nprimary_key, cols, n))
        return 1;
    for (size_t i = 0; i < t->nindexes; i++) {
        const borch_index *ix = &t->indexes[i];
        if (ix->unique && !ix->where && !ix->expression &&
            same_set(ix->columns, ix->ncolumns, cols, n))
            return 1;
    }
    return 0;
}

/* "PK", "FK", "UK" marks of a column, comma-separated, into b. */
static void key_marks(const borch_table *t, const char *col, borch_buf *b)
{
    borch_buf_clear(b);
    if (in_list(t->primary_key, t->nprimary_key, col))
        borch_buf_puts(b, "PK");
    for (size_t i = 0; i < t->nforeign_keys; i++) {
        if (in_list(t->foreign_keys[i].columns, t->foreign_keys[i].ncolumns, col)) {
            borch_buf_puts(b, b->len ? ", FK" : "FK");
            break;
        }
    }
    char *one[1] = {(char *)col};
    if (!in_list(t->primary_key, t->nprimary_key, col) && unique_cols(t, one, 1))
        borch_buf_puts(b, b->len ? ", UK" : "UK");
}

/* Whether a row may have no parent: some key column allows NULL. */
static int fk_optional(const borch_table *t, const borch_foreign_key *fk)
{
    for (size_t i = 0; i < fk->ncolumns; i++) {
        const borch_column *c = borch_table_column(t, fk->columns[i]);
        if (c && c->nullable)
            return 1;
    }
    return 0;
}

/* The sorted copy both renderers walk. */
static borch_schema *sorted_copy(const borch_schema *s)
{
    borch_schema *c = borch_schema_clone(s);
    borch_schema_sort(c);
    return c;
}

/* ---- Mermaid ---- */

/* Appends text as one Mermaid word: letters, digits, '_', '-', '(', ')', '[', ']'. */
static void mermaid_word(borch_buf *b, const char *text, int parens)
{
    if (!text || !*text) {
        borch_buf_puts(b, "unknown");
        return;
    }
    if (!isalpha((unsigned char)text[0]) && text[0] != '_')
        borch_buf_putc(b, '_');
    for (const char *p = text; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) || ch == '_' || ch == '-' ||
            (parens && (ch == '(' || ch == ')' || ch == '[' || ch == ']')))
            borch_buf_putc(b, (char)ch);
        else if (ch == ',')
            borch_buf_putc(b, '-');
        else if (ch == ' ' && p > text && p[-1] == ',')
            continue; /* "numeric(10, 2)" -> "numeric(10-2)" */
        else
            borch_buf_putc(b, '_');
    }
}

/* An entity name: bare when Mermaid's grammar allows, else in quotes. */
static void mermaid_entity(borch_buf *b, const char *name)
{
    int bare = isalpha((unsigned char)name[0]);
    for (const char *p = name; bare && *p; p++)
        bare = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
    if (bare) {
        borch_buf_puts(b, name);
        return;
    }
    borch_buf_putc(b, '"');
    for (const char *p = name; *p; p++)
        borch_buf_putc(b, *p == '"' ? '\'' : *p);
    borch_buf_putc(b, '"');
}

/* The label of a relationship: the key's name, or child(columns) without one. */
static void fk_label(borch_buf *b, const borch_table *t, const borch_foreign_key *fk)
{
    if (fk->name) {
        borch_buf_puts(b, fk->name);
        return;
    }
    borch_buf_printf(b, "%s(", t->name);
    for (size_t i = 0; i < fk->ncolumns; i++)
        borch_buf_printf(b, "%s%s", i ? ", " : "", fk->columns[i]);
    borch_buf_putc(b, ')');
}

char *borch_erd_mermaid(const borch_schema *schema)
{
    borch_schema *s = sorted_copy(schema);
    borch_buf b, marks, label;
    borch_buf_init(&b);
    borch_buf_init(&marks);
    borch_buf_init(&label);
    borch_buf_puts(&b, "erDiagram\n");
    for (size_t i = 0; i < s->ntables; i++) {
        const borch_table *t = &s->tables[i];
        borch_buf_puts(&b, "    ");
        mermaid_entity(&b, t->name);
        if (t->ncolumns == 0) {
            borch_buf_putc(&b, '\n');
            continue;
        }
        borch_buf_puts(&b, " {\n");
        for (size_t j = 0; j < t->ncolumns; j++) {
            const borch_column *c = &t->columns[j];
            borch_buf_puts(&b, "        ");
            mermaid_word(&b, c->type, 1);
            borch_buf_putc(&b, ' ');
            mermaid_word(&b, c->name, 0);
            key_marks(t, c->name, &marks);
            if (marks.len)
                borch_buf_printf(&b, " %s", marks.data);
            borch_buf_putc(&b, '\n');
        }
        borch_buf_puts(&b, "    }\n");
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const borch_table *t = &s->tables[i];
        for (size_t j = 0; j < t->nforeign_keys; j++) {
            const borch_foreign_key *fk = &t->foreign_keys[j];
            borch_buf_puts(&b, "    ");
            mermaid_entity(&b, fk->ref_table);
            borch_buf_printf(&b, " %s--%s ", fk_optional(t, fk) ? "|o" : "||",
                             unique_cols(t, fk->columns, fk->ncolumns) ? "o|" : "o{");
            mermaid_entity(&b, t->name);
            borch_buf_clear(&label);
            fk_label(&label, t, fk);
            borch_buf_puts(&b, " : \"");
            for (const char *p = label.data; *p; p++)
                borch_buf_putc(&b, *p == '"' ? '\'' : *p);
            borch_buf_puts(&b, "\"\n");
        }
    }
    borch_buf_release(&marks);
    borch_buf_release(&label);
    borch_schema_free(s);
    return borch_buf_detach(&b);
}

/* ---- Graphviz ---- */

/* A DOT quoted ID. */
static void dot_id(borch_buf *b, const char *text)
{
    borch_buf_putc(b, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            borch_buf_putc(b, '\\');
        borch_buf_putc(b, *p == '\n' ? ' ' : *p);
    }
    borch_buf_putc(b, '"');
}

/* Text inside an HTML-like label. */
static void dot_html(borch_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            borch_buf_puts(b, "&amp;");
            break;
        case '<':
            borch_buf_puts(b, "&lt;");
            break;
        case '>':
            borch_buf_puts(b, "&gt;");
            break;
        case '"':
            borch_buf_puts(b, "&quot;");
            break;
        default:
            borch_buf_putc(b, *p);
        }
    }
}

/* Position of column name in t, or -1; a row's ports are "i<position>" (its name cell,
 * where edges arrive) and "o<position>" (its key cell, where they leave). */
static long column_pos(const borch_table *t, const char *name)
{
    for (size_t i = 0; t && i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* One node: a header row, then name | type | key marks per column. */
static void dot_table(borch_buf *b, const borch_table *t, borch_buf *marks)
{
    borch_buf_puts(b, "    ");
    dot_id(b, t->name);
    borch_buf_puts(b, " [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
                      "CELLPADDING=\"4\">\n");
    borch_buf_puts(b, "        <TR><TD COLSPAN=\"3\" BGCOLOR=\"lightgrey\"><B>");
    dot_html(b, t->name);
    borch_buf_puts(b, "</B></TD></TR>\n");
    for (size_t j = 0; j < t->ncolumns; j++) {
        const borch_column *c = &t->columns[j];
        key_marks(t, c->name, marks);
        borch_buf_printf(b, "        <TR><TD ALIGN=\"LEFT\" PORT=\"i%zu\">", j);
        dot_html(b, c->name);
        borch_buf_puts(b, "</TD><TD ALIGN=\"LEFT\">");
        dot_html(b, c->type ? c->type : "");
        if (!c->nullable)
            borch_buf_puts(b, " not null");
        borch_buf_printf(b, "</TD><TD PORT=\"o%zu\">", j);
        dot_html(b, marks->data);
        borch_buf_puts(b, "</TD></TR>\n");
    }
    borch_buf_puts(b, "    </TABLE>>];\n");
}

/* One edge, child -> parent, from port to port when both columns are known. */
static void dot_edge(borch_buf *b, const borch_schema *s, const borch_table *t,
                     const borch_foreign_key *fk, borch_buf *label)
{
    long from = fk->ncolumns ? column_pos(t, fk->columns[0]) : -1;
    const borch_table *parent = borch_schema_table(s, fk->ref_table);
    long to = parent && fk->nref_columns ? column_pos(parent, fk->ref_columns[0]) : -1;
    borch_buf_puts(b, "    ");
    dot_id(b, t->name);
    if (from >= 0)
        borch_buf_printf(b, ":o%ld:e", from);
    borch_buf_puts(b, " -> ");
    dot_id(b, fk->ref_table);
    if (to >= 0)
        borch_buf_printf(b, ":i%ld:w", to);
    borch_buf_clear(label);
    fk_label(label, t, fk);
    borch_buf_puts(b, " [label=");
    dot_id(b, label->data);
    if (fk_optional(t, fk))
        borch_buf_puts(b, ", style=dashed");
    borch_buf_puts(b, "];\n");
}

char *borch_erd_dot(const borch_schema *schema)
{
    borch_schema *s = sorted_copy(schema);
    borch_buf b, marks, label;
    borch_buf_init(&b);
    borch_buf_init(&marks);
    borch_buf_init(&label);
    borch_buf_puts(&b, "digraph schema {\n"
                       "    graph [rankdir=LR];\n"
                       "    node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
                       "    edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (size_t i = 0; i < s->ntables; i++)
        dot_table(&b, &s->tables[i], &marks);
    for (size_t i = 0; i < s->ntables; i++)
        for (size_t j = 0; j < s->tables[i].nforeign_keys; j++)
            dot_edge(&b, s, &s->tables[i], &s->tables[i].foreign_keys[j], &label);
    borch_buf_puts(&b, "}\n");
    borch_buf_release(&marks);
    borch_buf_release(&label);
    borch_schema_free(s);
    return borch_buf_detach(&b);
}
