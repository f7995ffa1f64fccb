/*
 * scratch.h - throwaway databases with a lifetime: made on the scratch
 * server (the environment's `scratch:` URL, else the target's own server),
 * registered so that they are dropped on every way out: a normal close, an
 * error path, exit(), SIGINT and SIGTERM.
 */
#ifndef BORCH_SCRATCH_H
#define BORCH_SCRATCH_H

#include "driver.h"

typedef struct borch_scratch {
    borch_url *server;  /* where it was made */
    char *url;          /* its URL (holds credentials: never print) */
    char *url_masked;
    borch_conn *conn;   /* open connection to it */
    int slot;           /* registry slot, or -1 */
} borch_scratch;

/*
 * Makes a throwaway database of target's engine and connects to it.
 * server_spec is the scratch URL from config, or NULL for the target's own
 * server. Returns 0 and a handle the caller must pass to borch_scratch_close.
 */
int borch_scratch_open(const borch_url *target, const char *server_spec,
                       const borch_conn_opts *opts, borch_scratch **out, borch_error *err);

/*
 * The same, but the new database is a copy of the database from_db on the
 * scratch server (PostgreSQL: CREATE DATABASE … TEMPLATE). BORCH_EUNSUPPORTED
 * when the driver cannot copy; an error when from_db does not exist.
 */
int borch_scratch_open_copy(const borch_url *target, const char *server_spec,
                            const char *from_db, const borch_conn_opts *opts,
                            borch_scratch **out, borch_error *err);

/*
 * Saves a copy of s's database under name (which must start with
 * "borch_scratch_"), kept after the command ends: a template for later
 * runs. s stays open and registered for dropping.
 */
int borch_scratch_save_copy(borch_scratch *s, const char *name, const borch_conn_opts *opts,
                            borch_error *err);

/* Closes the connection and drops the database; NULL is allowed. */
void borch_scratch_close(borch_scratch *s);

/* Closes the connection but keeps the database (--keep); frees s. */
void borch_scratch_keep(borch_scratch *s);

#endif
