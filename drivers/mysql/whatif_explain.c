/*
 * whatif_explain.c - plans one statement in the copy of a what-if session.
 *
 * EXPLAIN cannot plan a placeholder, so each ? or $N becomes a literal: a
 * value from the middle of the copy's column the parameter is compared
 * with (ORDER BY col LIMIT 1 OFFSET count/2, cached per column), a
 * constant suited to the column's type when the column is empty, 10 after
 * LIMIT/OFFSET, and '1' when nothing is known. Never NULL: "col = NULL"
 * plans as "Impossible WHERE".
 *
 * The cost is the engine's where its JSON has one (MySQL 8
 * query_block.cost_info.query_cost, MariaDB 11 query_block.cost). MariaDB
 * 10.x has none and its Last_query_cost leaves out sorting and LIMIT (an
 * index that saves a filesort under LIMIT 10 changes it by 0.04 %), so the
 * cost there is derived from the plan: rows each table access reads times
 * the rows the accesses before it pass on (as explain.c), plus the rows
 * that go into each filesort.
 */
#include "mysql/mysql_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* 1 for the DATA_TYPEs whose values may be written as bare numbers. */
static int is_numeric(const char *t)
{
    static const char *const types[] = {"tinyint", "smallint", "mediumint", "int",   "integer",
                                        "bigint",  "decimal",  "numeric",   "float", "double",
                                        "real",    "year",     NULL};
    for (size_t i = 0; types[i]; i++)
        if (strcmp(t, types[i]) == 0)
            return 1;
    return 0;
}

/* A literal of the column's type for a column with no values (malloc'd). */
static char *type_constant(const char *t)
{
    if (strcmp(t, "year") == 0)
        return borch_xstrdup("2000");
    if (is_numeric(t) || strcmp(t, "bit") == 0)
        return borch_xstrdup("1");
    if (strcmp(t, "date") == 0)
        return borch_xstrdup("'2000-01-01'");
    if (strcmp(t, "datetime") == 0 || strcmp(t, "timestamp") == 0)
        return borch_xstrdup("'2000-01-01 00:00:00'");
    if (strcmp(t, "time") == 0)
        return borch_xstrdup("'12:00:00'");
    return borch_xstrdup("'1'");
}

/* 1 when all of s is one decimal number. */
static int looks_numeric(const char *s)
{
    char *end = NULL;
    if (!*s || isspace((unsigned char)*s))
        return 0;
    strtod(s, &end);
    return *end == '\0';
}

/* A literal for a value of column c read from the copy (malloc'd). */
static char *value_literal(borch_whatif *w, const borch_mysql_wi_column *c, const char *v, int hex)
{
    borch_buf b;
    borch_buf_init(&b);
    if (hex) {
        borch_buf_printf(&b, "X'%s'", v);
    } else if (is_numeric(c->data_type) && looks_numeric(v)) {
        borch_buf_puts(&b, v);
    } else {
        size_t n = strlen(v);
        char *esc = borch_xmalloc(2 * n + 1);
        unsigned long m = mysql_real_escape_string(w->scratch->db, esc, v, (unsigned long)n);
        borch_buf_putc(&b, '\'');
        borch_buf_append(&b, esc, m);
        borch_buf_putc(&b, '\'');
        free(esc);
    }
    return borch_mysql_take(&b);
}

/* The median-position value of column c in the copy, as a literal (malloc'd); NULL on error. */
static char *sample_value(borch_whatif *w, const borch_mysql_wi_column *c, borch_error *err)
{
    int hex = strcmp(c->data_type, "binary") == 0 || strcmp(c->data_type, "varbinary") == 0 ||
              strstr(c->data_type, "blob") != NULL || strcmp(c->data_type, "bit") == 0;
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "SELECT COUNT(");
    borch_mysql_put_ident(&q, c->name);
    borch_buf_puts(&q, ") FROM ");
    borch_mysql_put_ident(&q, c->table);
    char *count = NULL, *v = NULL, *lit = NULL;
    if (borch_mysql_scalar(w->scratch, q.data, &count, err))
        goto done;
    long n = count ? strtol(count, NULL, 10) : 0;
    if (n > 0) {
        borch_buf_clear(&q);
        borch_buf_puts(&q, hex ? "SELECT HEX(" : "SELECT ");
        borch_mysql_put_ident(&q, c->name);
        borch_buf_puts(&q, hex ? ") FROM " : " FROM ");
        borch_mysql_put_ident(&q, c->table);
        borch_buf_puts(&q, " WHERE ");
        borch_mysql_put_ident(&q, c->name);
        borch_buf_puts(&q, " IS NOT NULL ORDER BY ");
        borch_mysql_put_ident(&q, c->name);
        borch_buf_printf(&q, " LIMIT 1 OFFSET %ld", n / 2);
        if (borch_mysql_scalar(w->scratch, q.data, &v, err))
            goto done;
    }
    lit = v ? value_literal(w, c, v, hex) : type_constant(c->data_type);
