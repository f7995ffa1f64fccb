/*
 * test_mysql_render.c - the MySQL/MariaDB renderer (drivers/mysql/render.c).
 *
 * Offline: change lists built by hand, checked against the exact DDL.
 * Server: the corpus in tests/corpus/mysql/<case>/ (current.sql,
 * desired.sql, seed.sql) against the real server of BORCH_TEST_MYSQL_URL:
 * load current into throwaway database A (plus its seed rows) and desired
 * into B, diff A -> B, render, run on A, and require A to introspect equal
 * to B, the seeded rows of kept tables to survive, and the reverse diff to
 * bring A back to current. Without BORCH_TEST_MYSQL_URL the server tests are
 * skipped with a notice, except under CI=true, where that is a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BORCH_WITH_MYSQL

#include <dirent.h>
#include <time.h>

#include "core/diff.h"
#include "core/url.h"
#include "driver.h"
#include "mysql/mysql_int.h"
#include "util/buf.h"
#include "util/mem.h"

/* ---- offline: hand-built change lists ---- */

/* A change list the test owns (items only; warnings are literals). */
typedef struct clist {
    borch_changes ch;
} clist;

/* Appends a change and returns it for the caller to fill. */
static borch_change *push(clist *l, borch_change_kind kind, const borch_table *t)
{
    borch_grow((void **)&l->ch.items, &l->ch.cap, l->ch.count + 1, sizeof(borch_change));
    borch_change *c = &l->ch.items[l->ch.count++];
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->table = t;
    return c;
}

/* Renders l and returns the text (malloc'd); fails the test on error. */
static char *render_ok(const borch_schema *from, const borch_schema *to, const clist *l)
{
    borch_buf out;
    borch_buf_init(&out);
    borch_error e = {0};
    int rc = borch_mysql_driver.render(from, to, &l->ch, &out, &e);
    ck_assert_msg(rc == 0, "render failed: %s", e.message);
    borch_error_clear(&e);
    return borch_mysql_take(&out);
}

START_TEST(render_slot_is_filled)
{
    ck_assert_ptr_nonnull(borch_mysql_driver.render);
}
END_TEST

START_TEST(create_table_quotes_only_what_needs_it)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *t = borch_schema_add_table(to, "order");
    borch_column *id = borch_table_add_column(t, "id", "bigint unsigned", 0, NULL);
    id->identity = 1;
    borch_table_add_column(t, "we`ird col", "varchar(20)", 1, "'it''s'");
    borch_table_add_column(t, "Status", "enum('New','Done')", 0, "'New'");
    borch_table_add_column(t, "note", "text", 1, "'x'");
    borch_table_add_column(t, "token", "varchar(36)", 0, "uuid()");
    borch_table_add_column(t, "at", "timestamp", 1, NULL);
    borch_table_add_column(t, "n", "int", 0, "(1 + 2)");
    borch_table_add_column(t, "f", "double", 0, "-1.5e3");
    borch_table_add_pk_column(t, "id");
    borch_table_add_check(t, "n_pos", "`n` > 0");
    t->comment = borch_xstrdup("who's \\ here");
    clist l = {0};
    push(&l, BORCH_CH_CREATE_TABLE, t);
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "CREATE TABLE `order` (\n"
                          "  id bigint unsigned NOT NULL AUTO_INCREMENT,\n"
                          "  `we``ird col` varchar(20) DEFAULT 'it''s',\n"
                          "  Status enum('New','Done') NOT NULL DEFAULT 'New',\n"
                          "  note text DEFAULT ('x'),\n"
                          "  token varchar(36) NOT NULL DEFAULT (uuid()),\n"
                          "  at timestamp NULL,\n"
                          "  n int NOT NULL DEFAULT (1 + 2),\n"
                          "  f double NOT NULL DEFAULT -1.5e3,\n"
                          "  PRIMARY KEY (id),\n"
                          "  CONSTRAINT n_pos CHECK (`n` > 0)\n"
                          ") COMMENT='who''s \\\\ here';\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(reserved_words_and_odd_names_are_backticked)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    const char *names[] = {"select",  "KEY",        "1abc",     "a-b", "",
                           "dollar$", "accessible", "Zerofill", "not", "no_write_to_binlog",
                           "nota",    "Users_2"};
    const char *want[] = {
        "`select`",  "`KEY`",        "`1abc`",     "`a-b`", "``",
        "`dollar$`", "`accessible`", "`Zerofill`", "`not`", "`no_write_to_binlog`",
        "nota",      "Users_2"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        borch_table *t = borch_schema_add_table(from, names[i]);
        clist l = {0};
        push(&l, BORCH_CH_DROP_TABLE, t);
        char *sql = render_ok(from, to, &l);
        char expect[80];
        snprintf(expect, sizeof(expect), "DROP TABLE %s;\n", want[i]);
        ck_assert_str_eq(sql, expect);
        free(sql);
        free(l.ch.items);
    }
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

