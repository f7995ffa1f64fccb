/*
 * test_audit.c - the audit hash chain: records build and verify; an edited,
 * deleted, reordered or truncated record is reported on the right line; the
 * file sink appends, survives a damaged tail, and keeps one chain when
 * several processes append at once.
 */
#include "core/audit.h"
#include "core/url.h"
#include "driver.h"

/* Tests write their databases: let connect create the files. */
static const borch_conn_opts create_opts = {.create = 1};
#include "records.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char ZEROS[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* An event whose fields vary with i, so every record differs. */
static borch_audit_event event_n(int i, char *version, size_t n)
{
    snprintf(version, n, "2026112600000%d", i);
    borch_audit_event ev = {
        .command = "migrate up",
        .target = "postgres://app:***@db:5432/shop",
        .action = "apply",
        .version = version,
        .checksum = "abc123",
        .duration_ms = 10 * i,
        .ok = 1,
        .error = NULL,
        .detail_json = NULL,
    };
    return ev;
}

/* Builds a valid chain of n lines into v. */
static void build_chain(borch_strv *v, int n)
{
    char prev[65];
    memcpy(prev, ZEROS, 65);
    for (int i = 1; i <= n; i++) {
        char version[32], hash[65];
        borch_audit_event ev = event_n(i, version, sizeof version);
        char *line = borch_audit_build(&ev, i, "2026-11-26T08:00:00.000Z", "ci@build", prev, hash);
        ck_assert_ptr_nonnull(line);
        borch_strv_push_owned(v, line);
        memcpy(prev, hash, 65);
    }
}

/* Verifies v and returns the problem report (malloc'd); *count gets the count. */
static char *verify(const borch_strv *v, size_t *count)
{
    borch_buf out;
    borch_buf_init(&out);
    *count = borch_audit_verify_lines((const char *const *)v->items, v->count, &out);
    char *report = borch_buf_detach(&out);
    borch_buf_release(&out); /* detach leaves an empty allocation behind */
    return report;
}

/* Replaces the line at i (0-based) with text. */
static void set_line(borch_strv *v, size_t i, char *text)
{
    free(v->items[i]);
    v->items[i] = text;
}

START_TEST(build_has_every_field_and_a_matching_hash)
{
    char version[32], hash[65];
    borch_audit_event ev = event_n(1, version, sizeof version);
    ev.ok = 0;
    ev.error = "syntax error near 'CREAT'";
    ev.detail_json = "{\"statements\": 3, \"file\": \"20261126000001_x.sql\"}";
    char *line = borch_audit_build(&ev, 7, "2026-11-26T08:00:00.123Z", "ann@box", ZEROS, hash);
    ck_assert_ptr_nonnull(line);
    ck_assert_uint_eq(strlen(hash), 64);
    json_t *rec = json_loads(line, 0, NULL);
    ck_assert_ptr_nonnull(rec);
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "seq")), 7);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "at")), "2026-11-26T08:00:00.123Z");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "actor")), "ann@box");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "command")), "migrate up");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "outcome")), "failed");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "error")), "syntax error near 'CREAT'");
    ck_assert(json_is_null(json_object_get(rec, "version")) == 0);
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "duration_ms")), 10);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "prev_hash")), ZEROS);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "hash")), hash);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(rec, "detail"), "statements")), 3);

    /* The hash is SHA-256 of the sorted, compact record without "hash". */
    json_object_del(rec, "hash");
    char *canon = json_dumps(rec, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    ck_assert_ptr_nonnull(strstr(canon, "{\"action\":\"apply\",\"actor\":\"ann@box\""));
    free(canon);
    json_decref(rec);
    free(line);
}
END_TEST

