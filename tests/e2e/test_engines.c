/*
 * test_engines.c - end-to-end: the built borch-db against SQLite, a real
 * PostgreSQL and a real MariaDB, with the same scenarios on each (the SQL
 * differs only where the engines do: tests/e2e/fixtures/<engine>/).
 *
 * Every test gets a fresh database: a temporary SQLite file, or a throwaway
 * database made through the driver API on the server named by
 * BORCH_TEST_PG_URL / BORCH_TEST_MYSQL_URL (tests/support/servers.sh start).
 * Without a server URL a test is skipped with a notice, except under CI=true,
 * where it fails: CI must not pass by testing nothing.
 *
 * The checks go through the driver API (db_scalar), not through borch-db, so
 * that a command that lies about what it did is caught.
 */
#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/url.h"
#include "driver.h"
#include "support/harness.h"
#include "util/mem.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

enum engine { ENG_SQLITE, ENG_PG, ENG_MYSQL, ENG_COUNT };

static const char *const engine_names[ENG_COUNT] = {"sqlite", "postgres", "mysql"};
static const char *const engine_env[ENG_COUNT] = {NULL, "BORCH_TEST_PG_URL",
                                                  "BORCH_TEST_MYSQL_URL"};
static const char *const engine_server_name[ENG_COUNT] = {NULL, "PostgreSQL", "MariaDB/MySQL"};

/* The one test's state; the checked teardown removes what it holds. */
static struct {
    int engine;
    char *dir;    /* temp folder holding borch.yaml and migrations/ */
    char *server; /* server URL from the environment, or NULL for SQLite */
    char *url;    /* the test's own database */
} T;

/*
 * The server URL for an engine, or NULL after printing a skip notice. Under
 * CI=true a missing server fails the test instead.
 */
static const char *server_url(int engine)
{
    if (engine == ENG_SQLITE)
        return "";
    const char *v = getenv(engine_env[engine]);
    if (v && *v)
        return v;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("no %s test server: %s is not set; run tests/support/servers.sh start",
                     engine_server_name[engine], engine_env[engine]);
    fprintf(stderr, "engines: skipped on %s: %s is not set (run tests/support/servers.sh start)\n",
            engine_names[engine], engine_env[engine]);
    return NULL;
}

/* Writes borch.yaml pointing at url, with extra top-level and env lines. */
static void write_config(const char *url, const char *schema)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "default: dev\n"
             "migrations: migrations\n"
             "connect_timeout: 5\n"
             "environments:\n"
             "  dev:\n"
             "    url: '%s'\n"
             "%s%s%s",
             url, schema ? "    schema: '" : "", schema ? schema : "", schema ? "'\n" : "");
    write_text(T.dir, "borch.yaml", yaml);
}

static void ledger_note(char kind, const char *a, const char *b);

/*
 * Starts a test on an engine: a temp folder, a fresh database and a
 * borch.yaml for it. Returns 0 when the engine is not available (skip).
 */
static int begin(int engine)
{
    const char *server = server_url(engine);
    if (!server)
        return 0;
    memset(&T, 0, sizeof(T));
    T.engine = engine;
    T.dir = make_temp_dir(engine_names[engine]);
    ledger_note('D', T.dir, NULL);
    if (engine == ENG_SQLITE) {
        size_t n = strlen(T.dir) + 32;
        T.url = borch_xmalloc(n);
        snprintf(T.url, n, "sqlite://%s/app.db", T.dir);
    } else {
        T.server = borch_xstrdup(server);
        T.url = db_create_scratch(server);
        ledger_note('S', server, T.url);
    }
    write_config(T.url, NULL);
    return 1;
}

/*
 * The ledger: what each test made on the servers and on disk, one line per
 * thing, in a file the test runner's process names before forking. A test
 * that fails ends its process at once, skipping the checked teardown; the
 * unchecked teardown (in the runner's process, after the test case) then
 * sweeps the ledger so no throwaway database outlives the suite.
 */
static char ledger[600];

/* Names the ledger file, in the runner process before it forks a test. */
static void ledger_start(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(ledger, sizeof(ledger), "%s/borch-engines-%ld.ledger", base && *base ? base : "/tmp",
             (long)getpid());
}

/* Records one thing to remove: 'S' scratch database, 'Q' SQL to run, 'D' folder. */
static void ledger_note(char kind, const char *a, const char *b)
{
    FILE *f = ledger[0] ? fopen(ledger, "a") : NULL;
    if (!f)
        return;
    fprintf(f, "%c\t%s\t%s\n", kind, a, b ? b : "");
    fclose(f);
}

/* Runs cleanup SQL, ignoring failures (the thing may be gone already). */
static void quiet_exec(const char *url_text, const char *sql)
{
    borch_url *u = NULL;
    borch_conn *c = NULL;
    borch_error e = {0};
    if (borch_url_parse(url_text, "/", &u, &e) == 0 && borch_conn_open(u, NULL, &c, &e) == 0) {
        borch_error_clear(&e);
        borch_conn_exec(c, sql, NULL, 1, &e);
        borch_conn_close(c);
    }
    borch_url_free(u);
    borch_error_clear(&e);
}

/* Removes everything the ledger names, then the ledger. */
static void ledger_sweep(void)
{
    FILE *f = ledger[0] ? fopen(ledger, "r") : NULL;
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL;
        if (!a || !b)
            continue;
        *a++ = '\0';
        *b++ = '\0';
        if (line[0] == 'S')
            db_drop_scratch(a, b);
        else if (line[0] == 'Q')
            quiet_exec(a, b);
        else if (line[0] == 'D')
            rm_rf(a);
    }
    fclose(f);
    unlink(ledger);
}

