/*
 * test_lint.c - each lint rule against real databases: SQLite always;
 * PostgreSQL and MariaDB when BORCH_TEST_PG_URL / BORCH_TEST_MYSQL_URL are
 * set (tests/support/servers.sh start). Without them the server tests say
 * so and pass, except under CI=true, where a missing server is a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lint.h"
#include "core/scratch.h"
#include "core/url.h"
#include "support/harness.h"
#include "util/mem.h"

/* The server URL in env var name, or NULL after a notice (a failure under CI=true). */
static const char *server_url(const char *name)
{
    const char *url = getenv(name);
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("no test server: set %s (tests/support/servers.sh start)", name);
    fprintf(stderr, "lint: %s not set, server test skipped\n", name);
    return NULL;
}

typedef struct lint_case {
    char *dir;
    borch_migration_set set;
    borch_lint_report rep;
    int rc;
    borch_error err;
} lint_case;

/*
 * Writes files (name, text pairs, NULL-terminated) as migrations, lints
 * [first, end) in a throwaway database on url's server and keeps the report.
 */
static void run_lint(lint_case *lc, const char *url, size_t first, const char *const *files)
{
    memset(lc, 0, sizeof(*lc));
    lc->dir = make_temp_dir("lint");
    char mig[1024];
    snprintf(mig, sizeof(mig), "%s/migrations", lc->dir);
    for (size_t i = 0; files[i]; i += 2)
        write_text(mig, files[i], files[i + 1]);
    borch_error e = {0};
    ck_assert_msg(borch_migrations_load(mig, &lc->set, &e) == 0, "load: %s", e.message);
    char target[1200];
    if (!url) {
        snprintf(target, sizeof(target), "sqlite:%s/target.db", lc->dir);
        url = target;
    }
    borch_url *u = NULL;
    ck_assert_msg(borch_url_parse(url, NULL, &u, &e) == 0, "url: %s", e.message);
    borch_conn_opts opts = {.connect_timeout_s = 5};
    borch_scratch *s = NULL;
    ck_assert_msg(borch_scratch_open(u, NULL, &opts, &s, &e) == 0, "scratch: %s", e.message);
    lc->rc = borch_lint_run(s->conn, &lc->set, first, lc->set.count - first, &lc->rep, &lc->err);
    borch_scratch_close(s);
    borch_url_free(u);
}

static void done(lint_case *lc)
{
    borch_lint_report_release(&lc->rep);
    borch_migrations_release(&lc->set);
    borch_error_clear(&lc->err);
    rm_rf(lc->dir);
    free(lc->dir);
}

/* How many findings of rule id (ignored ones too). */
static size_t count(const lint_case *lc, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < lc->rep.count; i++)
        n += strcmp(lc->rep.items[i].rule->id, id) == 0;
    return n;
}

/* The first finding of rule id whose message contains text (may be NULL). */
static const borch_lint_finding *find(const lint_case *lc, const char *id, const char *text)
{
    for (size_t i = 0; i < lc->rep.count; i++) {
        const borch_lint_finding *f = &lc->rep.items[i];
        if (strcmp(f->rule->id, id) == 0 && (!text || strstr(f->message, text)))
            return f;
    }
    return NULL;
}

/* Every finding as lines, for failure messages. */
static const char *dump(const lint_case *lc)
{
    static char buf[8192];
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < lc->rep.count && at < sizeof(buf) - 200; i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s:%d %s %s%s\n",
                               lc->rep.items[i].file, lc->rep.items[i].line,
                               lc->rep.items[i].rule->id, lc->rep.items[i].message,
                               lc->rep.items[i].ignored ? " (ignored)" : "");
    return buf;
}

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})

#define USERS                                                                                      \
    "1_users.sql",                                                                                 \
        "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100), n "         \
        "INTEGER);\n-- +borch down\nDROP TABLE users;\n"

START_TEST(rule_table_is_complete)
{
    const borch_lint_rule *r = borch_lint_rules();
    size_t n = 0;
    for (; r[n].id; n++) {
        ck_assert_int_eq((int)strlen(r[n].id), 5);
        ck_assert_ptr_nonnull(r[n].summary);
        ck_assert_msg(r[n].fix && strlen(r[n].fix) > 20, "%s has no fix line", r[n].id);
        for (size_t k = 0; k < n; k++)
            ck_assert_str_ne(r[k].id, r[n].id);
    }
    ck_assert_int_ge((int)n, 10);
    ck_assert_int_eq(r[0].severity, BORCH_LINT_ERROR);
}
END_TEST

