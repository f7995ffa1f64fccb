/*
 * test_advisor.c - the advisor's candidate rules: equality columns first in
 * a shared order, one range column, ORDER BY after equality, covering where
 * narrow, nothing an existing index or the primary key already serves, and
 * the existing indexes that are a left-most prefix of another.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/advisor_internal.h"

static borch_schema *shop(void)
{
    borch_schema *s = borch_schema_new("sqlite");
    borch_table *o = borch_schema_add_table(s, "orders");
    borch_table_add_column(o, "id", "integer", 0, NULL);
    borch_table_add_column(o, "customer_id", "integer", 0, NULL);
    borch_table_add_column(o, "status", "text", 0, NULL);
    borch_table_add_column(o, "created_at", "text", 0, NULL);
    borch_table_add_column(o, "total", "real", 0, NULL);
    borch_table_add_column(o, "note", "text", 1, NULL);
    borch_table_add_pk_column(o, "id");
    borch_index *ix = borch_table_add_index(o, "orders_status_created_idx", 0);
    borch_index_add_column(ix, "status");
    borch_index_add_column(ix, "created_at");
    ix = borch_table_add_index(o, "orders_status_idx", 0);
    borch_index_add_column(ix, "status");
    ix = borch_table_add_index(o, "orders_id_idx", 0);
    borch_index_add_column(ix, "id");
    ix = borch_table_add_index(o, "orders_total_key", 1);
    borch_index_add_column(ix, "total");
    return s;
}

/* A shape with one use of orders; lists given as NULL-terminated arrays. */
static void use_orders(borch_query_shape *q, const char *const *eq, const char *const *range,
                       const char *const *order, const char *const *used)
{
    memset(q, 0, sizeof(*q));
    q->kind = BORCH_STMT_SELECT;
    q->tables = calloc(1, sizeof(borch_table_use));
    q->ntables = q->cap = 1;
    borch_table_use *u = &q->tables[0];
    u->table = strdup("orders");
    for (; eq && *eq; eq++)
        borch_strv_push(&u->eq, *eq);
    for (; range && *range; range++)
        borch_strv_push(&u->range, *range);
    for (; order && *order; order++)
        borch_strv_push(&u->order, *order);
    for (; used && *used; used++)
        borch_strv_push(&u->used, *used);
}

static int has_cand(const adv_cands *c, const char *key)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].key, key) == 0)
            return 1;
    return 0;
}

START_TEST(equality_then_range_then_order)
{
    borch_schema *s = shop();
    adv_query q[1] = {{0}};
    const char *eq[] = {"customer_id", NULL}, *range[] = {"created_at", NULL},
               *used[] = {"customer_id", "created_at", "total", NULL};
    use_orders(&q[0].shape, eq, range, NULL, used);
    q[0].ok = 1;
    borch_strv keys = {0};
    double *freq = NULL;
    adv_equality_freq(q, 1, &keys, &freq);
    adv_cands c = {0};
    adv_candidates_for(&c, &q[0], s, &keys, freq, 4, "sqlite");
    ck_assert(has_cand(&c, "orders\ncustomer_id"));
    ck_assert(has_cand(&c, "orders\ncustomer_id\ncreated_at"));
    ck_assert(has_cand(&c, "orders\ncustomer_id\ncreated_at\ntotal")); /* covering */
    ck_assert(!has_cand(&c, "orders\ncreated_at\ncustomer_id"));
    ck_assert_uint_eq(q[0].ncands, c.count);
    adv_cands_release(&c);
    free(q[0].cands);
    borch_query_shape_release(&q[0].shape);
    borch_strv_release(&keys);
    free(freq);
    borch_schema_free(s);
}
END_TEST