/* users(id, email) in from; users(id, name, email, age) in to. */
START_TEST(added_columns_keep_the_target_order)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = borch_schema_add_table(from, "users");
    borch_table_add_column(f, "id", "int", 0, NULL);
    borch_table_add_column(f, "email", "varchar(200)", 0, NULL);
    borch_table *t = borch_schema_add_table(to, "users");
    borch_table_add_column(t, "pre", "int", 1, NULL);
    borch_table_add_column(t, "id", "int", 0, NULL);
    borch_table_add_column(t, "name", "varchar(50)", 0, "''");
    borch_table_add_column(t, "nick", "varchar(50)", 1, NULL);
    borch_table_add_column(t, "email", "varchar(200)", 0, NULL);
    clist l = {0};
    const char *added[] = {"pre", "name", "nick"};
    for (size_t i = 0; i < 3; i++) {
        borch_change *c = push(&l, BORCH_CH_ADD_COLUMN, t);
        c->old_table = f;
        c->column = borch_table_column(t, added[i]);
    }
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE users ADD COLUMN pre int FIRST;\n"
                          "ALTER TABLE users ADD COLUMN name varchar(50) NOT NULL DEFAULT '' "
                          "AFTER id;\n"
                          "ALTER TABLE users ADD COLUMN nick varchar(50) AFTER name;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(alter_restates_the_whole_column_after_a_warning)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = borch_schema_add_table(from, "t");
    borch_column *fc = borch_table_add_column(f, "v", "varchar(100)", 1, NULL);
    borch_table_add_column(f, "gone", "int", 1, NULL);
    borch_table *t = borch_schema_add_table(to, "t");
    borch_column *tc = borch_table_add_column(t, "v", "varchar(10)", 0, "'a'");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_COLUMN, f);
    c->old_table = f;
    c->column = borch_table_column(f, "gone");
    c->destructive = 1;
    c->warning = "drops column t.gone and its data";
    c = push(&l, BORCH_CH_ALTER_COLUMN, t);
    c->old_table = f;
    c->column = tc;
    c->old_column = fc;
    c->alter = BORCH_ALTER_TYPE | BORCH_ALTER_NULLABLE | BORCH_ALTER_DEFAULT;
    c->destructive = 1;
    c->warning = "narrows t.v\nfrom varchar(100) to varchar(10)";
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "-- warning: drops column t.gone and its data\n"
                          "ALTER TABLE t DROP COLUMN gone;\n"
                          "-- warning: narrows t.v from varchar(100) to varchar(10)\n"
                          "ALTER TABLE t MODIFY COLUMN v varchar(10) NOT NULL DEFAULT 'a';\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

/* posts(author_id) -> users: the FK and InnoDB's index of the same name. */
static borch_table *posts_with_fk(borch_schema *s, int with_index)
{
    borch_table *t = borch_schema_add_table(s, "posts");
    borch_table_add_column(t, "id", "int", 0, NULL);
    borch_table_add_column(t, "author_id", "int", 1, NULL);
    borch_table_add_pk_column(t, "id");
    if (with_index) {
        borch_index *ix = borch_table_add_index(t, "posts_author_fk", 0);
        borch_index_add_column(ix, "author_id");
        borch_foreign_key *fk = borch_table_add_foreign_key(t, "posts_author_fk", "users");
        borch_fk_add_pair(fk, "author_id", "id");
        free(fk->on_delete);
        fk->on_delete = borch_xstrdup("set null");
    }
    return t;
}

