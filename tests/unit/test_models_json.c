/*
 * test_models_json.c - the models.json document: exact bytes for a small
 * schema, determinism (same schema in any build order, same bytes), a
 * lossless round trip of a schema using every feature, and one test per
 * kind of bad input, each checking the code and the file/line/path named.
 */
#include "core/models_json.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/*
 * A schema with every feature of the model, built in a scrambled order
 * (reverse when reversed is set) so sorting is exercised.
 */
static borch_schema *full_schema(int reversed)
{
    borch_schema *s = borch_schema_new("postgres");
    s->version = borch_xstrdup("20261124101500");
    for (int k = 0; k < 2; k++) {
        int which = reversed ? 1 - k : k;
        if (which == 0) {
            borch_table *t = borch_schema_add_table(s, "users");
            borch_column *c = borch_table_add_column(t, "id", "bigint", 0, NULL);
            c->identity = 1;
            borch_table_add_column(t, "email", "varchar(200)", 0, NULL);
            borch_table_add_column(t, "status", "user_status", 0, "'active'::user_status");
            borch_table_add_column(t, "bio", "text", 1, NULL);
            borch_table_add_pk_column(t, "id");
            t->primary_key_name = borch_xstrdup("users_pkey");
            t->comment = borch_xstrdup("people who sign in \"here\" – ünïcode");
            borch_index *ix = borch_table_add_index(t, "users_email_key", 1);
            borch_index_add_column(ix, "email");
            ix->constraint = 1;
            ix = borch_table_add_index(t, "users_active_idx", 0);
            borch_index_add_column(ix, "status");
            ix->where = borch_xstrdup("status = 'active'::user_status");
            ix = borch_table_add_index(t, "users_lower_email_idx", 1);
            borch_index_add_column(ix, "lower(email)");
            ix->expression = 1;
            ix = borch_table_add_index(t, "users_bio_trgm", 0);
            borch_index_add_column(ix, "bio");
            ix->method = borch_xstrdup("gin");
            borch_table_add_check(t, "users_email_check", "email <> ''");
            borch_table_add_check(t, NULL, "length(bio) < 10000");
        } else {
            borch_table *t = borch_schema_add_table(s, "posts");
            borch_table_add_column(t, "user_id", "bigint", 0, NULL);
            borch_table_add_column(t, "slug", "text", 0, NULL);
            borch_table_add_column(t, "editor_id", "bigint", 1, NULL);
            borch_table_add_pk_column(t, "user_id");
            borch_table_add_pk_column(t, "slug");
            borch_foreign_key *fk = borch_table_add_foreign_key(t, "posts_user_fk", "users");
            borch_fk_add_pair(fk, "user_id", "id");
            free(fk->on_delete);
            fk->on_delete = borch_xstrdup("cascade");
            fk = borch_table_add_foreign_key(t, NULL, "users");
            borch_fk_add_pair(fk, "editor_id", "id");
            free(fk->on_delete);
            fk->on_delete = borch_xstrdup("set null");
            free(fk->on_update);
            fk->on_update = borch_xstrdup("restrict");
        }
    }
    if (reversed)
        borch_schema_add_view(s, "b_view", "SELECT id FROM users");
    borch_schema_add_view(s, "a_view", "SELECT 1");
    if (!reversed)
        borch_schema_add_view(s, "b_view", "SELECT id FROM users");
    borch_enum *e = borch_schema_add_enum(s, "user_status");
    borch_enum_add_value(e, "active");
    borch_enum_add_value(e, "banned");
    borch_enum_add_value(e, "");
    borch_schema_add_sequence(s, "users_id_seq", "users.id");
    borch_schema_add_sequence(s, "invoice_no", NULL);
    return s;
}

