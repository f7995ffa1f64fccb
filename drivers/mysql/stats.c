/*
 * stats.c - what a MySQL or MariaDB server knows about the workload, for
 * the index advisor, from performance_schema: the statement digests of the
 * current database (advise-indexes --from-stats) and the use of each index
 * since the server started. Both need performance_schema=ON, which MySQL 8
 * has by default and MariaDB has not; when it is off the answer is
 * BORCH_EUNSUPPORTED with a hint.
 *
 * A digest is a statement with its literals as '?', in the server's
 * spelling: "SELECT * FROM `t` WHERE `a` IN (...)". Lists the server
 * folded ("(...)", "?, ...") become one '?' so the text plans again; a
 * digest cut at performance_schema_max_digest_length (MySQL 8 ends it in
 * "...", MariaDB just stops) cannot be planned and is skipped with a
 * warning.
 */
#include "mysql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/workload.h"
#include "util/buf.h"
#include "util/mem.h"

#define PS_HINT                                                                                    \
    "set performance_schema=ON in the [mysqld] section of my.cnf and restart the server "          \
    "(MySQL 8 has it on by default)"

/* The first column of the first row, malloc'd ("" for none). */
static int first_value(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    char **out = payload;
    if (!*out)
        *out = borch_xstrdup(ncols > 0 && values[0] ? values[0] : "");
    return 1;
}

/* The two columns of the performance_schema check. */
static int ps_settings(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    (void)names;
    long *out = payload;
    out[0] = ncols > 0 && values[0] ? strtol(values[0], NULL, 10) : 0;
    out[1] = ncols > 1 && values[1] ? strtol(values[1], NULL, 10) : 0;
    return 1;
}

/*
 * BORCH_EUNSUPPORTED with the hint when performance_schema is off; else 0
 * and *max_digest = performance_schema_max_digest_length (may be NULL).
 */
static int need_performance_schema(borch_conn *conn, const char *what, long *max_digest,
                                   borch_error *err)
{
    long v[2] = {0, 0};
    int rc = borch_mysql_query(
        conn, "SELECT @@performance_schema, @@performance_schema_max_digest_length", 0, NULL,
        ps_settings, v, err);
    if (rc)
        return rc;
    if (max_digest)
        *max_digest = v[1];
    if (v[0] == 1)
        return 0;
    borch_error_set(err, BORCH_EUNSUPPORTED, "%s needs performance_schema, which is off", what);
    borch_error_hint(err, "%s", PS_HINT);
    return BORCH_EUNSUPPORTED;
}

/*
 * The digests of this database that the advisor can use: queries that are
 * not borch's own bookkeeping or locks, nor questions to the system schemas.
 */
static const char q_digests[] =
    "SELECT DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT"
    " FROM performance_schema.events_statements_summary_by_digest"
    " WHERE SCHEMA_NAME = DATABASE() AND DIGEST_TEXT IS NOT NULL AND COUNT_STAR > 0"
    "  AND UPPER(DIGEST_TEXT) REGEXP "
    "'^[[:space:]]*[(]*[[:space:]]*(SELECT|WITH|UPDATE|DELETE)[^A-Z_]'"
    "  AND LOCATE(?, DIGEST_TEXT) = 0 AND LOCATE(?, DIGEST_TEXT) = 0"
    "  AND LOCATE('INFORMATION_SCHEMA', UPPER(DIGEST_TEXT)) = 0"
    "  AND LOCATE('PERFORMANCE_SCHEMA', UPPER(DIGEST_TEXT)) = 0"
    "  AND LOCATE('`MYSQL` .', UPPER(DIGEST_TEXT)) = 0"
    "  AND LOCATE('GET_LOCK', UPPER(DIGEST_TEXT)) = 0 AND LOCATE('RELEASE_LOCK', "
    "UPPER(DIGEST_TEXT)) = 0"
    "  AND LOCATE('@@', DIGEST_TEXT) = 0 AND LOCATE('IS_USED_LOCK', UPPER(DIGEST_TEXT)) = 0"
    " ORDER BY SUM_TIMER_WAIT DESC";

typedef struct digest_reader {
    borch_workload *out;
    const char *database; /* or NULL */
    long max_digest;      /* performance_schema_max_digest_length */
} digest_reader;

/*
 * About how many bytes of the server's token array a digest text took:
 * 4 + length per `identifier`, 2 per other token. MariaDB cuts a long
 * digest when that array is full, without a mark; MySQL 8 adds "...".
 */