/* After a test that passed: its database and folder go at once. */
static void teardown(void)
{
    if (T.server && T.url)
        db_drop_scratch(T.server, T.url);
    if (T.dir)
        rm_rf(T.dir);
    free(T.dir);
    free(T.server);
    free(T.url);
    memset(&T, 0, sizeof(T));
}

/* The password in the test database's URL, or NULL; malloc'd. */
static char *url_password(const char *url)
{
    const char *auth = strstr(url, "://");
    if (!auth)
        return NULL;
    auth += 3;
    const char *at = strchr(auth, '@');
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!colon || colon + 1 == at)
        return NULL;
    return borch_xstrndup(colon + 1, (size_t)(at - colon - 1));
}

/* Fails the test when the database password shows in text. */
static void no_password_in(const char *what, const char *text)
{
    char *pw = T.url ? url_password(T.url) : NULL;
    if (pw && text)
        ck_assert_msg(strstr(text, pw) == NULL, "[%s] the password shows in %s:\n%s",
                      engine_names[T.engine], what, text);
    free(pw);
}

/* Runs borch-db in the test folder; the password never shows in its output. */
static run_result run(const char *const *argv)
{
    run_result r = run_borch(T.dir, argv, NULL);
    no_password_in("stdout", r.out);
    no_password_in("stderr", r.err);
    return r;
}

/* Checks an exit code, showing both outputs when it is wrong. */
static void expect(run_result *r, int code)
{
    ck_assert_msg(r->status == code, "[%s] exit %d, wanted %d\nstdout:\n%s\nstderr:\n%s",
                  engine_names[T.engine], r->status, code, r->out, r->err);
}

/* Runs argv and checks its exit code; releases the result. */
static void ok_run(const char *const *argv, int code)
{
    run_result r = run(argv);
    expect(&r, code);
    run_result_release(&r);
}

/* A number the test database answers. */
static long count(const char *sql)
{
    return db_count(T.url, sql);
}

/* How many tables or views named name the test's database has (0 or 1). */
static long relation_exists(const char *name)
{
    char sql[512];
    if (T.engine == ENG_SQLITE)
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name = '%s'", name);
    else
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s "
                 "AND table_name = '%s'",
                 T.engine == ENG_PG ? "current_schema()" : "DATABASE()", name);
    return count(sql);
}

/* Rows of borch_schema_history matching where (NULL: all). */
static long history_rows(const char *where)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM borch_schema_history%s%s",
             where ? " WHERE " : "", where ? where : "");
    return count(sql);
}

/* Parses a command's stdout as the one JSON document --json promises. */
static json_t *parse_json(const run_result *r)
{
    json_error_t je;
    json_t *doc = json_loads(r->out, 0, &je);
    ck_assert_msg(doc != NULL, "[%s] stdout is not one JSON document (%s): %s",
                  engine_names[T.engine], je.text, r->out);
    return doc;
}

/* The sample shop application, in the engine's dialect. */
static void copy_shop(void)
{
    if (T.engine == ENG_SQLITE)
        copy_sample_migrations(T.dir);
    else if (T.engine == ENG_PG)
        copy_fixture(T.dir, "postgres/shop");
    else
        copy_fixture(T.dir, "mysql/shop");
}

/*
 * The sample shop: up, status, rollback to nothing, up again; models.json
 * comes out byte for byte the same; --json outputs parse; the audit trail
 * verifies in the file and in the table.
 */
START_TEST(shop_round_trip)
{
    if (!begin(_i))
        return;
    copy_shop();
    run_result r = run(ARGS("--json", "migrate", "up"));
    expect(&r, 0);
    json_t *doc = parse_json(&r);
    ck_assert(json_is_true(json_object_get(doc, "ok")));
    ck_assert_int_eq(json_array_size(json_object_get(doc, "applied")), 8);
    json_decref(doc);
    run_result_release(&r);
    ck_assert_int_eq(history_rows("state = 'applied'"), 8);
    ck_assert_int_eq(relation_exists("order_totals"), 1);
    ck_assert_int_eq(count("SELECT count(*) FROM order_totals"), 0);
    if (T.engine != ENG_SQLITE) {
        /* The backfill ran over the seed rows. */
        char *name = db_scalar(T.url, "SELECT display_name FROM customers WHERE email = "
                                      "'ada@example.com'");
        ck_assert_str_eq(name, "Ada Lovelace");
        free(name);
    }

    r = run(ARGS("status", "--exit-code"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "0 pending") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "drift: none") != NULL, "%s", r.out);
    run_result_release(&r);

    r = run(ARGS("--json", "status"));
    expect(&r, 0);
    doc = parse_json(&r);
    json_t *counts = json_object_get(doc, "counts");
    ck_assert_int_eq(json_integer_value(json_object_get(counts, "applied")), 8);
    ck_assert_int_eq(json_integer_value(json_object_get(counts, "pending")), 0);
    json_decref(doc);
    run_result_release(&r);

    char *before = read_text(T.dir, "models.json");
    ck_assert_ptr_nonnull(before);
    char engine_line[64];
    snprintf(engine_line, sizeof(engine_line), "\"engine\": \"%s\"", engine_names[T.engine]);
    ck_assert_msg(strstr(before, engine_line) != NULL, "no %s in models.json", engine_line);
    ck_assert_ptr_nonnull(strstr(before, "\"orders\""));
    ck_assert_ptr_null(strstr(before, "borch_schema_history"));
    ck_assert_ptr_null(strstr(before, "borch_audit"));

    r = run(ARGS("--json", "rollback", "--to", "0"));
    expect(&r, 0);
    doc = parse_json(&r);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "rolled_back")), 8);
    json_decref(doc);
    run_result_release(&r);
    ck_assert_int_eq(history_rows(NULL), 0);
    ck_assert_int_eq(relation_exists("customers"), 0);
    ck_assert_int_eq(relation_exists("order_totals"), 0);

    ok_run(ARGS("migrate", "up"), 0);
    char *after = read_text(T.dir, "models.json");
    ck_assert_ptr_nonnull(after);
    ck_assert_msg(strcmp(before, after) == 0,
                  "[%s] models.json differs after rollback and up again:\n%s\n---\n%s",
                  engine_names[T.engine], before, after);
    free(before);
    free(after);

    r = run(ARGS("--json", "audit", "verify"));
    expect(&r, 0);
    doc = parse_json(&r);
    ck_assert(json_is_true(json_object_get(doc, "ok")));
    json_t *file = json_object_get(doc, "file"), *table = json_object_get(doc, "table");
    ck_assert_int_eq(json_integer_value(json_object_get(file, "problems")), 0);
    ck_assert_int_ge(json_integer_value(json_object_get(file, "records")), 24);
    ck_assert(json_is_true(json_object_get(table, "checked")));
    ck_assert_int_eq(json_integer_value(json_object_get(table, "problems")), 0);
    ck_assert_int_ge(json_integer_value(json_object_get(table, "records")), 24);
    json_decref(doc);
    run_result_release(&r);
    ck_assert_int_ge(count("SELECT count(*) FROM borch_audit"), 24);
    char *audit = read_text(T.dir, ".borch/audit.jsonl");
    no_password_in("the audit file", audit);
    free(audit);
    char *models = read_text(T.dir, "models.json");
    no_password_in("models.json", models);
    free(models);
    /* The audit rows name the target masked, never with its password. */
    char *pw = url_password(T.url);
    if (pw) {
        char sql[512];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM borch_audit WHERE record LIKE '%%%s%%'",
                 pw);
        ck_assert_int_eq(count(sql), 0);
        ck_assert_int_ge(count("SELECT count(*) FROM borch_audit WHERE record LIKE '%:***@%'"), 24);
        free(pw);
    }
}
END_TEST

