/*
 * test_records.c - the history and audit tables (drivers/records.c) on real
 * SQLite files: a fresh database reads as "never migrated", rows round-trip
 * field for field, history comes back in numeric version order, and probing
 * for a missing table inside a transaction leaves that transaction usable.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "records.h"
#include "support/harness.h"

static char *tmp_dir;

static void setup(void)
{
    tmp_dir = make_temp_dir("records");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
}

static const borch_conn_opts create_opts = {.create = 1};

static borch_conn *open_db_opts(const char *name, const borch_conn_opts *opts)
{
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/%s", tmp_dir, name);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    int rc = borch_conn_open(url, opts, &conn, &err);
    ck_assert_msg(rc == 0, "open %s: %s", text, err.message);
    borch_url_free(url);
    return conn;
}

static borch_conn *open_db(const char *name)
{
    return open_db_opts(name, &create_opts);
}

static char *db_path(const char *name)
{
    char *p = malloc(strlen(tmp_dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", tmp_dir, name);
    return p;
}

static borch_history_row hrow(const char *version, const char *name, const char *state,
                              const char *error, long long ms)
{
    borch_history_row r = {
        .version = (char *)version,
        .name = (char *)name,
        .checksum = (char *)"c0ffee",
        .applied_at = (char *)"2026-11-26T08:00:00Z",
        .applied_by = (char *)"ann@host",
        .duration_ms = ms,
        .state = (char *)state,
        .error = (char *)error,
    };
    return r;
}

START_TEST(fresh_database_reads_as_never_migrated)
{
    borch_conn *conn = open_db("f.db");
    borch_error err = {0};
    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_int_eq(h.table_exists, 0);
    ck_assert_uint_eq(h.count, 0);
    ck_assert_ptr_null(borch_history_find(&h, "1"));
    borch_history_release(&h);

    borch_audit_row *rows = (borch_audit_row *)1;
    size_t n = 99;
    ck_assert_int_eq(borch_audit_table_load(conn, &rows, &n, &err), 0);
    ck_assert_ptr_null(rows);
    ck_assert_uint_eq(n, 0);
    borch_audit_row last;
    int found = 1;
    ck_assert_int_eq(borch_audit_table_last(conn, &last, &found, &err), 0);
    ck_assert_int_eq(found, 0);
    borch_conn_close(conn);

    /* Reading created nothing. */
    char *p = db_path("f.db");
    char *count = sqlite_scalar(p, "SELECT count(*) FROM sqlite_master");
    ck_assert_str_eq(count, "0");
    free(count);
    free(p);
}
END_TEST