START_TEST(build_nulls_and_no_detail)
{
    char hash[65];
    borch_audit_event ev = {
        .command = "audit verify", .target = "sqlite:app.db", .action = "verify", .ok = 1};
    char *line = borch_audit_build(&ev, 1, "2026-11-26T08:00:00.000Z", "a@b", NULL, hash);
    json_t *rec = json_loads(line, 0, NULL);
    ck_assert(json_is_null(json_object_get(rec, "version")));
    ck_assert(json_is_null(json_object_get(rec, "checksum")));
    ck_assert(json_is_null(json_object_get(rec, "error")));
    ck_assert_ptr_null(json_object_get(rec, "detail"));
    ck_assert_str_eq(json_string_value(json_object_get(rec, "prev_hash")), ZEROS);
    json_decref(rec);
    free(line);
}
END_TEST

START_TEST(build_is_deterministic)
{
    char v1[32], v2[32], h1[65], h2[65];
    borch_audit_event a = event_n(3, v1, sizeof v1), b = event_n(3, v2, sizeof v2);
    char *l1 = borch_audit_build(&a, 3, "2026-11-26T08:00:00.000Z", "x@y", ZEROS, h1);
    char *l2 = borch_audit_build(&b, 3, "2026-11-26T08:00:00.000Z", "x@y", ZEROS, h2);
    ck_assert_str_eq(l1, l2);
    ck_assert_str_eq(h1, h2);
    char *l3 = borch_audit_build(&a, 4, "2026-11-26T08:00:00.000Z", "x@y", ZEROS, h2);
    ck_assert_str_ne(h1, h2);
    free(l1);
    free(l2);
    free(l3);
}
END_TEST

START_TEST(build_rejects_detail_that_is_not_an_object)
{
    char hash[65];
    borch_audit_event ev = {
        .command = "c", .target = "t", .action = "a", .ok = 1, .detail_json = "[1,2]"};
    ck_assert_ptr_null(borch_audit_build(&ev, 1, "t", "a@b", ZEROS, hash));
    ev.detail_json = "{not json";
    ck_assert_ptr_null(borch_audit_build(&ev, 1, "t", "a@b", ZEROS, hash));
}
END_TEST

START_TEST(build_masks_a_password_in_the_error)
{
    char hash[65];
    borch_audit_event ev = {.command = "migrate up",
                            .target = "postgres://app:***@db/shop",
                            .action = "apply",
                            .ok = 0,
                            .error = "cannot connect to postgres://app:hunter2@db/shop"};
    char *line = borch_audit_build(&ev, 1, "t", "a@b", ZEROS, hash);
    ck_assert_ptr_null(strstr(line, "hunter2"));
    ck_assert_ptr_nonnull(strstr(line, "postgres://app:***@db/shop"));
    free(line);
}
END_TEST

START_TEST(build_keeps_error_in_another_encoding)
{
    /* A latin1 server message: the field stays, the bad byte is replaced. */
    char hash[65];
    borch_audit_event ev = {.command = "migrate up",
                            .target = "mysql://app:***@db/shop",
                            .action = "apply",
                            .ok = 0,
                            .error = "table 'caf\xe9' exists"};
    char *line = borch_audit_build(&ev, 1, "t", "a@b", ZEROS, hash);
    json_t *rec = json_loads(line, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "error")),
                     "table 'caf\xef\xbf\xbd' exists");
    json_decref(rec);
    const char *lines[] = {line};
    ck_assert_uint_eq(borch_audit_verify_lines(lines, 1, NULL), 0);
    free(line);
}
END_TEST