START_TEST(dropping_a_foreign_key_drops_its_innodb_index_once)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = posts_with_fk(from, 1);
    borch_table *t = posts_with_fk(to, 0);
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_FOREIGN_KEY, f);
    c->old_table = f;
    c->foreign_key = &f->foreign_keys[0];
    c = push(&l, BORCH_CH_DROP_INDEX, f);
    c->old_table = f;
    c->index = &f->indexes[0];
    (void)t;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts DROP FOREIGN KEY posts_author_fk;\n"
                          "ALTER TABLE posts DROP INDEX posts_author_fk;\n");
    free(sql);

    /* Without a DROP_INDEX in the list the index still goes. */
    l.ch.count = 1;
    sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts DROP FOREIGN KEY posts_author_fk;\n"
                          "ALTER TABLE posts DROP INDEX posts_author_fk;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(foreign_key_whose_index_stays_keeps_it)
{
    /* The FK's actions change: dropped and added again, the index stays. */
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = posts_with_fk(from, 1);
    borch_table *t = posts_with_fk(to, 1);
    free(t->foreign_keys[0].on_update);
    t->foreign_keys[0].on_update = borch_xstrdup("cascade");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_FOREIGN_KEY, f);
    c->old_table = f;
    c->foreign_key = &f->foreign_keys[0];
    c = push(&l, BORCH_CH_ADD_FOREIGN_KEY, t);
    c->old_table = f;
    c->foreign_key = &t->foreign_keys[0];
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts DROP FOREIGN KEY posts_author_fk;\n"
                          "ALTER TABLE posts ADD CONSTRAINT posts_author_fk FOREIGN KEY "
                          "(author_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE "
                          "CASCADE;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(index_named_like_its_foreign_key_is_made_first)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = posts_with_fk(from, 0);
    borch_table *t = posts_with_fk(to, 1);
    clist l = {0};
    /* The FK comes first in this list; the index must still precede it. */
    borch_change *c = push(&l, BORCH_CH_ADD_FOREIGN_KEY, t);
    c->old_table = f;
    c->foreign_key = &t->foreign_keys[0];
    c = push(&l, BORCH_CH_ADD_INDEX, t);
    c->old_table = f;
    c->index = &t->indexes[0];
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts ADD INDEX posts_author_fk (author_id);\n"
                          "ALTER TABLE posts ADD CONSTRAINT posts_author_fk FOREIGN KEY "
                          "(author_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE NO "
                          "ACTION;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(index_under_a_kept_foreign_key_is_swapped_in_one_statement)
{
    /* from: FK posts_author_fk and its InnoDB index; to: the FK served by (author_id, id). */
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = posts_with_fk(from, 1);
    borch_table *t = posts_with_fk(to, 1);
    free(t->indexes[0].name);
    t->indexes[0].name = borch_xstrdup("posts_author_id_idx");
    borch_index_add_column(&t->indexes[0], "id");
    borch_index *redo_old = borch_table_add_index(f, "posts_redo", 0);
    borch_index_add_column(redo_old, "id");
    borch_index *redo_new = borch_table_add_index(t, "posts_redo", 1);
    borch_index_add_column(redo_new, "id");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_INDEX, f);
    c->index = &f->indexes[0];
    c = push(&l, BORCH_CH_DROP_INDEX, f);
    c->index = redo_old;
    c = push(&l, BORCH_CH_ADD_INDEX, t);
    c->index = &t->indexes[0];
    c = push(&l, BORCH_CH_ADD_INDEX, t);
    c->index = redo_new;
    c->destructive = 1;
    c->warning = "adds unique index posts_redo";
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts DROP INDEX posts_author_fk, ADD INDEX "
                          "posts_author_id_idx (author_id, id);\n"
                          "-- warning: adds unique index posts_redo\n"
                          "ALTER TABLE posts DROP INDEX posts_redo, ADD UNIQUE INDEX posts_redo "
                          "(id);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(covering_index_remakes_the_foreign_key_index_innodb_would_drop)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = posts_with_fk(from, 1);
    borch_table *t = posts_with_fk(to, 1);
    borch_index *cover = borch_table_add_index(t, "posts_author_id_idx", 0);
    borch_index_add_column(cover, "author_id");
    borch_index_add_column(cover, "id");
    borch_index *other = borch_table_add_index(t, "posts_id_idx", 0);
    borch_index_add_column(other, "id");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_ADD_INDEX, t);
    c->old_table = f;
    c->index = cover;
    c = push(&l, BORCH_CH_ADD_INDEX, t);
    c->old_table = f;
    c->index = other;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE posts ADD INDEX posts_author_id_idx (author_id, id), DROP "
                          "INDEX posts_author_fk, ADD INDEX posts_author_fk (author_id);\n"
                          "ALTER TABLE posts ADD INDEX posts_id_idx (id);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(index_kinds_prefixes_and_order)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *t = borch_schema_add_table(to, "docs");
    borch_table_add_column(t, "title", "varchar(200)", 0, NULL);
    borch_table_add_column(t, "body", "text", 0, NULL);
    borch_table_add_column(t, "score", "int", 0, NULL);
    borch_index *a = borch_table_add_index(t, "docs_title_uq", 1);
    a->constraint = 1;
    borch_index_add_column(a, "title(10)");
    borch_index_add_column(a, "score DESC");
    borch_index *b = borch_table_add_index(t, "docs_body_ft", 0);
    b->method = borch_xstrdup("fulltext");
    borch_index_add_column(b, "body");
    borch_index *u = borch_table_add_index(t, "key", 1);
    borch_index_add_column(u, "score");
    borch_index *x = borch_table_add_index(t, "docs_expr", 0);
    x->expression = 1;
    borch_index_add_column(x, "score");
    borch_index_add_column(x, "lower(`title`)");
    borch_index *h = borch_table_add_index(t, "docs_h", 0);
    h->method = borch_xstrdup("hash");
    borch_index_add_column(h, "score");
    borch_table_add_column(t, "pos", "point", 0, NULL);
    borch_index *g = borch_table_add_index(t, "docs_pos_sx", 0);
    g->method = borch_xstrdup("spatial");
    borch_index_add_column(g, "pos(32)"); /* as MariaDB reports it */
    clist l = {0};
    for (size_t i = 0; i < t->nindexes; i++)
        push(&l, BORCH_CH_ADD_INDEX, t)->index = &t->indexes[i];
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE docs ADD CONSTRAINT docs_title_uq UNIQUE (title(10), score "
                          "DESC);\n"
                          "ALTER TABLE docs ADD FULLTEXT INDEX docs_body_ft (body);\n"
                          "ALTER TABLE docs ADD UNIQUE INDEX `key` (score);\n"
                          "ALTER TABLE docs ADD INDEX docs_expr (score, (lower(`title`)));\n"
                          "ALTER TABLE docs ADD INDEX docs_h (score) USING HASH;\n"
                          "ALTER TABLE docs ADD SPATIAL INDEX docs_pos_sx (pos);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(primary_key_change_is_one_statement)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = borch_schema_add_table(from, "m");
    borch_column *fid = borch_table_add_column(f, "id", "int", 0, NULL);
    fid->identity = 1;
    borch_table_add_pk_column(f, "id");
    borch_table *t = borch_schema_add_table(to, "m");
    borch_column *tid = borch_table_add_column(t, "id", "int", 0, NULL);
    borch_column *k = borch_table_add_column(t, "k", "int", 0, "0");
    borch_table_add_pk_column(t, "id");
    borch_table_add_pk_column(t, "k");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_PRIMARY_KEY, f);
    c->old_table = f;
    c = push(&l, BORCH_CH_ADD_COLUMN, t);
    c->old_table = f;
    c->column = k;
    c = push(&l, BORCH_CH_ALTER_COLUMN, t);
    c->old_table = f;
    c->column = tid;
    c->old_column = fid;
    c->alter = BORCH_ALTER_IDENTITY;
    c = push(&l, BORCH_CH_ADD_PRIMARY_KEY, t);
    c->old_table = f;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE m DROP PRIMARY KEY, ADD COLUMN k int NOT NULL DEFAULT 0 "
                          "AFTER id, MODIFY COLUMN id int NOT NULL, ADD PRIMARY KEY (id, k);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