static long digest_bytes(const char *s)
{
    long n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
        } else if (*s == '`') {
            const char *e = strchr(s + 1, '`');
            if (!e)
                return n + 4 + (long)strlen(s);
            n += 4 + (long)(e - s - 1);
            s = e + 1;
        } else {
            while (*s && *s != ' ' && *s != '`')
                s++;
            n += 2;
        }
    }
    return n;
}

/* Replaces every from in b by to, in place. */
static void replace_all(borch_buf *b, const char *from, const char *to)
{
    size_t nf = strlen(from);
    char *hit = strstr(b->data, from);
    if (!hit)
        return;
    borch_buf r;
    borch_buf_init(&r);
    const char *p = b->data;
    for (; hit; hit = strstr(p, from)) {
        borch_buf_append(&r, p, (size_t)(hit - p));
        borch_buf_puts(&r, to);
        p = hit + nf;
    }
    borch_buf_puts(&r, p);
    borch_buf_clear(b);
    borch_buf_append(b, r.data, r.len);
    borch_buf_release(&r);
}

/* The digest as SQL that plans: folded lists as '?', this database's qualifier gone. */
static char *digest_sql(const char *digest, const char *database)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, digest);
    while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\n'))
        b.data[--b.len] = '\0';
    replace_all(&b, "(...)", "(?)");
    replace_all(&b, "?, ...", "?");
    if (database && *database) {
        char q[200];
        snprintf(q, sizeof q, "`%s` . ", database);
        replace_all(&b, q, "");
        snprintf(q, sizeof q, "`%s`.", database);
        replace_all(&b, q, "");
    }
    /*
     * Digests space every token: "SUM ( `x` )". Without IGNORE_SPACE in
     * sql_mode a space after a function name makes it a user function
     * ("FUNCTION db.SUM does not exist"), so the space before "(" goes
     * (harmless after keywords and names; digests hold no literals).
     */
    size_t w = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == ' ' && i + 1 < b.len && b.data[i + 1] == '(' && w > 0) {
            char prev = b.data[w - 1];
            if ((prev >= 'A' && prev <= 'Z') || (prev >= 'a' && prev <= 'z') ||
                (prev >= '0' && prev <= '9') || prev == '_')
                continue;
        }
        b.data[w++] = b.data[i];
    }
    b.len = w;
    b.data[w] = '\0';
    return borch_mysql_take(&b);
}

static int on_digest(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    digest_reader *r = payload;
    if (ncols < 3 || !values[0])
        return 0;
    char *sql = digest_sql(values[0], r->database);
    size_t n = strlen(sql);
    int cut = (n >= 3 && strcmp(sql + n - 3, "...") == 0) ||
              (r->max_digest > 0 && digest_bytes(values[0]) >= r->max_digest - 8);
    if (cut) {
        char head[61];
        snprintf(head, sizeof head, "%s", sql);
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b,
                         "performance_schema: a statement digest was cut at "
                         "performance_schema_max_digest_length and is skipped: '%s...'",
                         head);
        borch_strv_push_owned(&r->out->warnings, borch_mysql_take(&b));
        free(sql);
        return 0;
    }
    /* A SELECT without FROM reads no table: nothing to index (borch-db's own
     * clock and lock questions look like that). */
    if (!strstr(sql, "FROM ") && !strstr(sql, "from ") && strncasecmp(sql, "UPDATE", 6) != 0) {
        free(sql);
        return 0;
    }
    double calls = values[1] ? strtod(values[1], NULL) : 0;
    /* SUM_TIMER_WAIT is in picoseconds */
    double ms = values[2] ? strtod(values[2], NULL) / 1e9 : -1;
    borch_workload_add(r->out, sql, NULL, 0, calls, ms);
    free(sql);
    return 0;
}

int borch_mysql_workload_stats(borch_conn *conn, struct borch_workload *out, borch_error *err)
{
    long max_digest = 0;
    int rc = need_performance_schema(conn, "--from-stats", &max_digest, err);
    if (rc)
        return rc;
    const char *params[2] = {conn->history_table ? conn->history_table : "borch_schema_history",
                             conn->audit_table ? conn->audit_table : "borch_audit"};
    digest_reader r = {out, ((borch_mysql_conn *)conn)->database, max_digest};
    rc = borch_mysql_query(conn, q_digests, 2, params, on_digest, &r, err);
    if (rc)
        return rc;
    out->format = "performance_schema";
    /* A full digest table stops counting new statements without a sign. */
    char *full = NULL;
    borch_error e = {0};
    if (borch_mysql_scalar((borch_mysql_conn *)conn,
                           "SELECT (SELECT COUNT(*) FROM "
                           "performance_schema.events_statements_summary_by_digest) >= "
                           "@@performance_schema_digests_size",
                           &full, &e) == 0 && full && strcmp(full, "1") == 0) {
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_puts(&b, "performance_schema: the digest table is full, so statements "
                           "new since then are not counted; empty it with TRUNCATE "
                           "performance_schema.events_statements_summary_by_digest or raise "
                           "performance_schema_digests_size");
        borch_strv_push_owned(&out->warnings, borch_mysql_take(&b));
    }
    free(full);
    borch_error_clear(&e);
    return 0;
}