START_TEST(verify_clean_chain_of_five)
{
    borch_strv v = {0};
    build_chain(&v, 5);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_msg(n == 0, "unexpected problems: %s", report);
    ck_assert_str_eq(report, "");
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_edited_field)
{
    borch_strv v = {0};
    build_chain(&v, 5);
    json_t *rec = json_loads(v.items[1], 0, NULL);
    json_object_set_new(rec, "outcome", json_string("failed"));
    set_line(&v, 1, json_dumps(rec, JSON_SORT_KEYS | JSON_COMPACT));
    json_decref(rec);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(report, "line 2: hash does not match its record (edited?)\n");
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_edit_with_rehashed_record)
{
    /* Someone edits line 3 and recomputes its hash: line 4 no longer chains. */
    borch_strv v = {0};
    build_chain(&v, 5);
    json_t *rec = json_loads(v.items[2], 0, NULL);
    char hash[65];
    borch_audit_event ev = {
        .command = "migrate up", .target = "x", .action = "apply", .version = "forged", .ok = 1};
    char *forged = borch_audit_build(&ev, 3, "2026-11-26T08:00:00.000Z", "ci@build",
                                     json_string_value(json_object_get(rec, "prev_hash")), hash);
    json_decref(rec);
    set_line(&v, 2, forged);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(report, "line 4: prev_hash does not match line 3 (deleted or reordered?)\n");
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_deleted_line)
{
    borch_strv v = {0};
    build_chain(&v, 5);
    free(v.items[2]);
    memmove(&v.items[2], &v.items[3], 2 * sizeof(char *));
    v.count = 4;
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(report, "line 3: prev_hash does not match line 2 (deleted or reordered?)\n"
                             "line 3: seq 4 follows 2 (deleted or reordered?)\n");
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_swapped_lines)
{
    borch_strv v = {0};
    build_chain(&v, 5);
    char *t = v.items[2];
    v.items[2] = v.items[3];
    v.items[3] = t;
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_ge(n, 2);
    ck_assert_msg(strncmp(report, "line 3: prev_hash does not match line 2", 39) == 0, "%s",
                  report);
    ck_assert_ptr_nonnull(strstr(report, "line 4: prev_hash does not match line 3"));
    ck_assert_ptr_nonnull(strstr(report, "line 4: seq 3 follows 4"));
    ck_assert_ptr_null(strstr(report, "line 1:"));
    ck_assert_ptr_null(strstr(report, "line 2:"));
    ck_assert_ptr_null(strstr(report, "hash does not match its record"));
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_truncated_line)
{
    borch_strv v = {0};
    build_chain(&v, 5);
    v.items[4][strlen(v.items[4]) / 2] = '\0';
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_msg(strncmp(report, "line 5: not JSON", 16) == 0, "%s", report);
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_detects_first_line_deleted)
{
    borch_strv v = {0};
    build_chain(&v, 3);
    free(v.items[0]);
    memmove(&v.items[0], &v.items[1], 2 * sizeof(char *));
    v.count = 2;
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_nonnull(strstr(report, "line 1: prev_hash is not the start of a chain"));
    ck_assert_ptr_nonnull(strstr(report, "line 1: seq is 2, a chain starts at 1"));
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_reports_missing_fields_and_bad_values)
{
    borch_strv v = {0};
    build_chain(&v, 2);
    json_t *rec = json_loads(v.items[1], 0, NULL);
    json_object_del(rec, "actor");
    json_object_set_new(rec, "seq", json_string("two"));
    set_line(&v, 1, json_dumps(rec, JSON_SORT_KEYS | JSON_COMPACT));
    json_decref(rec);
    borch_strv_push(&v, "[1,2,3]");
    borch_strv_push(&v, "");
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_ptr_nonnull(strstr(report, "line 2: missing field 'actor'\n"));
    ck_assert_ptr_nonnull(strstr(report, "line 2: 'seq' is not an integer\n"));
    ck_assert_ptr_nonnull(strstr(report, "line 2: hash does not match its record (edited?)\n"));
    ck_assert_ptr_nonnull(strstr(report, "line 3: not a JSON object\n"));
    ck_assert_ptr_nonnull(strstr(report, "line 4: not JSON"));
    ck_assert_uint_eq(n, 5);
    free(report);
    borch_strv_release(&v);
}
END_TEST

START_TEST(verify_empty_is_clean)
{
    ck_assert_uint_eq(borch_audit_verify_lines(NULL, 0, NULL), 0);
}
END_TEST

START_TEST(actor_is_user_at_host)
{
    setenv("USER", "auditor", 1);
    char *a = borch_audit_actor();
    ck_assert_msg(strncmp(a, "auditor@", 8) == 0 && strlen(a) > 8, "%s", a);
    free(a);
    unsetenv("USER");
    a = borch_audit_actor();
    ck_assert_ptr_nonnull(strchr(a, '@'));
    ck_assert(a[0] != '@');
    free(a);
}
END_TEST

