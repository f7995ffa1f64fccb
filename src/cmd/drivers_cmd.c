/* drivers_cmd.c - `drivers`: what this build can talk to. */
#include <jansson.h>
#include <stdio.h>

#include "cmd/cmd.h"

int cmd_drivers(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int rc;
    if ((rc = borch_cmd_start(ctx, NULL, argc, argv, NULL, err)) < 0)
        return rc;
    json_t *arr = json_array();
    const borch_driver *const *d = borch_drivers();
    for (size_t i = 0; d[i]; i++) {
        json_t *schemes = json_array();
        for (size_t k = 0; d[i]->schemes[k]; k++)
            json_array_append_new(schemes, json_string(d[i]->schemes[k]));
        json_array_append_new(
            arr, json_pack("{s:s, s:o, s:b, s:b, s:b}", "name", d[i]->name, "schemes", schemes,
                           "transactional_ddl", (d[i]->caps & BORCH_CAP_TRANSACTIONAL_DDL) != 0,
                           "advisory_lock", (d[i]->caps & BORCH_CAP_ADVISORY_LOCK) != 0,
                           "scratch", (d[i]->caps & BORCH_CAP_SCRATCH) != 0));
        if (!ctx->cli->json)
            printf("%-10s %s%s%s\n", d[i]->name,
                   (d[i]->caps & BORCH_CAP_TRANSACTIONAL_DDL) ? "transactional DDL" : "non-transactional DDL",
                   (d[i]->caps & BORCH_CAP_ADVISORY_LOCK) ? ", advisory lock" : "",
                   (d[i]->caps & BORCH_CAP_SCRATCH) ? ", throwaway databases" : "");
    }
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:o}", "drivers", arr));
    else
        json_decref(arr);
    return 0;
}
