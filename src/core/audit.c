/*
 * audit.c - the tamper-evident audit trail (see audit.h, docs/audit.md).
 *
 * Layout: hashing and record building first (shared by both sinks), then the
 * file sink (flock-guarded append to the JSONL file), the database sink
 * (drivers/records.h), borch_audit_append over both, and last the verifier
 * and the file reader used by `audit show` / `audit verify`.
 *
 * A record's canonical form is json_dumps(record without "hash",
 * JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII); its hash is the SHA-256
 * hex of that text. The stored line is the record with "hash" added, dumped
 * with sorted keys, compact.
 */
#include "core/audit.h"

#include "core/json_text.h"
#include "core/url.h"
#include "records.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* prev_hash of the first record of a chain. */
static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Fields every record carries (detail is optional, hash is checked apart). */
static const char *const REQUIRED[] = {
    "seq",      "at",          "actor",   "command", "target",    "action", "version",
    "checksum", "duration_ms", "outcome", "error",   "prev_hash", "hash",
};

/* 1 when s is 64 lowercase hex digits. */
static int is_hash(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* SHA-256 of data as 64 lowercase hex digits; the one hash of the trail. */
static void sha256_hex(const char *data, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        abort(); /* libcrypto without SHA-256 is not a state we can audit from */
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[64] = '\0';
}

/* A string value, or JSON null for NULL, so absent facts stay visible. */
static json_t *str_or_null(const char *s)
{
    return borch_json_text(s);
}

/*
 * Error text is the caller's to mask; masking again here costs nothing and
 * keeps a careless caller from writing a password into a permanent record.
 */
static json_t *masked_or_null(const char *s)
{
    if (!s)
        return json_null();
    char *m = borch_url_mask(s);
    json_t *v = borch_json_text(m ? m : s);
    free(m);
    return v;
}

/*
 * The record for ev without "hash", or NULL when detail_json is not a JSON
 * object (a programming error of the caller, reported by borch_audit_append).
 */
static json_t *record_new(const borch_audit_event *ev, long long seq, const char *at,
                          const char *actor, const char *prev_hash)
{
    json_t *detail = NULL;
    if (ev->detail_json) {
        detail = json_loads(ev->detail_json, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(detail)) {
            json_decref(detail);
            return NULL;
        }
    }
    json_t *rec = json_object();
    json_object_set_new(rec, "seq", json_integer(seq));
    json_object_set_new(rec, "at", str_or_null(at));
    json_object_set_new(rec, "actor", str_or_null(actor));
    json_object_set_new(rec, "command", str_or_null(ev->command));
    json_object_set_new(rec, "target", masked_or_null(ev->target));
    json_object_set_new(rec, "action", str_or_null(ev->action));
    json_object_set_new(rec, "version", str_or_null(ev->version));
    json_object_set_new(rec, "checksum", str_or_null(ev->checksum));
    json_object_set_new(rec, "duration_ms", json_integer(ev->duration_ms));
    json_object_set_new(rec, "outcome", json_string(ev->ok ? "ok" : "failed"));
    json_object_set_new(rec, "error", masked_or_null(ev->error));
    json_object_set_new(rec, "prev_hash", borch_json_text(prev_hash ? prev_hash : GENESIS));
    if (detail)
        json_object_set_new(rec, "detail", detail);
    return rec;
}

/* The text the hash covers; malloc'd (jansson allocates with malloc). */
static char *canonical(const json_t *rec_without_hash)
{
    return json_dumps(rec_without_hash, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
}

/*
 * Builds one record: its canonical text (what the hash and the database's
 * record column hold) and its stored line. Returns 0, or -1 for bad detail.
 */
static int build(const borch_audit_event *ev, long long seq, const char *at, const char *actor,
                 const char *prev_hash, char **canon_out, char **line_out, char hash_out[65])
{
    json_t *rec = record_new(ev, seq, at, actor, prev_hash);
    if (!rec)
        return -1;
    char *canon = canonical(rec);
    sha256_hex(canon, strlen(canon), hash_out);
    json_object_set_new(rec, "hash", json_string(hash_out));
    char *line = json_dumps(rec, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(rec);
    if (canon_out)
        *canon_out = canon;
    else
        free(canon);
    *line_out = line;
    return 0;
}

char *borch_audit_build(const borch_audit_event *ev, long long seq, const char *at,
                        const char *actor, const char *prev_hash, char hash_out[65])
{
    char *line = NULL;
    if (build(ev, seq, at, actor, prev_hash, NULL, &line, hash_out) != 0)
        return NULL;
    return line;
}

/* Now as UTC RFC 3339 with milliseconds and 'Z': both sinks share it. */
static void now_rfc3339(char out[64])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 64, "%s.%03ldZ", base, (long)(ts.tv_nsec / 1000000));
}

char *borch_audit_actor(void)
{
    const char *user = getenv("USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(geteuid());
        user = pw && pw->pw_name ? pw->pw_name : "unknown";
    }
    char host[256];
    if (gethostname(host, sizeof host) != 0 || !host[0])
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s@%s", user, host);
    char *actor = borch_buf_detach(&b);
    borch_buf_release(&b); /* detach leaves an empty allocation behind */
    return actor;
}

/* ---- file sink ---------------------------------------------------------- */

/* Reads exactly n bytes at off; the file is locked, so it cannot shrink. */
static int read_at(int fd, char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Counts newlines in the whole file; needed only after a damaged last line. */
static int count_newlines(int fd, off_t size, long long *out)
{
    char buf[65536];
    long long n = 0;
    for (off_t off = 0; off < size;) {
        size_t take = size - off < (off_t)sizeof buf ? (size_t)(size - off) : sizeof buf;
        if (read_at(fd, buf, take, off) != 0)
            return -1;
        for (size_t i = 0; i < take; i++)
            n += buf[i] == '\n';
        off += (off_t)take;
    }
    *out = n;
    return 0;
}

/*
 * Where the next record of the file's chain goes: seq and prev_hash after
 * the last line, and whether a newline must come first (a torn last line).
 * Only the tail of the file is read, in growing chunks until the last line
 * is whole. A last line that is not a record still chains: seq = lines + 1,
 * prev_hash = SHA-256 of its raw text; verify reports the bad line itself.
 */
static int file_tail(int fd, const char *path, long long *seq, char prev[65], int *need_newline,
                     borch_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return borch_error_set(err, BORCH_EIO, "cannot stat audit file '%s': %s", path,
                               strerror(errno));
    off_t size = st.st_size;
    *need_newline = 0;
    *seq = 1;
    memcpy(prev, GENESIS, 65);
    if (size == 0)
        return 0;

    char *buf = NULL;
    size_t take = 4096, start, end;
    for (;;) {
        if ((off_t)take > size)
            take = (size_t)size;
        buf = borch_xrealloc(buf, take + 1);
        if (read_at(fd, buf, take, size - (off_t)take) != 0) {
            free(buf);
            return borch_error_set(err, BORCH_EIO, "cannot read audit file '%s'", path);
        }
        *need_newline = buf[take - 1] != '\n';
        end = *need_newline ? take : take - 1;
        start = end;
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        if (start > 0 || (off_t)take == size)
            break; /* the last line is whole in buf */
        take *= 2;
    }
    buf[end] = '\0';
    const char *last = buf + start;
    json_t *rec = json_loads(last, 0, NULL);
    json_t *s = json_object_get(rec, "seq");
    json_t *h = json_object_get(rec, "hash");
    int rc = 0;
    /* The same rule as verify's: a record's chain value is its "hash" when
     * that is a digest, else the SHA-256 of its raw text. */
    if (is_hash(json_string_value(h)))
        memcpy(prev, json_string_value(h), 65);
    else
        sha256_hex(last, strlen(last), prev);
    if (json_is_integer(s)) {
        *seq = json_integer_value(s) + 1;
    } else {
        long long newlines = 0;
        if (count_newlines(fd, size, &newlines) != 0)
            rc = borch_error_set(err, BORCH_EIO, "cannot read audit file '%s'", path);
        *seq = newlines + (*need_newline ? 1 : 0) + 1;
    }
    json_decref(rec);
    free(buf);
    return rc;
}

/* Writes all of data, retrying short writes; O_APPEND puts it at the end. */
static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Appends one record to the JSONL file. The exclusive flock spans reading
 * the tail and writing, so concurrent borch-db processes never fork the
 * chain; the line goes out in one write and is fsync'd before we return.
 */
static int file_append(const char *path, const borch_audit_event *ev, const char *at,
                       const char *actor, int sync, borch_error *err)
{
    int rc = borch_mkdir_parents(path, err);
    if (rc)
        return rc;
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return borch_error_set(err, BORCH_EIO, "cannot open audit file '%s': %s", path,
                               strerror(errno));
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            rc = borch_error_set(err, BORCH_EIO, "cannot lock audit file '%s': %s", path,
                                 strerror(errno));
            close(fd);
            return rc;
        }
    }
    char *line = NULL;
    long long seq = 0;
    char prev[65], hash[65];
    int need_newline = 0;
    if ((rc = file_tail(fd, path, &seq, prev, &need_newline, err)) != 0)
        goto done;
    if (build(ev, seq, at, actor, prev, NULL, &line, hash) != 0) {
        rc = borch_error_set(err, BORCH_EINPUT, "audit detail is not a JSON object");
        goto done;
    }
    borch_buf out;
    borch_buf_init(&out);
    if (need_newline)
        borch_buf_putc(&out, '\n');
    borch_buf_puts(&out, line);
    borch_buf_putc(&out, '\n');
    if (write_all(fd, out.data, out.len) != 0 || (sync && fsync(fd) != 0))
        rc = borch_error_set(err, BORCH_EIO, "cannot write audit file '%s': %s", path,
                             strerror(errno));
    borch_buf_release(&out);
done:
    free(line);
    close(fd); /* releases the lock */
    return rc;
}