/*
 * A migration whose second statement fails: exit 1 naming file:line and the
 * statement. With transactional DDL the first statement is undone and no
 * history row stays; on MySQL the migration is recorded dirty, up refuses
 * until a person fixes the database and runs repair, and then goes on.
 */
START_TEST(second_statement_fails)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/fail");
    run_result r = run(ARGS("migrate", "up"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "2_bad.sql:4:") != NULL, "[%s] no file:line in: %s",
                  engine_names[T.engine], r.err);
    ck_assert_msg(strstr(r.err, "INSERT INTO no_such_table") != NULL, "no statement in: %s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'applied'"), 1);
    ck_assert_int_eq(relation_exists("ok_t"), 1);
    char *audit = read_text(T.dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_ptr_nonnull(strstr(audit, "\"outcome\":\"failed\""));
    free(audit);
    ok_run(ARGS("audit", "verify"), 0);

    if (T.engine != ENG_MYSQL) {
        ck_assert_int_eq(relation_exists("first_t"), 0);
        ck_assert_int_eq(history_rows("version = '2'"), 0);
        return;
    }
    /* MySQL: DDL commits as it goes, so the run is visible as dirty. */
    ck_assert_int_eq(relation_exists("first_t"), 1);
    ck_assert_int_eq(history_rows("version = '2' AND state = 'dirty'"), 1);
    r = run(ARGS("migrate", "up"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "dirty") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "by hand") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "borch-db repair") != NULL, "%s", r.err);
    run_result_release(&r);
    r = run(ARGS("status", "--exit-code"));
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "dirty"));
    run_result_release(&r);

    /* A person undoes the half-run migration and supplies what it needed. */
    db_exec(T.url, "DROP TABLE first_t; CREATE TABLE no_such_table (id INTEGER)");
    r = run(ARGS("repair"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "2_bad") != NULL, "%s", r.out);
    run_result_release(&r);
    ok_run(ARGS("migrate", "up"), 0);
    ck_assert_int_eq(history_rows("version = '2' AND state = 'applied'"), 1);
    ck_assert_int_eq(relation_exists("first_t"), 1);
    ck_assert_int_eq(count("SELECT count(*) FROM no_such_table"), 1);
    ok_run(ARGS("audit", "verify"), 0);
}
END_TEST

/* An applied migration edited afterwards: status says changed, validate fails, up refuses. */
START_TEST(edited_applied_migration)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    ok_run(ARGS("migrate", "up"), 0);
    write_text(
        T.dir, "migrations/1_a.sql",
        "-- +borch up\nCREATE TABLE a (id INTEGER, x INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    write_text(T.dir, "migrations/2_b.sql",
               "-- +borch up\nCREATE TABLE b (id INTEGER);\n-- +borch down\nDROP TABLE b;\n");
    run_result r = run(ARGS("status"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "changed") != NULL, "%s", r.out);
    run_result_release(&r);
    r = run(ARGS("--json", "validate"));
    expect(&r, 1);
    json_decref(parse_json(&r));
    ck_assert_ptr_nonnull(strstr(r.out, "1"));
    run_result_release(&r);
    r = run(ARGS("validate"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "1_a") != NULL || strstr(r.err, "1_a") != NULL, "%s%s", r.out,
                  r.err);
    run_result_release(&r);
    r = run(ARGS("migrate", "up"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "changed after it was applied") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(relation_exists("b"), 0);
    ck_assert_int_eq(history_rows(NULL), 1);
}
END_TEST

