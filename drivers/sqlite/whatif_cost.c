/*
 * whatif_cost.c - EXPLAIN QUERY PLAN of a what-if copy read into a cost.
 *
 * SQLite prints no cost, only the steps of a plan. The cost here is an
 * estimate of the rows the plan touches, from the copy's sqlite_stat1
 * (N(t) the rows of t, rpk(i, k) the rows per key of the first k columns
 * of index i). lg(x) is log2(max(x, 2)): one b-tree descent.
 *
 *   SCAN t                                N(t)         rows out N(t)
 *   SCAN t USING COVERING INDEX i         N(t) / 2     (an index is narrower)
 *   SCAN t USING INDEX i                  2 N(t)       (one table lookup per row)
 *   SEARCH t USING [COVERING] INDEX i (a=? AND b=?)
 *                                         lg N + r, r = rpk(i, 2) rows out;
 *                                         x2 for r when not covering
 *   ... (a=? AND b>?)   one range bound:  r = rpk(i, 1) / 4
 *   ... (a=? AND b>? AND b<?) two bounds: r = rpk(i, 1) / 64
 *                                         (SQLite's own guesses without stat4)
 *   SEARCH t USING INTEGER PRIMARY KEY (rowid=?)   lg N, 1 row out
 *   SEARCH t USING PRIMARY KEY (k=?)      as a covering index (WITHOUT ROWID)
 *   SEARCH t USING AUTOMATIC [COVERING] INDEX (a=?)
 *                                         2 N(t) once to build (read + insert),
 *                                         then lg N + 10 per lookup (SQLite's
 *                                         default of 10 rows per key)
 *   USE TEMP B-TREE FOR ORDER BY/GROUP BY/DISTINCT
 *                                         n lg n for the n rows of its block
 *                                         (half for RIGHT PART / LAST TERM)
 *   MULTI-INDEX OR                        the sum of its searches
 *   MATERIALIZE x / CO-ROUTINE x          its block once; SCAN x then reads
 *                                         the rows that block produced
 *   SCALAR / LIST SUBQUERY                its block once
 *   CORRELATED ... SUBQUERY               its block x the rows of the
 *                                         enclosing block
 *
 * Sibling SCAN/SEARCH rows are the loops of one join, outermost first: a
 * loop costs its per-row cost times the rows the loops before it produce,
 * and multiplies those rows by its own rows out. WHERE terms that no index
 * serves are not seen in the plan, so they do not reduce the rows. Other
 * rows (COMPOUND, MERGE, UNION ALL, ...) add their children's cost.
 *
 * The plan names tables by their alias ("SCAN o"); a plan row that names an
 * index finds its table through the index, the others through the aliases
 * found in the statement and in the views' SQL.
 */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/mem.h"

/* SQLite's default rows per key of an index it knows nothing about. */
#define DEFAULT_ROWS_PER_KEY 10.0
/* Rows assumed for a name the plan prints that is no known table. */
#define UNKNOWN_ROWS 1000.0

/* log2(max(x, 2)), by halving and squaring (the build links no libm). */
static double lg(double x)
{
    if (x < 2)
        x = 2;
    double result = 0;
    while (x >= 2) {
        x /= 2;
        result += 1;
    }
    double bit = 0.5;
    for (int i = 0; i < 20; i++, bit /= 2) {
        x *= x;
        if (x >= 2) {
            x /= 2;
            result += bit;
        }
    }
    return result;
}

/* The smaller of two numbers (fmin without libm). */
static double min2(double a, double b)
{
    return a < b ? a : b;
}

/* ---- statistics of the copy ---- */

/* Frees what borch_sqlite_stats_load filled and leaves s empty. */
void borch_sqlite_stats_release(borch_sqlite_stats *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->rows[i].tbl);
        free(s->rows[i].idx);
        free(s->rows[i].v);
    }
    free(s->rows);
    borch_strv_release(&s->names);
    borch_strv_release(&s->aliases);
    memset(s, 0, sizeof(*s));
}

/* Parses the leading numbers of a sqlite_stat1 text ("N r1 r2 unordered"). */
static void parse_stat(const char *text, borch_sqlite_statrow *r)
{
    size_t cap = 0;
    const char *p = text ? text : "";
    for (;;) {
        while (*p == ' ')
            p++;
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        borch_grow((void **)&r->v, &cap, r->nv + 1, sizeof(double));
        r->v[r->nv++] = v;
        p = end;
    }
}

