/*
 * yaml_model_apply.c - a model read from YAML built in a throwaway
 * database, so that it can be read back in the engine's own words.
 *
 * The reader maps types, names and the usual defaults to what the engine
 * reports, but it cannot predict how a server deparses a check or a view
 * (PostgreSQL writes "email <> ''" back as "(email)::text <> ''::text").
 * A YAML source therefore goes through the engine like a .sql one: this
 * builds it, the caller introspects.
 */
#include "core/yaml_model.h"

#include <stdlib.h>

#include "core/diff.h"
#include "driver.h"
#include "util/buf.h"

int borch_yaml_model_apply(borch_conn *conn, const borch_schema *model, borch_error *err)
{
    if (!conn->driver->render)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "the %s driver cannot write DDL for a YAML model yet",
                               conn->driver->name);
    borch_schema *now = NULL;
    borch_changes changes = {0};
    borch_buf ddl;
    borch_buf_init(&ddl);
    int rc;
    if ((rc = borch_conn_introspect(conn, &now, err)) == 0 &&
        (rc = borch_diff(now, model, &changes, err)) == 0 &&
        (rc = conn->driver->render(now, model, &changes, &ddl, err)) == 0 &&
        (rc = borch_conn_exec(conn, ddl.data, NULL, 1, err)) == BORCH_ESQL) {
        /* the model is the bad input here, not a migration run */
        err->code = BORCH_EINPUT;
        rc = BORCH_EINPUT;
    }
    borch_changes_release(&changes);
    borch_buf_release(&ddl);
    borch_schema_free(now);
    return rc;
}