/* Rolling back past a migration without a down section is refused before anything runs. */
START_TEST(down_without_section_refuses)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/irreversible");
    ok_run(ARGS("migrate", "up"), 0);
    run_result r = run(ARGS("migrate", "down", "--step", "2"));
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "2_b") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "irreversible") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(history_rows(NULL), 2);
    ck_assert_int_eq(relation_exists("a"), 1);
    ck_assert_int_eq(relation_exists("b"), 1);
}
END_TEST

/* --dry-run prints the SQL and leaves the database as it was, bookkeeping included. */
START_TEST(dry_run_changes_nothing)
{
    if (!begin(_i))
        return;
    copy_shop();
    run_result r = run(ARGS("migrate", "up", "--dry-run"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "CREATE TABLE customers") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "CREATE VIEW order_totals") != NULL, "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(relation_exists("customers"), 0);
    ck_assert_int_eq(relation_exists("borch_schema_history"), 0);
    r = run(ARGS("--json", "migrate", "up", "--dry-run"));
    expect(&r, 0);
    json_t *doc = parse_json(&r);
    ck_assert(json_is_true(json_object_get(doc, "dry_run")));
    ck_assert_int_eq(json_array_size(json_object_get(doc, "applied")), 8);
    json_decref(doc);
    run_result_release(&r);
    ck_assert_int_eq(relation_exists("customers"), 0);
}
END_TEST

/* A change made by hand outside the migrations shows as drift in status. */
START_TEST(drift_is_reported)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    ok_run(ARGS("migrate", "up"), 0);
    run_result r = run(ARGS("status"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "drift: none") != NULL, "%s", r.out);
    run_result_release(&r);
    db_exec(T.url, "ALTER TABLE a ADD COLUMN sneaky INTEGER");
    r = run(ARGS("status"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "drift: none") == NULL && strstr(r.out, "drift: ") != NULL,
                  "[%s] drift not reported:\n%s", engine_names[T.engine], r.out);
    ck_assert_msg(strstr(r.out, "sneaky") != NULL, "[%s] drift does not name the column:\n%s",
                  engine_names[T.engine], r.out);
    run_result_release(&r);
    r = run(ARGS("--json", "status"));
    expect(&r, 0);
    json_t *doc = parse_json(&r);
    json_t *drift = json_object_get(doc, "drift");
    ck_assert(json_is_true(json_object_get(drift, "checked")));
    ck_assert_int_ge(json_array_size(json_object_get(drift, "differences")), 1);
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

/* ---- faults (servers only) -------------------------------------------- */

/* url with its password replaced by pw; malloc'd. */
static char *with_password(const char *url, const char *pw)
{
    const char *scheme_end = strstr(url, "://");
    ck_assert_ptr_nonnull(scheme_end);
    const char *auth = scheme_end + 3;
    const char *at = strchr(auth, '@');
    ck_assert_ptr_nonnull(at);
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    size_t user_len = colon ? (size_t)(colon - auth) : (size_t)(at - auth);
    size_t n = strlen(url) + strlen(pw) + 2;
    char *out = borch_xmalloc(n);
    snprintf(out, n, "%.*s%.*s:%s%s", (int)(auth - url), url, (int)user_len, auth, pw, at);
    return out;
}

/* A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
static int unused_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t len = sizeof(a);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

#define WRONG_PW "Wr0ngPassw0rd-e2e"

/* A wrong password: exit 3 quickly, and the password is nowhere in the output or the audit. */
START_TEST(wrong_password_exits_3)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    char *bad = with_password(T.url, WRONG_PW);
    write_config(bad, NULL);
    free(bad);
    const char *const *cmds[] = {ARGS("migrate", "up"), ARGS("status"),
                                 ARGS("--json", "migrate", "up"), ARGS("audit", "verify")};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        long long t0 = now_ms_mono();
        run_result r = run(cmds[i]);
        long long ms = now_ms_mono() - t0;
        expect(&r, 3);
        ck_assert_msg(ms < 5000 + 2000, "took %lld ms, connect_timeout is 5 s", ms);
        ck_assert_msg(strstr(r.out, WRONG_PW) == NULL && strstr(r.err, WRONG_PW) == NULL,
                      "password leaked:\n%s\n%s", r.out, r.err);
        ck_assert_msg(strstr(r.err, "borch-db: ") != NULL, "no error line: %s", r.err);
        run_result_release(&r);
    }
    char *audit = read_text(T.dir, ".borch/audit.jsonl");
    ck_assert_msg(audit == NULL || strstr(audit, WRONG_PW) == NULL, "password in audit: %s", audit);
    free(audit);
    ck_assert_int_eq(relation_exists("borch_schema_history"), 0);
}
END_TEST

/* A server that is not there (a closed port on 127.0.0.1): exit 3, promptly. */
START_TEST(host_down_exits_3)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    char url[256];
    int port = unused_port();
    if (T.engine == ENG_PG)
        snprintf(url, sizeof(url), "postgres://borch:%s@127.0.0.1:%d/nowhere?sslmode=disable",
                 WRONG_PW, port);
    else
        snprintf(url, sizeof(url), "mysql://borch:%s@127.0.0.1:%d/nowhere", WRONG_PW, port);
    write_config(url, NULL);
    long long t0 = now_ms_mono();
    run_result r = run(ARGS("migrate", "up"));
    long long ms = now_ms_mono() - t0;
    expect(&r, 3);
    ck_assert_msg(ms < 7000, "took %lld ms", ms);
    ck_assert_msg(strstr(r.err, WRONG_PW) == NULL, "password leaked: %s", r.err);
    run_result_release(&r);
}
END_TEST

/*
 * Eight borch-db processes migrating one database at once: each migration
 * applied exactly once (each logs its version), every process ends 0, or 3
 * for a lock wait that ran out.
 */
