/* fuzz_models_json.c - models.json parsing must never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/models_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    borch_schema *s = NULL;
    borch_error err = {0};
    if (borch_models_json_parse(text, "fuzz/models.json", &s, &err) == 0) {
        /* What parses must render, and render again to the same bytes. */
        char *a = borch_models_json_render(s);
        borch_schema *t = NULL;
        borch_error e2 = {0};
        if (borch_models_json_parse(a, "fuzz/again.json", &t, &e2) == 0) {
            char *b = borch_models_json_render(t);
            if (strcmp(a, b) != 0)
                abort();
            free(b);
            borch_schema_free(t);
        }
        borch_error_clear(&e2);
        free(a);
        borch_schema_free(s);
    }
    borch_error_clear(&err);
    free(text);
    return 0;
}
