/* test_erd.c - Mermaid and Graphviz ER diagrams of a schema model. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/erd.h"
#include "util/mem.h"

/* orgs <- users (required) <- posts (optional author); posts also has a
 * composite-free unique slug and a numeric type with a comma. Built in an
 * unsorted order to show the output does not depend on it. */
static borch_schema *blog(void)
{
    borch_schema *s = borch_schema_new("postgres");
    borch_table *p = borch_schema_add_table(s, "posts");
    borch_table_add_column(p, "id", "bigint", 0, NULL)->identity = 1;
    borch_table_add_column(p, "author_id", "bigint", 1, NULL);
    borch_table_add_column(p, "slug", "character varying(80)", 0, NULL);
    borch_table_add_column(p, "score", "numeric(10,2)", 1, NULL);
    borch_table_add_pk_column(p, "id");
    borch_index *ix = borch_table_add_index(p, "posts_slug_key", 1);
    borch_index_add_column(ix, "slug");
    ix->constraint = 1;
    borch_foreign_key *fk = borch_table_add_foreign_key(p, "posts_author_id_fkey", "users");
    borch_fk_add_pair(fk, "author_id", "id");

    borch_table *u = borch_schema_add_table(s, "users");
    borch_table_add_column(u, "id", "bigint", 0, NULL)->identity = 1;
    borch_table_add_column(u, "org_id", "bigint", 0, NULL);
    borch_table_add_column(u, "email", "text", 0, NULL);
    borch_table_add_pk_column(u, "id");
    fk = borch_table_add_foreign_key(u, NULL, "orgs");
    borch_fk_add_pair(fk, "org_id", "id");

    borch_table *o = borch_schema_add_table(s, "orgs");
    borch_table_add_column(o, "id", "bigint", 0, NULL);
    borch_table_add_column(o, "name", "text & <more>", 1, NULL);
    borch_table_add_pk_column(o, "id");
    return s;
}

START_TEST(mermaid_lists_entities_keys_and_relationships)
{
    borch_schema *s = blog();
    char *out = borch_erd_mermaid(s);
    ck_assert_str_eq(out, "erDiagram\n"
                          "    orgs {\n"
                          "        bigint id PK\n"
                          "        text____more_ name\n"
                          "    }\n"
                          "    posts {\n"
                          "        bigint id PK\n"
                          "        bigint author_id FK\n"
                          "        character_varying(80) slug UK\n"
                          "        numeric(10-2) score\n"
                          "    }\n"
                          "    users {\n"
                          "        bigint id PK\n"
                          "        bigint org_id FK\n"
                          "        text email\n"
                          "    }\n"
                          "    users |o--o{ posts : \"posts_author_id_fkey\"\n"
                          "    orgs ||--o{ users : \"users(org_id)\"\n");
    free(out);
    borch_schema_free(s);
}
END_TEST

START_TEST(mermaid_one_to_one_and_odd_names)
{
    borch_schema *s = borch_schema_new("sqlite");
    borch_table *a = borch_schema_add_table(s, "2fa codes");
    borch_table_add_column(a, "user id", "integer", 0, NULL);
    borch_table_add_pk_column(a, "user id");
    borch_foreign_key *fk = borch_table_add_foreign_key(a, "one\"to\"one", "users");
    borch_fk_add_pair(fk, "user id", "id");
    borch_schema_add_table(s, "users");
    char *out = borch_erd_mermaid(s);
    ck_assert_str_eq(out, "erDiagram\n"
                          "    \"2fa codes\" {\n"
                          "        integer user_id PK, FK\n"
                          "    }\n"
                          "    users\n"
                          "    users ||--o| \"2fa codes\" : \"one'to'one\"\n");
    free(out);
    borch_schema_free(s);
}
END_TEST