START_TEST(clean_migrations_have_no_findings)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_posts.sql",
                   "-- +borch up\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT "
                   "NULL REFERENCES users(id), title TEXT NOT NULL);\n"
                   "CREATE UNIQUE INDEX posts_title ON posts (title);\n"
                   "-- +borch down\nDROP TABLE posts;\n"));
    ck_assert_int_eq(lc.rc, 0);
    ck_assert_msg(lc.rep.count == 0, "findings:\n%s", dump(&lc));
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 0);
    done(&lc);
}
END_TEST

START_TEST(drop_table_and_column_are_errors_at_their_line)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_tmp.sql",
                   "-- +borch up\nCREATE TABLE tmp (a INTEGER);\n-- +borch down\nDROP TABLE tmp;\n",
                   "3_drop.sql",
                   "-- +borch up\n-- tidy up\nALTER TABLE users DROP COLUMN email;\n"
                   "DROP TABLE tmp;\n-- +borch down\nCREATE TABLE tmp (a INTEGER);\n"
                   "ALTER TABLE users ADD COLUMN email VARCHAR(100);\n"));
    ck_assert_int_eq(lc.rc, 0);
    const borch_lint_finding *col = find(&lc, "BD001", "drops column users.email");
    const borch_lint_finding *tab = find(&lc, "BD001", "drops table tmp");
    ck_assert_msg(col && tab, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(col->line, 3);
    ck_assert_int_eq(tab->line, 4);
    ck_assert_str_eq(col->migration->version, "3");
    ck_assert_ptr_nonnull(strstr(col->file, "3_drop.sql"));
    ck_assert_int_eq(col->rule->severity, BORCH_LINT_ERROR);
    ck_assert_int_ge((int)borch_lint_errors(&lc.rep), 2);
    done(&lc);
}
END_TEST

START_TEST(data_dependent_changes_are_warnings)
{
    lint_case lc;
    /* SQLite sets NOT NULL by rebuilding the table by hand. */
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_strict.sql",
                   "-- +borch up\nCREATE UNIQUE INDEX users_email ON users (email);\n"
                   "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email VARCHAR(100), n INTEGER "
                   "NOT NULL);\nINSERT INTO users_new SELECT * FROM users;\nDROP TABLE users;\n"
                   "ALTER TABLE users_new RENAME TO users;\n"
                   "CREATE UNIQUE INDEX users_email ON users (email);\n"
                   "-- +borch down\nDROP INDEX users_email;\n"
                   "CREATE TABLE users_old (id INTEGER PRIMARY KEY, email VARCHAR(100), n "
                   "INTEGER);\nINSERT INTO users_old SELECT * FROM users;\nDROP TABLE users;\n"
                   "ALTER TABLE users_old RENAME TO users;\n"));
    ck_assert_int_eq(lc.rc, 0);
    const borch_lint_finding *nn = find(&lc, "BD002", "sets users.n NOT NULL");
    const borch_lint_finding *uq = find(&lc, "BD002", "unique index users_email");
    ck_assert_msg(nn && uq, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(nn->rule->severity, BORCH_LINT_WARNING);
    ck_assert_int_eq(uq->line, 2);
    /* a warning alone does not fail the lint */
    ck_assert_msg(borch_lint_errors(&lc.rep) == 0, "findings:\n%s", dump(&lc));
    done(&lc);
}
END_TEST

START_TEST(sqlite_rebuilds_are_info)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_check.sql",
                   "-- +borch up\nCREATE TABLE u2 (id INTEGER PRIMARY KEY, email VARCHAR(100), n "
                   "INTEGER CHECK (n > 0));\nINSERT INTO u2 SELECT * FROM users;\nDROP TABLE users;\n"
                   "ALTER TABLE u2 RENAME TO users;\n"
                   "-- +borch down\nCREATE TABLE u1 (id INTEGER PRIMARY KEY, email VARCHAR(100), n "
                   "INTEGER);\nINSERT INTO u1 SELECT * FROM users;\nDROP TABLE users;\n"
                   "ALTER TABLE u1 RENAME TO users;\n"));
    ck_assert_int_eq(lc.rc, 0);
    const borch_lint_finding *f = find(&lc, "BD010", "rebuilds table users");
    ck_assert_msg(f, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(f->rule->severity, BORCH_LINT_INFO);
    ck_assert_ptr_nonnull(find(&lc, "BD002", "adds check"));
    /* the PostgreSQL and MySQL rules stay silent on SQLite */
    ck_assert_int_eq((int)count(&lc, "BD005") + (int)count(&lc, "BD009"), 0);
    done(&lc);
}
END_TEST

