/*
 * datagen_values.c - the value of a generated row for one column: the
 * column's type (as each engine's introspection reports it, see
 * yaml_model_types.c) read into a kind once, then a deterministic value
 * from the row number, valid for that type on every engine.
 */
#include "datagen_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* 1 when type starts with word followed by the end, '(' or ' '. */
static int head_is(const char *type, const char *word)
{
    size_t n = strlen(word);
    return strncmp(type, word, n) == 0 && (type[n] == '\0' || type[n] == '(' || type[n] == ' ');
}

static int head_any(const char *type, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (head_is(type, words[i]))
            return 1;
    return 0;
}

/* The numbers in the first "(...)" of type: returns how many (0..2). */
static int type_args(const char *type, long v[2])
{
    const char *open = strchr(type, '(');
    if (!open)
        return 0;
    char *end = NULL;
    v[0] = strtol(open + 1, &end, 10);
    if (end == open + 1)
        return 0;
    if (*end != ',')
        return 1;
    const char *p = end + 1;
    while (*p == ' ')
        p++;
    v[1] = strtol(p, &end, 10);
    return end == p ? 1 : 2;
}

void dg_literals(const char *text, borch_strv *out)
{
    for (const char *p = text; *p; p++) {
        if (*p != '\'')
            continue;
        borch_buf b;
        borch_buf_init(&b);
        for (p++; *p; p++) {
            if (*p == '\'' && p[1] == '\'') {
                borch_buf_putc(&b, '\'');
                p++;
            } else if (*p == '\'') {
                break;
            } else if (*p == '\\' && p[1]) {
                borch_buf_putc(&b, *++p); /* MySQL's enum('it\'s') */
            } else {
                borch_buf_putc(&b, *p);
            }
        }
        borch_strv_push_owned(out, borch_buf_detach(&b));
        borch_buf_release(&b);
        if (!*p)
            break;
    }
}

/* The enum of s whose name type is (bare or schema-qualified), or NULL. */
static const borch_enum *find_enum(const borch_schema *s, const char *type)
{
    for (size_t i = 0; s && i < s->nenums; i++) {
        const char *name = s->enums[i].name;
        size_t n = strlen(name), tn = strlen(type);
        if (strcmp(type, name) == 0)
            return &s->enums[i];
        if (tn > n + 1 && type[tn - n - 1] == '.' && strcmp(type + tn - n, name) == 0)
            return &s->enums[i];
        if (tn == n + 2 && type[0] == '"' && strncmp(type + 1, name, n) == 0)
            return &s->enums[i];
    }
    return NULL;
}