static const char SMALL_EXPECTED[] = "{\n"
                                     "  \"engine\": \"sqlite\",\n"
                                     "  \"format\": \"borch-models/1\",\n"
                                     "  \"tables\": [\n"
                                     "    {\n"
                                     "      \"checks\": [],\n"
                                     "      \"columns\": [\n"
                                     "        {\n"
                                     "          \"default\": null,\n"
                                     "          \"identity\": true,\n"
                                     "          \"name\": \"id\",\n"
                                     "          \"nullable\": false,\n"
                                     "          \"type\": \"integer\"\n"
                                     "        },\n"
                                     "        {\n"
                                     "          \"default\": \"'x'\",\n"
                                     "          \"name\": \"email\",\n"
                                     "          \"nullable\": true,\n"
                                     "          \"type\": \"text\"\n"
                                     "        }\n"
                                     "      ],\n"
                                     "      \"foreign_keys\": [],\n"
                                     "      \"indexes\": [\n"
                                     "        {\n"
                                     "          \"columns\": [\n"
                                     "            \"email\"\n"
                                     "          ],\n"
                                     "          \"name\": \"users_email\",\n"
                                     "          \"unique\": true\n"
                                     "        }\n"
                                     "      ],\n"
                                     "      \"name\": \"users\",\n"
                                     "      \"primary_key\": [\n"
                                     "        \"id\"\n"
                                     "      ]\n"
                                     "    }\n"
                                     "  ],\n"
                                     "  \"version\": null,\n"
                                     "  \"views\": []\n"
                                     "}\n";

static borch_schema *small_schema(void)
{
    borch_schema *s = borch_schema_new("sqlite");
    borch_table *t = borch_schema_add_table(s, "users");
    borch_table_add_column(t, "id", "integer", 0, NULL)->identity = 1;
    borch_table_add_column(t, "email", "text", 1, "'x'");
    borch_table_add_pk_column(t, "id");
    borch_index_add_column(borch_table_add_index(t, "users_email", 1), "email");
    return s;
}

/* Parses text, expecting failure; returns the error for inspection. */
static borch_error parse_fails(const char *text)
{
    borch_error err = {0};
    borch_schema *out = NULL;
    int rc = borch_models_json_parse(text, "models.json", &out, &err);
    ck_assert_int_eq(rc, BORCH_EINPUT);
    ck_assert_int_eq(err.code, BORCH_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.file, "models.json");
    return err;
}

/* A valid document with one table whose columns/extra parts are spliced in. */
static char *doc_with_table(const char *table_body)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b,
                     "{\"format\":\"borch-models/1\",\"engine\":\"sqlite\",\"version\":null,"
                     "\"tables\":[{\"name\":\"t\",%s}],\"views\":[]}",
                     table_body);
    char *doc = borch_buf_detach(&b);
    borch_buf_release(&b);
    return doc;
}

START_TEST(render_small_schema_exact_bytes)
{
    borch_schema *s = small_schema();
    char *text = borch_models_json_render(s);
    ck_assert_str_eq(text, SMALL_EXPECTED);
    free(text);
    borch_schema_free(s);
}
END_TEST

START_TEST(render_twice_same_bytes)
{
    borch_schema *s = full_schema(0);
    char *a = borch_models_json_render(s);
    char *b = borch_models_json_render(s);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    borch_schema_free(s);
}
END_TEST

START_TEST(render_ignores_build_order)
{
    borch_schema *s1 = full_schema(0), *s2 = full_schema(1);
    char *a = borch_models_json_render(s1);
    char *b = borch_models_json_render(s2);
    ck_assert_str_eq(a, b);
    /* Sorted: posts before users, a_view before b_view. */
    ck_assert_ptr_nonnull(strstr(a, "\"posts\""));
    ck_assert(strstr(a, "\"name\": \"posts\"") < strstr(a, "\"name\": \"users\""));
    ck_assert(strstr(a, "\"a_view\"") < strstr(a, "\"b_view\""));
    free(a);
    free(b);
    borch_schema_free(s1);
    borch_schema_free(s2);
}
END_TEST

START_TEST(render_leaves_input_unsorted)
{
    borch_schema *s = full_schema(0);
    char *a = borch_models_json_render(s);
    ck_assert_str_eq(s->tables[0].name, "users");
    ck_assert_str_eq(s->tables[0].indexes[0].name, "users_email_key");
    free(a);
    borch_schema_free(s);
}
END_TEST