int borch_sqlite_stats_load(sqlite3 *db, borch_sqlite_stats *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    /* Stats rows, and for each index row whether it is a PRIMARY KEY. */
    static const char *const sql =
        "SELECT s.tbl, s.idx, s.stat, EXISTS (SELECT 1 FROM pragma_index_list(s.tbl) l "
        "WHERE l.name = s.idx AND l.origin = 'pk') FROM sqlite_stat1 s";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        borch_grow((void **)&out->rows, &out->cap, out->n + 1, sizeof(*out->rows));
        borch_sqlite_statrow *r = &out->rows[out->n++];
        memset(r, 0, sizeof(*r));
        r->tbl = borch_xstrdup((const char *)sqlite3_column_text(st, 0));
        r->idx = borch_xstrdup((const char *)sqlite3_column_text(st, 1));
        parse_stat((const char *)sqlite3_column_text(st, 2), r);
        r->is_pk = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        int code = borch_sqlite_error(db, rc, err);
        borch_sqlite_stats_release(out);
        return code;
    }
    rc = sqlite3_prepare_v2(db,
                            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                            "ORDER BY rowid",
                            -1, &st, NULL);
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW)
        borch_strv_push(&out->names, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        int code = borch_sqlite_error(db, rc, err);
        borch_sqlite_stats_release(out);
        return code;
    }
    return 0;
}

/* The stats row of index name, or NULL. */
static const borch_sqlite_statrow *index_row(const borch_sqlite_stats *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rows[i].idx && strcasecmp(s->rows[i].idx, name) == 0)
            return &s->rows[i];
    return NULL;
}

/* The PRIMARY KEY index row of a WITHOUT ROWID table, or NULL. */
static const borch_sqlite_statrow *pk_row(const borch_sqlite_stats *s, const char *table)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rows[i].is_pk && strcasecmp(s->rows[i].tbl, table) == 0)
            return &s->rows[i];
    return NULL;
}

/* N(table) as SQLite loads it: the table's own row, else its indexes' first number; -1 if none. */
static double table_rows(const borch_sqlite_stats *s, const char *table)
{
    double n = -1;
    for (size_t i = 0; i < s->n; i++) {
        const borch_sqlite_statrow *r = &s->rows[i];
        if (strcasecmp(r->tbl, table) != 0 || r->nv == 0)
            continue;
        if (!r->idx)
            return r->v[0];
        if (r->v[0] > n)
            n = r->v[0];
    }
    return n;
}

/* ---- aliases ---- */

/* One token of SQL text: an identifier (quotes removed) or other. */
typedef struct token {
    char *ident;  /* malloc'd identifier, or NULL for other tokens */
    int keyword;  /* a bare word SQLite reserves */
    char punct;   /* the character of a punctuation token, else 0 */
} token;

/* Splits sql into tokens; strings, numbers and comments become punct ' '. */
static token *tokenize(const char *sql, size_t *out_n)
{
    token *t = NULL;
    size_t n = 0, cap = 0;
    const char *p = sql;
    while (*p) {
        const char *s = borch_sqlite_skip_blank(p);
        if (!*s)
            break;
        p = s;
        borch_grow((void **)&t, &cap, n + 1, sizeof(*t));
        token *k = &t[n++];
        memset(k, 0, sizeof(*k));
        char c = *p;
        if (c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            borch_buf b;
            borch_buf_init(&b);
            p++;
            while (*p) {
                if (*p == close && !(close != ']' && p[1] == close))
                    break;
                if (*p == close)
                    p++;
                borch_buf_putc(&b, *p++);
            }
            if (*p)
                p++;
            k->ident = borch_buf_detach(&b);
        } else if (c == '\'') {
            p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            k->punct = ' ';
        } else if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                   (unsigned char)c >= 0x80) {
            const char *start = p;
            while (*p == '_' || *p == '$' || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                   (unsigned char)*p >= 0x80)
                p++;
            k->ident = borch_xstrndup(start, (size_t)(p - start));
            k->keyword = sqlite3_keyword_check(start, (int)(p - start));
        } else if (c >= '0' && c <= '9') {
            while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
                   *p == 'x' || *p == 'X' || (*p >= 'a' && *p <= 'f') ||
                   (*p >= 'A' && *p <= 'F'))
                p++;
            k->punct = ' ';
        } else {
            k->punct = c;
            p++;
        }
    }
    *out_n = n;
    return t;
}

