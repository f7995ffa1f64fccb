/*
 * migrate.h - the migrate-up path shared by `migrate up` and `pipeline`:
 * work out the pending migrations and apply (or, dry, print) them.
 */
#ifndef BORCH_CMD_MIGRATE_H
#define BORCH_CMD_MIGRATE_H

#include <jansson.h>

#include "cmd/cmd.h"

/*
 * Applies the pending migrations of ctx (connected; locked and with the
 * history and audit tables ensured unless dry), cut by to (or NULL) and
 * step (or 0). Dry prints each up section instead. Appends one object per
 * migration to doc's "applied" array (made when absent) and, on a failed
 * migration, sets doc's "failed". Writes the audit records and models.json
 * as `migrate up` does. Refuses dirty or changed history (BORCH_ESTATE).
 */
int borch_migrate_up_run(borch_ctx *ctx, const char *to, int step, int dry, json_t *doc,
                         borch_error *err);

#endif