START_TEST(render_writes_every_feature)
{
    borch_schema *s = full_schema(0);
    char *text = borch_models_json_render(s);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "format")), "borch-models/1");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "version")), "20261124101500");
    json_t *users = json_array_get(json_object_get(doc, "tables"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(users, "name")), "users");
    ck_assert_str_eq(json_string_value(json_object_get(users, "primary_key_name")), "users_pkey");
    json_t *id = json_array_get(json_object_get(users, "columns"), 0);
    ck_assert(json_is_true(json_object_get(id, "identity")));
    json_t *email = json_array_get(json_object_get(users, "columns"), 1);
    ck_assert_ptr_null(json_object_get(email, "identity"));
    json_t *ixs = json_object_get(users, "indexes");
    ck_assert_uint_eq(json_array_size(ixs), 4);
    /* users_active_idx, users_bio_trgm, users_email_key, users_lower_email_idx */
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ixs, 0), "where")),
                     "status = 'active'::user_status");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ixs, 1), "method")), "gin");
    ck_assert(json_is_true(json_object_get(json_array_get(ixs, 2), "constraint")));
    ck_assert(json_is_true(json_object_get(json_array_get(ixs, 3), "expression")));
    ck_assert_ptr_null(json_object_get(json_array_get(ixs, 0), "method"));
    json_t *posts = json_array_get(json_object_get(doc, "tables"), 0);
    json_t *fks = json_object_get(posts, "foreign_keys");
    ck_assert_uint_eq(json_array_size(fks), 2);
    json_t *unnamed = json_array_get(fks, 0); /* editor_id sorts first */
    ck_assert(json_is_null(json_object_get(unnamed, "name")));
    ck_assert_str_eq(json_string_value(json_object_get(unnamed, "on_update")), "restrict");
    ck_assert_uint_eq(json_array_size(json_object_get(doc, "enums")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(doc, "sequences")), 2);
    ck_assert_ptr_null(strstr(text, "://"));
    ck_assert(text[strlen(text) - 1] == '\n');
    json_decref(doc);
    free(text);
    borch_schema_free(s);
}
END_TEST

START_TEST(render_replaces_invalid_utf8)
{
    borch_schema *s = borch_schema_new("mysql");
    borch_table *t = borch_schema_add_table(s, "caf\xe9");
    borch_table_add_column(t, "id", "int", 0, NULL);
    char *text = borch_models_json_render(s);
    ck_assert_ptr_nonnull(strstr(text, "\"caf\xef\xbf\xbd\""));
    borch_schema *back = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_models_json_parse(text, NULL, &back, &err), 0);
    ck_assert_uint_eq(back->tables[0].ncolumns, 1);
    borch_schema_free(back);
    free(text);
    borch_schema_free(s);
}
END_TEST

START_TEST(round_trip_every_feature)
{
    borch_schema *s = full_schema(1);
    char *a = borch_models_json_render(s);
    borch_schema *back = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_models_json_parse(a, "models.json", &back, &err), 0);
    char *b = borch_models_json_render(back);
    ck_assert_str_eq(a, b);

    borch_schema *sorted = borch_schema_clone(s);
    borch_schema_sort(sorted);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(sorted, back, &diff);
    ck_assert_msg(n == 0, "model changed in the round trip: %s", diff.data);
    borch_buf_release(&diff);
    ck_assert_str_eq(back->version, "20261124101500");
    ck_assert_str_eq(back->tables[1].comment, borch_schema_table(s, "users")->comment);
    ck_assert_int_eq(back->tables[1].columns[0].identity, 1);
    ck_assert_uint_eq(back->enums[0].nvalues, 3);
    ck_assert_str_eq(back->enums[0].values[2], "");
    ck_assert_ptr_null(back->sequences[0].owned_by); /* invoice_no */

    borch_schema_free(sorted);
    borch_schema_free(back);
    free(a);
    free(b);
    borch_schema_free(s);
}
END_TEST

START_TEST(round_trip_empty_schema)
{
    borch_schema *s = borch_schema_new("mysql");
    char *a = borch_models_json_render(s);
    ck_assert_str_eq(a, "{\n  \"engine\": \"mysql\",\n  \"format\": \"borch-models/1\",\n"
                        "  \"tables\": [],\n  \"version\": null,\n  \"views\": []\n}\n");
    borch_schema *back = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_models_json_parse(a, NULL, &back, &err), 0);
    ck_assert_str_eq(back->engine, "mysql");
    ck_assert_ptr_null(back->version);
    ck_assert_uint_eq(back->ntables, 0);
    borch_schema_free(back);
    free(a);
    borch_schema_free(s);
}
END_TEST