START_TEST(read_missing_file_gives_no_lines)
{
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, "none.jsonl");
    borch_strv v = {0};
    borch_error err = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, 0);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_twice_then_verify)
{
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, ".borch/sub/audit.jsonl"); /* parents made */
    borch_error err = {0};
    char version[32];
    borch_audit_event ev = event_n(1, version, sizeof version);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    ev.ok = 0;
    ev.error = "boom";
    ev.detail_json = "{\"k\":\"v\"}";
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);

    borch_strv v = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, 2);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_msg(n == 0, "%s", report);
    free(report);

    json_t *r1 = json_loads(v.items[0], 0, NULL), *r2 = json_loads(v.items[1], 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r1, "seq")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r2, "seq")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(r2, "prev_hash")),
                     json_string_value(json_object_get(r1, "hash")));
    const char *at = json_string_value(json_object_get(r1, "at"));
    /* 2026-11-26T08:00:00.123Z */
    ck_assert_uint_eq(strlen(at), 24);
    ck_assert(at[10] == 'T' && at[19] == '.' && at[23] == 'Z');
    ck_assert_ptr_nonnull(strchr(json_string_value(json_object_get(r1, "actor")), '@'));
    ck_assert_str_eq(json_string_value(json_object_get(r2, "outcome")), "failed");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r2, "detail"), "k")), "v");
    json_decref(r1);
    json_decref(r2);

    /* Every line ends with a newline; the file ends with one. */
    char *text = read_text(dir, ".borch/sub/audit.jsonl");
    ck_assert(text[strlen(text) - 1] == '\n');
    free(text);
    borch_strv_release(&v);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_with_bad_detail_writes_nothing)
{
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, "audit.jsonl");
    borch_error err = {0};
    borch_audit_event ev = {
        .command = "c", .target = "t", .action = "a", .ok = 1, .detail_json = "nope"};
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "audit detail is not a JSON object");
    borch_strv v = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, 0);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_to_unwritable_path_fails)
{
    char *dir = make_temp_dir("audit");
    write_text(dir, "file", "x");
    char *path = borch_path_join(dir, "file/audit.jsonl"); /* parent is a file */
    borch_error err = {0};
    borch_audit_event ev = {.command = "c", .target = "t", .action = "a", .ok = 1};
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), BORCH_EIO);
    ck_assert(err.message[0] != '\0');
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_after_damaged_tail_chains_on_it)
{
    /* A torn last line (no newline, not JSON): the next record starts on a
     * new line, chains on the raw text; verify reports only the torn line. */
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, "audit.jsonl");
    borch_error err = {0};
    char version[32];
    borch_audit_event ev = event_n(1, version, sizeof version);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    FILE *f = fopen(path, "a");
    fputs("{\"seq\":2,\"at\":\"2026-", f);
    fclose(f);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);

    borch_strv v = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, 4);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_msg(strncmp(report, "line 2: not JSON", 16) == 0, "%s", report);
    json_t *r3 = json_loads(v.items[2], 0, NULL), *r4 = json_loads(v.items[3], 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r3, "seq")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(r4, "seq")), 4);
    json_decref(r3);
    json_decref(r4);
    free(report);
    borch_strv_release(&v);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_after_long_line_and_garbage_line)
{
    /* The last line is longer than the first tail chunk read; then a whole
     * garbage line (with its newline) in the middle of the chain. */
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, "audit.jsonl");
    borch_error err = {0};
    borch_buf detail;
    borch_buf_init(&detail);
    borch_buf_puts(&detail, "{\"sql\":\"");
    for (int i = 0; i < 20000; i++)
        borch_buf_putc(&detail, 'a' + i % 26);
    borch_buf_puts(&detail, "\"}");
    char version[32];
    borch_audit_event ev = event_n(1, version, sizeof version);
    ev.detail_json = detail.data;
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    ev.detail_json = NULL;
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    FILE *f = fopen(path, "a");
    fputs("garbage\n", f);
    fclose(f);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);

    borch_strv v = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, 5);
    ck_assert_uint_gt(strlen(v.items[1]), 20000);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_msg(n == 1, "%s", report);
    ck_assert_msg(strncmp(report, "line 4: not JSON", 16) == 0, "%s", report);
    json_t *r3 = json_loads(v.items[2], 0, NULL), *r5 = json_loads(v.items[4], 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r3, "seq")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(r5, "seq")), 5);
    json_decref(r3);
    json_decref(r5);
    free(report);
    borch_strv_release(&v);
    borch_buf_release(&detail);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(append_to_full_disk_fails)
{
    if (access("/dev/full", W_OK) != 0)
        return; /* no /dev/full in this sandbox */
    borch_error err = {0};
    borch_audit_event ev = {.command = "c", .target = "t", .action = "a", .ok = 1};
    ck_assert_int_eq(borch_audit_append("/dev/full", NULL, &ev, &err), BORCH_EIO);
    ck_assert_str_eq(err.message, "cannot write audit file '/dev/full': No space left on device");
}
END_TEST

