/*
 * cmd.h - the command layer: the command table, the options every command
 * shares, and the setup the runner does once for a command according to its
 * flags (config, target, migrations, connection, lock). Only this layer
 * prints and chooses exit codes; everything below returns borch_error.
 */
#ifndef BORCH_CMD_H
#define BORCH_CMD_H

#include <stdio.h>

#include "core/config.h"
#include "core/migration.h"
#include "core/url.h"
#include "driver.h"
#include "util/error.h"

/* Global options (SPEC: borch-db [-c FILE] [-e ENV] [-u URL] [-d DIR] [--json] [-q|-v] [--no-color]). */
typedef struct borch_cli {
    borch_config_overrides ov;
    int json;      /* one JSON document on stdout and nothing else there */
    int quiet;     /* -q: errors only */
    int verbose;   /* -v: also the SQL being run */
    int color;     /* resolved for stdout: terminal, no --no-color, no NO_COLOR */
    int color_err; /* the same for stderr */
    int progress;  /* resolved: stderr is a terminal and not quiet/json */
    int lock_timeout_s; /* --lock-timeout, or -1 for the config's */
} borch_cli;

/* What a command asks the runner to prepare before it runs. */
enum borch_cmd_flags {
    CMD_CONFIG = 1 << 0,     /* load borch.yaml */
    CMD_TARGET = 1 << 1,     /* resolve and parse the target URL */
    CMD_MIGRATIONS = 1 << 2, /* load the migrations folder */
    CMD_CONNECT = 1 << 3,    /* open a connection to the target */
};

/* Everything a command may use; the runner fills what the flags asked for. */
typedef struct borch_ctx {
    borch_cli *cli;
    const char *command;          /* "migrate up", for messages and audit */
    borch_config *cfg;
    const borch_env_config *env;  /* may be NULL */
    const char *url_text;         /* the target URL (holds the password: never print) */
    char *url_masked;             /* safe to print */
    borch_url *url;
    borch_migration_set migrations;
    int have_migrations;
    borch_conn *conn;
    int locked;                   /* the migration lock is held */
    unsigned flags;               /* the command's enum borch_cmd_flags */
    int create;                   /* the command writes: a missing SQLite file may be made */
    const char *action;           /* audit action of the runner hook: "apply", "rollback" */
} borch_ctx;

typedef int (*borch_cmd_fn)(borch_ctx *ctx, int argc, char **argv, borch_error *err);

typedef struct borch_command {
    const char *name;    /* "migrate up" (a two-word name matches two arguments) */
    borch_cmd_fn fn;
    unsigned flags;      /* enum borch_cmd_flags */
    const char *summary; /* one line for --help */
} borch_command;

/* ---- option parsing (opts.c) ---- */

enum borch_opt_kind { OPT_FLAG, OPT_INT, OPT_STR };

typedef struct borch_opt {
    const char *name; /* long name without dashes, e.g. "dry-run" */
    char short_name;  /* or 0 */
    enum borch_opt_kind kind;
    void *dest;       /* int* for FLAG/INT, const char** for STR */
} borch_opt;

/*
 * Parses argv against the command's options and the global ones (which may
 * stand anywhere). Positional arguments are moved to the front of argv and
 * counted in *npos. Unknown flags, missing values and bad numbers are
 * BORCH_EUSAGE.
 */
int borch_opts_parse(borch_cli *cli, const borch_opt *opts, int argc, char **argv, int *npos,
                     borch_error *err);

/* ---- setup (context.c) ---- */

/*
 * What every handler calls first: parses its options (and the global ones),
 * resolves colour and progress, then does the setup its table flags ask
 * for. Parsing comes first so that a usage error never touches a database.
 * npos NULL means the command takes no positional arguments: one is then
 * refused as "unexpected argument".
 */
int borch_cmd_start(borch_ctx *ctx, const borch_opt *opts, int argc, char **argv, int *npos,
                    borch_error *err);

int borch_ctx_setup(borch_ctx *ctx, unsigned flags, borch_error *err);
void borch_ctx_release(borch_ctx *ctx);
/* Connects if not yet connected (for commands that connect only sometimes). */
int borch_ctx_connect(borch_ctx *ctx, borch_error *err);
/* Takes the migration lock with the configured timeout. */
int borch_ctx_lock(borch_ctx *ctx, borch_error *err);
/* The lock timeout in seconds (flag > config > 60). */
int borch_ctx_lock_timeout(const borch_ctx *ctx);
/* Refuses (BORCH_EINPUT, exit 2) a folder that does not match its borch.sum; warns when there is none. */
int borch_ctx_check_sum(borch_ctx *ctx, borch_error *err);
/* Records an audit event in the file and the target's table; failures become warnings. */
void borch_ctx_audit(borch_ctx *ctx, const char *action, const char *version,
                     const char *checksum, long long duration_ms, int ok, const char *error,
                     const char *detail_json);
/*
 * The runner hook that records a migration in the target's audit table
 * inside its transaction (see borch_audit_append_db); payload is the
 * borch_ctx, action is ctx->action. The file record follows the commit
 * (borch_ctx_audit_file), so the file never claims an apply that rolled back.
 */
