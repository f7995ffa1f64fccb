/* fuzz_config.c - borch.yaml parsing must never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    borch_config *cfg = NULL;
    borch_error err = {0};
    if (borch_config_parse((const char *)data, size, "fuzz/borch.yaml", &cfg, &err) == 0)
        borch_config_free(cfg);
    borch_error_clear(&err);
    return 0;
}