START_TEST(dot_has_html_nodes_and_port_edges)
{
    borch_schema *s = blog();
    char *out = borch_erd_dot(s);
    const char *want =
        "digraph schema {\n"
        "    graph [rankdir=LR];\n"
        "    node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
        "    edge [fontname=\"Helvetica\", fontsize=9];\n"
        "    \"orgs\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
        "CELLPADDING=\"4\">\n"
        "        <TR><TD COLSPAN=\"3\" BGCOLOR=\"lightgrey\"><B>orgs</B></TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i0\">id</TD><TD ALIGN=\"LEFT\">bigint not "
        "null</TD><TD PORT=\"o0\">PK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i1\">name</TD><TD ALIGN=\"LEFT\">text &amp; "
        "&lt;more&gt;</TD><TD PORT=\"o1\"></TD></TR>\n"
        "    </TABLE>>];\n"
        "    \"posts\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
        "CELLPADDING=\"4\">\n"
        "        <TR><TD COLSPAN=\"3\" BGCOLOR=\"lightgrey\"><B>posts</B></TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i0\">id</TD><TD ALIGN=\"LEFT\">bigint not "
        "null</TD><TD PORT=\"o0\">PK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i1\">author_id</TD><TD "
        "ALIGN=\"LEFT\">bigint</TD><TD PORT=\"o1\">FK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i2\">slug</TD><TD ALIGN=\"LEFT\">character "
        "varying(80) not null</TD><TD PORT=\"o2\">UK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i3\">score</TD><TD "
        "ALIGN=\"LEFT\">numeric(10,2)</TD><TD PORT=\"o3\"></TD></TR>\n"
        "    </TABLE>>];\n"
        "    \"users\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
        "CELLPADDING=\"4\">\n"
        "        <TR><TD COLSPAN=\"3\" BGCOLOR=\"lightgrey\"><B>users</B></TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i0\">id</TD><TD ALIGN=\"LEFT\">bigint not "
        "null</TD><TD PORT=\"o0\">PK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i1\">org_id</TD><TD ALIGN=\"LEFT\">bigint not "
        "null</TD><TD PORT=\"o1\">FK</TD></TR>\n"
        "        <TR><TD ALIGN=\"LEFT\" PORT=\"i2\">email</TD><TD ALIGN=\"LEFT\">text not "
        "null</TD><TD PORT=\"o2\"></TD></TR>\n"
        "    </TABLE>>];\n"
        "    \"posts\":o1:e -> \"users\":i0:w [label=\"posts_author_id_fkey\", style=dashed];\n"
        "    \"users\":o1:e -> \"orgs\":i0:w [label=\"users(org_id)\"];\n"
        "}\n";
    ck_assert_str_eq(out, want);
    free(out);
    borch_schema_free(s);
}
END_TEST

START_TEST(output_is_deterministic_and_input_untouched)
{
    borch_schema *s = blog();
    char *a = borch_erd_dot(s), *b = borch_erd_dot(s);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(s->tables[0].name, "posts"); /* the caller's order is kept */
    free(a);
    free(b);
    a = borch_erd_mermaid(s);
    b = borch_erd_mermaid(s);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    borch_schema_free(s);
}
END_TEST

START_TEST(empty_schema_gives_valid_headers)
{
    borch_schema *s = borch_schema_new("mysql");
    char *m = borch_erd_mermaid(s), *d = borch_erd_dot(s);
    ck_assert_str_eq(m, "erDiagram\n");
    ck_assert_ptr_nonnull(strstr(d, "digraph schema {\n"));
    ck_assert_str_eq(d + strlen(d) - 2, "}\n");
    free(m);
    free(d);
    borch_schema_free(s);
}
END_TEST

/* Graphviz itself accepts the text (skipped with a notice without dot). */
START_TEST(dot_output_renders_with_graphviz)
{
    if (system("command -v dot >/dev/null 2>&1") != 0) {
        fprintf(stderr, "erd: 'dot' not found, skipping the Graphviz render check\n");
        return;
    }
    borch_schema *s = blog();
    borch_table *odd = borch_schema_add_table(s, "we\"ird <name>");
    borch_table_add_column(odd, "x&y", "text", 1, NULL);
    borch_foreign_key *fk = borch_table_add_foreign_key(odd, "to \"elsewhere\"", "other.t");
    borch_fk_add_pair(fk, "x&y", "id");
    char *out = borch_erd_dot(s);
    char path[] = "/tmp/borch-erd-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, out, strlen(out)), (ssize_t)strlen(out));
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "dot -Tsvg %s -o /dev/null 2>/dev/null", path);
    int rc = system(cmd);
    unlink(path);
    ck_assert_int_eq(rc, 0);
    free(out);
    borch_schema_free(s);
}
END_TEST

Suite *suite_erd(void)
{
    Suite *s = suite_create("erd");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, mermaid_lists_entities_keys_and_relationships);
    tcase_add_test(tc, mermaid_one_to_one_and_odd_names);
    tcase_add_test(tc, dot_has_html_nodes_and_port_edges);
    tcase_add_test(tc, output_is_deterministic_and_input_untouched);
    tcase_add_test(tc, empty_schema_gives_valid_headers);
    tcase_add_test(tc, dot_output_renders_with_graphviz);
    suite_add_tcase(s, tc);
    return s;
}