void dg_type_read(dg_type *t, const borch_schema *s, const char *raw)
{
    static const char *const ints[] = {"integer", "int",    "bigint",    "mediumint",        "int4",
                                       "int8",    "serial", "bigserial", "unsigned big int", NULL};
    static const char *const floats[] = {"real",   "float",  "double", "double precision",
                                         "float4", "float8", NULL};
    static const char *const bins[] = {"bytea",    "blob",       "binary",   "varbinary",
                                       "tinyblob", "mediumblob", "longblob", NULL};
    memset(t, 0, sizeof(*t));
    char *type = borch_xstrdup(raw ? raw : "");
    for (char *p = type; *p && *p != '\''; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t tn = strlen(type);
    int sqlite = s && s->engine && strcmp(s->engine, "sqlite") == 0;
    long v[2] = {0, 0};
    int nargs = type_args(type, v);
    const borch_enum *e = find_enum(s, raw ? raw : "");

    if (e && e->nvalues) {
        t->kind = DG_CHOICE;
        for (size_t i = 0; i < e->nvalues; i++)
            borch_strv_push(&t->choices, e->values[i]);
    } else if (tn > 2 && strcmp(type + tn - 2, "[]") == 0) {
        t->kind = DG_ARRAY;
    } else if (head_is(type, "enum") || head_is(type, "set")) {
        dg_literals(raw + strcspn(raw, "("), &t->choices);
        t->kind = t->choices.count ? DG_CHOICE : DG_OTHER;
    } else if (strncmp(type, "tinyint(1)", 10) == 0 || head_is(type, "boolean") ||
               head_is(type, "bool")) {
        t->kind = DG_BOOL;
    } else if (head_is(type, "tinyint")) {
        t->kind = DG_TINYINT;
    } else if (head_is(type, "smallint") || head_is(type, "int2") || head_is(type, "smallserial")) {
        t->kind = DG_SMALLINT;
    } else if (head_is(type, "interval")) {
        t->kind = DG_INTERVAL;
    } else if (head_any(type, ints) || (sqlite && strstr(type, "int"))) {
        t->kind = DG_INT;
    } else if (head_is(type, "numeric") || head_is(type, "decimal") || head_is(type, "dec") ||
               head_is(type, "number")) {
        t->kind = DG_DECIMAL;
        t->len = nargs >= 1 ? v[0] : 0;
        t->scale = nargs == 2 ? v[1] : 0;
    } else if (head_any(type, floats)) {
        t->kind = DG_FLOAT;
    } else if (strcmp(type, "date") == 0) {
        t->kind = DG_DATE;
    } else if (head_is(type, "timestamp") || head_is(type, "timestamptz") ||
               head_is(type, "datetime")) {
        t->kind = DG_TIMESTAMP;
    } else if (head_is(type, "time") || head_is(type, "timetz")) {
        t->kind = DG_TIME;
    } else if (head_is(type, "year")) {
        t->kind = DG_YEAR;
    } else if (head_is(type, "json") || head_is(type, "jsonb")) {
        t->kind = DG_JSON;
    } else if (head_is(type, "uuid")) {
        t->kind = DG_UUID;
    } else if (head_any(type, bins)) {
        t->kind = DG_BINARY;
        t->len = nargs >= 1 ? v[0] : 0;
    } else if (head_is(type, "inet") || head_is(type, "cidr")) {
        t->kind = DG_INET;
    } else if (strstr(type, "char") || strstr(type, "text") || strstr(type, "clob") ||
               head_is(type, "string") || sqlite) {
        t->kind = DG_STRING;
        t->len = nargs >= 1 ? v[0] : 0;
    } else {
        t->kind = DG_OTHER;
    }
    free(type);
}

void dg_type_release(dg_type *t)
{
    borch_strv_release(&t->choices);
}

/* 1 when expr names col as a whole identifier (bare, "quoted" or `quoted`). */
static int names_column(const char *expr, const char *col)
{
    size_t n = strlen(col);
    for (const char *p = strstr(expr, col); p; p = strstr(p + 1, col)) {
        char before = p == expr ? ' ' : p[-1], after = p[n];
        int word_before = isalnum((unsigned char)before) || before == '_';
        int word_after = isalnum((unsigned char)after) || after == '_';
        if (!word_before && !word_after && before != '\'')
            return 1;
    }
    return 0;
}

/* 1 when expr reads as a list membership test: IN ( or ANY ( / ANY(. */
static int is_list_test(const char *expr)
{
    char *low = borch_xstrdup(expr);
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    int yes =
        strstr(low, " in (") || strstr(low, " in(") || strstr(low, "any (") || strstr(low, "any(");
    free(low);
    return yes;
}

void dg_check_choices(const borch_table *tbl, const char *col, borch_strv *out)
{
    for (size_t i = 0; i < tbl->nchecks; i++) {
        const char *expr = tbl->checks[i].expression;
        if (!expr || !names_column(expr, col) || !is_list_test(expr) || strstr(expr, " OR ") ||
            strstr(expr, " or "))
            continue;
        int others = 0;
        for (size_t c = 0; c < tbl->ncolumns && !others; c++)
            others =
                strcmp(tbl->columns[c].name, col) != 0 && names_column(expr, tbl->columns[c].name);
        if (others)
            continue;
        borch_strv lits = {0};
        dg_literals(expr, &lits);
        for (size_t k = 0; k < lits.count; k++)
            borch_strv_push(out, lits.items[k]);
        borch_strv_release(&lits);
        if (out->count)
            return;
    }
}

/* 1 when col at p (in expr) is the argument of a function, as in length(col). */
static int in_call(const char *expr, const char *p)
{
    int parens = 0;
    while (p > expr && p[-1] == '(') {
        parens++;
        p--;
    }
    return parens > 0 && p > expr && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
}

/* Skips what may follow a column before its operator: ")", "::type", blanks. */
static const char *skip_casts(const char *p)
{
    for (;;) {
        if (*p == ')' || *p == ' ' || *p == '"' || *p == '`') {
            p++;
        } else if (p[0] == ':' && p[1] == ':') {
            p += 2;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == ' ')
                p++;
        } else {
            return p;
        }
    }
}