START_TEST(parse_fills_defaults_for_optional_keys)
{
    /* Hand-written: no indexes/foreign_keys/checks/primary_key, no actions. */
    char *doc = doc_with_table(
        "\"columns\":[{\"name\":\"a\",\"type\":\"integer\",\"nullable\":true,\"default\":null},"
        "{\"name\":\"b\",\"type\":\"integer\",\"nullable\":false}],"
        "\"foreign_keys\":[{\"name\":null,\"columns\":[\"b\"],\"ref_table\":\"t\","
        "\"ref_columns\":[\"a\"]}]");
    borch_schema *s = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_models_json_parse(doc, "m.json", &s, &err), 0);
    borch_table *t = borch_schema_table(s, "t");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->ncolumns, 2);
    ck_assert_ptr_null(t->columns[1].default_expr);
    ck_assert_uint_eq(t->nprimary_key, 0);
    ck_assert_str_eq(t->foreign_keys[0].on_delete, "no action");
    ck_assert_str_eq(t->foreign_keys[0].on_update, "no action");
    borch_schema_free(s);
    free(doc);
}
END_TEST

START_TEST(parse_bad_json_names_line_and_column)
{
    borch_error err = parse_fails("{\n  \"format\": \"borch-models/1\",\n  \"engine\": ,\n}\n");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_gt(err.column, 0);
    ck_assert_msg(strncmp(err.message, "not valid JSON", 14) == 0, "%s", err.message);
}
END_TEST

START_TEST(parse_bad_json_without_path_says_line_in_message)
{
    borch_error err = {0};
    borch_schema *out = NULL;
    ck_assert_int_eq(borch_models_json_parse("{\n\n  ]", NULL, &out, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.file, "");
    ck_assert_msg(strstr(err.message, "(line 3, column 3)") != NULL, "%s", err.message);
}
END_TEST

START_TEST(parse_duplicate_key_is_refused)
{
    borch_error err = parse_fails("{\"format\":\"borch-models/1\",\n\"engine\":\"sqlite\",\n"
                                  "\"engine\":\"mysql\",\"tables\":[]}");
    ck_assert_int_eq(err.line, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "duplicate"));
}
END_TEST

START_TEST(parse_empty_text_is_refused)
{
    parse_fails("");
}
END_TEST

START_TEST(parse_not_an_object)
{
    borch_error err = parse_fails("[1, 2]");
    ck_assert_str_eq(err.message, "a models.json document is a JSON object");
}
END_TEST

START_TEST(parse_wrong_format)
{
    borch_error err =
        parse_fails("{\"format\":\"borch-models/2\",\"engine\":\"sqlite\",\"tables\":[]}");
    ck_assert_str_eq(err.message,
                     "unsupported format 'borch-models/2' (expected \"borch-models/1\")");
    err = parse_fails("{\"engine\":\"sqlite\",\"tables\":[]}");
    ck_assert_str_eq(err.message, "missing 'format' (expected \"borch-models/1\")");
    err = parse_fails("{\"format\":1,\"engine\":\"sqlite\",\"tables\":[]}");
    ck_assert_ptr_nonnull(strstr(err.message, "unsupported format"));
}
END_TEST

START_TEST(parse_missing_tables_or_engine)
{
    borch_error err = parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"sqlite\"}");
    ck_assert_str_eq(err.message, "missing 'tables'");
    err = parse_fails("{\"format\":\"borch-models/1\",\"tables\":[]}");
    ck_assert_str_eq(err.message, "missing 'engine'");
    err = parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"sqlite\",\"tables\":{}}");
    ck_assert_str_eq(err.message, "'tables' must be an array");
    err = parse_fails(
        "{\"format\":\"borch-models/1\",\"engine\":\"sqlite\",\"version\":5,\"tables\":[]}");
    ck_assert_str_eq(err.message, "'version' must be a string or null");
}
END_TEST