START_TEST(history_rows_round_trip_in_numeric_version_order)
{
    borch_conn *conn = open_db("h.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0); /* idempotent */
    borch_history_row r10 = hrow("10", "ten", "applied", NULL, 1234567890123LL);
    borch_history_row r9 = hrow("9", "nine", "dirty", "CREATE TABLE x (;", 5);
    borch_history_row r2 = hrow("0002", "two's", "applied", NULL, 0);
    ck_assert_int_eq(borch_history_insert(conn, &r10, &err), 0);
    ck_assert_int_eq(borch_history_insert(conn, &r9, &err), 0);
    ck_assert_int_eq(borch_history_insert(conn, &r2, &err), 0);

    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_int_eq(h.table_exists, 1);
    ck_assert_uint_eq(h.count, 3);
    ck_assert_str_eq(h.rows[0].version, "0002");
    ck_assert_str_eq(h.rows[1].version, "9");
    ck_assert_str_eq(h.rows[2].version, "10");
    const borch_history_row *a = &h.rows[2];
    ck_assert_str_eq(a->name, "ten");
    ck_assert_str_eq(a->checksum, "c0ffee");
    ck_assert_str_eq(a->applied_at, "2026-11-26T08:00:00Z");
    ck_assert_str_eq(a->applied_by, "ann@host");
    ck_assert(a->duration_ms == 1234567890123LL);
    ck_assert_str_eq(a->state, "applied");
    ck_assert_ptr_null(a->error);
    ck_assert_str_eq(h.rows[1].state, "dirty");
    ck_assert_str_eq(h.rows[1].error, "CREATE TABLE x (;");
    ck_assert_str_eq(h.rows[0].name, "two's");
    ck_assert_ptr_eq(borch_history_find(&h, "9"), &h.rows[1]);
    ck_assert_ptr_eq(borch_history_find(&h, "2"), &h.rows[0]);
    ck_assert_ptr_null(borch_history_find(&h, "11"));
    borch_history_release(&h);
    ck_assert_uint_eq(h.count, 0);

    char *p = db_path("h.db");
    char *type = sqlite_scalar(p, "SELECT typeof(duration_ms) FROM borch_schema_history LIMIT 1");
    ck_assert_str_eq(type, "integer");
    free(type);
    free(p);
    borch_conn_close(conn);
}
END_TEST

START_TEST(history_exists_set_state_and_delete)
{
    borch_conn *conn = open_db("h.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    borch_history_row r = hrow("20261126080000", "users", "dirty", NULL, 0);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), 0);

    int found = -1;
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    ck_assert_int_eq(borch_history_exists(conn, "20261126080000", &found, &err), 0);
    ck_assert_int_eq(found, 1);
    ck_assert_int_eq(borch_history_exists(conn, "20261126080001", &found, &err), 0);
    ck_assert_int_eq(found, 0);
    ck_assert_int_eq(borch_history_set_state(conn, "20261126080000", "applied", NULL, 42, &err),
                     0);
    ck_assert_int_eq(borch_conn_commit(conn, &err), 0);

    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_uint_eq(h.count, 1);
    ck_assert_str_eq(h.rows[0].state, "applied");
    ck_assert(h.rows[0].duration_ms == 42);
    ck_assert_ptr_null(h.rows[0].error);
    borch_history_release(&h);

    ck_assert_int_eq(borch_history_set_state(conn, "20261126080000", "dirty",
                                             "DROP TABLE nosuch;", 7, &err),
                     0);
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_str_eq(h.rows[0].state, "dirty");
    ck_assert_str_eq(h.rows[0].error, "DROP TABLE nosuch;");
    borch_history_release(&h);

    ck_assert_int_eq(borch_history_delete(conn, "20261126080000", &err), 0);
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_int_eq(h.table_exists, 1);
    ck_assert_uint_eq(h.count, 0);
    borch_history_release(&h);
    borch_conn_close(conn);
}
END_TEST

START_TEST(duplicate_version_is_refused)
{
    borch_conn *conn = open_db("d.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    borch_history_row r = hrow("1", "a", "applied", NULL, 1);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), 0);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), BORCH_ESQL);
    ck_assert_msg(strstr(err.message, "UNIQUE constraint failed"), "%s", err.message);
    borch_error_clear(&err);
    borch_conn_close(conn);
}
END_TEST

START_TEST(probing_a_missing_table_inside_a_transaction_keeps_it_usable)
{
    borch_conn *conn = open_db("t.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_int_eq(h.table_exists, 0);
    borch_history_release(&h);
    ck_assert_int_eq(conn->in_transaction, 1);
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    borch_history_row r = hrow("1", "a", "applied", NULL, 1);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), 0);
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0); /* the probe that succeeds */
    ck_assert_int_eq(h.table_exists, 1);
    ck_assert_uint_eq(h.count, 1);
    borch_history_release(&h);
    ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);

    /* The rollback took the table and its row with it: the probe's savepoint did not commit. */
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_int_eq(h.table_exists, 0);
    borch_history_release(&h);
    borch_conn_close(conn);
}
END_TEST

START_TEST(custom_table_names_are_quoted)
{
    borch_conn_opts opts = {.create = 1, .history_table = "odd \"history\" table",
                            .audit_table = "audit; DROP TABLE x"};
    borch_conn *conn = open_db_opts("c.db", &opts);
    borch_error err = {0};
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    ck_assert_int_eq(borch_audit_table_ensure(conn, &err), 0);
    borch_history_row r = hrow("3", "c", "applied", NULL, 3);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), 0);
    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_uint_eq(h.count, 1);
    borch_history_release(&h);
    borch_conn_close(conn);

    char *p = db_path("c.db");
    char *names = sqlite_scalar(p, "SELECT group_concat(name, '|') FROM "
                                   "(SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "ORDER BY name)");
    ck_assert_str_eq(names, "audit; DROP TABLE x|odd \"history\" table");
    free(names);
    free(p);
}
END_TEST