/* Reads a number after blanks and "(": 1 on success. */
static int read_number(const char **pp, double *out)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '(' || *p == '\'')
        p++;
    char *end = NULL;
    *out = strtod(p, &end);
    if (end == p)
        return 0;
    *pp = end;
    return 1;
}

/* Narrows t's bounds by "op v". */
static void bound(dg_type *t, const char *op, double v)
{
    long lo = 0, hi = 0;
    int set_lo = 0, set_hi = 0;
    long fl = (long)v - (v < 0 && v != (double)(long)v), ce = fl + (v != (double)fl);
    if (!strcmp(op, ">"))
        set_lo = 1, lo = fl + 1;
    else if (!strcmp(op, ">="))
        set_lo = 1, lo = ce;
    else if (!strcmp(op, "<"))
        set_hi = 1, hi = ce - 1;
    else if (!strcmp(op, "<="))
        set_hi = 1, hi = fl;
    else if (!strcmp(op, "="))
        set_lo = set_hi = 1, lo = ce, hi = fl;
    if (set_lo && (!t->has_lo || lo > t->lo))
        t->has_lo = 1, t->lo = lo;
    if (set_hi && (!t->has_hi || hi < t->hi))
        t->has_hi = 1, t->hi = hi;
}

/* Applies the comparisons of one check on column col (lowercase expr). */
static void scan_bounds(const char *expr, const char *col, dg_type *t)
{
    size_t n = strlen(col);
    for (const char *p = strstr(expr, col); p; p = strstr(p + n, col)) {
        char before = p == expr ? ' ' : p[-1], after = p[n];
        if (isalnum((unsigned char)before) || before == '_' || isalnum((unsigned char)after) ||
            after == '_' || in_call(expr, p))
            continue;
        const char *q = skip_casts(p + n);
        static const char *const ops[] = {">=", "<=", "<>", "!=", ">", "<", "=", NULL};
        double a, b;
        if (!strncmp(q, "between ", 8)) {
            q += 8;
            if (!read_number(&q, &a))
                continue;
            q = skip_casts(q);
            if (strncmp(q, "and ", 4) != 0)
                continue;
            q += 4;
            if (read_number(&q, &b)) {
                bound(t, ">=", a);
                bound(t, "<=", b);
            }
            continue;
        }
        for (size_t i = 0; ops[i]; i++) {
            size_t len = strlen(ops[i]);
            if (strncmp(q, ops[i], len) != 0)
                continue;
            q += len;
            if (read_number(&q, &a))
                bound(t, ops[i], a);
            break;
        }
    }
}

void dg_check_range(const borch_table *tbl, const char *col, dg_type *t)
{
    char *lcol = borch_xstrdup(col);
    for (char *p = lcol; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < tbl->nchecks; i++) {
        const char *expr = tbl->checks[i].expression;
        if (!expr || !names_column(expr, col))
            continue;
        int others = 0;
        for (size_t c = 0; c < tbl->ncolumns && !others; c++)
            others =
                strcmp(tbl->columns[c].name, col) != 0 && names_column(expr, tbl->columns[c].name);
        char *low = borch_xstrdup(expr);
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!others && !strstr(low, " or ") && !strstr(low, "not "))
            scan_bounds(low, lcol, t);
        free(low);
    }
    free(lcol);
    if (t->has_lo && t->has_hi && t->lo > t->hi)
        t->has_lo = t->has_hi = 0; /* nothing fits: let the engine refuse */
}

