/*
 * fuzz_sqlscan.c - the advisor's query reader must never crash, leak or
 * read out of bounds, whatever the workload holds. The first byte picks
 * the engine of the model the statement is read against.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/sqlscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* customers, orders and order_items with the same six columns, and a view. */
static borch_schema *shop(const char *engine)
{
    static const char *const tables[] = {"customers", "orders", "order_items"};
    static const char *const cols[] = {"id", "customer_id", "status", "order_id", "created_at",
                                       "Name"};
    borch_schema *s = borch_schema_new(engine);
    for (int i = 0; i < 3; i++) {
        borch_table *t = borch_schema_add_table(s, tables[i]);
        for (int k = 0; k < 6; k++)
            borch_table_add_column(t, cols[k], "integer", 1, NULL);
        borch_table_add_pk_column(t, "id");
    }
    borch_schema_add_view(s, "v", "select 1");
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static borch_schema *models[3];
    if (!models[0]) {
        models[0] = shop("postgres");
        models[1] = shop("mysql");
        models[2] = shop("sqlite");
    }
    if (size < 1)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    borch_query_shape q;
    borch_error err = {0};
    borch_sqlscan(text, models[data[0] % 3], &q, &err);
    borch_query_shape_release(&q);
    borch_error_clear(&err);
    free(text);
    return 0;
}