START_TEST(parse_unknown_key_names_its_path)
{
    borch_error err = parse_fails(
        "{\"format\":\"borch-models/1\",\"engine\":\"sqlite\",\"tables\":[],\"tabels\":[]}");
    ck_assert_str_eq(err.message, "unknown key 'tabels'");
    char *doc = doc_with_table(
        "\"columns\":[{\"name\":\"a\",\"type\":\"int\",\"nullable\":true,\"nulable\":true}]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[0]: unknown key 'nulable'");
    free(doc);
}
END_TEST

START_TEST(parse_bad_column_values)
{
    char *doc = doc_with_table("\"columns\":[{\"name\":\"a\",\"type\":\"int\",\"nullable\":true},"
                               "{\"name\":\"b\",\"type\":\"int\",\"nullable\":\"yes\"}]");
    borch_error err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[1]: 'nullable' must be true or false");
    free(doc);
    doc = doc_with_table("\"columns\":[{\"type\":\"int\",\"nullable\":true}]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[0]: missing 'name'");
    free(doc);
    doc = doc_with_table("\"columns\":[{\"name\":\"a\",\"type\":\"int\"}]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[0]: missing 'nullable'");
    free(doc);
    doc = doc_with_table("\"columns\":[{\"name\":\"a\",\"type\":\"int\",\"nullable\":true,"
                         "\"default\":0}]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[0]: 'default' must be a string or null");
    free(doc);
    doc = doc_with_table("\"columns\":[5]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[0]: must be an object");
    free(doc);
    doc = doc_with_table("\"columns\":[{\"name\":\"a\",\"type\":\"int\",\"nullable\":true},"
                         "{\"name\":\"a\",\"type\":\"int\",\"nullable\":true}]");
    err = parse_fails(doc);
    ck_assert_str_eq(err.message, "tables[0].columns[1]: duplicate column 'a'");
    free(doc);
}
END_TEST

START_TEST(parse_bad_table_parts)
{
    static const struct {
        const char *body, *message;
    } cases[] = {
        {"\"primary_key\":[\"a\"]", "tables[0]: missing 'columns'"},
        {"\"columns\":[],\"primary_key\":[\"nope\"]",
         "tables[0]: primary key column 'nope' is not a column of the table"},
        {"\"columns\":[],\"primary_key\":[1]",
         "tables[0]: primary_key[0] must be a non-empty string"},
        {"\"columns\":[],\"indexes\":[{\"name\":\"i\",\"columns\":[],\"unique\":false}]",
         "tables[0].indexes[0]: 'columns' must not be empty"},
        {"\"columns\":[],\"indexes\":[{\"name\":\"i\",\"columns\":[\"a\"]}]",
         "tables[0].indexes[0]: missing 'unique'"},
        {"\"columns\":[],\"indexes\":[{\"name\":\"i\",\"columns\":[\"a\"],\"unique\":true},"
         "{\"name\":\"i\",\"columns\":[\"b\"],\"unique\":true}]",
         "tables[0].indexes[1]: duplicate index 'i'"},
        {"\"columns\":[],\"foreign_keys\":[{\"columns\":[\"a\",\"b\"],\"ref_table\":\"u\","
         "\"ref_columns\":[\"id\"]}]",
         "tables[0].foreign_keys[0]: 'columns' has 2 names but 'ref_columns' has 1"},
        {"\"columns\":[],\"foreign_keys\":[{\"columns\":[\"a\"],\"ref_columns\":[\"id\"]}]",
         "tables[0].foreign_keys[0]: missing 'ref_table'"},
        {"\"columns\":[],\"checks\":[{\"name\":\"c\"}]",
         "tables[0].checks[0]: missing 'expression'"},
        {"\"columns\":[],\"checks\":\"x > 0\"", "tables[0]: 'checks' must be an array"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = doc_with_table(cases[i].body);
        borch_error err = parse_fails(doc);
        ck_assert_str_eq(err.message, cases[i].message);
        free(doc);
    }
}
END_TEST

START_TEST(parse_bad_top_level_lists)
{
    borch_error err =
        parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"pg\",\"tables\":"
                    "[{\"name\":\"t\",\"columns\":[]},{\"name\":\"t\",\"columns\":[]}]}");
    ck_assert_str_eq(err.message, "tables[1]: duplicate table 't'");
    err = parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"pg\",\"tables\":[],"
                      "\"views\":[{\"definition\":\"SELECT 1\"}]}");
    ck_assert_str_eq(err.message, "views[0]: missing 'name'");
    err = parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"pg\",\"tables\":[],"
                      "\"enums\":[{\"name\":\"e\",\"values\":[\"a\",2]}]}");
    ck_assert_str_eq(err.message, "enums[0]: values[1] must be a string");
    err = parse_fails("{\"format\":\"borch-models/1\",\"engine\":\"pg\",\"tables\":[],"
                      "\"sequences\":[{\"name\":\"s\",\"owned_by\":false}]}");
    ck_assert_str_eq(err.message, "sequences[0]: 'owned_by' must be a string or null");
}
END_TEST