START_TEST(concurrent_ups_apply_each_once)
{
    if (!begin(_i))
        return;
    enum { NMIG = 10, NPROC = 8 };
    write_text(
        T.dir, "migrations/0_log.sql",
        "-- +borch up\nCREATE TABLE log_t (v INTEGER);\n-- +borch down\nDROP TABLE log_t;\n");
    for (int i = 1; i <= NMIG; i++) {
        char name[64], body[512];
        snprintf(name, sizeof(name), "migrations/%d_m%d.sql", i, i);
        snprintf(body, sizeof(body),
                 "-- +borch up\nCREATE TABLE t%d (x INTEGER);\nINSERT INTO log_t VALUES (%d);\n"
                 "-- +borch down\nDROP TABLE t%d;\n",
                 i, i, i);
        write_text(T.dir, name, body);
    }
    pid_t pids[NPROC];
    char outs[NPROC][600];
    for (int i = 0; i < NPROC; i++) {
        snprintf(outs[i], sizeof(outs[i]), "%s/out.%d", T.dir, i);
        pids[i] = spawn_borch(T.dir, ARGS("migrate", "up", "--lock-timeout", "60"), outs[i]);
    }
    for (int i = 0; i < NPROC; i++) {
        int code = wait_borch(pids[i], 90 * 1000);
        char *out = read_text(T.dir, strrchr(outs[i], '/') + 1);
        ck_assert_msg(code == 0 || (code == 3 && out && strstr(out, "lock")),
                      "[%s] process %d exited %d:\n%s", engine_names[T.engine], i, code,
                      out ? out : "");
        free(out);
    }
    ck_assert_int_eq(count("SELECT count(*) FROM log_t"), NMIG);
    ck_assert_int_eq(count("SELECT count(DISTINCT v) FROM log_t"), NMIG);
    ck_assert_int_eq(history_rows("state = 'applied'"), NMIG + 1);
    ok_run(ARGS("audit", "verify"), 0);
}
END_TEST

/* SQL that is true while some other session of this database runs pg_sleep. */
#define PG_SLEEPERS                                                                                \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "         \
    "pg_backend_pid() AND query LIKE '%pg_sleep(3)%'"

/*
 * kill -9 of borch-db in the middle of a slow PostgreSQL migration: the
 * server rolls the migration back, the advisory lock goes with the session,
 * and a rerun (with a lock timeout too short to wait for a leaked lock)
 * completes.
 */
START_TEST(pg_kill_9_mid_migration)
{
    if (!begin(ENG_PG))
        return;
    copy_fixture(T.dir, "postgres/slow");
    char outp[600];
    snprintf(outp, sizeof(outp), "%s/out.kill", T.dir);
    pid_t pid = spawn_borch(T.dir, ARGS("migrate", "up"), outp);
    long long end = now_ms_mono() + 20000;
    while (count(PG_SLEEPERS) == 0) {
        ck_assert_msg(now_ms_mono() < end, "the slow migration never started");
        usleep(50 * 1000);
    }
    kill(pid, SIGKILL);
    ck_assert_int_eq(wait_borch(pid, 10000), 128 + SIGKILL);
    /* Nothing of the migration is visible: it was one uncommitted transaction. */
    ck_assert_int_eq(relation_exists("slow_t"), 0);
    ck_assert_int_eq(history_rows("version = '1'"), 0);
    /* The orphaned backend ends when it finds its client gone. */
    end = now_ms_mono() + 20000;
    while (count(PG_SLEEPERS) > 0) {
        ck_assert_msg(now_ms_mono() < end, "the killed session never ended");
        usleep(100 * 1000);
    }
    ck_assert_int_eq(count("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = "
                           "l.database WHERE l.locktype = 'advisory' AND d.datname = "
                           "current_database()"),
                     0);
    ok_run(ARGS("migrate", "up", "--lock-timeout", "2"), 0);
    ck_assert_int_eq(count("SELECT count(*) FROM slow_t"), 1);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'applied'"), 1);
}
END_TEST

/*
 * A notx CREATE INDEX CONCURRENTLY completes while borch-db holds its own
 * migration lock, and while a second borch-db waits for that lock. A small
 * lock timeout and a deadline turn a deadlock into a failure, not a hang.
 */
START_TEST(pg_create_index_concurrently)
{
    if (!begin(ENG_PG))
        return;
    copy_fixture(T.dir, "postgres/concurrently");
    char out1[600], out2[600];
    snprintf(out1, sizeof(out1), "%s/out.1", T.dir);
    snprintf(out2, sizeof(out2), "%s/out.2", T.dir);
    pid_t a = spawn_borch(T.dir, ARGS("migrate", "up", "--lock-timeout", "20"), out1);
    pid_t b = spawn_borch(T.dir, ARGS("migrate", "up", "--lock-timeout", "20"), out2);
    int ca = wait_borch(a, 40000), cb = wait_borch(b, 40000);
    char *ta = read_text(T.dir, "out.1"), *tb = read_text(T.dir, "out.2");
    ck_assert_msg(ca == 0 && cb == 0, "exits %d and %d (-1: hung, killed):\n%s\n---\n%s", ca, cb,
                  ta ? ta : "", tb ? tb : "");
    free(ta);
    free(tb);
    char *valid = db_scalar(T.url, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                                   "'items_sku_idx'::regclass");
    ck_assert_str_eq(valid, "true");
    free(valid);
    ck_assert_int_eq(history_rows("state = 'applied'"), 2);
    pid_t c = spawn_borch(T.dir, ARGS("rollback", "--lock-timeout", "5"), out1);
    ck_assert_int_eq(wait_borch(c, 30000), 0);
    ck_assert_int_eq(count("SELECT count(*) FROM pg_class WHERE relname = 'items_sku_idx'"), 0);
    ck_assert_int_eq(history_rows(NULL), 1);
}
END_TEST