START_TEST(concurrent_appends_keep_one_chain)
{
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, "audit.jsonl");
    enum { CHILDREN = 4, EACH = 25 };
    pid_t pids[CHILDREN];
    for (int c = 0; c < CHILDREN; c++) {
        pids[c] = fork();
        ck_assert_int_ge(pids[c], 0);
        if (pids[c] == 0) {
            int bad = 0;
            for (int i = 0; i < EACH; i++) {
                char version[32];
                borch_audit_event ev = event_n(c * 100 + i, version, sizeof version);
                borch_error err = {0};
                bad |= borch_audit_append(path, NULL, &ev, &err) != 0;
            }
            _exit(bad);
        }
    }
    for (int c = 0; c < CHILDREN; c++) {
        int status = 0;
        ck_assert_int_eq(waitpid(pids[c], &status, 0), pids[c]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    borch_strv v = {0};
    borch_error err = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &v, &err), 0);
    ck_assert_uint_eq(v.count, CHILDREN * EACH);
    size_t n;
    char *report = verify(&v, &n);
    ck_assert_msg(n == 0, "%s", report);
    free(report);
    borch_strv_release(&v);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

/* Rebuilds the table's rows as JSONL lines (record + hash) for verify. */
static void table_lines(borch_conn *conn, borch_strv *out)
{
    borch_audit_row *rows = NULL;
    size_t n = 0;
    borch_error err = {0};
    ck_assert_int_eq(borch_audit_table_load(conn, &rows, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_loads(rows[i].record, 0, NULL);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(json_integer_value(json_object_get(r, "seq")), rows[i].seq);
        ck_assert_str_eq(json_string_value(json_object_get(r, "prev_hash")), rows[i].prev_hash);
        json_object_set_new(r, "hash", json_string(rows[i].hash));
        borch_strv_push_owned(out, json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT));
        json_decref(r);
    }
    borch_audit_rows_free(rows, n);
}