/*
 * Every secondary index of this database with its operations since the
 * server started. Tables not opened since then have no row in
 * performance_schema: their indexes count 0, which is the truth.
 */
static const char q_usage[] =
    "SELECT s.TABLE_NAME, s.INDEX_NAME, COALESCE(MAX(u.COUNT_STAR), 0)"
    " FROM information_schema.STATISTICS s"
    " LEFT JOIN performance_schema.table_io_waits_summary_by_index_usage u"
    "  ON u.OBJECT_SCHEMA = s.TABLE_SCHEMA AND u.OBJECT_NAME = s.TABLE_NAME"
    "  AND u.INDEX_NAME = s.INDEX_NAME"
    " WHERE s.TABLE_SCHEMA = DATABASE() AND s.INDEX_NAME <> 'PRIMARY'"
    "  AND s.TABLE_NAME NOT LIKE 'borch\\\\_%' AND s.TABLE_NAME <> ? AND s.TABLE_NAME <> ?"
    " GROUP BY s.TABLE_NAME, s.INDEX_NAME ORDER BY 1, 2";

typedef struct usage_reader {
    borch_index_usage *items;
    size_t n, cap;
} usage_reader;

static int on_usage(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    usage_reader *r = payload;
    if (ncols < 3 || !values[0] || !values[1])
        return 0;
    borch_grow((void **)&r->items, &r->cap, r->n + 1, sizeof *r->items);
    borch_index_usage *u = &r->items[r->n++];
    u->table = borch_xstrdup(values[0]);
    u->index = borch_xstrdup(values[1]);
    u->scans = values[2] ? strtod(values[2], NULL) : 0;
    return 0;
}

/* The Value column of SHOW GLOBAL STATUS. */
static int second_value(void *payload, int ncols, const char *const *names,
                        const char *const *values)
{
    (void)names;
    char **out = payload;
    if (!*out && ncols > 1 && values[1])
        *out = borch_xstrdup(values[1]);
    return 1;
}

/* When the server started (now - Uptime), as UTC ISO text; malloc'd or NULL. */
static int server_start(borch_conn *conn, char **out, borch_error *err)
{
    char *uptime = NULL;
    int rc = borch_mysql_query(conn, "SHOW GLOBAL STATUS LIKE 'Uptime'", 0, NULL, second_value,
                               &uptime, err);
    if (rc)
        return rc;
    char *end = NULL;
    long long secs = uptime ? strtoll(uptime, &end, 10) : -1;
    int ok = uptime && end != uptime && *end == '\0' && secs >= 0;
    free(uptime);
    if (!ok)
        return 0;
    char q[160];
    snprintf(
        q, sizeof q,
        "SELECT DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL %lld SECOND, '%%Y-%%m-%%dT%%H:%%i:%%sZ')",
        secs);
    return borch_mysql_query(conn, q, 0, NULL, first_value, out, err);
}

int borch_mysql_index_usage(borch_conn *conn, borch_index_usage **out, size_t *out_n,
                            char **out_since, borch_error *err)
{
    *out = NULL;
    *out_n = 0;
    *out_since = NULL;
    int rc = need_performance_schema(conn, "index usage statistics", NULL, err);
    if (rc)
        return rc;
    const char *params[2] = {conn->history_table ? conn->history_table : "borch_schema_history",
                             conn->audit_table ? conn->audit_table : "borch_audit"};
    usage_reader r = {0};
    rc = borch_mysql_query(conn, q_usage, 2, params, on_usage, &r, err);
    if (!rc)
        rc = server_start(conn, out_since, err);
    if (rc) {
        borch_index_usage_free(r.items, r.n);
        free(*out_since);
        *out_since = NULL;
        return rc;
    }
    *out = r.items;
    *out_n = r.n;
    return 0;
}