START_TEST(missing_down_is_an_error_and_ignore_silences_it_with_reason)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_seed.sql", "-- +borch up\nCREATE TABLE seed (a INTEGER);\n",
                   "3_log.sql",
                   "-- +borch lint:ignore BD003 the log table is append-only, never rolled back\n"
                   "-- +borch up\nCREATE TABLE log (a INTEGER);\n"));
    ck_assert_int_eq(lc.rc, 0);
    ck_assert_int_eq((int)count(&lc, "BD003"), 2);
    const borch_lint_finding *seed = find(&lc, "BD003", NULL);
    ck_assert_str_eq(seed->migration->version, "2");
    ck_assert_int_eq(seed->ignored, 0);
    ck_assert_int_eq(seed->line, 1);
    const borch_lint_finding *log = &lc.rep.items[lc.rep.count - 1];
    ck_assert_str_eq(log->migration->version, "3");
    ck_assert_int_eq(log->ignored, 1);
    ck_assert_str_eq(log->ignore_reason, "the log table is append-only, never rolled back");
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 1);
    done(&lc);
}
END_TEST

START_TEST(ignore_of_another_rule_does_not_silence)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_drop.sql",
                   "-- +borch lint:ignore BD0011 not this rule\n-- +borch lint:ignore BD003\n"
                   "-- +borch up\nALTER TABLE users DROP COLUMN n;\n"));
    ck_assert_int_eq(lc.rc, 0);
    const borch_lint_finding *drop = find(&lc, "BD001", NULL);
    const borch_lint_finding *nodown = find(&lc, "BD003", NULL);
    ck_assert_msg(drop && nodown, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(drop->ignored, 0);
    ck_assert_int_eq(nodown->ignored, 1);
    ck_assert_str_eq(nodown->ignore_reason, "no reason given");
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 1);
    done(&lc);
}
END_TEST

START_TEST(down_that_does_not_reverse_up_is_an_error)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_keeps.sql",
                   "-- +borch up\nCREATE TABLE a (x INTEGER);\n-- +borch down\nSELECT 1;\n",
                   "3_fails.sql",
                   "-- +borch up\nCREATE TABLE b (x INTEGER);\n-- +borch down\n\nDROP TABLEX b;\n",
                   "4_fine.sql",
                   "-- +borch up\nCREATE TABLE c (x INTEGER);\n-- +borch down\nDROP TABLE c;\n"));
    ck_assert_int_eq(lc.rc, 0);
    const borch_lint_finding *keeps = find(&lc, "BD004", "table a still present");
    const borch_lint_finding *fails = find(&lc, "BD004", "the down fails");
    ck_assert_msg(keeps && fails, "findings:\n%s", dump(&lc));
    ck_assert_str_eq(keeps->migration->version, "2");
    ck_assert_int_eq(keeps->line, 4);
    ck_assert_str_eq(fails->migration->version, "3");
    ck_assert_int_eq(fails->line, 5);
    ck_assert_int_eq((int)count(&lc, "BD004"), 2);
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 2);
    done(&lc);
}
END_TEST

START_TEST(first_lints_only_later_migrations)
{
    lint_case lc;
    run_lint(&lc, NULL, 1,
             FILES("1_old.sql", "-- +borch up\nCREATE TABLE old (a INTEGER, b INTEGER);\n",
                   "2_new.sql",
                   "-- +borch up\nALTER TABLE old DROP COLUMN b;\n-- +borch down\n"
                   "ALTER TABLE old ADD COLUMN b INTEGER;\n"));
    ck_assert_int_eq(lc.rc, 0);
    /* 1 has no down but is not linted; 2 finds old.b, which 1 made */
    ck_assert_int_eq((int)count(&lc, "BD003"), 0);
    ck_assert_ptr_nonnull(find(&lc, "BD001", "drops column old.b"));
    done(&lc);
}
END_TEST

