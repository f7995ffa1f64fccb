/*
 * fuzz_workload.c - reading a workload file (plain SQL, a PostgreSQL log,
 * a MySQL slow log: the format is guessed from the content) must never
 * crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    borch_workload w = {0};
    borch_error err = {0};
    borch_workload_parse(&w, text, "fuzz.sql", &err);
    borch_workload_release(&w);
    borch_error_clear(&err);
    free(text);
    return 0;
}