/* ---- database sink ------------------------------------------------------ */

/*
 * Appends one record to the connection's audit table: its own chain (seq and
 * prev_hash from the table's last row), the same event data and `at`. The
 * caller holds the migration lock, which serializes writers of one database.
 */
static int db_append(struct borch_conn *conn, const borch_audit_event *ev, const char *at,
                     const char *actor, borch_error *err)
{
    int rc = borch_audit_table_ensure(conn, err);
    if (rc)
        return rc;
    borch_audit_row last = {0};
    int found = 0;
    if ((rc = borch_audit_table_last(conn, &last, &found, err)) != 0)
        return rc;
    long long seq = found ? last.seq + 1 : 1;
    char prev[65];
    if (found && is_hash(last.hash))
        memcpy(prev, last.hash, 65);
    else if (found && last.record) /* a damaged row chains on its raw record */
        sha256_hex(last.record, strlen(last.record), prev);
    else
        memcpy(prev, GENESIS, 65);
    if (found)
        borch_audit_row_release(&last);

    char *canon = NULL, *line = NULL, hash[65];
    if (build(ev, seq, at, actor, prev, &canon, &line, hash) != 0)
        return borch_error_set(err, BORCH_EINPUT, "audit detail is not a JSON object");
    borch_audit_row row = {
        .seq = seq,
        .at = (char *)at,
        .action = (char *)ev->action,
        .version = (char *)ev->version,
        .outcome = (char *)(ev->ok ? "ok" : "failed"),
        .prev_hash = prev,
        .hash = hash,
        .record = canon,
    };
    rc = borch_audit_table_insert(conn, &row, err);
    free(canon);
    free(line);
    return rc;
}