START_TEST(write_then_read_file)
{
    char *dir = make_temp_dir("models");
    char *path = borch_path_join(dir, "out/models.json");
    borch_schema *s = full_schema(0);
    borch_error err = {0};
    ck_assert_int_eq(borch_models_json_write(s, path, &err), 0);
    char *on_disk = read_text(dir, "out/models.json");
    char *rendered = borch_models_json_render(s);
    ck_assert_str_eq(on_disk, rendered);
    borch_schema *back = NULL;
    ck_assert_int_eq(borch_models_json_read(path, &back, &err), 0);
    char *again = borch_models_json_render(back);
    ck_assert_str_eq(again, rendered);
    free(again);
    free(rendered);
    free(on_disk);
    borch_schema_free(back);
    borch_schema_free(s);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(read_missing_or_bad_file)
{
    char *dir = make_temp_dir("models");
    char *path = borch_path_join(dir, "nope.json");
    borch_schema *out = NULL;
    borch_error err = {0};
    ck_assert_int_lt(borch_models_json_read(path, &out, &err), 0);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(err.message, "nope.json"));
    free(path);

    write_text(dir, "bad.json", "{\n\n  \"format\": \"borch-models/1\"\n  \"engine\": \"x\"\n}\n");
    path = borch_path_join(dir, "bad.json");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_models_json_read(path, &out, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 4);
    char line[2048];
    borch_error_format(&err, line, sizeof line);
    ck_assert_msg(strstr(line, "bad.json:4:") != NULL, "%s", line);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

Suite *suite_models_json(void)
{
    Suite *s = suite_create("models_json");
    TCase *tc = tcase_create("render");
    tcase_add_test(tc, render_small_schema_exact_bytes);
    tcase_add_test(tc, render_twice_same_bytes);
    tcase_add_test(tc, render_ignores_build_order);
    tcase_add_test(tc, render_leaves_input_unsorted);
    tcase_add_test(tc, render_writes_every_feature);
    tcase_add_test(tc, render_replaces_invalid_utf8);
    suite_add_tcase(s, tc);

    tc = tcase_create("round_trip");
    tcase_add_test(tc, round_trip_every_feature);
    tcase_add_test(tc, round_trip_empty_schema);
    tcase_add_test(tc, parse_fills_defaults_for_optional_keys);
    tcase_add_test(tc, write_then_read_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad_input");
    tcase_add_test(tc, parse_bad_json_names_line_and_column);
    tcase_add_test(tc, parse_bad_json_without_path_says_line_in_message);
    tcase_add_test(tc, parse_duplicate_key_is_refused);
    tcase_add_test(tc, parse_empty_text_is_refused);
    tcase_add_test(tc, parse_not_an_object);
    tcase_add_test(tc, parse_wrong_format);
    tcase_add_test(tc, parse_missing_tables_or_engine);
    tcase_add_test(tc, parse_unknown_key_names_its_path);
    tcase_add_test(tc, parse_bad_column_values);
    tcase_add_test(tc, parse_bad_table_parts);
    tcase_add_test(tc, parse_bad_top_level_lists);
    tcase_add_test(tc, read_missing_or_bad_file);
    suite_add_tcase(s, tc);
    return s;
}