START_TEST(append_to_file_and_table_keeps_two_chains)
{
    char *dir = make_temp_dir("audit");
    char *path = borch_path_join(dir, ".borch/audit.jsonl");
    char *db = borch_path_join(dir, "app.db");
    char url_text[1200];
    snprintf(url_text, sizeof url_text, "sqlite:%s", db);
    borch_error err = {0};
    borch_url *url = NULL;
    ck_assert_int_eq(borch_url_parse(url_text, NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    ck_assert_msg(borch_conn_open(url, &create_opts, &conn, &err) == 0, "%s", err.message);

    char version[32];
    borch_audit_event ev = event_n(1, version, sizeof version);
    /* Two records only in the file, then three in both. */
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    ck_assert_int_eq(borch_audit_append(path, NULL, &ev, &err), 0);
    for (int i = 0; i < 3; i++) {
        ev.detail_json = i == 1 ? "{\"n\":1}" : NULL;
        ck_assert_msg(borch_audit_append(path, conn, &ev, &err) == 0, "%s", err.message);
    }

    borch_strv file = {0}, table = {0};
    ck_assert_int_eq(borch_audit_read_file(path, &file, &err), 0);
    table_lines(conn, &table);
    ck_assert_uint_eq(file.count, 5);
    ck_assert_uint_eq(table.count, 3);
    size_t n;
    char *report = verify(&file, &n);
    ck_assert_msg(n == 0, "file: %s", report);
    free(report);
    report = verify(&table, &n);
    ck_assert_msg(n == 0, "table: %s", report);
    free(report);

    /* Own seq per sink, same event and time. */
    for (size_t i = 0; i < 3; i++) {
        json_t *f = json_loads(file.items[i + 2], 0, NULL),
               *t = json_loads(table.items[i], 0, NULL);
        ck_assert_int_eq(json_integer_value(json_object_get(f, "seq")), (long long)i + 3);
        ck_assert_int_eq(json_integer_value(json_object_get(t, "seq")), (long long)i + 1);
        ck_assert_str_eq(json_string_value(json_object_get(f, "at")),
                         json_string_value(json_object_get(t, "at")));
        ck_assert(json_equal(json_object_get(f, "detail"), json_object_get(t, "detail")) ||
                  (!json_object_get(f, "detail") && !json_object_get(t, "detail")));
        json_decref(f);
        json_decref(t);
    }

    /* A forged row in the table is caught like a forged line. */
    ck_assert_int_eq(borch_conn_exec(conn,
                                     "UPDATE borch_audit SET record = replace(record, "
                                     "'\"outcome\":\"ok\"', '\"outcome\":\"failed\"') "
                                     "WHERE seq = 2",
                                     NULL, 0, &err),
                     0);
    borch_strv_release(&table);
    table_lines(conn, &table);
    report = verify(&table, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(report, "line 2: hash does not match its record (edited?)\n");
    free(report);

    borch_strv_release(&file);
    borch_strv_release(&table);
    borch_conn_close(conn);
    borch_url_free(url);
    free(db);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

Suite *suite_audit(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, build_has_every_field_and_a_matching_hash);
    tcase_add_test(tc, build_nulls_and_no_detail);
    tcase_add_test(tc, build_is_deterministic);
    tcase_add_test(tc, build_rejects_detail_that_is_not_an_object);
    tcase_add_test(tc, build_masks_a_password_in_the_error);
    tcase_add_test(tc, build_keeps_error_in_another_encoding);
    tcase_add_test(tc, actor_is_user_at_host);
    suite_add_tcase(s, tc);

    tc = tcase_create("verify");
    tcase_add_test(tc, verify_clean_chain_of_five);
    tcase_add_test(tc, verify_detects_edited_field);
    tcase_add_test(tc, verify_detects_edit_with_rehashed_record);
    tcase_add_test(tc, verify_detects_deleted_line);
    tcase_add_test(tc, verify_detects_swapped_lines);
    tcase_add_test(tc, verify_detects_truncated_line);
    tcase_add_test(tc, verify_detects_first_line_deleted);
    tcase_add_test(tc, verify_reports_missing_fields_and_bad_values);
    tcase_add_test(tc, verify_empty_is_clean);
    suite_add_tcase(s, tc);

    tc = tcase_create("file");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, read_missing_file_gives_no_lines);
    tcase_add_test(tc, append_twice_then_verify);
    tcase_add_test(tc, append_with_bad_detail_writes_nothing);
    tcase_add_test(tc, append_to_unwritable_path_fails);
    tcase_add_test(tc, append_after_damaged_tail_chains_on_it);
    tcase_add_test(tc, append_after_long_line_and_garbage_line);
    tcase_add_test(tc, append_to_full_disk_fails);
    tcase_add_test(tc, concurrent_appends_keep_one_chain);
    suite_add_tcase(s, tc);

    tc = tcase_create("table");
    tcase_add_test(tc, append_to_file_and_table_keeps_two_chains);
    suite_add_tcase(s, tc);
    return s;
}