/* user_roles(user_id, role_id) with FKs on both; side 0: unique (user_id, role_id), 1: that as PK. */
static borch_table *user_roles(borch_schema *s, int pk)
{
    borch_table *t = borch_schema_add_table(s, "user_roles");
    borch_table_add_column(t, "user_id", "int", 0, NULL);
    borch_table_add_column(t, "role_id", "int", 0, NULL);
    if (pk) {
        borch_table_add_pk_column(t, "user_id");
        borch_table_add_pk_column(t, "role_id");
    } else {
        borch_index *uq = borch_table_add_index(t, "user_roles_uq", 1);
        borch_index_add_column(uq, "user_id");
        borch_index_add_column(uq, "role_id");
    }
    borch_index *ix = borch_table_add_index(t, "user_roles_role_idx", 0);
    borch_index_add_column(ix, "role_id");
    borch_fk_add_pair(borch_table_add_foreign_key(t, "user_roles_user_fk", "users"), "user_id",
                      "id");
    borch_fk_add_pair(borch_table_add_foreign_key(t, "user_roles_role_fk", "roles"), "role_id",
                      "id");
    return t;
}

START_TEST(primary_key_replacing_a_foreign_keys_index_is_one_statement)
{
    /* The FK on user_id rests on the unique index, then on the key: neither step alone works. */
    borch_schema *uq = borch_schema_new("mysql");
    borch_schema *pk = borch_schema_new("mysql");
    borch_table *u = user_roles(uq, 0);
    borch_table *p = user_roles(pk, 1);
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_INDEX, u);
    c->old_table = u;
    c->index = borch_table_index(u, "user_roles_uq");
    c = push(&l, BORCH_CH_ADD_PRIMARY_KEY, p);
    c->old_table = u;
    char *sql = render_ok(uq, pk, &l);
    ck_assert_str_eq(sql, "ALTER TABLE user_roles DROP INDEX user_roles_uq, ADD PRIMARY KEY "
                          "(user_id, role_id);\n");
    free(sql);
    free(l.ch.items);

    /* And back: the key goes and the unique index comes in the same statement. */
    memset(&l, 0, sizeof(l));
    c = push(&l, BORCH_CH_DROP_PRIMARY_KEY, p);
    c->old_table = p;
    c = push(&l, BORCH_CH_ADD_INDEX, u);
    c->old_table = p;
    c->index = borch_table_index(u, "user_roles_uq");
    c->destructive = 1;
    c->warning = "adds unique index user_roles_uq";
    sql = render_ok(pk, uq, &l);
    ck_assert_str_eq(sql, "-- warning: adds unique index user_roles_uq\n"
                          "ALTER TABLE user_roles DROP PRIMARY KEY, ADD UNIQUE INDEX "
                          "user_roles_uq (user_id, role_id);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(uq);
    borch_schema_free(pk);
}
END_TEST