int borch_audit_append(const char *path, struct borch_conn *conn, const borch_audit_event *ev,
                       borch_error *err)
{
    char at[64];
    now_rfc3339(at);
    char *actor = borch_audit_actor();
    int rc = 0;
    if (path && *path)
        rc = file_append(path, ev, at, actor, 1, err);
    if (rc == 0 && conn)
        rc = db_append(conn, ev, at, actor, err);
    free(actor);
    return rc;
}

int borch_audit_append_db(struct borch_conn *conn, const borch_audit_event *ev, borch_error *err)
{
    char at[64];
    now_rfc3339(at);
    char *actor = borch_audit_actor();
    int rc = db_append(conn, ev, at, actor, err);
    free(actor);
    return rc;
}

int borch_audit_append_file(const char *path, const borch_audit_event *ev, int sync,
                            borch_error *err)
{
    char at[64];
    now_rfc3339(at);
    char *actor = borch_audit_actor();
    int rc = file_append(path, ev, at, actor, sync, err);
    free(actor);
    return rc;
}

int borch_audit_sync_file(const char *path, borch_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : borch_error_set(err, BORCH_EIO, "cannot open audit file '%s': %s", path, strerror(errno));
    int rc = fsync(fd) == 0 ? 0 : borch_error_set(err, BORCH_EIO, "cannot sync audit file '%s': %s", path, strerror(errno));
    close(fd);
    return rc;
}

