/* test_model.c - building, sorting, cloning and comparing schema models. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "util/buf.h"

/* A small shop schema, built in a given table order. */
static borch_schema *shop(int reversed)
{
    borch_schema *s = borch_schema_new("sqlite");
    const char *names[] = {"customers", "orders"};
    for (int k = 0; k < 2; k++) {
        const char *n = names[reversed ? 1 - k : k];
        borch_table *t = borch_schema_add_table(s, n);
        if (strcmp(n, "customers") == 0) {
            borch_table_add_column(t, "id", "integer", 0, NULL)->identity = 1;
            borch_table_add_column(t, "email", "varchar(200)", 0, NULL);
            borch_table_add_pk_column(t, "id");
            borch_index *ix = borch_table_add_index(t, "customers_email_key", 1);
            borch_index_add_column(ix, "email");
            ix->constraint = 1;
        } else {
            borch_table_add_column(t, "id", "integer", 0, NULL);
            borch_table_add_column(t, "customer_id", "integer", 0, NULL);
            borch_table_add_column(t, "status", "text", 0, "'new'");
            borch_table_add_pk_column(t, "id");
            borch_index *b = borch_table_add_index(t, "orders_status_idx", 0);
            borch_index_add_column(b, "status");
            borch_index *a = borch_table_add_index(t, "orders_customer_idx", 0);
            borch_index_add_column(a, "customer_id");
            borch_foreign_key *fk = borch_table_add_foreign_key(t, NULL, "customers");
            borch_fk_add_pair(fk, "customer_id", "id");
            free(fk->on_delete);
            fk->on_delete = strdup("cascade");
            borch_table_add_check(t, NULL, "status IN ('new','paid')");
        }
    }
    borch_schema_add_view(s, "order_counts", "SELECT customer_id, count(*) FROM orders GROUP BY 1");
    borch_schema_sort(s);
    return s;
}

START_TEST(sort_makes_insertion_order_irrelevant)
{
    borch_schema *a = shop(0), *b = shop(1);
    ck_assert_str_eq(b->tables[0].name, "customers");
    ck_assert_str_eq(b->tables[1].indexes[0].name, "orders_customer_idx");
    ck_assert_uint_eq(borch_schema_compare(a, b, NULL), 0);
    borch_schema_free(a);
    borch_schema_free(b);
}
END_TEST

START_TEST(clone_is_equal_and_independent)
{
    borch_schema *a = shop(0);
    borch_schema *c = borch_schema_clone(a);
    ck_assert_uint_eq(borch_schema_compare(a, c, NULL), 0);
    free(c->tables[0].columns[1].type);
    c->tables[0].columns[1].type = strdup("text");
    ck_assert_str_eq(a->tables[0].columns[1].type, "varchar(200)");
    borch_schema_free(a);
    borch_schema_free(c);
}
END_TEST

START_TEST(compare_names_each_difference_for_people)
{
    borch_schema *before = shop(0), *after = shop(0);
    borch_table *c = borch_schema_table(after, "customers");
    free(c->columns[1].type);
    c->columns[1].type = strdup("text");
    borch_table_add_column(c, "name", "text", 1, NULL);
    borch_index *ix = borch_table_add_index(borch_schema_table(after, "orders"), "posts_title_idx", 0);
    borch_index_add_column(ix, "status");
    borch_schema_add_table(after, "audit_log");
    borch_schema_sort(after);
    borch_buf out;
    borch_buf_init(&out);
    size_t n = borch_schema_compare(before, after, &out);
    ck_assert_uint_eq(n, 4);
    ck_assert_ptr_nonnull(strstr(out.data, "column customers.email is text, was varchar(200)\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "column customers.name still present\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "index posts_title_idx still present\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "table audit_log still present\n"));
    borch_buf_clear(&out);
    ck_assert_uint_eq(borch_schema_compare(after, before, &out), 4);
    ck_assert_ptr_nonnull(strstr(out.data, "table audit_log missing\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "column customers.name missing\n"));
    borch_buf_release(&out);
    borch_schema_free(before);
    borch_schema_free(after);
}
END_TEST

START_TEST(compare_sees_fk_action_nullability_and_default)
{
    borch_schema *a = shop(0), *b = shop(0);
    borch_table *o = borch_schema_table(b, "orders");
    free(o->foreign_keys[0].on_delete);
    o->foreign_keys[0].on_delete = strdup("restrict");
    o->columns[2].nullable = 1;
    free(o->columns[2].default_expr);
    o->columns[2].default_expr = NULL;
    borch_buf out;
    borch_buf_init(&out);
    ck_assert_uint_eq(borch_schema_compare(a, b, &out), 4);
    ck_assert_ptr_nonnull(strstr(out.data, "column orders.status is nullable, was NOT NULL"));
    ck_assert_ptr_nonnull(strstr(out.data, "column orders.status default is none, was 'new'"));
    borch_buf_release(&out);
    borch_schema_free(a);
    borch_schema_free(b);
}
END_TEST

Suite *suite_model(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, sort_makes_insertion_order_irrelevant);
    tcase_add_test(tc, clone_is_equal_and_independent);
    tcase_add_test(tc, compare_names_each_difference_for_people);
    tcase_add_test(tc, compare_sees_fk_action_nullability_and_default);
    suite_add_tcase(s, tc);
    return s;
}
