/*
 * registry.c - the drivers this build has, keyed by URL scheme. A driver left
 * out of the build still has its schemes listed, so that its URLs get
 * "built without ... support" rather than "unknown scheme".
 */
#include "driver.h"

#include <string.h>

extern const borch_driver borch_sqlite_driver;
#ifdef BORCH_WITH_POSTGRES
extern const borch_driver borch_postgres_driver;
#endif
#ifdef BORCH_WITH_MYSQL
extern const borch_driver borch_mysql_driver;
#endif

static const borch_driver *const builtin[] = {
    &borch_sqlite_driver,
#ifdef BORCH_WITH_POSTGRES
    &borch_postgres_driver,
#endif
#ifdef BORCH_WITH_MYSQL
    &borch_mysql_driver,
#endif
    NULL,
};

/* Every scheme borch-db knows, built in or not, with its canonical name. */
static const struct {
    const char *scheme;
    const char *canonical;
    const char *label;
} known[] = {
    {"sqlite", "sqlite", "SQLite"},     {"sqlite3", "sqlite", "SQLite"},
    {"postgres", "postgres", "PostgreSQL"}, {"postgresql", "postgres", "PostgreSQL"},
    {"mysql", "mysql", "MySQL"},        {"mariadb", "mysql", "MySQL"},
};

const borch_driver *const *borch_drivers(void)
{
    return builtin;
}

const char *borch_scheme_canonical(const char *scheme)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].scheme, scheme) == 0)
            return known[i].canonical;
    return NULL;
}

int borch_driver_for_scheme(const char *scheme, const borch_driver **out, borch_error *err)
{
    const char *canon = borch_scheme_canonical(scheme);
    if (!canon)
        return borch_error_set(err, BORCH_EINPUT,
                               "unknown URL scheme '%s' (known: sqlite, postgres, mysql)", scheme);
    for (size_t i = 0; builtin[i]; i++) {
        if (builtin[i]->abi_version < BORCH_DRIVER_ABI_1 || builtin[i]->abi_version > BORCH_DRIVER_ABI)
            continue;
        if (strcmp(builtin[i]->name, canon) == 0) {
            *out = builtin[i];
            return 0;
        }
    }
    const char *label = canon;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].canonical, canon) == 0)
            label = known[i].label;
    borch_error_set(err, BORCH_EUNSUPPORTED, "this build of borch-db was built without %s support",
                    label);
    borch_error_hint(err, "rebuild with its client library installed");
    return BORCH_EUNSUPPORTED;
}