START_TEST(up_that_fails_is_an_error_naming_file_and_line)
{
    lint_case lc;
    run_lint(&lc, NULL, 0,
             FILES(USERS, "2_bad.sql", "-- +borch up\n\nCREATE TABEL x (a INTEGER);\n"));
    ck_assert_int_lt(lc.rc, 0);
    ck_assert_ptr_nonnull(strstr(lc.err.file, "2_bad.sql"));
    ck_assert_int_eq(lc.err.line, 3);
    ck_assert_int_eq((int)lc.rep.count, 0);
    done(&lc);
}
END_TEST

/* ---- PostgreSQL ---- */

START_TEST(pg_statement_rules)
{
    const char *url = server_url("BORCH_TEST_PG_URL");
    if (!url)
        return;
    lint_case lc;
    run_lint(&lc, url, 0,
             FILES("1_users.sql",
                   "-- +borch up\nCREATE TABLE users (id serial PRIMARY KEY, email varchar(100), "
                   "n int, note varchar(10));\nCREATE INDEX users_n_new ON users (n);\n"
                   "-- +borch down\nDROP TABLE users;\n",
                   "2_changes.sql",
                   "-- +borch up\nCREATE INDEX users_email ON users (email);\n"
                   "ALTER TABLE users ALTER COLUMN email TYPE varchar(200);\n"
                   "ALTER TABLE users ALTER COLUMN note TYPE text;\n"
                   "ALTER TABLE users ALTER COLUMN n TYPE bigint;\n"
                   "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n"
                   "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();\n"
                   "-- +borch down\nALTER TABLE users DROP COLUMN created;\n"
                   "ALTER TABLE users DROP COLUMN token;\nALTER TABLE users ALTER COLUMN n TYPE int;\n"
                   "ALTER TABLE users ALTER COLUMN note TYPE varchar(10);\n"
                   "ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\nDROP INDEX users_email;\n",
                   "3_concurrent.sql",
                   "-- +borch up notx\nCREATE INDEX CONCURRENTLY users_created ON users (created);\n"
                   "-- +borch down notx\nDROP INDEX CONCURRENTLY users_created;\n",
                   "4_backfill.sql",
                   "-- +borch up\nALTER TABLE users ADD COLUMN plan text;\n"
                   "UPDATE users SET plan = 'free';\n"
                   "-- +borch down\nALTER TABLE users DROP COLUMN plan;\n"));
    ck_assert_msg(lc.rc == 0, "lint: %s", lc.err.message);
    /* BD005: only the index on the table that existed before, not the concurrent one */
    const borch_lint_finding *idx = find(&lc, "BD005", "users_email");
    ck_assert_msg(idx, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(idx->line, 2);
    ck_assert_int_eq((int)count(&lc, "BD005"), 1);
    /* BD006: int -> bigint rewrites; varchar widening and varchar -> text do not */
    ck_assert_ptr_nonnull(find(&lc, "BD006", "users.n from integer to bigint"));
    ck_assert_int_eq((int)count(&lc, "BD006"), 1);
    ck_assert_int_eq(find(&lc, "BD006", NULL)->line, 5);
    /* BD007: gen_random_uuid() is volatile; now() is not (PostgreSQL 11+) */
    const borch_lint_finding *vol = find(&lc, "BD007", "users.token");
    ck_assert_msg(vol, "findings:\n%s", dump(&lc));
    ck_assert_int_eq(vol->line, 6);
    ck_assert_int_eq((int)count(&lc, "BD007"), 1);
    /* BD008: the two rewrites, and DDL + DML on users in 4 */
    const borch_lint_finding *mixed = find(&lc, "BD008", "its rows in one migration");
    ck_assert_msg(mixed, "findings:\n%s", dump(&lc));
    ck_assert_str_eq(mixed->migration->version, "4");
    ck_assert_int_eq(mixed->line, 2);
    ck_assert_int_eq((int)count(&lc, "BD008"), 3);
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 0);
    done(&lc);
}
END_TEST

