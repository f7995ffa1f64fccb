/*
 * error.h - the one error object every layer fills and only the command
 * layer prints.
 *
 * Functions return 0 or a negative BORCH_E* code and describe the failure
 * once, in a borch_error the caller passed down. The command layer maps the
 * code to the SPEC exit code (borch_error_exit_code) and prints one line.
 */
#ifndef BORCH_ERROR_H
#define BORCH_ERROR_H

#include <stddef.h>

/* Error codes; each maps to one SPEC exit code (see borch_error_exit_code). */
enum borch_status {
    BORCH_OK = 0,
    BORCH_EFAIL = -1,        /* a check failed, or a migration's SQL failed: exit 1 */
    BORCH_EUSAGE = -2,       /* bad flag or argument: exit 2 */
    BORCH_EINPUT = -3,       /* malformed file or value: exit 2 */
    BORCH_ECONNECT = -4,     /* database unreachable: exit 3 */
    BORCH_ELOCK = -5,        /* migration lock not taken in time: exit 3 */
    BORCH_EIO = -6,          /* file system error: exit 1 */
    BORCH_ENOMEM = -7,       /* out of memory: exit 1 */
    BORCH_EUNSUPPORTED = -8, /* the driver or build cannot do this: exit 2 */
    BORCH_ESQL = -9,         /* the database refused a statement: exit 1 */
    BORCH_ESTATE = -10,      /* history in a state that needs a person (dirty, changed): exit 1 */
};

/* What went wrong, set once by the layer that saw it. */
typedef struct borch_error {
    int code;             /* one of enum borch_status */
    char message[1024];   /* lowercase, no final period, names quoted as '%s' */
    char file[512];       /* file the error is about, or "" */
    int line;             /* 1-based line in file, or 0 */
    int column;           /* 1-based column, or 0 */
    char sqlstate[8];     /* SQLSTATE or native code of a database error, or "" */
    char hint[512];       /* what the user can do about it, or "" */
    char *statement;      /* malloc'd text of the failing statement, or NULL */
} borch_error;

/* Resets err to "no error", freeing a statement it held. */
void borch_error_clear(borch_error *err);

/*
 * Sets code and message (printf-style) and returns code so callers can write
 * `return borch_error_set(err, BORCH_EINPUT, "...")`. A NULL err is allowed.
 */
int borch_error_set(borch_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds the file:line:column the error is about; returns err->code. */
int borch_error_at(borch_error *err, const char *file, int line, int column);

/* Sets the hint line printed under the message. */
void borch_error_hint(borch_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keeps a copy of the failing statement (trimmed to a readable length). */
void borch_error_statement(borch_error *err, const char *sql);

/* The SPEC exit code for an error code: 1, 2 or 3 (0 for BORCH_OK). */
int borch_error_exit_code(int code);

/*
 * Formats the error as the one line the CLI prints, without the "borch-db: "
 * prefix: "file:line: message". Writes into buf (size n) and returns buf.
 */
const char *borch_error_format(const borch_error *err, char *buf, size_t n);

#endif