/* Row n's integer within the check bounds of t, or 0 when t has none. */
static int ranged(const dg_type *t, long n, long *out)
{
    if (!t->has_lo && !t->has_hi)
        return 0;
    if (t->has_lo && t->has_hi)
        *out = t->lo + (n - 1) % (t->hi - t->lo + 1);
    else if (t->has_lo)
        *out = t->lo <= 1 ? n : t->lo + n - 1;
    else
        *out = t->hi >= 1 ? (n - 1) % t->hi + 1 : t->hi - (n - 1);
    return 1;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(long days, int *y, int *m, int *d)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 10^k, capped so that it fits a long. */
static long pow10_capped(long k)
{
    long v = 1;
    for (long i = 0; i < k && i < 15; i++)
        v *= 10;
    return v;
}

/* "<name>_<n>", or "<n>_<name>" cut to len when that is too long. */
static void string_value(borch_buf *b, const char *name, long n, long len)
{
    borch_buf_printf(b, "%s_%ld", name, n);
    if (len <= 0 || (long)b->len <= len)
        return;
    borch_buf_clear(b);
    borch_buf_printf(b, "%ld_%s", n, name);
    if ((long)b->len > len) {
        b->len = (size_t)len;
        b->data[b->len] = '\0';
    }
}

char *dg_value(const dg_type *t, const char *name, long n)
{
    borch_buf b;
    borch_buf_init(&b);
    int y, m, d;
    /* dates from 2026-01-01 on, one day per row (20454 = days to 2026-01-01) */
    civil(20454 + (n - 1) % 2900000, &y, &m, &d);
    long v = 0;
    int numeric = t->kind == DG_INT || t->kind == DG_SMALLINT || t->kind == DG_TINYINT ||
                  t->kind == DG_DECIMAL || t->kind == DG_FLOAT;
    if (numeric && ranged(t, n, &v)) {
        borch_buf_printf(&b, "%ld", v);
        char *out = borch_buf_detach(&b);
        borch_buf_release(&b);
        return out;
    }
    switch (t->kind) {
    case DG_STRING:
        string_value(&b, name, n, t->len);
        break;
    case DG_INT:
    case DG_OTHER:
        borch_buf_printf(&b, "%ld", n);
        break;
    case DG_SMALLINT:
        borch_buf_printf(&b, "%ld", (n - 1) % 32000 + 1);
        break;
    case DG_TINYINT:
        borch_buf_printf(&b, "%ld", (n - 1) % 120 + 1);
        break;
    case DG_BOOL:
        borch_buf_puts(&b, n % 2 ? "1" : "0");
        break;
    case DG_DECIMAL: {
        long whole = t->len > 0 ? t->len - t->scale : 15;
        if (whole > 0)
            borch_buf_printf(&b, "%ld%s", n % pow10_capped(whole), t->scale > 0 ? ".5" : "");
        else
            borch_buf_printf(&b, "0.%0*ld", (int)(t->scale > 15 ? 15 : t->scale),
                             n % pow10_capped(t->scale));
        break;
    }
    case DG_FLOAT:
        borch_buf_printf(&b, "%ld.5", n);
        break;
    case DG_DATE:
        borch_buf_printf(&b, "%04d-%02d-%02d", y, m, d);
        break;
    case DG_TIMESTAMP:
        borch_buf_printf(&b, "%04d-%02d-%02d 10:%02ld:%02ld", y > 2037 ? 2037 : y, m, d,
                         n / 60 % 60, n % 60);
        break;
    case DG_TIME:
        borch_buf_printf(&b, "%02ld:%02ld:%02ld", n / 3600 % 24, n / 60 % 60, n % 60);
        break;
    case DG_INTERVAL:
        borch_buf_printf(&b, "%ld minutes", n);
        break;
    case DG_YEAR:
        borch_buf_printf(&b, "%ld", 2000 + n % 150);
        break;
    case DG_JSON:
        borch_buf_printf(&b, "{\"%s\": %ld}", "n", n);
        break;
    case DG_UUID:
        borch_buf_printf(&b, "00000000-0000-4000-8000-%012lx", (unsigned long)n & 0xffffffffffffUL);
        break;
    case DG_BINARY:
        borch_buf_printf(&b, "b%ld", n);
        if (t->len > 0 && (long)b.len > t->len) {
            b.len = (size_t)t->len;
            b.data[b.len] = '\0';
        }
        break;
    case DG_INET:
        borch_buf_printf(&b, "10.%ld.%ld.%ld", n / 65536 % 256, n / 256 % 256, n % 256);
        break;
    case DG_ARRAY:
        borch_buf_puts(&b, "{}");
        break;
    case DG_CHOICE:
        borch_buf_puts(&b, t->choices.items[(size_t)(n - 1) % t->choices.count]);
        break;
    }
    char *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return out;
}