START_TEST(pg_destructive_and_down_rules)
{
    const char *url = server_url("BORCH_TEST_PG_URL");
    if (!url)
        return;
    lint_case lc;
    run_lint(&lc, url, 0,
             FILES("1_users.sql",
                   "-- +borch up\nCREATE TABLE users (id serial PRIMARY KEY, email text);\n"
                   "-- +borch down\nDROP TABLE users;\n",
                   "2_drop.sql",
                   "-- +borch up\nALTER TABLE users DROP COLUMN email;\n-- +borch down\nSELECT 1;\n",
                   "3_ok.sql", "-- +borch up\nCREATE TABLE t (a int);\n-- +borch down\nDROP TABLE t;\n"));
    ck_assert_msg(lc.rc == 0, "lint: %s", lc.err.message);
    ck_assert_ptr_nonnull(find(&lc, "BD001", "drops column users.email"));
    const borch_lint_finding *d = find(&lc, "BD004", NULL);
    ck_assert_msg(d, "findings:\n%s", dump(&lc));
    ck_assert_str_eq(d->migration->version, "2");
    /* the down ran in a rolled-back transaction: 3 still lints cleanly after it */
    ck_assert_int_eq((int)count(&lc, "BD004"), 1);
    ck_assert_int_eq((int)borch_lint_errors(&lc.rep), 2);
    done(&lc);
}
END_TEST

/* ---- MariaDB ---- */

START_TEST(mysql_mixed_ddl_and_dml_and_down)
{
    const char *url = server_url("BORCH_TEST_MYSQL_URL");
    if (!url)
        return;
    lint_case lc;
    run_lint(&lc, url, 0,
             FILES("1_users.sql",
                   "-- +borch up\nCREATE TABLE users (id int PRIMARY KEY, note text);\n"
                   "-- seeding; says 'update' in a comment only\n"
                   "-- +borch down\nDROP TABLE users;\n",
                   "2_seed.sql",
                   "-- +borch up\nALTER TABLE users ADD COLUMN plan varchar(20);\n"
                   "INSERT INTO users (id, note) VALUES (1, 'alter; drop');\n"
                   "-- +borch down\nALTER TABLE users DROP COLUMN plan;\nDELETE FROM users;\n",
                   "3_keeps.sql",
                   "-- +borch up\nCREATE TABLE k (a int);\n-- +borch down\nSELECT 1;\n",
                   "4_after.sql",
                   "-- +borch up\nCREATE TABLE z (a int);\n-- +borch down\nDROP TABLE z;\n"));
    ck_assert_msg(lc.rc == 0, "lint: %s", lc.err.message);
    const borch_lint_finding *mixed = find(&lc, "BD009", NULL);
    ck_assert_msg(mixed, "findings:\n%s", dump(&lc));
    ck_assert_str_eq(mixed->migration->version, "2");
    ck_assert_int_eq(mixed->line, 3);
    ck_assert_int_eq((int)count(&lc, "BD009"), 1);
    const borch_lint_finding *keeps = find(&lc, "BD004", "table k");
    ck_assert_msg(keeps, "findings:\n%s", dump(&lc));
    ck_assert_int_eq((int)count(&lc, "BD004"), 1);
    ck_assert_int_eq((int)count(&lc, "BD005") + (int)count(&lc, "BD010"), 0);
    done(&lc);
}
END_TEST

Suite *suite_lint(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("sqlite");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rule_table_is_complete);
    tcase_add_test(tc, clean_migrations_have_no_findings);
    tcase_add_test(tc, drop_table_and_column_are_errors_at_their_line);
    tcase_add_test(tc, data_dependent_changes_are_warnings);
    tcase_add_test(tc, sqlite_rebuilds_are_info);
    tcase_add_test(tc, missing_down_is_an_error_and_ignore_silences_it_with_reason);
    tcase_add_test(tc, ignore_of_another_rule_does_not_silence);
    tcase_add_test(tc, down_that_does_not_reverse_up_is_an_error);
    tcase_add_test(tc, first_lints_only_later_migrations);
    tcase_add_test(tc, up_that_fails_is_an_error_naming_file_and_line);
    suite_add_tcase(s, tc);
    TCase *srv = tcase_create("servers");
    tcase_set_timeout(srv, 120);
    tcase_add_test(srv, pg_statement_rules);
    tcase_add_test(srv, pg_destructive_and_down_rules);
    tcase_add_test(srv, mysql_mixed_ddl_and_dml_and_down);
    suite_add_tcase(s, srv);
    return s;
}