/* ---- verification ------------------------------------------------------- */

size_t borch_audit_verify_lines(const char *const *lines, size_t count, struct borch_buf *out)
{
    size_t problems = 0;
    char prev_hash[65];     /* what the next line's prev_hash must be */
    long long prev_seq = 0; /* seq of the previous line; 0 before line 1 */
    int prev_seq_known = 1;
    memcpy(prev_hash, GENESIS, 65);

#define PROBLEM(...)                                                                               \
    do {                                                                                           \
        problems++;                                                                                \
        if (out) {                                                                                 \
            borch_buf_printf(out, __VA_ARGS__);                                                    \
            borch_buf_putc(out, '\n');                                                             \
        }                                                                                          \
    } while (0)

    for (size_t i = 0; i < count; i++) {
        size_t n = i + 1;
        const char *text = lines[i] ? lines[i] : "";
        json_error_t jerr;
        json_t *rec = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(rec)) {
            if (rec)
                PROBLEM("line %zu: not a JSON object", n);
            else
                PROBLEM("line %zu: not JSON (%s at column %d)", n, jerr.text, jerr.column);
            json_decref(rec);
            /* The next record chains on this line's raw text (see file_tail). */
            sha256_hex(text, strlen(text), prev_hash);
            prev_seq = (long long)n;
            prev_seq_known = 0;
            continue;
        }
        for (size_t f = 0; f < sizeof REQUIRED / sizeof REQUIRED[0]; f++)
            if (!json_object_get(rec, REQUIRED[f]))
                PROBLEM("line %zu: missing field '%s'", n, REQUIRED[f]);

        json_t *jseq = json_object_get(rec, "seq");
        json_t *jhash = json_object_get(rec, "hash");
        json_t *jprev = json_object_get(rec, "prev_hash");
        const char *hash = json_string_value(jhash);
        const char *prev = json_string_value(jprev);

        if (jhash && !is_hash(hash))
            PROBLEM("line %zu: 'hash' is not a SHA-256 hex digest", n);
        if (jprev && !is_hash(prev))
            PROBLEM("line %zu: 'prev_hash' is not a SHA-256 hex digest", n);
        if (jseq && !json_is_integer(jseq))
            PROBLEM("line %zu: 'seq' is not an integer", n);

        if (is_hash(hash)) {
            json_t *copy = json_copy(rec); /* shallow: fine, only "hash" goes */
            json_object_del(copy, "hash");
            char *canon = canonical(copy);
            char want[65];
            sha256_hex(canon, strlen(canon), want);
            if (strcmp(want, hash) != 0)
                PROBLEM("line %zu: hash does not match its record (edited?)", n);
            free(canon);
            json_decref(copy);
        }
        if (is_hash(prev) && strcmp(prev, prev_hash) != 0) {
            if (n == 1)
                PROBLEM("line 1: prev_hash is not the start of a chain (first records deleted?)");
            else
                PROBLEM("line %zu: prev_hash does not match line %zu (deleted or reordered?)", n,
                        n - 1);
        }
        if (json_is_integer(jseq)) {
            long long seq = json_integer_value(jseq);
            if (prev_seq_known && seq != prev_seq + 1) {
                if (n == 1)
                    PROBLEM("line 1: seq is %lld, a chain starts at 1 (first records deleted?)",
                            seq);
                else
                    PROBLEM("line %zu: seq %lld follows %lld (deleted or reordered?)", n, seq,
                            prev_seq);
            }
            prev_seq = seq;
            prev_seq_known = 1;
        } else {
            prev_seq_known = 0;
        }
        if (is_hash(hash))
            memcpy(prev_hash, hash, 65);
        else
            sha256_hex(text, strlen(text), prev_hash);
        json_decref(rec);
    }
#undef PROBLEM
    return problems;
}

int borch_audit_read_file(const char *path, struct borch_strv *lines, borch_error *err)
{
    if (!borch_file_exists(path))
        return 0;
    char *data = NULL;
    size_t len = 0;
    int rc = borch_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n') {
            borch_strv_push_owned(lines, borch_xstrndup(data + start, i - start));
            start = i + 1;
        }
    }
    if (start < len) /* a last line without its newline (torn write) */
        borch_strv_push_owned(lines, borch_xstrndup(data + start, len - start));
    free(data);
    return 0;
}
