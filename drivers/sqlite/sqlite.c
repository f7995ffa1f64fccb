/* sqlite.c - placeholder until the SQLite driver lands. */
#include "driver.h"

static const char *const schemes[] = {"sqlite", "sqlite3", NULL};
const borch_driver borch_sqlite_driver = {
    .abi_version = BORCH_DRIVER_ABI_1,
    .name = "sqlite",
    .schemes = schemes,
};
