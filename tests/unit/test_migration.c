/*
 * test_migration.c - migration files: directives and sections, every
 * bad-input error with its file:line, checksums, golang-migrate pairs,
 * version order, folder loading, borch.sum, and the sample application.
 */
#include <check.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/migration.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

/* Parses text as the file at path. */
static int parse(const char *path, const char *text, borch_migration *m, borch_error *err)
{
    borch_error_clear(err);
    return borch_migration_parse(path, text, strlen(text), m, err);
}

/* Checks an input error: code, the file it names, its line and part of its message. */
static void expect_error(int rc, const borch_error *err, const char *file, int line, const char *part)
{
    ck_assert_int_eq(rc, BORCH_EINPUT);
    ck_assert_int_eq(err->code, BORCH_EINPUT);
    size_t n = strlen(err->file), m = strlen(file);
    ck_assert_msg(n >= m && strcmp(err->file + n - m, file) == 0, "error file '%s', want '%s'", err->file, file);
    ck_assert_int_eq(err->line, line);
    ck_assert_msg(strstr(err->message, part) != NULL, "message '%s' lacks '%s'", err->message, part);
}

/* SHA-256 hex of raw bytes, computed here independently of the code under test. */
static void sha256(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

START_TEST(single_file_has_up_and_down_sections)
{
    const char *text = "-- create users\n"
                       "\n"
                       "-- +borch up\n"
                       "CREATE TABLE users (id INTEGER);\n"
                       "\n"
                       "-- +borch down\n"
                       "DROP TABLE users;\n";
    borch_migration m;
    borch_error err = {0};
    ck_assert_int_eq(parse("db/0042_create_users.sql", text, &m, &err), 0);
    ck_assert_str_eq(m.version, "0042");
    ck_assert_str_eq(m.name, "create_users");
    ck_assert_str_eq(m.path, "db/0042_create_users.sql");
    ck_assert_str_eq(m.up.sql, "CREATE TABLE users (id INTEGER);\n\n");
    ck_assert_int_eq(m.up.first_line, 4);
    ck_assert_int_eq(m.up.notx, 0);
    ck_assert_str_eq(m.up.file, "db/0042_create_users.sql");
    ck_assert_int_eq(m.has_down, 1);
    ck_assert_str_eq(m.down.sql, "DROP TABLE users;\n");
    ck_assert_int_eq(m.down.first_line, 7);
    ck_assert_int_eq(m.down.notx, 0);
    ck_assert_uint_eq(m.nlint_ignores, 0);
    char want[65];
    sha256(text, strlen(text), want);
    ck_assert_str_eq(m.checksum, want);
    borch_migration_release(&m);
}
END_TEST

START_TEST(notx_forms_set_each_section)
{
    borch_migration m;
    borch_error err = {0};
    ck_assert_int_eq(parse("1_a.sql", "-- +borch up notx\nCREATE INDEX CONCURRENTLY i ON t (c);\n"
                                      "  -- +borch down\nDROP INDEX i;\n",
                           &m, &err),
                     0);
    ck_assert_int_eq(m.up.notx, 1);
    ck_assert_int_eq(m.down.notx, 0);
    ck_assert_int_eq(m.down.first_line, 4);
    borch_migration_release(&m);

    ck_assert_int_eq(parse("1_a.sql", "-- +borch up\nSELECT 1;\n\t-- +borch down notx  \nSELECT 2;\n", &m, &err), 0);
    ck_assert_int_eq(m.up.notx, 0);
    ck_assert_int_eq(m.down.notx, 1);
    ck_assert_str_eq(m.up.sql, "SELECT 1;\n");
    ck_assert_str_eq(m.down.sql, "SELECT 2;\n");
    borch_migration_release(&m);
}
END_TEST

START_TEST(lint_ignore_lines_are_collected_and_stay_in_the_sql)
{
    borch_migration m;
    borch_error err = {0};
    const char *text = "-- +borch lint:ignore drop-table   the table was never used\n"
                       "-- +borch up\n"
                       "-- +borch lint:ignore add-not-null\n"
                       "DROP TABLE old;\n"
                       "-- +borch down\n";
    ck_assert_int_eq(parse("7_drop_old.sql", text, &m, &err), 0);
    ck_assert_uint_eq(m.nlint_ignores, 2);
    ck_assert_str_eq(m.lint_ignores[0], "drop-table the table was never used");
    ck_assert_str_eq(m.lint_ignores[1], "add-not-null");
    ck_assert_str_eq(m.up.sql, "-- +borch lint:ignore add-not-null\nDROP TABLE old;\n");
    ck_assert_int_eq(m.up.first_line, 3);
    ck_assert_int_eq(m.has_down, 1);
    ck_assert_str_eq(m.down.sql, "");
    ck_assert_int_eq(m.down.first_line, 6);
    borch_migration_release(&m);
}
END_TEST

START_TEST(header_may_hold_comments_and_blank_lines)
{
    borch_migration m;
    borch_error err = {0};
    const char *text = "\n-- about this change\n   \n/* a block\n   comment */\n/* one line */\n-- +borch up\nSELECT 1;";
    ck_assert_int_eq(parse("3_x.sql", text, &m, &err), 0);
    ck_assert_str_eq(m.up.sql, "SELECT 1;");
    ck_assert_int_eq(m.up.first_line, 8);
    borch_migration_release(&m);
}
END_TEST

START_TEST(no_down_section_is_irreversible)
{
    borch_migration m;
    borch_error err = {0};
    ck_assert_int_eq(parse("5_x.sql", "-- +borch up\nDROP TABLE t;\n", &m, &err), 0);
    ck_assert_int_eq(m.has_down, 0);
    ck_assert_str_eq(m.down.sql, "");
    borch_migration_release(&m);
}
END_TEST

START_TEST(directive_at_end_without_newline_gives_empty_section)
{
    borch_migration m;
    borch_error err = {0};
    ck_assert_int_eq(parse("5_x.sql", "-- +borch up\nSELECT 1;\n-- +borch down", &m, &err), 0);
    ck_assert_int_eq(m.has_down, 1);
    ck_assert_str_eq(m.down.sql, "");
    ck_assert_int_eq(m.down.first_line, 4);
    borch_migration_release(&m);
}
END_TEST

START_TEST(misspelled_directive_is_refused_at_its_line)
{
    borch_migration m;
    borch_error err = {0};
    int rc = parse("m/0001_a.sql", "-- +borch up\nSELECT 1;\n-- +borch upp\n", &m, &err);
    expect_error(rc, &err, "m/0001_a.sql", 3, "unknown directive '-- +borch upp'");
    ck_assert_ptr_null(m.version);

    rc = parse("0001_a.sql", "-- +borch up\n-- +borch\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 2, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up now\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 1, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up notx later\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 1, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up\nSELECT 1;\n--+borch dwn\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 3, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up\nSELECT 1;\n-- +Borch down\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 3, "unknown directive '-- +Borch down'");
    rc = parse("0001_a.sql", "-- +borchup\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 1, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up\n-- +borch lint:ignore\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 2, "unknown directive");
    rc = parse("0001_a.sql", "-- +borch up\n-- +borch notx\n", &m, &err);
    expect_error(rc, &err, "0001_a.sql", 2, "'-- +borch up notx'");
}
END_TEST

START_TEST(missing_up_is_refused_at_line_one)
{
    borch_migration m;
    borch_error err = {0};
    int rc = parse("migrations/0002_b.sql", "-- nothing here\n\n", &m, &err);
    expect_error(rc, &err, "migrations/0002_b.sql", 1, "missing '-- +borch up' section");
    char buf[256];
    ck_assert_str_eq(borch_error_format(&err, buf, sizeof(buf)),
                     "migrations/0002_b.sql:1: missing '-- +borch up' section");
    rc = parse("0002_b.sql", "", &m, &err);
    expect_error(rc, &err, "0002_b.sql", 1, "missing '-- +borch up' section");
    ck_assert_int_eq(borch_error_exit_code(err.code), 2);
}
END_TEST

START_TEST(down_before_up_and_repeated_sections_are_refused)
{
    borch_migration m;
    borch_error err = {0};
    int rc = parse("9_c.sql", "-- x\n-- +borch down\nDROP TABLE t;\n-- +borch up\n", &m, &err);
    expect_error(rc, &err, "9_c.sql", 2, "'-- +borch down' comes before '-- +borch up'");
    rc = parse("9_c.sql", "-- +borch up\nSELECT 1;\n-- +borch up\n", &m, &err);
    expect_error(rc, &err, "9_c.sql", 3, "second '-- +borch up' (the first is at line 1)");
    rc = parse("9_c.sql", "-- +borch up\n-- +borch down\n-- +borch up\n", &m, &err);
    expect_error(rc, &err, "9_c.sql", 3, "second '-- +borch up'");
    rc = parse("9_c.sql", "-- +borch up\n\n-- +borch down\nx;\n-- +borch down\n", &m, &err);
    expect_error(rc, &err, "9_c.sql", 5, "second '-- +borch down' (the first is at line 3)");
}
END_TEST

START_TEST(sql_before_first_directive_is_refused)
{
    borch_migration m;
    borch_error err = {0};
    int rc = parse("4_d.sql", "-- header\nCREATE TABLE t (id INT);\n-- +borch up\n", &m, &err);
    expect_error(rc, &err, "4_d.sql", 2, "text before '-- +borch up' is not part of any section");
    rc = parse("4_d.sql", "/* open\nstill */ SELECT 1;\n-- +borch up\n", &m, &err);
    expect_error(rc, &err, "4_d.sql", 2, "not part of any section");
}
END_TEST

START_TEST(nul_byte_is_refused)
{
    borch_migration m;
    borch_error err = {0};
    const char text[] = "-- +borch up\nSELECT 1;\n\0junk";
    int rc = borch_migration_parse("6_e.sql", text, sizeof(text) - 1, &m, &err);
    expect_error(rc, &err, "6_e.sql", 3, "NUL byte");
}
END_TEST

START_TEST(badly_named_files_are_refused)
{
    static const char *const bad[] = {"x.sql", "0001.sql", "0001_.sql", "a1_b.sql", "_1_b.sql", "12-b.sql",
                                      "1_.up.sql"};
    borch_migration m;
    borch_error err = {0};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[64], want[96];
        snprintf(path, sizeof(path), "mig/%s", bad[i]);
        snprintf(want, sizeof(want), "'%s' is not named <version>_<name>.sql", bad[i]);
        int rc = parse(path, "-- +borch up\nSELECT 1;\n", &m, &err);
        expect_error(rc, &err, path, 0, want);
    }
}
END_TEST

START_TEST(crlf_and_cr_give_the_same_checksum_and_lines_as_lf)
{
    const char *lf = "-- +borch up\nSELECT 1;\n\n-- +borch down\nSELECT 2;\n";
    const char *crlf = "-- +borch up\r\nSELECT 1;\r\n\r\n-- +borch down\r\nSELECT 2;\r\n";
    const char *cr = "-- +borch up\rSELECT 1;\r\r-- +borch down\rSELECT 2;\r";
    const char *bom = "\xEF\xBB\xBF-- +borch up\nSELECT 1;\n\n-- +borch down\nSELECT 2;\n";
    borch_migration a, b, c, d;
    borch_error err = {0};
    ck_assert_int_eq(parse("1_a.sql", lf, &a, &err), 0);
    ck_assert_int_eq(parse("1_a.sql", crlf, &b, &err), 0);
    ck_assert_int_eq(parse("1_a.sql", cr, &c, &err), 0);
    ck_assert_int_eq(parse("1_a.sql", bom, &d, &err), 0);
    ck_assert_str_eq(a.checksum, b.checksum);
    ck_assert_str_eq(a.checksum, c.checksum);
    ck_assert_str_eq(a.checksum, d.checksum);
    ck_assert_str_eq(b.up.sql, "SELECT 1;\n\n");
    ck_assert_str_eq(c.down.sql, "SELECT 2;\n");
    ck_assert_int_eq(b.down.first_line, 5);
    ck_assert_int_eq(c.down.first_line, 5);

    char x[65], y[65];
    borch_checksum_text("a\r\nb\rc\n", 7, x);
    sha256("a\nb\nc\n", 6, y);
    ck_assert_str_eq(x, y);
    borch_checksum_text("", 0, x);
    ck_assert_str_eq(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    borch_checksum_text("SELECT 1;\n", 10, x);
    ck_assert_str_ne(x, a.checksum);
    borch_migration_release(&a);
    borch_migration_release(&b);
    borch_migration_release(&c);
    borch_migration_release(&d);
}
END_TEST

START_TEST(crlf_error_lines_count_like_lf)
{
    borch_migration m;
    borch_error err = {0};
    int rc = parse("1_a.sql", "-- +borch up\r\nSELECT 1;\r\n\r\n-- +borch dowm\r\n", &m, &err);
    expect_error(rc, &err, "1_a.sql", 4, "'-- +borch dowm'");
}
END_TEST

START_TEST(version_compare_is_numeric)
{
    ck_assert_int_eq(borch_version_cmp("1", "02"), -1);
    ck_assert_int_eq(borch_version_cmp("02", "10"), -1);
    ck_assert_int_eq(borch_version_cmp("10", "1"), 1);
    ck_assert_int_eq(borch_version_cmp("001", "1"), 0);
    ck_assert_int_eq(borch_version_cmp("0", "000"), 0);
    ck_assert_int_eq(borch_version_cmp("9", "10"), -1);
    ck_assert_int_eq(borch_version_cmp("20260101000001", "20260101000002"), -1);
    ck_assert_int_eq(borch_version_cmp("99999999999999999999", "100000000000000000000"), -1);
    ck_assert_int_eq(borch_version_cmp("18446744073709551617", "18446744073709551616"), 1);
    ck_assert_int_eq(borch_version_cmp("00018446744073709551616", "18446744073709551616"), 0);
}
END_TEST

/* A scratch migrations folder per test. */
static char *dir;

static void dir_setup(void)
{
    dir = make_temp_dir("migration");
}

static void dir_teardown(void)
{
    rm_rf(dir);
    free(dir);
    dir = NULL;
}

/* Loads dir, expecting success. */
static void load_ok(borch_migration_set *set)
{
    borch_error err = {0};
    int rc = borch_migrations_load(dir, set, &err);
    ck_assert_msg(rc == 0, "load: %s", err.message);
}

START_TEST(load_orders_by_number_and_ignores_other_files)
{
    write_text(dir, "10_c.sql", "-- +borch up\nSELECT 10;\n");
    write_text(dir, "9_b.sql", "-- +borch up\nSELECT 9;\n-- +borch down\nSELECT -9;\n");
    write_text(dir, "0001_a.sql", "-- +borch up\nSELECT 1;\n");
    write_text(dir, "README.md", "not sql");
    write_text(dir, "README.sql", "not a migration");
    write_text(dir, "notes.txt", "x");
    write_text(dir, ".hidden.sql", "x");
    write_text(dir, "0001_a.sql~", "x");
    write_text(dir, "sub.sql/1_z.sql", "x"); /* a folder named like a file */
    borch_migration_set set;
    load_ok(&set);
    ck_assert_uint_eq(set.count, 3);
    ck_assert_str_eq(set.items[0].version, "0001");
    ck_assert_str_eq(set.items[1].version, "9");
    ck_assert_str_eq(set.items[2].version, "10");
    ck_assert_str_eq(set.items[1].name, "b");
    ck_assert_int_eq(set.items[1].has_down, 1);
    ck_assert_int_eq(set.items[2].has_down, 0);
    ck_assert_str_eq(set.dir, dir);
    ck_assert_int_eq(set.has_sum, 0);
    ck_assert_ptr_null(set.sum_problem);
    ck_assert_int_eq(borch_migrations_find(&set, "1"), 0);
    ck_assert_int_eq(borch_migrations_find(&set, "09"), 1);
    ck_assert_int_eq(borch_migrations_find(&set, "10"), 2);
    ck_assert_int_eq(borch_migrations_find(&set, "11"), -1);
    ck_assert_int_eq(borch_migrations_find(&set, "2"), -1);
    borch_migrations_release(&set);
}
END_TEST

START_TEST(load_of_empty_folder_gives_no_migrations)
{
    borch_migration_set set;
    load_ok(&set);
    ck_assert_uint_eq(set.count, 0);
    borch_migrations_release(&set);
}
END_TEST

START_TEST(load_of_missing_folder_is_refused)
{
    char *missing = borch_path_join(dir, "nope");
    borch_migration_set set;
    borch_error err = {0};
    int rc = borch_migrations_load(missing, &set, &err);
    expect_error(rc, &err, "/nope", 0, "migrations folder");
    ck_assert_ptr_nonnull(strstr(err.message, "does not exist"));
    ck_assert_ptr_null(set.items);
    free(missing);
}
END_TEST

START_TEST(load_reports_the_bad_file)
{
    write_text(dir, "1_a.sql", "-- +borch up\nSELECT 1;\n");
    write_text(dir, "2_b.sql", "-- +borch up\nSELECT 1;\n-- +borch downn\n");
    borch_migration_set set;
    borch_error err = {0};
    int rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/2_b.sql", 3, "unknown directive");
    ck_assert_uint_eq(set.count, 0);

    char *p = borch_path_join(dir, "2_b.sql");
    unlink(p);
    free(p);
    write_text(dir, "x.sql", "-- +borch up\n");
    borch_error_clear(&err);
    rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/x.sql", 0, "'x.sql' is not named <version>_<name>.sql");
}
END_TEST

START_TEST(two_files_with_one_version_are_refused)
{
    write_text(dir, "001_a.sql", "-- +borch up\nSELECT 1;\n");
    write_text(dir, "1_b.sql", "-- +borch up\nSELECT 1;\n");
    borch_migration_set set;
    borch_error err = {0};
    int rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/1_b.sql", 0, "version 1 is used by two files: '001_a.sql' and '1_b.sql'");
    ck_assert_ptr_null(set.items);

    char *p = borch_path_join(dir, "1_b.sql");
    unlink(p);
    free(p);
    write_text(dir, "01_c.up.sql", "SELECT 1;\n");
    borch_error_clear(&err);
    rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "_c.up.sql", 0, "is used by two files");
    ck_assert_ptr_nonnull(strstr(err.message, "'001_a.sql'"));
    ck_assert_ptr_nonnull(strstr(err.message, "'01_c.up.sql'"));
}
END_TEST

START_TEST(golang_migrate_pair_is_one_migration)
{
    const char *up = "-- +borch notx\r\nCREATE INDEX CONCURRENTLY i ON t (c);\r\n";
    const char *down = "DROP INDEX i;\n";
    write_text(dir, "0003_add_index.up.sql", up);
    write_text(dir, "0003_add_index.down.sql", down);
    write_text(dir, "0004_up_only.up.sql", "-- +borch lint:ignore rule-x because\nSELECT 4;\n");
    borch_migration_set set;
    load_ok(&set);
    ck_assert_uint_eq(set.count, 2);
    borch_migration *m = &set.items[0];
    ck_assert_str_eq(m->version, "0003");
    ck_assert_str_eq(m->name, "add_index");
    ck_assert_ptr_nonnull(strstr(m->path, "/0003_add_index.up.sql"));
    ck_assert_str_eq(m->up.sql, "-- +borch notx\nCREATE INDEX CONCURRENTLY i ON t (c);\n");
    ck_assert_int_eq(m->up.first_line, 1);
    ck_assert_int_eq(m->up.notx, 1);
    ck_assert_ptr_nonnull(strstr(m->up.file, "/0003_add_index.up.sql"));
    ck_assert_int_eq(m->has_down, 1);
    ck_assert_str_eq(m->down.sql, down);
    ck_assert_int_eq(m->down.first_line, 1);
    ck_assert_int_eq(m->down.notx, 0);
    ck_assert_ptr_nonnull(strstr(m->down.file, "/0003_add_index.down.sql"));

    /* up text, a NUL, down text, with line endings normalized */
    const char raw[] = "-- +borch notx\nCREATE INDEX CONCURRENTLY i ON t (c);\n\0DROP INDEX i;\n";
    char want[65];
    sha256(raw, sizeof(raw) - 1, want);
    ck_assert_str_eq(m->checksum, want);

    borch_migration *u = &set.items[1];
    ck_assert_int_eq(u->has_down, 0);
    ck_assert_int_eq(u->up.notx, 0);
    ck_assert_uint_eq(u->nlint_ignores, 1);
    ck_assert_str_eq(u->lint_ignores[0], "rule-x because");
    const char *utext = "-- +borch lint:ignore rule-x because\nSELECT 4;\n";
    sha256(utext, strlen(utext), want);
    ck_assert_str_eq(u->checksum, want);
    borch_migrations_release(&set);
}
END_TEST

START_TEST(pair_notx_may_be_written_as_the_section_directive)
{
    write_text(dir, "5_x.up.sql", "-- +borch up\nSELECT 1;\n");
    write_text(dir, "5_x.down.sql", "-- +borch down notx\nSELECT 2;\n");
    borch_migration_set set;
    load_ok(&set);
    ck_assert_int_eq(set.items[0].up.notx, 0);
    ck_assert_int_eq(set.items[0].down.notx, 1);
    borch_migrations_release(&set);
}
END_TEST

START_TEST(down_file_without_up_file_is_refused)
{
    write_text(dir, "0003_a.down.sql", "DROP TABLE a;\n");
    write_text(dir, "0003_b.up.sql", "CREATE TABLE a (id INT);\n");
    borch_migration_set set;
    borch_error err = {0};
    int rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/0003_a.down.sql", 0, "'0003_a.down.sql' has no matching '0003_a.up.sql'");

    borch_migration m;
    rc = parse("0003_a.down.sql", "DROP TABLE a;\n", &m, &err);
    expect_error(rc, &err, "0003_a.down.sql", 0, "has no matching '0003_a.up.sql'");
}
END_TEST

START_TEST(wrong_section_in_pair_file_is_refused)
{
    borch_migration_set set;
    borch_error err = {0};
    write_text(dir, "7_a.up.sql", "SELECT 1;\n-- +borch down\nSELECT 2;\n");
    int rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/7_a.up.sql", 2, "'-- +borch down' does not belong in a .up.sql file");

    write_text(dir, "7_a.up.sql", "SELECT 1;\n");
    write_text(dir, "7_a.down.sql", "\n\n-- +borch up notx\n");
    borch_error_clear(&err);
    rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/7_a.down.sql", 3, "'-- +borch up' does not belong in a .down.sql file");

    write_text(dir, "7_a.down.sql", "-- +borch nottx\n");
    borch_error_clear(&err);
    rc = borch_migrations_load(dir, &set, &err);
    expect_error(rc, &err, "/7_a.down.sql", 1, "unknown directive");
}
END_TEST

/* The lines of borch.sum after its h1 line. */
static const char *sum_body(const char *text)
{
    const char *nl = strchr(text, '\n');
    ck_assert_ptr_nonnull(nl);
    return nl + 1;
}

START_TEST(sum_render_lists_each_file_under_an_h1_line)
{
    const char *a = "-- +borch up\nSELECT 1;\n";
    write_text(dir, "2_a.sql", a);
    write_text(dir, "10_p.up.sql", "SELECT 10;\n");
    write_text(dir, "10_p.down.sql", "SELECT -10;\r\n");
    borch_migration_set set;
    load_ok(&set);
    char *text = borch_sum_render(&set);
    char sa[65], sup[65], sdown[65], line[256], h1[65];
    sha256(a, strlen(a), sa);
    sha256("SELECT 10;\n", 11, sup);
    sha256("SELECT -10;\n", 12, sdown);
    borch_buf b;
    borch_buf_init(&b);
    snprintf(line, sizeof(line), "%s 2_a.sql\n", sa);
    borch_buf_puts(&b, line);
    snprintf(line, sizeof(line), "%s 10_p.up.sql\n", sup);
    borch_buf_puts(&b, line);
    snprintf(line, sizeof(line), "%s 10_p.down.sql\n", sdown);
    borch_buf_puts(&b, line);
    ck_assert_str_eq(sum_body(text), b.data);
    sha256(b.data, b.len, h1);
    ck_assert_int_eq(strncmp(text, "h1:", 3), 0);
    ck_assert_int_eq(strncmp(text + 3, h1, 64), 0);
    ck_assert_int_eq(text[67], '\n');
    borch_buf_release(&b);
    free(text);
    borch_migrations_release(&set);
}
END_TEST

/* Writes borch.sum for dir as it is now. */
static void write_sum(void)
{
    borch_migration_set set;
    load_ok(&set);
    borch_error err = {0};
    ck_assert_int_eq(borch_sum_write(&set, &err), 0);
    borch_migrations_release(&set);
}

/* Loads dir and checks the borch.sum verdict. */
static void expect_sum(int ok, const char *problem)
{
    borch_migration_set set;
    load_ok(&set);
    ck_assert_int_eq(set.has_sum, 1);
    ck_assert_int_eq(set.sum_ok, ok);
    if (problem)
        ck_assert_str_eq(set.sum_problem ? set.sum_problem : "(null)", problem);
    else
        ck_assert_ptr_null(set.sum_problem);
    borch_migrations_release(&set);
}

static void seed_three(void)
{
    write_text(dir, "0003_x.sql", "-- +borch up\nSELECT 3;\n");
    write_text(dir, "0004_z.sql", "-- +borch up\nSELECT 4;\n");
    write_text(dir, "0001_a.up.sql", "SELECT 1;\n");
    write_text(dir, "0001_a.down.sql", "SELECT -1;\n");
    write_sum();
}

START_TEST(sum_written_then_loaded_matches)
{
    seed_three();
    expect_sum(1, NULL);
    /* the same folder checked out with CRLF endings still matches */
    char *text = read_text(dir, "borch.sum");
    borch_buf b;
    borch_buf_init(&b);
    for (const char *p = text; *p; p++)
        *p == '\n' ? borch_buf_puts(&b, "\r\n") : borch_buf_putc(&b, *p);
    write_text(dir, "borch.sum", b.data);
    write_text(dir, "0003_x.sql", "-- +borch up\r\nSELECT 3;\r\n");
    expect_sum(1, NULL);
    borch_buf_release(&b);
    free(text);
}
END_TEST

START_TEST(sum_reports_a_changed_file)
{
    seed_three();
    write_text(dir, "0003_x.sql", "-- +borch up\nSELECT 33;\n");
    expect_sum(0, "migration '0003_x.sql' changed since borch.sum was written");
    seed_three();
    write_text(dir, "0001_a.down.sql", "SELECT -11;\n");
    expect_sum(0, "migration '0001_a.down.sql' changed since borch.sum was written");
}
END_TEST

START_TEST(sum_reports_a_file_it_does_not_list)
{
    seed_three();
    write_text(dir, "0005_y.sql", "-- +borch up\nSELECT 5;\n");
    expect_sum(0, "'0005_y.sql' is not in borch.sum");
}
END_TEST

START_TEST(sum_reports_a_listed_file_that_is_gone)
{
    seed_three();
    char *p = borch_path_join(dir, "0004_z.sql");
    unlink(p);
    free(p);
    expect_sum(0, "borch.sum lists '0004_z.sql' which is missing");
}
END_TEST

START_TEST(sum_reports_malformed_lines)
{
    seed_three();
    char *text = read_text(dir, "borch.sum");
    /* line 3 cut short */
    char *l3 = strchr(strchr(text, '\n') + 1, '\n') + 1;
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_append(&b, text, (size_t)(l3 - text));
    borch_buf_puts(&b, "abc 0003_x.sql\n");
    borch_buf_puts(&b, strchr(l3, '\n') + 1);
    write_text(dir, "borch.sum", b.data);
    expect_sum(0, "borch.sum is malformed at line 3");

    /* a merge conflict marker */
    borch_buf_clear(&b);
    borch_buf_append(&b, text, (size_t)(l3 - text));
    borch_buf_puts(&b, "<<<<<<< HEAD\n");
    write_text(dir, "borch.sum", b.data);
    expect_sum(0, "borch.sum is malformed at line 3");

    write_text(dir, "borch.sum", "h1:1234\n");
    expect_sum(0, "borch.sum is malformed at line 1");
    write_text(dir, "borch.sum", "");
    expect_sum(0, "borch.sum is malformed at line 1");

    /* one file listed twice */
    borch_buf_clear(&b);
    borch_buf_puts(&b, text);
    borch_buf_puts(&b, sum_body(text));
    write_text(dir, "borch.sum", b.data);
    expect_sum(0, "borch.sum is malformed at line 6");
    borch_buf_release(&b);
    free(text);
}
END_TEST

START_TEST(sum_reports_an_edited_h1_line)
{
    seed_three();
    char *text = read_text(dir, "borch.sum");
    text[3] = text[3] == '0' ? '1' : '0';
    write_text(dir, "borch.sum", text);
    expect_sum(0, "borch.sum was edited by hand: its h1 line does not match the lines below it");
    free(text);
}
END_TEST

START_TEST(sum_write_replaces_the_old_file)
{
    seed_three();
    write_text(dir, "0005_y.sql", "-- +borch up\nSELECT 5;\n");
    expect_sum(0, "'0005_y.sql' is not in borch.sum");
    write_sum();
    expect_sum(1, NULL);
    char *text = read_text(dir, "borch.sum");
    ck_assert_ptr_nonnull(strstr(text, " 0005_y.sql\n"));
    free(text);
}
END_TEST

START_TEST(sample_application_loads_in_order_and_matches_its_sum)
{
    borch_migration_set set;
    borch_error err = {0};
    int rc = borch_migrations_load(BORCH_SOURCE_DIR "/migrations", &set, &err);
    ck_assert_msg(rc == 0, "load: %s", err.message);
    ck_assert_uint_eq(set.count, 8);
    for (size_t i = 0; i < set.count; i++) {
        char v[48];
        snprintf(v, sizeof(v), "2026010100000%zu", i + 1);
        ck_assert_str_eq(set.items[i].version, v);
        ck_assert_int_eq(set.items[i].has_down, 1);
        ck_assert_ptr_nonnull(strstr(set.items[i].up.sql, ";"));
        ck_assert_ptr_nonnull(strstr(set.items[i].down.sql, ";"));
    }
    ck_assert_str_eq(set.items[0].name, "create_customers");
    ck_assert_ptr_nonnull(strstr(set.items[7].up.sql, "BEGIN"));
    ck_assert_int_eq(set.has_sum, 1);
    ck_assert_msg(set.sum_ok, "sample borch.sum: %s", set.sum_problem ? set.sum_problem : "");
    /* the committed borch.sum is exactly what the code renders */
    char *want = borch_sum_render(&set);
    char *have = read_text(BORCH_SOURCE_DIR "/migrations", "borch.sum");
    ck_assert_str_eq(have, want);
    free(want);
    free(have);
    borch_migrations_release(&set);
}
END_TEST

START_TEST(template_parses_as_a_reversible_migration)
{
    char *text = read_text(BORCH_SOURCE_DIR "/templates", "migration.sql");
    ck_assert_ptr_nonnull(text);
    borch_migration m;
    borch_error err = {0};
    ck_assert_int_eq(parse("20260101120000_new_thing.sql", text, &m, &err), 0);
    ck_assert_int_eq(m.has_down, 1);
    ck_assert_int_eq(m.up.first_line, 2);
    ck_assert_str_eq(m.name, "new_thing");
    borch_migration_release(&m);
    free(text);
}
END_TEST

START_TEST(mutated_input_is_parsed_or_refused_cleanly)
{
    /* fuzz-style: random edits of a valid file must give 0 or BORCH_EINPUT, never a crash or leak */
    const char *seed = "-- head\n/* c */\n-- +borch lint:ignore r why\n-- +borch up notx\r\nSELECT 1;\r"
                       "-- +borch down\nSELECT 2;\n";
    static const char alphabet[] = "-+ borchupdownnotxlint:ignore\r\n\t/*;\xEF\xBB\xBF";
    unsigned state = 12345;
    size_t len = strlen(seed);
    char *buf = borch_xmalloc(len + 64);
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, seed, len);
        size_t n = len;
        int edits = 1 + iter % 6;
        for (int e = 0; e < edits; e++) {
            state = state * 1103515245u + 12345u;
            size_t at = (state >> 8) % n;
            state = state * 1103515245u + 12345u;
            char c = alphabet[(state >> 8) % (sizeof(alphabet) - 1)];
            if (iter % 3 == 0 && n + 1 < len + 64) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            } else if (iter % 3 == 1 && n > 1) {
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            } else {
                buf[at] = c;
            }
        }
        borch_migration m;
        borch_error err = {0};
        int rc = borch_migration_parse(iter % 2 ? "1_x.sql" : "1_x.up.sql", buf, n, &m, &err);
        ck_assert_msg(rc == 0 || rc == BORCH_EINPUT, "iteration %d: rc %d", iter, rc);
        if (rc == 0) {
            ck_assert_int_eq((int)strlen(m.checksum), 64);
            ck_assert_int_ge(m.up.first_line, 1);
            borch_migration_release(&m);
        } else {
            ck_assert_int_ge(err.line, 1);
            ck_assert_str_ne(err.message, "");
        }
    }
    free(buf);
}
END_TEST