void borch_sqlite_find_aliases(const char *sql, const borch_strv *names, borch_strv *out)
{
    size_t n;
    token *t = tokenize(sql, &n);
    for (size_t i = 0; i + 1 < n; i++) {
        if (!t[i].ident || t[i].keyword || (i > 0 && t[i - 1].punct == '.'))
            continue;
        const char *table = NULL;
        for (size_t j = 0; j < names->count && !table; j++)
            if (strcasecmp(names->items[j], t[i].ident) == 0)
                table = names->items[j];
        if (!table)
            continue;
        size_t a = i + 1;
        if (t[a].ident && t[a].keyword && strcasecmp(t[a].ident, "AS") == 0)
            a++;
        if (a < n && t[a].ident && !t[a].keyword) {
            borch_buf b;
            borch_buf_init(&b);
            borch_buf_printf(&b, "%s\x1f%s", t[a].ident, table);
            borch_strv_push_owned(out, borch_buf_detach(&b));
        }
    }
    for (size_t i = 0; i < n; i++)
        free(t[i].ident);
    free(t);
}

/* The table an alias stands for in the list of "alias\x1ftable" pairs, or NULL. */
static const char *alias_table(const borch_strv *aliases, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < aliases->count; i++) {
        const char *a = aliases->items[i];
        if (strncasecmp(a, name, len) == 0 && a[len] == '\x1f')
            return a + len + 1;
    }
    return NULL;
}

/* ---- the plan ---- */

enum kind {
    K_OTHER,
    K_SCAN,
    K_SEARCH,
    K_SORT,
    K_SUBQUERY,   /* SCALAR / LIST SUBQUERY, run once */
    K_CORRELATED, /* CORRELATED ... SUBQUERY, run per outer row */
    K_MATERIALIZE,/* MATERIALIZE x / CO-ROUTINE x */
    K_MULTI_OR,
};

typedef struct node {
    int id;
    int parent;
    int depth;
    enum kind kind;
    char *detail;
} node;

/* What a session's explain works with. */
typedef struct plan_ctx {
    node *nodes;
    size_t n;
    const borch_sqlite_stats *stats;
    borch_strv aliases;     /* from the statement, then the views */
    borch_strv mat_names;   /* materialized names ... */
    double *mat_rows;       /* ... and the rows they hold */
    size_t mat_cap;
    const char *prefix;     /* candidate index name prefix */
    borch_whatif_plan *out;
} plan_ctx;

/* What a plan row is, from the start of its text. */
static enum kind kind_of(const char *d)
{
    if (strncmp(d, "SCAN ", 5) == 0)
        return strcmp(d, "SCAN CONSTANT ROW") == 0 ? K_OTHER : K_SCAN;
    if (strncmp(d, "SEARCH ", 7) == 0)
        return K_SEARCH;
    if (strncmp(d, "USE TEMP B-TREE", 15) == 0)
        return K_SORT;
    if (strncmp(d, "CORRELATED ", 11) == 0)
        return K_CORRELATED;
    if (strncmp(d, "SCALAR SUBQUERY", 15) == 0 || strncmp(d, "LIST SUBQUERY", 13) == 0)
        return K_SUBQUERY;
    if (strncmp(d, "MATERIALIZE ", 12) == 0 || strncmp(d, "CO-ROUTINE ", 11) == 0)
        return K_MATERIALIZE;
    if (strcmp(d, "MULTI-INDEX OR") == 0)
        return K_MULTI_OR;
    return K_OTHER;
}

/* One SCAN/SEARCH row taken apart. */
typedef struct access {
    char *name;       /* table or alias as printed */
    char *index;      /* index name, "PRIMARY KEY", "INTEGER PRIMARY KEY", or NULL */
    int covering;
    int automatic;
    int eq;           /* equality terms in the constraint list */
    int bounds;       /* range bounds (> < >= <=) */
} access;