done:
    free(count);
    free(v);
    borch_buf_release(&q);
    return lit;
}

/*
 * The literal for a parameter compared with column ("table.column", may be
 * NULL); *out borrows from the session's cache or is a static string.
 */
static int param_literal(borch_whatif *w, const char *column, const char **out, borch_error *err)
{
    *out = "'1'";
    if (!column)
        return 0;
    for (size_t i = 0; i < w->nparams; i++)
        if (strcmp(w->params[i].key, column) == 0) {
            *out = w->params[i].literal;
            return 0;
        }
    const char *dot = strrchr(column, '.');
    if (!dot)
        return 0;
    char *table = borch_xstrndup(column, (size_t)(dot - column));
    const borch_mysql_wi_column *c = borch_mysql_wi_find_column(w, table, dot + 1);
    free(table);
    if (!c)
        return 0;
    char *lit = sample_value(w, c, err);
    if (!lit)
        return err ? err->code : BORCH_ESQL;
    borch_grow((void **)&w->params, &w->capparams, w->nparams + 1, sizeof(*w->params));
    w->params[w->nparams].key = borch_xstrdup(column);
    w->params[w->nparams].literal = lit;
    *out = w->params[w->nparams++].literal;
    return 0;
}

/* 1 when the text before end (trailing blanks skipped) ends in the word kw. */
static int ends_with_word(const char *start, const char *end, const char *kw)
{
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    size_t n = strlen(kw);
    if ((size_t)(end - start) < n || strncasecmp(end - n, kw, n) != 0)
        return 0;
    return end - n == start || !(isalnum((unsigned char)end[-n - 1]) || end[-n - 1] == '_');
}

/* 1 when the output so far ends in "LIMIT", "OFFSET" or "LIMIT <n>,". */
static int limit_context(const borch_buf *b, size_t last_limit_end)
{
    const char *s = b->data ? b->data : "", *end = s + b->len;
    if (ends_with_word(s, end, "LIMIT") || ends_with_word(s, end, "OFFSET"))
        return 1;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (end == s || end[-1] != ',')
        return 0;
    end--;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return last_limit_end > 0 && (size_t)(end - s) == last_limit_end;
}

/* 1 when the character before p continues an identifier (a$1 is a name, not a parameter). */
static int ident_before(const char *start, const char *p)
{
    return p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$' ||
                         (unsigned char)p[-1] >= 0x80);
}

/* Puts a literal in place of every ? and $N outside quotes and comments. */
static int substitute(borch_whatif *w, const char *sql, const char *const *cols, size_t ncols,
                      borch_buf *out, borch_error *err)
{
    size_t next = 0, last_limit_end = 0;
    for (const char *p = sql; *p;) {
        char c = *p;
        if (c == '\'' || c == '"' || c == '`') { /* quoted: copy to the closing quote */
            const char *q = p + 1;
            while (*q && *q != c)
                q += (*q == '\\' && c != '`' && q[1]) ? 2 : 1;
            if (*q)
                q++;
            borch_buf_append(out, p, (size_t)(q - p));
            p = q;
        } else if ((c == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t')) || c == '#') {
            while (*p && *p != '\n')
                borch_buf_putc(out, *p++);
        } else if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            size_t n = e ? (size_t)(e + 2 - p) : strlen(p);
            borch_buf_append(out, p, n);
            p += n;
        } else if (c == '?' ||
                   (c == '$' && isdigit((unsigned char)p[1]) && !ident_before(sql, p))) {
            size_t idx = next++;
            const char *q = p + 1;
            if (c == '$') {
                idx = (size_t)strtoul(p + 1, NULL, 10) - 1;
                while (isdigit((unsigned char)*q))
                    q++;
            }
            const char *lit = "10";
            int in_limit = limit_context(out, last_limit_end);
            if (!in_limit) {
                int rc = param_literal(w, cols && idx < ncols ? cols[idx] : NULL, &lit, err);
                if (rc)
                    return rc;
            }
            borch_buf_puts(out, lit);
            if (in_limit)
                last_limit_end = out->len;
            p = q;
        } else {
            borch_buf_putc(out, *p++);
        }
    }
    return 0;
}