Suite *suite_migration(void)
{
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, single_file_has_up_and_down_sections);
    tcase_add_test(tc, notx_forms_set_each_section);
    tcase_add_test(tc, lint_ignore_lines_are_collected_and_stay_in_the_sql);
    tcase_add_test(tc, header_may_hold_comments_and_blank_lines);
    tcase_add_test(tc, no_down_section_is_irreversible);
    tcase_add_test(tc, directive_at_end_without_newline_gives_empty_section);
    tcase_add_test(tc, misspelled_directive_is_refused_at_its_line);
    tcase_add_test(tc, missing_up_is_refused_at_line_one);
    tcase_add_test(tc, down_before_up_and_repeated_sections_are_refused);
    tcase_add_test(tc, sql_before_first_directive_is_refused);
    tcase_add_test(tc, nul_byte_is_refused);
    tcase_add_test(tc, badly_named_files_are_refused);
    tcase_add_test(tc, crlf_and_cr_give_the_same_checksum_and_lines_as_lf);
    tcase_add_test(tc, crlf_error_lines_count_like_lf);
    tcase_add_test(tc, version_compare_is_numeric);
    tcase_add_test(tc, template_parses_as_a_reversible_migration);
    tcase_add_test(tc, mutated_input_is_parsed_or_refused_cleanly);
    suite_add_tcase(s, tc);

    tc = tcase_create("folder");
    tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
    tcase_add_test(tc, load_orders_by_number_and_ignores_other_files);
    tcase_add_test(tc, load_of_empty_folder_gives_no_migrations);
    tcase_add_test(tc, load_of_missing_folder_is_refused);
    tcase_add_test(tc, load_reports_the_bad_file);
    tcase_add_test(tc, two_files_with_one_version_are_refused);
    tcase_add_test(tc, golang_migrate_pair_is_one_migration);
    tcase_add_test(tc, pair_notx_may_be_written_as_the_section_directive);
    tcase_add_test(tc, down_file_without_up_file_is_refused);
    tcase_add_test(tc, wrong_section_in_pair_file_is_refused);
    tcase_add_test(tc, sample_application_loads_in_order_and_matches_its_sum);
    suite_add_tcase(s, tc);

    tc = tcase_create("sum");
    tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
    tcase_add_test(tc, sum_render_lists_each_file_under_an_h1_line);
    tcase_add_test(tc, sum_written_then_loaded_matches);
    tcase_add_test(tc, sum_reports_a_changed_file);
    tcase_add_test(tc, sum_reports_a_file_it_does_not_list);
    tcase_add_test(tc, sum_reports_a_listed_file_that_is_gone);
    tcase_add_test(tc, sum_reports_malformed_lines);
    tcase_add_test(tc, sum_reports_an_edited_h1_line);
    tcase_add_test(tc, sum_write_replaces_the_old_file);
    suite_add_tcase(s, tc);
    return s;
}