START_TEST(checks_named_after_a_column_are_mariadb_column_checks)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *f = borch_schema_add_table(from, "p");
    borch_column *fa = borch_table_add_column(f, "a", "int", 1, NULL);
    borch_table_add_column(f, "b", "int", 1, NULL);
    borch_table_add_check(f, "a", "`a` > 0");
    borch_table_add_check(f, "b", "`b` > 0");
    borch_table_add_check(f, "CONSTRAINT_1", "`a` < `b`");
    borch_table *t = borch_schema_add_table(to, "p");
    borch_column *ta = borch_table_add_column(t, "a", "bigint", 1, NULL);
    borch_table_add_column(t, "b", "int", 1, NULL);
    borch_table_add_check(t, "a", "`a` > 0");
    clist l = {0};
    borch_change *c = push(&l, BORCH_CH_DROP_CHECK, f);
    c->check = &f->checks[1];
    c = push(&l, BORCH_CH_DROP_CHECK, f);
    c->check = &f->checks[2];
    c = push(&l, BORCH_CH_ALTER_COLUMN, t);
    c->old_table = f;
    c->column = ta;
    c->old_column = fa;
    c->alter = BORCH_ALTER_TYPE;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "ALTER TABLE p MODIFY COLUMN b int;\n"
                          "ALTER TABLE p DROP CONSTRAINT IF EXISTS b;\n"
                          "ALTER TABLE p DROP CONSTRAINT CONSTRAINT_1;\n"
                          "ALTER TABLE p MODIFY COLUMN a bigint;\n"
                          "ALTER TABLE p ADD CONSTRAINT IF NOT EXISTS a CHECK (`a` > 0);\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(views_are_created_replaced_and_dropped)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_view *old = borch_schema_add_view(from, "v_old", "select 1 AS `x`");
    borch_schema_add_view(from, "v_same", "select 1 AS `x`");
    borch_view *same = borch_schema_add_view(to, "v_same", "select 2 AS `x`");
    borch_view *nv = borch_schema_add_view(to, "v_new", "select 3 AS `x`");
    clist l = {0};
    push(&l, BORCH_CH_DROP_VIEW, NULL)->view = old;
    push(&l, BORCH_CH_CREATE_VIEW, NULL)->view = same;
    push(&l, BORCH_CH_CREATE_VIEW, NULL)->view = nv;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "DROP VIEW v_old;\n"
                          "CREATE OR REPLACE VIEW v_same AS select 2 AS `x`;\n"
                          "CREATE VIEW v_new AS select 3 AS `x`;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(unsupported_changes_fail_and_write_nothing)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *t = borch_schema_add_table(to, "t");
    borch_table_add_column(t, "a", "int", 1, NULL);
    borch_index *ix = borch_table_add_index(t, "t_a_partial", 0);
    borch_index_add_column(ix, "a");
    ix->where = borch_xstrdup("a > 0");
    borch_enum *en = borch_schema_add_enum(to, "mood");
    clist l = {0};
    push(&l, BORCH_CH_CREATE_TABLE, t);
    push(&l, BORCH_CH_ADD_INDEX, t)->index = ix;
    borch_buf out;
    borch_buf_init(&out);
    borch_buf_puts(&out, "-- before\n");
    borch_error e = {0};
    ck_assert_int_eq(borch_mysql_driver.render(from, to, &l.ch, &out, &e), BORCH_EUNSUPPORTED);
    ck_assert_msg(strstr(e.message, "'t_a_partial'") && strstr(e.message, "partial"), "%s",
                  e.message);
    ck_assert_str_eq(out.data, "-- before\n");
    borch_error_clear(&e);

    l.ch.count = 0;
    push(&l, BORCH_CH_CREATE_ENUM, NULL)->enum_type = en;
    ck_assert_int_eq(borch_mysql_driver.render(from, to, &l.ch, &out, &e), BORCH_EUNSUPPORTED);
    ck_assert_msg(strstr(e.message, "'mood'"), "%s", e.message);
    borch_error_clear(&e);

    /* Incomplete changes, each alone and inside a primary key group. */
    borch_schema *gfrom = borch_schema_new("mysql");
    borch_table *gt = borch_schema_add_table(gfrom, "t");
    borch_table_add_column(gt, "a", "int", 1, NULL);
    borch_foreign_key *unnamed = borch_table_add_foreign_key(gt, NULL, "u");
    borch_fk_add_pair(unnamed, "a", "id");
    borch_change_kind kinds[] = {BORCH_CH_ADD_COLUMN,       BORCH_CH_ALTER_COLUMN,
                                 BORCH_CH_DROP_COLUMN,      BORCH_CH_ADD_INDEX,
                                 BORCH_CH_DROP_CHECK,       BORCH_CH_ADD_FOREIGN_KEY,
                                 BORCH_CH_DROP_FOREIGN_KEY, BORCH_CH_CREATE_VIEW};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        for (int grouped = 0; grouped < 2; grouped++) {
            l.ch.count = 0;
            if (grouped)
                push(&l, BORCH_CH_ADD_PRIMARY_KEY, t)->old_table = gt;
            borch_change *bad = push(&l, kinds[k], kinds[k] == BORCH_CH_CREATE_VIEW ? NULL : t);
            if (kinds[k] == BORCH_CH_DROP_FOREIGN_KEY)
                bad->foreign_key = unnamed;
            ck_assert_int_eq(borch_mysql_driver.render(gfrom, to, &l.ch, &out, &e), BORCH_EINPUT);
            ck_assert_msg(strstr(e.message, "incomplete") || strstr(e.message, "without"), "%s",
                          e.message);
            borch_error_clear(&e);
        }
    }
    l.ch.count = 0;
    borch_check *anon = borch_table_add_check(gt, NULL, "`a` > 0");
    push(&l, BORCH_CH_DROP_CHECK, gt)->check = anon;
    ck_assert_int_eq(borch_mysql_driver.render(gfrom, to, &l.ch, &out, &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "unnamed check (`a` > 0) on 't'"), "%s", e.message);
    borch_error_clear(&e);
    l.ch.count = 0;
    push(&l, BORCH_CH_DROP_TABLE, NULL); /* no table */
    ck_assert_int_eq(borch_mysql_driver.render(from, to, &l.ch, &out, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    l.ch.count = 0;
    push(&l, (borch_change_kind)99, t);
    ck_assert_int_eq(borch_mysql_driver.render(from, to, &l.ch, &out, &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "unknown kind 99"), "%s", e.message);
    borch_error_clear(&e);
    borch_schema_free(gfrom);

    ck_assert_int_eq(borch_mysql_driver.render(from, NULL, &l.ch, &out, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    borch_schema *pg = borch_schema_new("postgres");
    l.ch.count = 0;
    ck_assert_int_eq(borch_mysql_driver.render(from, pg, &l.ch, &out, &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "'postgres'"), "%s", e.message);
    borch_error_clear(&e);
    borch_schema_free(pg);
    ck_assert_str_eq(out.data, "-- before\n");
    borch_buf_release(&out);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

/* Two models of n tables; in `to` every table has one more column, index and foreign key. */
static void big_models(size_t n, borch_schema **from, borch_schema **to)
{
    *from = borch_schema_new("mysql");
    *to = borch_schema_new("mysql");
    for (int side = 0; side < 2; side++) {
        borch_schema *s = side ? *to : *from;
        for (size_t i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof(name), "t%05zu", i);
            borch_table *t = borch_schema_add_table(s, name);
            borch_table_add_column(t, "id", "bigint", 0, NULL)->identity = 1;
            borch_table_add_column(t, "name", "varchar(100)", 0, "''");
            borch_table_add_column(t, "parent_id", "bigint", 1, NULL);
            borch_table_add_pk_column(t, "id");
            if (!side)
                continue;
            borch_table_add_column(t, "extra", "int", 1, NULL);
            borch_index *ix = borch_table_add_index(t, "parent_fk", 0);
            borch_index_add_column(ix, "parent_id");
            if (i > 0) {
                char ref[32];
                snprintf(ref, sizeof(ref), "t%05zu", i - 1);
                borch_fk_add_pair(borch_table_add_foreign_key(t, "parent_fk", ref), "parent_id",
                                  "id");
            }
        }
        borch_schema_sort(s);
    }
}

START_TEST(two_thousand_tables_render_quickly)
{
    borch_schema *from, *to;
    big_models(2000, &from, &to);
    borch_changes ch = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_diff(from, to, &ch, &e), 0);
    ck_assert_uint_ge(ch.count, 3 * 2000 - 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    borch_buf out;
    borch_buf_init(&out);
    ck_assert_int_eq(borch_mysql_driver.render(from, to, &ch, &out, &e), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    ck_assert_ptr_nonnull(strstr(out.data, "ALTER TABLE t01999 ADD COLUMN extra int AFTER "
                                           "parent_id;\n"));
    /* Generous: sanitizer builds on a shared machine. A quadratic renderer takes seconds. */
    ck_assert_msg(ms < 500.0, "render of %zu changes took %.0f ms", ch.count, ms);
    borch_buf_release(&out);
    borch_changes_release(&ch);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(destructive_change_without_text_is_described)
{
    borch_schema *from = borch_schema_new("mysql");
    borch_schema *to = borch_schema_new("mysql");
    borch_table *t = borch_schema_add_table(from, "old_stuff");
    clist l = {0};
    push(&l, BORCH_CH_DROP_TABLE, t)->destructive = 1;
    char *sql = render_ok(from, to, &l);
    ck_assert_str_eq(sql, "-- warning: drop table old_stuff may lose data or fail on existing "
                          "rows\nDROP TABLE old_stuff;\n");
    free(sql);
    free(l.ch.items);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(empty_change_list_writes_nothing)
{
    borch_schema *s = borch_schema_new("mysql");
    clist l = {0};
    char *sql = render_ok(s, s, &l);
    ck_assert_str_eq(sql, "");
    free(sql);
    borch_schema_free(s);
}
END_TEST

/* ---- server: the corpus ---- */

#define CORPUS_DIR BORCH_SOURCE_DIR "/tests/corpus/mysql"

/* The parsed server URL, shared by the server tests. */
static borch_url *server_url(void)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &u, &e), 0);
    return u;
}

/* Reads tests/corpus/mysql/<name>/<file>, or NULL when it is not there. */
static char *corpus_file(const char *name, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/%s", CORPUS_DIR, name, file);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    borch_buf b;
    borch_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        borch_buf_append(&b, chunk, n);
    fclose(fp);
    return borch_mysql_take(&b);
}

/* A throwaway database with a connection to it. */
typedef struct scratch {
    char *url;
    borch_conn *conn;
} scratch;

static scratch scratch_open(const borch_url *server)
{
    scratch s = {0};
    borch_error e = {0};
    ck_assert_msg(borch_scratch_create(server, &s.url, &e) == 0, "scratch: %s", e.message);
    borch_url *u = NULL;
    ck_assert_int_eq(borch_url_parse(s.url, NULL, &u, &e), 0);
    ck_assert_msg(borch_conn_open(u, NULL, &s.conn, &e) == 0, "connect: %s", e.message);
    borch_url_free(u);
    return s;
}

static void scratch_close(const borch_url *server, scratch *s)
{
    borch_error e = {0};
    borch_conn_close(s->conn);
    borch_scratch_drop(server, s->url, &e);
    borch_error_clear(&e);
    free(s->url);
}

/* Runs a script of the case (file names it in failures). */
static void exec_file(borch_conn *c, const char *name, const char *file, const char *sql)
{
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, file, 1, &e);
    ck_assert_msg(rc == 0, "%s/%s:%d: %s\n--- script:\n%s", name, file, e.line, e.message, sql);
}

static borch_schema *introspect(borch_conn *c)
{
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_conn_introspect(c, &s, &e) == 0, "introspect: %s", e.message);
    return s;
}

/* diff(from -> to) rendered as MySQL DDL; malloc'd. */
static char *diff_sql(const char *name, const borch_schema *from, const borch_schema *to)
{
    borch_changes ch = {0};
    borch_error e = {0};
    ck_assert_msg(borch_diff(from, to, &ch, &e) == 0, "%s: diff: %s", name, e.message);
    borch_buf out;
    borch_buf_init(&out);
    int rc = borch_mysql_driver.render(from, to, &ch, &out, &e);
    ck_assert_msg(rc == 0, "%s: render: %s", name, e.message);
    borch_changes_release(&ch);
    return borch_mysql_take(&out);
}

/* Row count of a table, or -1 when it is not there. */
static int count_row(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)ncols;
    (void)names;
    *(long *)payload = values[0] ? strtol(values[0], NULL, 10) : -1;
    return 0;
}