/* A plan being read: what the walk found. */
typedef struct reading {
    const borch_whatif *w;
    borch_whatif_plan *plan;
    borch_buf text;
    double score; /* the derived cost */
} reading;

/* A number the plan wrote as a JSON number or as a string ("1.25"). */
static double num(const json_t *v, double dflt)
{
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v))
        return strtod(json_string_value(v), NULL);
    return dflt;
}

/*
 * Records an index the plan names: a candidate (by id) or an index of the
 * copy. Without a session (a plain EXPLAIN) there is nothing to name.
 */
static void note_key(reading *r, const char *key)
{
    borch_whatif_plan *p = r->plan;
    if (!r->w)
        return;
    if (strncmp(key, BORCH_MYSQL_WHATIF_PREFIX, strlen(BORCH_MYSQL_WHATIF_PREFIX)) == 0) {
        int id = borch_mysql_wi_candidate_of(r->w, key);
        if (id >= 0) /* else not a live candidate's: the server would not name it */
            borch_whatif_plan_add_candidate(p, id);
        return;
    }
    if (borch_strv_contains(&r->w->index_names, key)) /* not "<auto_key0>" & co */
        borch_whatif_plan_add_index(p, key);
}

/* One line of the plan's text for a table access. */
static void note_table(reading *r, const json_t *t, double rows, double filtered)
{
    const char *name = json_string_value(json_object_get(t, "table_name"));
    const char *access = json_string_value(json_object_get(t, "access_type"));
    const char *key = json_string_value(json_object_get(t, "key"));
    if (access && strcmp(access, "ALL") == 0)
        r->plan->full_scans++;
    else if (access && strcmp(access, "index") == 0) /* a full index scan */
        r->plan->index_scans++;
    borch_buf_printf(&r->text, "%s: %s", name ? name : "?", access ? access : "?");
    int id = key && r->w ? borch_mysql_wi_candidate_of(r->w, key) : -1;
    if (id >= 0) /* named by the candidate, not by the index it happens to use */
        borch_buf_printf(&r->text, " key=" BORCH_MYSQL_WHATIF_PREFIX "%d", id);
    else if (key)
        borch_buf_printf(&r->text, " key=%s", key);
    if (json_is_true(json_object_get(t, "using_index")))
        borch_buf_puts(&r->text, " covering");
    borch_buf_printf(&r->text, " rows=%.0f filtered=%.4g\n", rows, filtered);
}

/*
 * Walks the plan. fanout is the number of rows the accesses before this
 * point of the current nested loop pass on; a nested loop hands its output
 * up, so a sort above it knows how many rows it sorts.
 */
static void walk(reading *r, const json_t *node, double *fanout)
{
    if (json_is_array(node)) {
        size_t i;
        const json_t *v;
        json_array_foreach(node, i, v) walk(r, v, fanout);
        return;
    }
    if (!json_is_object(node))
        return;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)node, key, v)
    {
        if (strcmp(key, "key") == 0 && json_is_string(v)) {
            note_key(r, json_string_value(v));
        } else if (strcmp(key, "table") == 0 && json_is_object(v) &&
                   !json_object_get(v, "table_name")) {
            /* "Impossible WHERE", "No tables used": nothing is read */
            const char *msg = json_string_value(json_object_get(v, "message"));
            borch_buf_printf(&r->text, "%s\n", msg ? msg : "no table");
        } else if (strcmp(key, "table") == 0 && json_is_object(v)) {
            const json_t *rows = json_object_get(v, "rows");
            if (!rows)
                rows = json_object_get(v, "rows_examined_per_scan");
            double n = num(rows, 1), f = num(json_object_get(v, "filtered"), 100);
            note_table(r, v, n, f);
            r->score += *fanout * n;
            *fanout *= n * f / 100.0;
            double inner = 1;
            walk(r, v, &inner); /* its key, and subqueries attached to it */
        } else if (strcmp(key, "nested_loop") == 0) {
            double inner = 1;
            walk(r, v, &inner);
            *fanout *= inner;
        } else if (strcmp(key, "query_block") == 0) {
            double inner = 1;
            walk(r, v, &inner);
        } else if (strcmp(key, "filesort") == 0 && json_is_object(v)) {
            walk(r, v, fanout);
            r->plan->sorts++;
            r->score += *fanout;
            const char *sk = json_string_value(json_object_get(v, "sort_key"));
            borch_buf_printf(&r->text, "sort: %s\n", sk ? sk : "filesort");
        } else if (strcmp(key, "using_filesort") == 0 && json_is_true(v)) {
            r->plan->sorts++;
            r->score += *fanout;
            borch_buf_puts(&r->text, "sort: filesort\n");
        } else {
            walk(r, v, fanout);
        }
    }
}

