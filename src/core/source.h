/*
 * source.h - every schema source becomes one schema model (SPEC "schema
 * source"): a database URL; `migrations:DIR` (replayed in a throwaway
 * database of the target's engine); a `.sql` file of DDL (loaded into one);
 * a `.yaml` declarative model; a models.json file.
 */
#ifndef BORCH_SOURCE_H
#define BORCH_SOURCE_H

#include "core/migration.h"
#include "core/model.h"
#include "driver.h"

/* Where sources are resolved and loaded. */
typedef struct borch_source_env {
    const borch_url *target;      /* its engine is the engine of throwaway databases */
    const char *scratch_server;   /* the environment's scratch URL, or NULL: the target's server */
    const borch_conn_opts *opts;  /* connection options (timeouts, schema) */
    const char *base_dir;         /* folder relative paths and sqlite: URLs resolve against */
} borch_source_env;

/*
 * Loads spec into a new sorted model (caller frees). A `.sql` file that does
 * not load is BORCH_EINPUT naming its file, line and the engine's error; a
 * migration that does not replay, likewise. Unreachable servers are
 * BORCH_ECONNECT.
 */
int borch_source_load(const borch_source_env *env, const char *spec, borch_schema **out,
                      borch_error *err);

/*
 * Runs one section of m (its down when down != 0) on conn, in a transaction
 * where the engine allows and the section is not notx; no history is
 * written. On failure err names the file, line and statement.
 */
int borch_exec_section(borch_conn *conn, const borch_migration *m, int down, borch_error *err);

/*
 * Applies the up sections of set's migrations (those <= upto, or all when
 * upto is NULL) to conn, each in its own transaction where the engine
 * allows. No history is written: this builds a schema, it does not migrate.
 */
int borch_replay(borch_conn *conn, const borch_migration_set *set, const char *upto,
                 borch_error *err);

#endif