START_TEST(audit_rows_round_trip_by_seq)
{
    borch_conn *conn = open_db("a.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_audit_table_ensure(conn, &err), 0);
    ck_assert_int_eq(borch_audit_table_ensure(conn, &err), 0);
    borch_audit_row r2 = {.seq = 2, .at = "2026-11-26T08:01:00Z", .action = "apply",
                          .version = "20261126080000", .outcome = "ok", .prev_hash = "h1",
                          .hash = "h2", .record = "{\"seq\":2,\"note\":\"caf\xc3\xa9 'q'\"}"};
    borch_audit_row r1 = {.seq = 1, .at = "2026-11-26T08:00:00Z", .action = "verify",
                          .version = NULL, .outcome = "failed", .prev_hash = "",
                          .hash = "h1", .record = "{\"seq\":1}"};
    ck_assert_int_eq(borch_audit_table_insert(conn, &r2, &err), 0);
    ck_assert_int_eq(borch_audit_table_insert(conn, &r1, &err), 0);
    ck_assert_int_eq(borch_audit_table_insert(conn, &r1, &err), BORCH_ESQL); /* seq is a key */
    borch_error_clear(&err);

    borch_audit_row *rows = NULL;
    size_t n = 0;
    ck_assert_int_eq(borch_audit_table_load(conn, &rows, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(rows[0].seq == 1);
    ck_assert_str_eq(rows[0].action, "verify");
    ck_assert_ptr_null(rows[0].version);
    ck_assert_str_eq(rows[0].outcome, "failed");
    ck_assert_str_eq(rows[0].prev_hash, "");
    ck_assert_str_eq(rows[0].hash, "h1");
    ck_assert(rows[1].seq == 2);
    ck_assert_str_eq(rows[1].at, "2026-11-26T08:01:00Z");
    ck_assert_str_eq(rows[1].version, "20261126080000");
    ck_assert_str_eq(rows[1].prev_hash, "h1");
    ck_assert_str_eq(rows[1].record, r2.record);
    borch_audit_rows_free(rows, n);

    borch_audit_row last;
    int found = 0;
    ck_assert_int_eq(borch_audit_table_last(conn, &last, &found, &err), 0);
    ck_assert_int_eq(found, 1);
    ck_assert(last.seq == 2);
    ck_assert_str_eq(last.hash, "h2");
    ck_assert_str_eq(last.action, "apply");
    borch_audit_row_release(&last);
    borch_conn_close(conn);
}
END_TEST

START_TEST(audit_last_of_an_empty_table_is_not_found)
{
    borch_conn *conn = open_db("a.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_audit_table_ensure(conn, &err), 0);
    borch_audit_row last;
    int found = 1;
    ck_assert_int_eq(borch_audit_table_last(conn, &last, &found, &err), 0);
    ck_assert_int_eq(found, 0);
    borch_audit_row *rows = NULL;
    size_t n = 1;
    ck_assert_int_eq(borch_audit_table_load(conn, &rows, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    borch_audit_rows_free(rows, n);
    borch_conn_close(conn);
}
END_TEST

START_TEST(a_schema_option_is_ignored_by_sqlite)
{
    borch_conn_opts opts = {.schema = "public", .create = 1};
    borch_conn *conn = open_db_opts("s.db", &opts);
    ck_assert_ptr_null(conn->schema); /* SQLite has no schemas: names stay unqualified */
    borch_error err = {0};
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    borch_history_row r = hrow("1", "a", "applied", NULL, 1);
    ck_assert_int_eq(borch_history_insert(conn, &r, &err), 0);
    borch_history h;
    ck_assert_int_eq(borch_history_load(conn, &h, &err), 0);
    ck_assert_uint_eq(h.count, 1);
    borch_history_release(&h);
    borch_conn_close(conn);
}
END_TEST

Suite *suite_records(void)
{
    Suite *s = suite_create("records");
    TCase *tc = tcase_create("records");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fresh_database_reads_as_never_migrated);
    tcase_add_test(tc, history_rows_round_trip_in_numeric_version_order);
    tcase_add_test(tc, history_exists_set_state_and_delete);
    tcase_add_test(tc, duplicate_version_is_refused);
    tcase_add_test(tc, probing_a_missing_table_inside_a_transaction_keeps_it_usable);
    tcase_add_test(tc, custom_table_names_are_quoted);
    tcase_add_test(tc, a_schema_option_is_ignored_by_sqlite);
    tcase_add_test(tc, audit_rows_round_trip_by_seq);
    tcase_add_test(tc, audit_last_of_an_empty_table_is_not_found);
    suite_add_tcase(s, tc);
    return s;
}
