/*
 * yaml_model_types.c - the YAML model's neutral types and what each engine
 * calls them: the forward map (neutral -> engine text, exactly as that
 * engine's introspection reports it), the reverse map used when writing a
 * model, and the normalization of per-engine override types so that
 * "varchar(20)" written for PostgreSQL compares equal to the
 * "character varying(20)" the server will report.
 *
 * The engine texts follow drivers/postgres/pg_introspect.c (format_type),
 * drivers/mysql/normalize.c (COLUMN_TYPE, integer widths dropped) and
 * drivers/sqlite (the declared type, lowercased and squeezed).
 */
#include "core/yaml_model_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/suggest.h"

const char *const ym_engine_names[YM_NENGINES] = {"sqlite", "postgres", "mysql"};

/* Arguments a neutral type takes. */
enum { ARGS_NONE, ARGS_LENGTH, ARGS_DECIMAL, ARGS_PRECISION };

static const struct ntype {
    const char *name;
    int args;
    const char *text[YM_NENGINES]; /* sqlite, postgres, mysql */
    const char *pg_suffix;         /* after the arguments on PostgreSQL */
} ntypes[] = {
    {"integer", ARGS_NONE, {"integer", "integer", "int"}, ""},
    {"bigint", ARGS_NONE, {"bigint", "bigint", "bigint"}, ""},
    {"smallint", ARGS_NONE, {"smallint", "smallint", "smallint"}, ""},
    {"boolean", ARGS_NONE, {"boolean", "boolean", "tinyint(1)"}, ""},
    {"string", ARGS_LENGTH, {"varchar", "character varying", "varchar"}, ""},
    {"text", ARGS_NONE, {"text", "text", "text"}, ""},
    {"decimal", ARGS_DECIMAL, {"decimal", "numeric", "decimal"}, ""},
    {"float", ARGS_NONE, {"real", "real", "float"}, ""},
    {"double", ARGS_NONE, {"double", "double precision", "double"}, ""},
    {"date", ARGS_NONE, {"date", "date", "date"}, ""},
    {"time", ARGS_PRECISION, {"time", "time", "time"}, " without time zone"},
    {"timestamp", ARGS_PRECISION, {"timestamp", "timestamp", "datetime"}, " without time zone"},
    {"timestamptz", ARGS_PRECISION, {"timestamptz", "timestamp", "timestamp"}, " with time zone"},
    {"json", ARGS_NONE, {"json", "json", "json"}, ""},
    {"uuid", ARGS_NONE, {"uuid", "uuid", "char(36)"}, ""},
    {"binary", ARGS_NONE, {"blob", "bytea", "blob"}, ""},
};
#define NTYPES (sizeof(ntypes) / sizeof(ntypes[0]))

const char *const ym_neutral_names[] = {
    "integer", "bigint", "smallint",  "boolean",     "string", "text", "decimal", "float", "double",
    "date",    "time",   "timestamp", "timestamptz", "json",   "uuid", "binary",  NULL};

int ym_engine_of(const char *name)
{
    for (int i = 0; i < YM_NENGINES; i++)
        if (name && strcmp(name, ym_engine_names[i]) == 0)
            return i;
    return -1;
}

/* Lowercases (all, or only outside quotes) and squeezes blanks; see the header. */
static char *squeeze(const char *s, int keep_quoted)
{
    size_t n = strlen(s);
    char *out = borch_xmalloc(n + 1);
    size_t k = 0;
    int pending = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (quote) {
            out[k++] = (char)(keep_quoted ? ch : tolower(ch));
            if (ch == (unsigned char)quote)
                quote = 0;
            continue;
        }
        if (isspace(ch)) {
            pending = k > 0;
            continue;
        }
        int tight = ch == '(' || ch == ')' || ch == ',';
        if (pending && !tight && out[k - 1] != '(' && out[k - 1] != ',')
            out[k++] = ' ';
        pending = 0;
        if (ch == '\'' || ch == '"')
            quote = (char)ch;
        out[k++] = (char)tolower(ch);
    }
    out[k] = '\0';
    return out;
}

char *ym_squeeze(const char *s)
{
    return squeeze(s, 1);
}

/* Reads "n" or "n,m" (digits only) into v; returns the count, or -1. */
static int parse_args(const char *s, size_t len, long v[2])
{
    int count = 0;
    size_t i = 0;
    while (i < len) {
        if (count == 2 || !isdigit((unsigned char)s[i]))
            return -1;
        long acc = 0;
        while (i < len && isdigit((unsigned char)s[i])) {
            acc = acc * 10 + (s[i] - '0');
            if (acc > 100000000L)
                return -1;
            i++;
        }
        v[count++] = acc;
        if (i < len && s[i++] != ',')
            return -1;
        if (i == len && s[len - 1] == ',')
            return -1;
    }
    return count;
}