static long row_count(borch_conn *c, const char *table)
{
    char *q = borch_mysql_driver.quote_ident(table);
    borch_buf sql;
    borch_buf_init(&sql);
    borch_buf_printf(&sql, "SELECT COUNT(*) FROM %s", q);
    long n = -1;
    borch_error e = {0};
    int rc = borch_conn_query(c, sql.data, 0, NULL, count_row, &n, &e);
    ck_assert_msg(rc == 0, "count %s: %s", table, e.message);
    borch_buf_release(&sql);
    free(q);
    return n;
}

/* Requires two models to be equal, printing their differences otherwise. */
static void require_equal(const char *name, const char *what, const borch_schema *got,
                          const borch_schema *want, const char *sql)
{
    borch_buf d;
    borch_buf_init(&d);
    size_t n = borch_schema_compare(got, want, &d);
    ck_assert_msg(n == 0, "%s: %s: %zu differences:\n%s\nDDL was:\n%s", name, what, n, d.data, sql);
    borch_buf_release(&d);
}

/*
 * One corpus case: A = current + seed, B = desired; A gets diff(A -> B) and
 * must equal B with its seeded rows kept; then the reverse diff must bring
 * it back to current; a second diff must be empty.
 */
static void run_case(const char *name)
{
    char *current = corpus_file(name, "current.sql");
    char *desired = corpus_file(name, "desired.sql");
    char *seed = corpus_file(name, "seed.sql");
    ck_assert_msg(current && desired, "%s: current.sql and desired.sql are required", name);
    borch_url *server = server_url();
    scratch a = scratch_open(server);
    scratch b = scratch_open(server);
    exec_file(a.conn, name, "current.sql", current);
    if (seed)
        exec_file(a.conn, name, "seed.sql", seed);
    exec_file(b.conn, name, "desired.sql", desired);
    borch_schema *sa = introspect(a.conn);
    borch_schema *sb = introspect(b.conn);

    /* Rows before, per table both schemas keep. */
    long counts[64];
    size_t nkept = 0;
    for (size_t i = 0; i < sa->ntables && nkept < 64; i++)
        if (borch_schema_table(sb, sa->tables[i].name))
            counts[nkept++] = row_count(a.conn, sa->tables[i].name);

    char *up = diff_sql(name, sa, sb);
    ck_assert_msg(up[0] != '\0', "%s: the diff is empty", name);
    exec_file(a.conn, name, "up (rendered)", up);
    borch_schema *sa2 = introspect(a.conn);
    require_equal(name, "after up", sa2, sb, up);

    nkept = 0;
    for (size_t i = 0; i < sa->ntables && nkept < 64; i++)
        if (borch_schema_table(sb, sa->tables[i].name)) {
            long now = row_count(a.conn, sa->tables[i].name);
            ck_assert_msg(now == counts[nkept], "%s: table %s had %ld rows, now %ld", name,
                          sa->tables[i].name, counts[nkept], now);
            nkept++;
        }

    char *again = diff_sql(name, sa2, sb);
    ck_assert_msg(again[0] == '\0', "%s: second diff is not empty:\n%s", name, again);

    char *down = diff_sql(name, sa2, sa);
    exec_file(a.conn, name, "down (rendered)", down);
    borch_schema *sa3 = introspect(a.conn);
    require_equal(name, "after down", sa3, sa, down);

    free(again);
    free(up);
    free(down);
    borch_schema_free(sa);
    borch_schema_free(sb);
    borch_schema_free(sa2);
    borch_schema_free(sa3);
    scratch_close(server, &a);
    scratch_close(server, &b);
    borch_url_free(server);
    free(current);
    free(desired);
    free(seed);
}