/* SQL that is true while another session of this database sleeps in a slow migration. */
static const char *sleepers_sql(void)
{
    return T.engine == ENG_PG ? PG_SLEEPERS
                              : "SELECT count(*) FROM information_schema.processlist WHERE db = "
                                "DATABASE() AND id <> CONNECTION_ID() AND info LIKE "
                                "'SELECT SLEEP(3)%'";
}

/* Waits until the slow migration sleeps on the server (or ends the test). */
static void wait_for_sleeper(int present)
{
    long long end = now_ms_mono() + 20000;
    while ((count(sleepers_sql()) > 0) != present) {
        ck_assert_msg(now_ms_mono() < end, present ? "the slow migration never started"
                                                   : "the killed session never ended");
        usleep(50 * 1000);
    }
}

/* A lock held by another borch-db for longer than --lock-timeout: exit 3, naming the lock. */
START_TEST(lock_timeout_exits_3)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, T.engine == ENG_PG ? "postgres/slow" : "mysql/slow");
    char outp[600];
    snprintf(outp, sizeof(outp), "%s/out.slow", T.dir);
    pid_t pid = spawn_borch(T.dir, ARGS("migrate", "up"), outp);
    wait_for_sleeper(1);
    long long t0 = now_ms_mono();
    run_result r = run(ARGS("migrate", "up", "--lock-timeout", "1"));
    long long ms = now_ms_mono() - t0;
    expect(&r, 3);
    ck_assert_msg(strstr(r.err, "lock") != NULL, "%s", r.err);
    ck_assert_msg(ms < 2900, "waited %lld ms with --lock-timeout 1", ms);
    run_result_release(&r);
    int code = wait_borch(pid, 30000);
    char *out = read_text(T.dir, "out.slow");
    ck_assert_msg(code == 0, "the slow run exited %d:\n%s", code, out ? out : "");
    free(out);
    ck_assert_int_eq(count("SELECT count(*) FROM slow_t"), 1);
    ck_assert_int_eq(history_rows("state = 'applied'"), 1);
}
END_TEST

/*
 * The migration lock belongs to one database: while a slow migration holds
 * it on one database, another database on the same server migrates at once
 * (MySQL's GET_LOCK names are server-wide, so the name must carry the
 * database).
 */
START_TEST(lock_is_per_database)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, T.engine == ENG_PG ? "postgres/slow" : "mysql/slow");
    char *other_dir = make_temp_dir("other");
    ledger_note('D', other_dir, NULL);
    char *other_url = db_create_scratch(T.server);
    ledger_note('S', T.server, other_url);
    char yaml[1024];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: '%s'\n", other_url);
    write_text(other_dir, "borch.yaml", yaml);
    write_text(other_dir, "migrations/1_a.sql",
               "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    char outp[600];
    snprintf(outp, sizeof(outp), "%s/out.slow", T.dir);
    pid_t pid = spawn_borch(T.dir, ARGS("migrate", "up"), outp);
    wait_for_sleeper(1);
    run_result r = run_borch(other_dir, ARGS("migrate", "up", "--lock-timeout", "1"), NULL);
    ck_assert_msg(r.status == 0, "[%s] blocked by another database's lock: exit %d\n%s",
                  engine_names[T.engine], r.status, r.err);
    run_result_release(&r);
    ck_assert_int_eq(wait_borch(pid, 30000), 0);
    ck_assert_int_eq(db_count(other_url, "SELECT count(*) FROM borch_schema_history"), 1);
    db_drop_scratch(T.server, other_url);
    rm_rf(other_dir);
    free(other_url);
    free(other_dir);
}
END_TEST

/*
 * kill -9 of borch-db during a slow MySQL migration: the migration is left
 * recorded dirty (never silent), the named lock goes with the session, and
 * the next run refuses with the repair advice rather than a lock timeout.
 */
START_TEST(mysql_kill_9_leaves_dirty)
{
    if (!begin(ENG_MYSQL))
        return;
    copy_fixture(T.dir, "mysql/slow");
    char outp[600];
    snprintf(outp, sizeof(outp), "%s/out.kill", T.dir);
    pid_t pid = spawn_borch(T.dir, ARGS("migrate", "up"), outp);
    wait_for_sleeper(1);
    kill(pid, SIGKILL);
    ck_assert_int_eq(wait_borch(pid, 10000), 128 + SIGKILL);
    wait_for_sleeper(0);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'dirty'"), 1);
    run_result r = run(ARGS("migrate", "up", "--lock-timeout", "2"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "dirty") != NULL && strstr(r.err, "repair") != NULL, "%s", r.err);
    run_result_release(&r);
    db_exec(T.url, "DROP TABLE IF EXISTS slow_t");
    ok_run(ARGS("repair"), 0);
    ok_run(ARGS("migrate", "up", "--lock-timeout", "2"), 0);
    ck_assert_int_eq(count("SELECT count(*) FROM slow_t"), 1);
    ck_assert_int_eq(history_rows("state = 'applied'"), 1);
}
END_TEST

/*
 * A PostgreSQL notx migration has no transaction to undo it: a failure
 * part-way is recorded dirty as on MySQL, and repair clears it.
 */