int ym_type_map(const char *neutral, int engine, char **out, char *why, size_t n)
{
    char *t = squeeze(neutral, 0);
    size_t name_len = strcspn(t, "(");
    const struct ntype *nt = NULL;
    for (size_t i = 0; i < NTYPES && !nt; i++)
        if (strlen(ntypes[i].name) == name_len && !strncmp(t, ntypes[i].name, name_len))
            nt = &ntypes[i];
    if (!nt) {
        free(t);
        return 1;
    }
    long v[2] = {0, 0};
    int nargs = 0;
    if (t[name_len] == '(') {
        size_t len = strlen(t);
        nargs = t[len - 1] == ')' ? parse_args(t + name_len + 1, len - name_len - 2, v) : -1;
    }
    int rc = 0;
    borch_buf b;
    borch_buf_init(&b);
    const char *base = nt->text[engine];
    switch (nt->args) {
    case ARGS_NONE:
        if (nargs != 0) {
            snprintf(why, n, "type '%s' takes no arguments", nt->name);
            rc = 2;
        }
        borch_buf_puts(&b, base);
        break;
    case ARGS_LENGTH:
        if (nargs != 1 || v[0] < 1 || v[0] > 65535) {
            snprintf(why, n, "type '%s' needs a length from 1 to 65535, as in string(200)",
                     nt->name);
            rc = 2;
        }
        borch_buf_printf(&b, "%s(%ld)", base, v[0]);
        break;
    case ARGS_DECIMAL:
        if (nargs < 0 || (nargs >= 1 && (v[0] < 1 || v[0] > 65)) || (nargs == 2 && v[1] > v[0])) {
            snprintf(
                why, n,
                "type '%s' takes a precision of 1 to 65 and a scale no larger, as in decimal(10,2)",
                nt->name);
            rc = 2;
        } else if (nargs == 0 && engine == YM_MYSQL) {
            borch_buf_puts(&b, "decimal(10,0)");
        } else if (nargs == 0) {
            borch_buf_puts(&b, base);
        } else {
            borch_buf_printf(&b, "%s(%ld,%ld)", base, v[0], v[1]);
        }
        break;
    default: /* ARGS_PRECISION: fractional seconds, 0..6 */
        if (nargs < 0 || nargs > 1 || (nargs == 1 && v[0] > 6)) {
            snprintf(why, n, "type '%s' takes at most a fractional-seconds precision of 0 to 6",
                     nt->name);
            rc = 2;
        }
        borch_buf_puts(&b, base);
        if (nargs == 1)
            borch_buf_printf(&b, "(%ld)", v[0]);
        if (engine == YM_POSTGRES)
            borch_buf_puts(&b, nt->pg_suffix);
    }
    free(t);
    if (rc)
        borch_buf_release(&b);
    else
        *out = borch_buf_detach(&b);
    return rc;
}

char *ym_type_neutral(const char *type, int engine)
{
    const char *open = strchr(type, '('), *close = open ? strchr(open, ')') : NULL;
    char why[160];
    for (size_t i = 0; i < NTYPES; i++) {
        for (int with_args = 0; with_args < 2; with_args++) {
            borch_buf cand;
            borch_buf_init(&cand);
            borch_buf_puts(&cand, ntypes[i].name);
            if (with_args) {
                if (!close) {
                    borch_buf_release(&cand);
                    break;
                }
                borch_buf_append(&cand, open, (size_t)(close - open + 1));
            }
            char *mapped = NULL;
            if (ym_type_map(cand.data, engine, &mapped, why, sizeof(why)) == 0 &&
                strcmp(mapped, type) == 0) {
                free(mapped);
                return borch_buf_detach(&cand);
            }
            free(mapped);
            borch_buf_release(&cand);
        }
    }
    return NULL;
}

/* PostgreSQL's names for the aliases people write. */
static const struct alias {
    const char *from, *to, *suffix;
} pg_aliases[] = {
    {"int", "integer", ""},
    {"int4", "integer", ""},
    {"int8", "bigint", ""},
    {"int2", "smallint", ""},
    {"bool", "boolean", ""},
    {"varchar", "character varying", ""},
    {"char", "character", ""},
    {"decimal", "numeric", ""},
    {"float8", "double precision", ""},
    {"float", "double precision", ""},
    {"float4", "real", ""},
    {"timestamptz", "timestamp", " with time zone"},
    {"timestamp", "timestamp", " without time zone"},
    {"timetz", "time", " with time zone"},
    {"time", "time", " without time zone"},
};