/* The corpus case names, sorted. */
static borch_strv corpus_cases(void)
{
    borch_strv v = {0};
    DIR *d = opendir(CORPUS_DIR);
    ck_assert_msg(d != NULL, "cannot open %s", CORPUS_DIR);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            borch_strv_push(&v, de->d_name);
    closedir(d);
    for (size_t i = 1; i < v.count; i++)
        for (size_t j = i; j > 0 && strcmp(v.items[j - 1], v.items[j]) > 0; j--) {
            char *tmp = v.items[j];
            v.items[j] = v.items[j - 1];
            v.items[j - 1] = tmp;
        }
    return v;
}

START_TEST(corpus_case)
{
    borch_strv v = corpus_cases();
    ck_assert_msg((size_t)_i < v.count, "corpus has %zu cases", v.count);
    run_case(v.items[_i]);
    borch_strv_release(&v);
}
END_TEST

START_TEST(corpus_has_the_cases)
{
    borch_strv v = corpus_cases();
    ck_assert_msg(v.count >= 60, "corpus has only %zu cases", v.count);
    borch_strv_release(&v);
}
END_TEST

START_TEST(server_tests_skipped)
{
    fprintf(stderr, "mysql_render: BORCH_TEST_MYSQL_URL is not set: server tests skipped "
                    "(start one with tests/support/servers.sh)\n");
}
END_TEST