/* Splits "SEARCH o USING COVERING INDEX i (a=? AND b>?)" into an access. */
static void parse_access(const char *d, access *a)
{
    memset(a, 0, sizeof(*a));
    const char *p = strchr(d, ' ') + 1;
    const char *using = strstr(p, " USING ");
    const char *virt = strstr(p, " VIRTUAL TABLE");
    const char *end = using ? using : virt ? virt : p + strlen(p);
    a->name = borch_xstrndup(p, (size_t)(end - p));
    if (!using)
        return;
    p = using + 7;
    if (strncmp(p, "AUTOMATIC ", 10) == 0) {
        a->automatic = 1;
        p += 10;
        if (strncmp(p, "PARTIAL ", 8) == 0)
            p += 8;
    }
    if (strncmp(p, "COVERING ", 9) == 0) {
        a->covering = 1;
        p += 9;
    }
    const char *cons = NULL;
    if (strncmp(p, "INTEGER PRIMARY KEY", 19) == 0) {
        a->index = borch_xstrdup("INTEGER PRIMARY KEY");
        cons = p + 19;
    } else if (strncmp(p, "PRIMARY KEY", 11) == 0) {
        a->index = borch_xstrdup("PRIMARY KEY");
        a->covering = 1;
        cons = p + 11;
    } else if (strncmp(p, "INDEX", 5) == 0) {
        p += 5;
        if (*p == ' ' && p[1] != '(') {
            p++;
            const char *e = strstr(p, " (");
            if (!e)
                e = p + strlen(p);
            if (!a->automatic)
                a->index = borch_xstrndup(p, (size_t)(e - p));
            cons = e;
        } else {
            cons = p;
        }
    }
    cons = cons ? strchr(cons, '(') : NULL;
    if (!cons)
        return;
    /* Terms "a=?", "b>?", "b<?" separated by " AND ", up to the ')'. */
    const char *close = strrchr(cons, ')');
    char *inner = close ? borch_xstrndup(cons + 1, (size_t)(close - cons - 1))
                        : borch_xstrdup(cons + 1);
    for (char *q = inner; q;) {
        char *next = strstr(q, " AND ");
        if (next)
            *next = '\0';
        /* An indexed expression prints as "<expr>", whose brackets are no operators. */
        if (strncmp(q, "<expr>", 6) == 0)
            q += 6;
        char *op = q + strcspn(q, "=<>");
        if (*op == '<' || *op == '>')
            a->bounds++;
        else if (*op == '=')
            a->eq++;
        q = next ? next + 5 : NULL;
    }
    free(inner);
}

/* Frees the strings of an access. */
static void access_release(access *a)
{
    free(a->name);
    free(a->index);
}

/* The real table behind a printed name, or NULL for a materialized or unknown one. */
static const char *resolve_table(const plan_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->stats->names.count; i++)
        if (strcasecmp(c->stats->names.items[i], name) == 0 &&
            !alias_table(&c->aliases, name))
            return c->stats->names.items[i];
    const char *t = alias_table(&c->aliases, name);
    if (t)
        return t;
    for (size_t i = 0; i < c->stats->names.count; i++)
        if (strcasecmp(c->stats->names.items[i], name) == 0)
            return c->stats->names.items[i];
    return NULL;
}

/* Rows of a materialized name, or -1. */
static double materialized_rows(const plan_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->mat_names.count; i++)
        if (strcasecmp(c->mat_names.items[i], name) == 0)
            return c->mat_rows[i];
    return -1;
}

/* Records an index the plan uses: a candidate's id, or an existing index's name, once each. */
static void note_index(plan_ctx *c, const char *name)
{
    borch_whatif_plan *o = c->out;
    size_t plen = strlen(c->prefix);
    if (strncmp(name, c->prefix, plen) == 0 && name[plen]) {
        char *end;
        long id = strtol(name + plen, &end, 10);
        if (*end == '\0' && id >= 0) {
            borch_whatif_plan_add_candidate(o, (int)id);
            return;
        }
    }
    borch_whatif_plan_add_index(o, name);
}

/*
 * Cost of one SCAN/SEARCH row per outer row (*per), rows out per outer row
 * (*rows), and the cost paid once (*once, automatic index builds).
 */
