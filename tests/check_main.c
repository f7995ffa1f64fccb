/*
 * check_main.c - runs every suite. The list comes from suites.inc, which
 * CMake generates from the tests/unit/test_<module>.c and tests/e2e/test_*.c
 * file names. CK_RUN_SUITE / CK_RUN_CASE pick one while debugging.
 */
#include <check.h>
#include <stdlib.h>

#define SUITE(name) Suite *suite_##name(void);
#include "suites.inc"
#undef SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, suite_##name());
#include "suites.inc"
#undef SUITE
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
