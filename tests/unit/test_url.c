/* test_url.c - URL parsing and password masking. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/url.h"

START_TEST(postgres_url_parts_are_decoded)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("postgresql://app:p%40ss@db.example:6543/shop?sslmode=disable",
                                     NULL, &u, &e),
                     0);
    ck_assert_str_eq(u->scheme, "postgres");
    ck_assert_str_eq(u->user, "app");
    ck_assert_str_eq(u->password, "p@ss");
    ck_assert_str_eq(u->host, "db.example");
    ck_assert_int_eq(u->port, 6543);
    ck_assert_str_eq(u->database, "shop");
    ck_assert_str_eq(borch_url_param(u, "sslmode"), "disable");
    ck_assert_ptr_null(borch_url_param(u, "nope"));
    borch_url_free(u);
}
END_TEST

START_TEST(mysql_socket_and_ipv6)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("mariadb://root@[::1]:3307/app?socket=/run/my.sock", NULL, &u, &e), 0);
    ck_assert_str_eq(u->scheme, "mysql");
    ck_assert_str_eq(u->host, "::1");
    ck_assert_int_eq(u->port, 3307);
    ck_assert_ptr_null(u->password);
    ck_assert_str_eq(borch_url_param(u, "socket"), "/run/my.sock");
    borch_url_free(u);
}
END_TEST

START_TEST(sqlite_paths_resolve_against_config_folder)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("sqlite:data/app.db", "/srv/proj", &u, &e), 0);
    ck_assert_str_eq(u->path, "/srv/proj/data/app.db");
    borch_url_free(u);
    ck_assert_int_eq(borch_url_parse("sqlite:///abs/app.db", "/srv/proj", &u, &e), 0);
    ck_assert_str_eq(u->path, "/abs/app.db");
    borch_url_free(u);
    ck_assert_int_eq(borch_url_parse("sqlite::memory:", "/srv", &u, &e), 0);
    ck_assert_str_eq(u->path, ":memory:");
    borch_url_free(u);
}
END_TEST

START_TEST(unknown_scheme_is_input_error)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("oracle://scott:tiger@h/db", NULL, &u, &e), BORCH_EINPUT);
    ck_assert_ptr_null(u);
    ck_assert_ptr_nonnull(strstr(e.message, "unknown URL scheme 'oracle'"));
    ck_assert_ptr_null(strstr(e.message, "tiger"));
}
END_TEST

START_TEST(bad_port_never_shows_password)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("postgres://u:hunter2@h:99999/db", NULL, &u, &e), BORCH_EINPUT);
    ck_assert_ptr_null(strstr(e.message, "hunter2"));
    ck_assert_ptr_nonnull(strstr(e.message, "u:***@h"));
}
END_TEST

START_TEST(mask_hides_passwords_everywhere)
{
    char *m = borch_url_mask("postgres://app:s3cr@t@db:5432/shop");
    ck_assert_str_eq(m, "postgres://app:***@db:5432/shop");
    free(m);
    m = borch_url_mask("postgres://db/shop?user=a&password=zzz&sslmode=disable");
    ck_assert_str_eq(m, "postgres://db/shop?user=a&password=***&sslmode=disable");
    free(m);
    m = borch_url_mask("mysql://root@localhost/app");
    ck_assert_str_eq(m, "mysql://root@localhost/app");
    free(m);
    m = borch_url_mask("sqlite:app.db");
    ck_assert_str_eq(m, "sqlite:app.db");
    free(m);
    m = borch_url_mask("sqlite:x.db?Password=s3cret&mode=rw");
    ck_assert_str_eq(m, "sqlite:x.db?Password=***&mode=rw");
    free(m);
    m = borch_url_mask("host=db sslpassword=abc password=zz dbname=x");
    ck_assert_ptr_null(strstr(m, "abc"));
    ck_assert_ptr_null(strstr(m, "zz"));
    free(m);
}
END_TEST

START_TEST(with_database_keeps_credentials_and_params)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("postgres://a:b%2Fc@h:1/x?sslmode=disable", NULL, &u, &e), 0);
    char *s = borch_url_with_database(u, "scratch_1");
    ck_assert_str_eq(s, "postgres://a:b%2Fc@h:1/scratch_1?sslmode=disable");
    free(s);
    borch_url_free(u);
}
END_TEST

START_TEST(mask_hides_passwords_in_urls_that_do_not_parse)
{
    const char *bad[] = {"postgres://app:s3cr#t@db:5432/shop", "postgres:app:s3cr#t@db/shop",
                         "postgres://app:s3/c?r#t@db/shop", "mysql://u:s3cr#t@h"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *m = borch_url_mask(bad[i]);
        ck_assert_msg(strstr(m, "s3") == NULL, "%s -> %s", bad[i], m);
        free(m);
        borch_url *u = NULL;
        borch_error e = {0};
        if (borch_url_parse(bad[i], NULL, &u, &e) != 0)
            ck_assert_msg(strstr(e.message, "s3") == NULL, "%s", e.message);
        borch_url_free(u);
    }
}
END_TEST

Suite *suite_url(void)
{
    Suite *s = suite_create("url");
    TCase *tc = tcase_create("url");
    tcase_add_test(tc, postgres_url_parts_are_decoded);
    tcase_add_test(tc, mysql_socket_and_ipv6);
    tcase_add_test(tc, sqlite_paths_resolve_against_config_folder);
    tcase_add_test(tc, unknown_scheme_is_input_error);
    tcase_add_test(tc, bad_port_never_shows_password);
    tcase_add_test(tc, mask_hides_passwords_everywhere);
    tcase_add_test(tc, mask_hides_passwords_in_urls_that_do_not_parse);
    tcase_add_test(tc, with_database_keeps_credentials_and_params);
    suite_add_tcase(s, tc);
    return s;
}