static void loop_cost(plan_ctx *c, const node *nd, double *per, double *rows, double *once)
{
    access a;
    parse_access(nd->detail, &a);
    *once = 0;
    const borch_sqlite_statrow *ix = NULL;
    const char *table = NULL;
    if (a.index && strcmp(a.index, "INTEGER PRIMARY KEY") != 0 &&
        strcmp(a.index, "PRIMARY KEY") != 0) {
        ix = index_row(c->stats, a.index);
        if (ix)
            table = ix->tbl;
    }
    if (!table)
        table = resolve_table(c, a.name);
    if (a.index && strcmp(a.index, "PRIMARY KEY") == 0 && table) {
        ix = pk_row(c->stats, table);
        if (ix)
            note_index(c, ix->idx);
        else
            note_index(c, a.index);
    } else if (a.index) {
        note_index(c, a.index);
    }
    double n = -1;
    if (!(a.index || a.automatic))
        n = materialized_rows(c, a.name);
    if (n < 0 && table)
        n = table_rows(c->stats, table);
    if (n < 0 && table)
        n = materialized_rows(c, table);
    if (n < 0)
        n = UNKNOWN_ROWS;
    if (n < 1)
        n = 1;

    if (nd->kind == K_SCAN) {
        *rows = n;
        if (!a.index && table && table_rows(c->stats, table) >= 0)
            c->out->full_scans++;
        else if (a.index && table)
            c->out->index_scans++;
        *per = !a.index ? n : a.covering ? n / 2 : 2 * n;
    } else {
        double r;
        if (a.automatic) {
            c->out->full_scans++;
            *once = 2 * n;
            r = a.eq > 0 ? min2(DEFAULT_ROWS_PER_KEY, n) : n;
        } else if (a.index && strcmp(a.index, "INTEGER PRIMARY KEY") == 0) {
            r = a.eq > 0 ? 1 : n;
            a.covering = 1;
        } else if (ix && ix->nv > 0) {
            size_t k = (size_t)a.eq < ix->nv ? (size_t)a.eq : ix->nv - 1;
            r = ix->v[k];
        } else {
            r = a.eq > 0 ? min2(DEFAULT_ROWS_PER_KEY, n) : n;
        }
        if (a.bounds == 1)
            r /= 4;
        else if (a.bounds >= 2)
            r /= 64;
        if (r < 1)
            r = 1;
        *rows = r;
        *per = lg(n) + (a.covering ? r : 2 * r);
        if (a.index && strcmp(a.index, "INTEGER PRIMARY KEY") == 0 && r <= 1)
            *per = lg(n);
    }
    access_release(&a);
}

static void block_cost(plan_ctx *c, int parent, double *out_cost, double *out_rows);

/* MULTI-INDEX OR: the sum of the searches below it. */
static void multi_or_cost(plan_ctx *c, const node *nd, double *per, double *rows)
{
    *per = 0;
    *rows = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->nodes[i].parent != nd->id)
            continue;
        double bc, br;
        block_cost(c, c->nodes[i].id, &bc, &br);
        *per += bc;
        *rows += br;
    }
    if (*rows < 1)
        *rows = 1;
}

