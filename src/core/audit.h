/*
 * audit.h - the tamper-evident audit trail: records kept both in the target
 * database (table borch_audit) and in the append-only JSONL file named by
 * `audit:`. Each sink is its own SHA-256 hash chain: hash = sha256 of the
 * record's canonical JSON (sorted keys, compact, "hash" left out, prev_hash
 * included); prev_hash is the hash of the sink's previous record, or 64
 * zeros for the first.
 *
 * Record fields (SPEC): seq, at, actor, command, target (masked), action,
 * version, checksum, duration_ms, outcome, error, prev_hash, hash; plus an
 * optional "detail" object.
 */
#ifndef BORCH_AUDIT_H
#define BORCH_AUDIT_H

#include "util/error.h"

struct borch_conn;

/* What the caller knows of an event; the chain fields are filled here. */
typedef struct borch_audit_event {
    const char *command;    /* "migrate up" */
    const char *target;     /* masked URL */
    const char *action;     /* apply, rollback, verify, baseline, repair, advise, ... */
    const char *version;    /* or NULL */
    const char *checksum;   /* or NULL */
    long long duration_ms;
    int ok;                 /* outcome ok / failed */
    const char *error;      /* or NULL; must not hold a password */
    const char *detail_json; /* an extra JSON object as text, or NULL */
} borch_audit_event;

/*
 * Appends ev to the file at path (O_APPEND, fsync; parent folders made) and,
 * when conn is not NULL, to its audit table. Returns 0 or an error; the
 * caller decides whether a failed audit write fails the command.
 */
int borch_audit_append(const char *path, struct borch_conn *conn, const borch_audit_event *ev,
                       borch_error *err);

/*
 * The two sinks one at a time, for callers that batch: a migration run puts
 * each record in the audit table inside the migration's own transaction (so
 * the record commits with its effect, at no extra commit), and appends to
 * the file without fsync (sync = 0), calling borch_audit_sync_file once at
 * the end. The line is written before the call returns, so a killed process
 * loses nothing; only a machine crash can lose unsynced lines, and the table
 * still has them.
 */
int borch_audit_append_db(struct borch_conn *conn, const borch_audit_event *ev, borch_error *err);
int borch_audit_append_file(const char *path, const borch_audit_event *ev, int sync,
                            borch_error *err);
int borch_audit_sync_file(const char *path, borch_error *err);

/*
 * Builds the canonical record text for ev with seq/prev_hash, and its hash
 * (65 bytes). Returns the malloc'd full JSON line (with "hash", no newline).
 * Exposed for tests.
 */
char *borch_audit_build(const borch_audit_event *ev, long long seq, const char *at,
                        const char *actor, const char *prev_hash, char hash_out[65]);

/*
 * Checks a chain of JSON lines: each hash recomputes, each prev_hash is the
 * previous hash, seq increases by one. Returns the number of problems and
 * appends one line per problem to out (a borch_buf*, may be NULL), e.g.
 * "line 4: hash does not match its record (edited?)".
 */
struct borch_buf;
size_t borch_audit_verify_lines(const char *const *lines, size_t count, struct borch_buf *out);

/* Reads the JSONL file into lines (a borch_strv*); a missing file gives none. */
struct borch_strv;
int borch_audit_read_file(const char *path, struct borch_strv *lines, borch_error *err);

/* "user@host" of the person running the command. malloc'd. */
char *borch_audit_actor(void);

#endif