static const struct alias my_aliases[] = {
    {"integer", "int", ""},     {"numeric", "decimal", ""},    {"dec", "decimal", ""},
    {"bool", "tinyint(1)", ""}, {"boolean", "tinyint(1)", ""},
};

/* Rewrites head(args)rest through an alias table. */
static char *apply_alias(const char *t, const struct alias *al, size_t count, int engine)
{
    size_t head = strcspn(t, "([");
    while (head > 0 && t[head - 1] == ' ')
        head--;
    const char *args = t + head, *rest = args;
    if (*rest == '(') {
        const char *close = strchr(rest, ')');
        rest = close ? close + 1 : rest + strlen(rest);
    }
    borch_buf b;
    borch_buf_init(&b);
    const struct alias *a = NULL;
    for (size_t i = 0; i < count && !a; i++)
        if (strlen(al[i].from) == head && !strncmp(t, al[i].from, head))
            a = &al[i];
    /* "timestamp(3) with time zone" already says its zone */
    if (a && a->suffix[0] && (!strncmp(rest, " with", 5)))
        a = NULL;
    if (!a) {
        borch_buf_puts(&b, t);
    } else {
        borch_buf_puts(&b, a->to);
        if (!strchr(a->to, '('))
            borch_buf_append(&b, args, (size_t)(rest - args));
        borch_buf_puts(&b, a->suffix);
        borch_buf_puts(&b, rest);
    }
    if (engine == YM_MYSQL) {
        /* integer display widths go (the driver drops them), except tinyint(1) */
        static const char *const ints[] = {"tinyint", "smallint", "mediumint",
                                           "int",     "bigint",   "year"};
        for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
            size_t n = strlen(ints[i]);
            if (strncmp(b.data, ints[i], n) || b.data[n] != '(')
                continue;
            char *close = strchr(b.data + n, ')');
            if (close && !(i == 0 && !strncmp(b.data + n, "(1)", 3))) {
                memmove(b.data + n, close + 1, strlen(close + 1) + 1);
                b.len = strlen(b.data);
            }
            break;
        }
        if (!strcmp(b.data, "decimal"))
            borch_buf_puts(&b, "(10,0)");
        else if (!strncmp(b.data, "decimal(", 8) && !strchr(b.data, ',')) {
            char *close = strchr(b.data, ')');
            if (close) {
                char *tail = borch_xstrdup(close);
                b.len = (size_t)(close - b.data);
                b.data[b.len] = '\0';
                borch_buf_printf(&b, ",0%s", tail);
                free(tail);
            }
        }
    }
    return borch_buf_detach(&b);
}

char *ym_type_normalize(const char *raw, int engine)
{
    if (engine == YM_SQLITE)
        return squeeze(raw, 0);
    char *t = squeeze(raw, 1);
    char *out =
        engine == YM_POSTGRES
            ? apply_alias(t, pg_aliases, sizeof(pg_aliases) / sizeof(pg_aliases[0]), engine)
            : apply_alias(t, my_aliases, sizeof(my_aliases) / sizeof(my_aliases[0]), engine);
    free(t);
    return out;
}

int ym_type_is_integer(const char *type)
{
    static const char *const ints[] = {"integer", "int",  "bigint", "smallint", "mediumint",
                                       "tinyint", "int2", "int4",   "int8",     NULL};
    size_t head = strcspn(type, "( ");
    for (size_t i = 0; ints[i]; i++)
        if (strlen(ints[i]) == head && !strncmp(type, ints[i], head))
            return 1;
    return 0;
}

const char *ym_suggest(const char *word, const char *const *known, size_t count)
{
    return borch_suggest(word, known, count);
}

int borch_yaml_model_type(const char *neutral, const char *engine, char **out, borch_error *err)
{
    int e = ym_engine_of(engine);
    char why[200] = "";
    *out = NULL;
    if (e < 0)
        return borch_error_set(err, BORCH_EUSAGE,
                               "unknown engine '%s' (known: sqlite, postgres, mysql)",
                               engine ? engine : "");
    int rc = ym_type_map(neutral, e, out, why, sizeof(why));
    if (rc == 2)
        return borch_error_set(err, BORCH_EINPUT, "%s", why);
    if (rc == 1) {
        char *word = ym_squeeze(neutral);
        word[strcspn(word, "(")] = '\0';
        const char *near = ym_suggest(word, ym_neutral_names, (size_t)-1);
        if (near)
            borch_error_set(err, BORCH_EINPUT, "unknown type '%s', did you mean '%s'?", neutral,
                            near);
        else
            borch_error_set(err, BORCH_EINPUT, "unknown type '%s'", neutral);
        free(word);
        return BORCH_EINPUT;
    }
    return 0;
}