/* Cost and rows out of the rows under parent, as described at the top. */
static void block_cost(plan_ctx *c, int parent, double *out_cost, double *out_rows)
{
    double cost = 0, rows = 1, other_rows = 0;
    int loops = 0;
    for (size_t i = 0; i < c->n; i++) {
        const node *nd = &c->nodes[i];
        if (nd->parent != parent)
            continue;
        double per, r, once, bc, br;
        switch (nd->kind) {
        case K_SCAN:
        case K_SEARCH:
            loop_cost(c, nd, &per, &r, &once);
            cost += once + rows * per;
            rows *= r;
            loops++;
            break;
        case K_MULTI_OR:
            multi_or_cost(c, nd, &per, &r);
            cost += rows * per;
            rows *= r;
            loops++;
            break;
        case K_MATERIALIZE: {
            block_cost(c, nd->id, &bc, &br);
            cost += bc;
            const char *name = strchr(nd->detail, ' ') + 1;
            borch_strv_push(&c->mat_names, name);
            borch_grow((void **)&c->mat_rows, &c->mat_cap, c->mat_names.count,
                       sizeof(double));
            c->mat_rows[c->mat_names.count - 1] = br;
            break;
        }
        case K_SUBQUERY:
            block_cost(c, nd->id, &bc, &br);
            cost += bc;
            break;
        case K_OTHER:
            block_cost(c, nd->id, &bc, &br);
            cost += bc;
            if (bc > 0)
                other_rows += br;
            break;
        case K_SORT:
        case K_CORRELATED:
            break; /* below, once the block's rows are known */
        }
    }
    if (loops == 0 && other_rows > 0)
        rows = other_rows;
    for (size_t i = 0; i < c->n; i++) {
        const node *nd = &c->nodes[i];
        if (nd->parent != parent)
            continue;
        if (nd->kind == K_SORT) {
            c->out->sorts++;
            int partial = strstr(nd->detail, "RIGHT PART") || strstr(nd->detail, "LAST TERM");
            cost += rows * lg(rows) * (partial ? 0.5 : 1);
        } else if (nd->kind == K_CORRELATED) {
            double bc, br;
            block_cost(c, nd->id, &bc, &br);
            cost += rows * bc;
        }
    }
    *out_cost = cost;
    *out_rows = rows;
}

int borch_sqlite_plan_cost(sqlite3 *db, const char *sql, const borch_sqlite_stats *stats,
                           const char *candidate_prefix, borch_whatif_plan *out,
                           borch_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!*borch_sqlite_skip_blank(sql))
        return borch_error_set(err, BORCH_EINPUT, "nothing to plan");
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_puts(&q, "EXPLAIN QUERY PLAN ");
    borch_buf_puts(&q, sql);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, q.data, -1, &st, &tail);
    if (rc == SQLITE_OK && tail && *borch_sqlite_skip_blank(tail)) {
        sqlite3_finalize(st);
        borch_buf_release(&q);
        borch_error_set(err, BORCH_EINPUT, "more than one statement to plan");
        borch_error_statement(err, sql);
        return BORCH_EINPUT;
    }
    borch_buf_release(&q);
    if (rc != SQLITE_OK) {
        int code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
        return code;
    }
    if (!st) {
        borch_error_set(err, BORCH_EINPUT, "nothing to plan");
        return BORCH_EINPUT;
    }

    plan_ctx c;
    memset(&c, 0, sizeof(c));
    c.stats = stats;
    c.prefix = candidate_prefix;
    c.out = out;
    size_t cap = 0;
    borch_buf text;
    borch_buf_init(&text);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        borch_grow((void **)&c.nodes, &cap, c.n + 1, sizeof(*c.nodes));
        node *nd = &c.nodes[c.n++];
        nd->id = sqlite3_column_int(st, 0);
        nd->parent = sqlite3_column_int(st, 1);
        nd->detail = borch_xstrdup(detail ? detail : "");
        nd->kind = kind_of(nd->detail);
        nd->depth = 0;
        for (size_t j = 0; j + 1 < c.n; j++)
            if (c.nodes[j].id == nd->parent)
                nd->depth = c.nodes[j].depth + 1;
        for (int d = 0; d < nd->depth; d++)
            borch_buf_puts(&text, "  ");
        borch_buf_puts(&text, nd->detail);
        borch_buf_putc(&text, '\n');
    }
    int code = 0;
    if (rc != SQLITE_DONE) {
        code = borch_sqlite_error(db, rc, err);
        borch_error_statement(err, sql);
    } else {
        borch_sqlite_find_aliases(sql, &stats->names, &c.aliases);
        for (size_t i = 0; i < stats->aliases.count; i++)
            borch_strv_push(&c.aliases, stats->aliases.items[i]);
        double rows;
        block_cost(&c, 0, &out->cost, &rows);
        out->text = borch_buf_detach(&text);
    }
    borch_buf_release(&text);
    sqlite3_finalize(st);
    for (size_t i = 0; i < c.n; i++)
        free(c.nodes[i].detail);
    free(c.nodes);
    borch_strv_release(&c.aliases);
    borch_strv_release(&c.mat_names);
    free(c.mat_rows);
    if (code != 0)
        borch_whatif_plan_release(out);
    return code;
}