struct borch_migration;
int borch_ctx_audit_in_tx(borch_conn *conn, const struct borch_migration *m, long long ms,
                          void *payload, borch_error *err);
/* After the commit: the same record in the audit file, unsynced. */
void borch_ctx_audit_file(borch_ctx *ctx, const struct borch_migration *m, long long ms);
/* fsyncs the audit file once at the end of a batch. */
void borch_ctx_audit_sync(borch_ctx *ctx);

/* The drift cache (see status): the line for this target with models.json
 * text models_text (NULL when the driver has no fingerprint), lookup, store. */
char *borch_ctx_drift_cache_line(borch_ctx *ctx, const char *models_text);
int borch_ctx_drift_cache_hit(const borch_ctx *ctx, const char *line);
void borch_ctx_drift_cache_store(const borch_ctx *ctx, const char *line);

/* Introspects the target and writes models.json (version = last applied). Warns on failure. */
void borch_ctx_write_models(borch_ctx *ctx);

/*
 * Opens a throwaway database for ctx's target on the environment's scratch
 * server (else the target's own). A server that refuses one is bad config:
 * BORCH_EINPUT naming `environments.<env>.scratch`; one that cannot be
 * reached stays BORCH_ECONNECT (exit 3).
 */
struct borch_scratch;
int borch_ctx_open_scratch(borch_ctx *ctx, struct borch_scratch **out, borch_error *err);

/*
 * Writes a new migration NAME with text body into the migrations folder
 * under the next version (a UTC timestamp, or the newest + 1) and updates
 * borch.sum when there is one. A folder that does not match its borch.sum
 * is refused. *out_path and *out_version are malloc'd.
 */
int borch_ctx_write_migration(borch_ctx *ctx, const char *name, const char *body,
                              char **out_path, char **out_version, borch_error *err);

/* ---- output (output.c) ---- */

/* Appends s to b with XML's special characters escaped (JUnit reports). */
struct borch_buf;
void borch_xml_escape(struct borch_buf *b, const char *s);

/* ANSI colour codes, or "" when colour is off. */
const char *borch_c_green(const borch_cli *cli);
const char *borch_c_red(const borch_cli *cli);
const char *borch_c_yellow(const borch_cli *cli);
const char *borch_c_dim(const borch_cli *cli);
const char *borch_c_bold(const borch_cli *cli);
const char *borch_c_reset(const borch_cli *cli);
/* A human line on stdout, unless --json or -q. */
void borch_say(const borch_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "borch-db: warning: ..." on stderr, unless -q. */
void borch_warn(const borch_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A progress line on stderr that the next one overwrites (terminal only). */
void borch_progress(const borch_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void borch_progress_done(const borch_cli *cli);
/* Prints err as "borch-db: file:line: message" (+ statement and hint lines). */
void borch_print_error(const borch_cli *cli, const borch_error *err);
/* Writes a jansson value as the one JSON document on stdout and frees it. */
struct json_t;
void borch_print_json(struct json_t *doc);
/* Whether a JSON document was printed (so main knows to print an error one). */
int borch_json_printed(void);
/* UTC now as RFC 3339 with milliseconds; buf of at least 32 bytes. */
const char *borch_now_utc(char *buf, size_t n);
long long borch_now_ms(void);

/* ---- commands (one file each) ---- */
int cmd_init(borch_ctx *, int, char **, borch_error *);
int cmd_new(borch_ctx *, int, char **, borch_error *);
int cmd_migrate_up(borch_ctx *, int, char **, borch_error *);
int cmd_migrate_down(borch_ctx *, int, char **, borch_error *);
int cmd_migrate_hash(borch_ctx *, int, char **, borch_error *);
int cmd_rollback(borch_ctx *, int, char **, borch_error *);
int cmd_status(borch_ctx *, int, char **, borch_error *);
int cmd_validate(borch_ctx *, int, char **, borch_error *);
int cmd_baseline(borch_ctx *, int, char **, borch_error *);
int cmd_repair(borch_ctx *, int, char **, borch_error *);
int cmd_schema_inspect(borch_ctx *, int, char **, borch_error *);
int cmd_audit_show(borch_ctx *, int, char **, borch_error *);
int cmd_audit_verify(borch_ctx *, int, char **, borch_error *);
int cmd_drivers(borch_ctx *, int, char **, borch_error *);
int cmd_diff(borch_ctx *, int, char **, borch_error *);
int cmd_rollback_verify(borch_ctx *, int, char **, borch_error *);
int cmd_pipeline(borch_ctx *, int, char **, borch_error *);
int cmd_lint(borch_ctx *, int, char **, borch_error *);
int cmd_advise_indexes(borch_ctx *, int, char **, borch_error *);

/*
 * The text of a migration whose up turns the migrations' schema into src
 * and whose down turns it back, in the target's dialect (diff.c). *out is
 * NULL when there is nothing to change.
 */
int borch_diff_migration(borch_ctx *ctx, const char *src, char **out, borch_error *err);

/* The DDL that creates schema s from nothing, in its engine's dialect (malloc'd). */
int borch_render_create(const borch_schema *s, char **out, borch_error *err);

#endif