START_TEST(server_url_required_in_ci)
{
    ck_abort_msg("BORCH_TEST_MYSQL_URL is not set but CI=true: the MySQL renderer must be "
                 "tested against a real server (tests/support/servers.sh)");
}
END_TEST

/* How many corpus cases there are, for the loop test (0 when the folder is missing). */
static int corpus_count(void)
{
    DIR *d = opendir(CORPUS_DIR);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

Suite *suite_mysql_render(void)
{
    Suite *s = suite_create("mysql_render");
    TCase *tc = tcase_create("offline");
    tcase_add_test(tc, render_slot_is_filled);
    tcase_add_test(tc, create_table_quotes_only_what_needs_it);
    tcase_add_test(tc, reserved_words_and_odd_names_are_backticked);
    tcase_add_test(tc, added_columns_keep_the_target_order);
    tcase_add_test(tc, alter_restates_the_whole_column_after_a_warning);
    tcase_add_test(tc, dropping_a_foreign_key_drops_its_innodb_index_once);
    tcase_add_test(tc, foreign_key_whose_index_stays_keeps_it);
    tcase_add_test(tc, index_named_like_its_foreign_key_is_made_first);
    tcase_add_test(tc, index_under_a_kept_foreign_key_is_swapped_in_one_statement);
    tcase_add_test(tc, covering_index_remakes_the_foreign_key_index_innodb_would_drop);
    tcase_add_test(tc, index_kinds_prefixes_and_order);
    tcase_add_test(tc, primary_key_change_is_one_statement);
    tcase_add_test(tc, primary_key_replacing_a_foreign_keys_index_is_one_statement);
    tcase_add_test(tc, checks_named_after_a_column_are_mariadb_column_checks);
    tcase_add_test(tc, views_are_created_replaced_and_dropped);
    tcase_add_test(tc, unsupported_changes_fail_and_write_nothing);
    tcase_add_test(tc, empty_change_list_writes_nothing);
    tcase_add_test(tc, destructive_change_without_text_is_described);
    tcase_add_test(tc, two_thousand_tables_render_quickly);
    tcase_add_test(tc, corpus_has_the_cases);
    suite_add_tcase(s, tc);

    TCase *srv = tcase_create("server");
    tcase_set_timeout(srv, 120);
    const char *url = getenv("BORCH_TEST_MYSQL_URL");
    const char *ci = getenv("CI");
    if (url && url[0]) {
        tcase_add_loop_test(srv, corpus_case, 0, corpus_count());
    } else if (ci && strcmp(ci, "true") == 0) {
        tcase_add_test(srv, server_url_required_in_ci);
    } else {
        tcase_add_test(srv, server_tests_skipped);
    }
    suite_add_tcase(s, srv);
    return s;
}

#else /* !BORCH_WITH_MYSQL */

START_TEST(built_without_mysql)
{
    fprintf(stderr, "mysql_render: built without MySQL support: skipped\n");
}
END_TEST

Suite *suite_mysql_render(void)
{
    Suite *s = suite_create("mysql_render");
    TCase *tc = tcase_create("offline");
    tcase_add_test(tc, built_without_mysql);
    suite_add_tcase(s, tc);
    return s;
}

#endif