START_TEST(shared_equality_order_follows_frequency)
{
    borch_schema *s = shop();
    adv_query q[3] = {{0}};
    const char *both[] = {"total", "customer_id", NULL}, *cust[] = {"customer_id", NULL};
    use_orders(&q[0].shape, both, NULL, NULL, NULL);
    use_orders(&q[1].shape, cust, NULL, NULL, NULL);
    use_orders(&q[2].shape, cust, NULL, NULL, NULL);
    for (int i = 0; i < 3; i++)
        q[i].ok = 1;
    borch_strv keys = {0};
    double *freq = NULL;
    adv_equality_freq(q, 3, &keys, &freq);
    adv_cands c = {0};
    for (int i = 0; i < 3; i++)
        adv_candidates_for(&c, &q[i], s, &keys, freq, 4, "sqlite");
    /* customer_id is compared by three queries, total by one: it leads. */
    ck_assert(has_cand(&c, "orders\ncustomer_id\ntotal"));
    ck_assert(!has_cand(&c, "orders\ntotal\ncustomer_id"));
    /* The two single-column queries share one candidate. */
    ck_assert_uint_eq(c.count, 2);
    adv_cands_release(&c);
    for (int i = 0; i < 3; i++) {
        free(q[i].cands);
        borch_query_shape_release(&q[i].shape);
    }
    borch_strv_release(&keys);
    free(freq);
    borch_schema_free(s);
}
END_TEST

START_TEST(existing_index_prefix_is_not_suggested)
{
    borch_schema *s = shop();
    adv_query q[1] = {{0}};
    const char *eq[] = {"status", NULL}, *order[] = {"created_at", NULL};
    use_orders(&q[0].shape, eq, NULL, order, NULL);
    q[0].ok = 1;
    q[0].shape.tables[0].star = 1;
    adv_cands c = {0};
    borch_strv keys = {0};
    double *freq = NULL;
    adv_equality_freq(q, 1, &keys, &freq);
    adv_candidates_for(&c, &q[0], s, &keys, freq, 4, "sqlite");
    /* (status) and (status, created_at) both exist already. */
    ck_assert_uint_eq(c.count, 0);
    const char *pk[] = {"id"}, *two[] = {"status", "created_at"}, *other[] = {"created_at"};
    ck_assert(adv_served_by_existing(borch_schema_table(s, "orders"), pk, 1));
    ck_assert(adv_served_by_existing(borch_schema_table(s, "orders"), two, 2));
    ck_assert(!adv_served_by_existing(borch_schema_table(s, "orders"), other, 1));
    adv_cands_release(&c);
    free(q[0].cands);
    borch_query_shape_release(&q[0].shape);
    borch_strv_release(&keys);
    free(freq);
    borch_schema_free(s);
}
END_TEST

START_TEST(mysql_text_columns_are_not_candidates)
{
    borch_schema *s = shop();
    adv_query q[1] = {{0}};
    const char *eq[] = {"note", NULL};
    use_orders(&q[0].shape, eq, NULL, NULL, NULL);
    q[0].ok = 1;
    adv_cands c = {0};
    borch_strv keys = {0};
    double *freq = NULL;
    adv_candidates_for(&c, &q[0], s, &keys, freq, 4, "mysql");
    ck_assert_uint_eq(c.count, 0);
    adv_candidates_for(&c, &q[0], s, &keys, freq, 4, "postgres");
    ck_assert_uint_eq(c.count, 1);
    adv_cands_release(&c);
    free(q[0].cands);
    borch_query_shape_release(&q[0].shape);
    borch_schema_free(s);
}
END_TEST

START_TEST(redundant_existing_indexes)
{
    borch_schema *s = shop();
    borch_advice a = {0};
    adv_redundant_existing(s, &a);
    /* status is a prefix of (status, created_at); id is the primary key;
     * the unique index enforces something and is never redundant. */
    ck_assert_uint_eq(a.nredundant, 2);
    int status = 0, id = 0;
    for (size_t i = 0; i < a.nredundant; i++) {
        if (strcmp(a.redundant[i].index, "orders_status_idx") == 0) {
            status = 1;
            ck_assert_str_eq(a.redundant[i].covered_by, "orders_status_created_idx");
        }
        if (strcmp(a.redundant[i].index, "orders_id_idx") == 0) {
            id = 1;
            ck_assert_str_eq(a.redundant[i].covered_by, "PRIMARY KEY");
        }
    }
    ck_assert(status && id);
    borch_advice_release(&a);
    borch_schema_free(s);
}
END_TEST

Suite *suite_advisor(void)
{
    Suite *s = suite_create("advisor");
    TCase *tc = tcase_create("candidates");
    tcase_add_test(tc, equality_then_range_then_order);
    tcase_add_test(tc, shared_equality_order_follows_frequency);
    tcase_add_test(tc, existing_index_prefix_is_not_suggested);
    tcase_add_test(tc, mysql_text_columns_are_not_candidates);
    tcase_add_test(tc, redundant_existing_indexes);
    suite_add_tcase(s, tc);
    return s;
}