int borch_mysql_wi_read_plan(const borch_whatif *w, const char *json, borch_whatif_plan *out)
{
    memset(out, 0, sizeof(*out));
    json_t *root = json_loads(json, 0, NULL);
    if (!root)
        return -1;
    reading r = {.w = w, .plan = out};
    borch_buf_init(&r.text);
    double fanout = 1;
    walk(&r, root, &fanout);
    const json_t *qb = json_object_get(root, "query_block");
    const json_t *engine = json_object_get(json_object_get(qb, "cost_info"), "query_cost");
    if (!engine)
        engine = json_object_get(qb, "cost");
    out->cost = engine ? num(engine, 0) : r.score;
    while (r.text.len > 0 && r.text.data[r.text.len - 1] == '\n')
        r.text.data[--r.text.len] = '\0';
    out->text = borch_mysql_take(&r.text);
    json_decref(root);
    return 0;
}

/* FNV-1a of s. */
static unsigned long hash_of(const char *s)
{
    unsigned long h = 2166136261UL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619UL;
    return h;
}

/* The JSON remembered for key (not to be freed), or NULL. */
static const char *recall(const borch_whatif *w, const char *key, unsigned long hash)
{
    for (size_t i = 0; i < w->nmemo; i++)
        if (w->memo[i].hash == hash && strcmp(w->memo[i].key, key) == 0)
            return w->memo[i].json;
    return NULL;
}

/*
 * The server's plan (JSON) of the EXPLAIN statement in q (of sql) with the visible
 * candidate indexes, made once per state: the copy's rows and statistics
 * never change, so the same statement with the same indexes visible gets
 * the same plan, and the advisor asks for many again (dropping a candidate
 * and adding it back). Only a plan not made yet brings the copy's indexes
 * in line with the candidates (an ALTER TABLE each time a table changes).
 */
static int server_plan(borch_whatif *w, const borch_buf *q, const char *sql, char **out,
                       borch_error *err)
{
    *out = NULL;
    borch_buf key;
    borch_buf_init(&key);
    borch_buf_printf(&key, "%s\n", q->data);
    borch_mysql_wi_put_state(w, q->data, &key);
    unsigned long h = hash_of(key.data);
    const char *known = recall(w, key.data, h);
    if (known) {
        *out = borch_xstrdup(known);
        borch_buf_release(&key);
        return 0;
    }
    int rc = borch_mysql_wi_sync(w, err);
    if (!rc) {
        rc = borch_mysql_scalar(w->scratch, q->data, out, err);
        if (rc)
            borch_error_statement(err, sql);
    }
    if (!rc && *out) {
        borch_grow((void **)&w->memo, &w->capmemo, w->nmemo + 1, sizeof(*w->memo));
        w->memo[w->nmemo++] = (borch_mysql_wi_memo){
            .hash = h, .key = borch_mysql_take(&key), .json = borch_xstrdup(*out)};
    } else {
        borch_buf_release(&key);
    }
    return rc;
}

int borch_mysql_whatif_explain(borch_whatif *w, const char *sql, const char *const *param_columns,
                               size_t nparams, borch_whatif_plan *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "EXPLAIN FORMAT=JSON ");
    size_t n = strlen(sql);
    while (n > 0 && (sql[n - 1] == ';' || isspace((unsigned char)sql[n - 1])))
        n--;
    char *body = borch_xstrndup(sql, n);
    char *json = NULL;
    int rc = substitute(w, body, param_columns, nparams, &q, err);
    if (!rc)
        rc = server_plan(w, &q, sql, &json, err);
    if (!rc && !json)
        rc = borch_error_set(err, BORCH_ESQL, "EXPLAIN returned no plan");
    if (!rc && borch_mysql_wi_read_plan(w, json, out) != 0)
        rc = borch_error_set(err, BORCH_ESQL, "cannot read the plan the server gave");
    for (size_t i = 0; !rc && i < out->ncandidates_used; i++)
        w->indexes[w->cands[out->candidates_used[i]].index].used = 1;
    free(json);
    free(body);
    borch_buf_release(&q);
    return rc;
}