START_TEST(pg_notx_failure_is_dirty)
{
    if (!begin(ENG_PG))
        return;
    copy_fixture(T.dir, "postgres/notx_fail");
    run_result r = run(ARGS("migrate", "up"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "1_bad.sql:4:") != NULL, "no file:line in: %s", r.err);
    ck_assert_msg(strstr(r.err, "INSERT INTO no_such_table") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(relation_exists("first_t"), 1);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'dirty'"), 1);
    r = run(ARGS("migrate", "up"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "borch-db repair") != NULL, "%s", r.err);
    run_result_release(&r);
    db_exec(T.url, "DROP TABLE first_t; CREATE TABLE no_such_table (id INTEGER)");
    ok_run(ARGS("repair"), 0);
    ok_run(ARGS("migrate", "up"), 0);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'applied'"), 1);
    ck_assert_int_eq(count("SELECT count(*) FROM no_such_table"), 1);
}
END_TEST

/* How often needle occurs in text. */
static int occurrences(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * A server that accepts the TCP connection and then says nothing: the
 * connect_timeout (2 s here) bounds the wait, and the exit is 3.
 */
START_TEST(silent_server_times_out)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(s, 16), 0);
    socklen_t len = sizeof(a);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    char url[256];
    if (T.engine == ENG_PG)
        snprintf(url, sizeof(url), "postgres://borch:%s@127.0.0.1:%d/db?sslmode=disable", WRONG_PW,
                 ntohs(a.sin_port));
    else
        snprintf(url, sizeof(url), "mysql://borch:%s@127.0.0.1:%d/db", WRONG_PW, ntohs(a.sin_port));
    write_text(T.dir, "borch.yaml", "connect_timeout: 2\n");
    long long t0 = now_ms_mono();
    run_result r = run(ARGS("-u", url, "migrate", "up"));
    long long ms = now_ms_mono() - t0;
    close(s);
    expect(&r, 3);
    ck_assert_msg(ms >= 1500 && ms < 5000, "took %lld ms with connect_timeout 2", ms);
    ck_assert_msg(strstr(r.err, WRONG_PW) == NULL, "password leaked: %s", r.err);
    run_result_release(&r);
}
END_TEST

/*
 * A short wrong password: the error says what the server said. Masking the
 * password must hide the URL's password, not every occurrence of its letters
 * in the server's message - that mangles the message and, worse, shows
 * which letters the password is made of.
 */
START_TEST(short_password_masks_only_the_url)
{
    if (!begin(_i))
        return;
    copy_fixture(T.dir, "portable/edit");
    char *bad = with_password(T.url, "e");
    write_config(bad, NULL);
    free(bad);
    run_result r = run(ARGS("status"));
    expect(&r, 3);
    ck_assert_msg(occurrences(r.err, "***") == 1,
                  "[%s] the server's message is masked letter by letter:\n%s",
                  engine_names[T.engine], r.err);
    run_result_release(&r);
}
END_TEST

/*
 * Hostile names on the servers: a database whose name holds a quote and a
 * space, reached by a user whose password holds URL delimiters (MySQL:
 * borch may create users there), all percent-encoded in the URL.
 */
START_TEST(hostile_database_and_password)
{
    if (!begin(_i))
        return;
    char sql[512], url[512], cleanup[512];
    int port = 0;
    const char *hostport = strstr(T.server, "@127.0.0.1:");
    ck_assert_ptr_nonnull(hostport);
    port = atoi(hostport + 11);
    char enc[128];
    snprintf(enc, sizeof(enc), "e2e%%20we%%%sird%%20db%%20%ld", T.engine == ENG_PG ? "22" : "60",
             (long)getpid());
    if (T.engine == ENG_PG)
        snprintf(cleanup, sizeof(cleanup),
                 "DROP DATABASE IF EXISTS \"e2e we\"\"ird db %ld\" WITH (FORCE)", (long)getpid());
    else
        snprintf(
            cleanup, sizeof(cleanup),
            "DROP DATABASE IF EXISTS `e2e we``ird db %ld`; DROP USER IF EXISTS 'e2e_u%ld'@'%%'",
            (long)getpid(), (long)getpid());
    ledger_note('Q', T.server, cleanup);
    if (T.engine == ENG_PG) {
        snprintf(sql, sizeof(sql), "CREATE DATABASE \"e2e we\"\"ird db %ld\"", (long)getpid());
        db_exec(T.server, sql);
        snprintf(url, sizeof(url), "postgres://borch:borch-test-pw@127.0.0.1:%d/%s?sslmode=disable",
                 port, enc);
    } else {
        snprintf(sql, sizeof(sql),
                 "CREATE DATABASE `e2e we``ird db %ld`; "
                 "CREATE USER 'e2e_u%ld'@'%%' IDENTIFIED BY 'p@ss:w/rd%%x?#'; "
                 "GRANT ALL ON `e2e we``ird db %ld`.* TO 'e2e_u%ld'@'%%'",
                 (long)getpid(), (long)getpid(), (long)getpid(), (long)getpid());
        db_exec(T.server, sql);
        snprintf(url, sizeof(url),
                 "mysql://e2e_u%ld:p%%40ss%%3Aw%%2Frd%%25x%%3F%%23@127.0.0.1:%d/%s", (long)getpid(),
                 port, enc);
    }
    /* The scratch database goes in teardown; this one at the end here (or in the sweep). */
    char *scratch = T.url;
    T.url = borch_xstrdup(url);
    write_config(T.url, NULL);
    copy_fixture(T.dir, "portable/irreversible");
    run_result r = run(ARGS("migrate", "up"));
    expect(&r, 0);
    run_result_release(&r);
    r = run(ARGS("status", "--exit-code"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "drift: none") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, ":***@") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "p%40ss") == NULL && strstr(r.out, "p@ss") == NULL, "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(history_rows(NULL), 2);
    ck_assert_int_eq(relation_exists("b"), 1);
    r = run(ARGS("rollback"));
    expect(&r, 2); /* 2_b is irreversible */
    run_result_release(&r);
    ok_run(ARGS("audit", "verify"), 0);
    char *audit = read_text(T.dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_msg(strstr(audit, "p%40ss") == NULL && strstr(audit, "p@ss") == NULL, "%s", audit);
    free(audit);
    free(T.url);
    T.url = scratch;
    db_exec(T.server, cleanup);
}
END_TEST

