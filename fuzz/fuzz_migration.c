/* fuzz_migration.c - migration file parsing must never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/migration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser takes text; give it a NUL-terminated copy, as the loader does. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    borch_migration m;
    memset(&m, 0, sizeof(m));
    borch_error err = {0};
    if (borch_migration_parse("20260101000000_fuzz.sql", text, size, &m, &err) == 0)
        borch_migration_release(&m);
    borch_error_clear(&err);
    free(text);
    return 0;
}
