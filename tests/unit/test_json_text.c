/*
 * test_json_text.c - strings from text in another encoding become valid
 * JSON strings instead of disappearing.
 */
#include "core/json_text.h"

#include <check.h>
#include <string.h>

/* The value borch_json_text gives for s, as UTF-8 text. */
static void expect(const char *s, const char *want)
{
    json_t *v = borch_json_text(s);
    ck_assert(json_is_string(v));
    ck_assert_str_eq(json_string_value(v), want);
    json_decref(v);
}

START_TEST(valid_utf8_is_kept)
{
    expect("", "");
    expect("plain ascii", "plain ascii");
    expect("na\xc3\xafve \xe2\x80\x93 \xf0\x9f\x98\x80",
           "na\xc3\xafve \xe2\x80\x93 \xf0\x9f\x98\x80");
}
END_TEST

START_TEST(invalid_bytes_become_replacement_characters)
{
    expect("caf\xe9", "caf\xef\xbf\xbd");                             /* latin1 e-acute */
    expect("\xc3", "\xef\xbf\xbd");                                   /* cut sequence at the end */
    expect("a\xc0\xafz", "a\xef\xbf\xbd\xef\xbf\xbdz");               /* overlong '/' */
    expect("\xed\xa0\x80x", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx"); /* surrogate */
    expect("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > U+10FFFF */
    expect("\xe2\x82 ok", "\xef\xbf\xbd\xef\xbf\xbd ok"); /* missing continuation */
}
END_TEST

START_TEST(null_is_json_null)
{
    json_t *v = borch_json_text(NULL);
    ck_assert(json_is_null(v));
    json_decref(v);
}
END_TEST

Suite *suite_json_text(void)
{
    Suite *s = suite_create("json_text");
    TCase *tc = tcase_create("json_text");
    tcase_add_test(tc, valid_utf8_is_kept);
    tcase_add_test(tc, invalid_bytes_become_replacement_characters);
    tcase_add_test(tc, null_is_json_null);
    suite_add_tcase(s, tc);
    return s;
}