/*
 * A MySQL rollback that fails part-way is recorded dirty too: exit 1 with
 * file:line, further rollbacks refuse, and once a person finishes the
 * rollback by hand, repair clears the record and the migration is pending.
 */
START_TEST(mysql_rollback_failure_is_dirty)
{
    if (!begin(ENG_MYSQL))
        return;
    copy_fixture(T.dir, "mysql/down_fail");
    ok_run(ARGS("migrate", "up"), 0);
    run_result r = run(ARGS("rollback"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "1_pair.sql:8:") != NULL, "no file:line in: %s", r.err);
    ck_assert_msg(strstr(r.err, "DROP TABLE no_such_table") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "borch-db repair") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(history_rows("version = '1' AND state = 'dirty'"), 1);
    ck_assert_int_eq(relation_exists("pair_b"), 0);
    ck_assert_int_eq(relation_exists("pair_a"), 1);
    r = run(ARGS("rollback"));
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "dirty") != NULL, "%s", r.err);
    run_result_release(&r);
    db_exec(T.url, "DROP TABLE pair_a");
    ok_run(ARGS("repair"), 0);
    ck_assert_int_eq(history_rows(NULL), 0);
    r = run(ARGS("--json", "status"));
    expect(&r, 0);
    json_t *doc = parse_json(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "counts"), "pending")),
                     1);
    json_decref(doc);
    run_result_release(&r);
    ok_run(ARGS("audit", "verify"), 0);
}
END_TEST

#define HOSTILE_SCHEMA "we\"ird schema"

/*
 * A PostgreSQL schema whose name holds a double quote and a space: up,
 * status and rollback work, and the history lands in that schema.
 */
START_TEST(pg_hostile_schema_name)
{
    if (!begin(ENG_PG))
        return;
    db_exec(T.url, "CREATE SCHEMA \"we\"\"ird schema\"");
    write_config(T.url, HOSTILE_SCHEMA);
    copy_fixture(T.dir, "portable/edit");
    write_text(T.dir, "migrations/2_b.sql",
               "-- +borch up\nCREATE TABLE b (id INTEGER REFERENCES a (id));\n-- +borch down\nDROP "
               "TABLE b;\n");
    write_text(
        T.dir, "migrations/1_a.sql",
        "-- +borch up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- +borch down\nDROP TABLE a;\n");
    ok_run(ARGS("migrate", "up"), 0);
    run_result r = run(ARGS("status", "--exit-code"));
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "0 pending") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "drift: none") != NULL, "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(count("SELECT count(*) FROM \"we\"\"ird schema\".borch_schema_history"), 2);
    ck_assert_int_eq(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'public' AND table_name LIKE 'borch%'"),
                     0);
    ck_assert_int_eq(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'we\"ird schema' AND table_name IN ('a', 'b')"),
                     2);
    ok_run(ARGS("rollback"), 0);
    ck_assert_int_eq(count("SELECT count(*) FROM \"we\"\"ird schema\".borch_schema_history"), 1);
    ck_assert_int_eq(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'we\"ird schema' AND table_name = 'b'"),
                     0);
    ok_run(ARGS("audit", "verify"), 0);
    ck_assert_int_ge(count("SELECT count(*) FROM \"we\"\"ird schema\".borch_audit"), 3);
}
END_TEST

Suite *suite_engines(void)
{
    Suite *s = suite_create("engines");
    TCase *tc = tcase_create("contract");
    tcase_add_unchecked_fixture(tc, ledger_start, ledger_sweep);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, shop_round_trip, 0, ENG_COUNT);
    tcase_add_loop_test(tc, second_statement_fails, 0, ENG_COUNT);
    tcase_add_loop_test(tc, edited_applied_migration, 0, ENG_COUNT);
    tcase_add_loop_test(tc, down_without_section_refuses, 0, ENG_COUNT);
    tcase_add_loop_test(tc, dry_run_changes_nothing, 0, ENG_COUNT);
    tcase_add_loop_test(tc, drift_is_reported, 0, ENG_COUNT);
    suite_add_tcase(s, tc);

    TCase *faults = tcase_create("faults");
    tcase_add_unchecked_fixture(faults, ledger_start, ledger_sweep);
    tcase_add_checked_fixture(faults, NULL, teardown);
    tcase_set_timeout(faults, 120);
    tcase_add_loop_test(faults, wrong_password_exits_3, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, host_down_exits_3, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, concurrent_ups_apply_each_once, 0, ENG_COUNT);
    tcase_add_loop_test(faults, lock_timeout_exits_3, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, lock_is_per_database, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, silent_server_times_out, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, short_password_masks_only_the_url, ENG_PG, ENG_COUNT);
    tcase_add_loop_test(faults, hostile_database_and_password, ENG_PG, ENG_COUNT);
    tcase_add_test(faults, pg_kill_9_mid_migration);
    tcase_add_test(faults, mysql_kill_9_leaves_dirty);
    tcase_add_test(faults, pg_notx_failure_is_dirty);
    tcase_add_test(faults, mysql_rollback_failure_is_dirty);
    tcase_add_test(faults, pg_create_index_concurrently);
    tcase_add_test(faults, pg_hostile_schema_name);
    suite_add_tcase(s, faults);
    return s;
}
