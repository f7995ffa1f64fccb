/*
 * diff_types.c - judges a column type change: does every stored value still
 * fit (widening), may some be cut or refused (narrowing), or is it another
 * kind of type altogether? The answer decides whether an ALTER_COLUMN is
 * destructive and what its warning says.
 *
 * A type is read as a family (integer, decimal, float, text, binary, bool,
 * or its own base name), a size within the family and its numeric
 * parameters: "varchar(20)" is text of length 20, "numeric(10,2)" a decimal
 * of 10 digits with 2 decimals, "int unsigned" a 4-byte unsigned integer.
 */
#include "core/diff_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum family {
    FAM_OTHER, /* judged by base name and parameters only */
    FAM_INT,
    FAM_DECIMAL,
    FAM_FLOAT,
    FAM_TEXT,
    FAM_BINARY,
    FAM_BOOL,
} family;

#define UNBOUNDED 0xffffffffffffULL

typedef struct parsed {
    char base[96];           /* type without parameters, spaces collapsed */
    unsigned long long p[4]; /* numeric parameters */
    int np;                  /* how many; -1 when they are not all numbers */
    int is_unsigned;
    family fam;
    unsigned long long size; /* rank or length within the family */
} parsed;

/* Base names of the families; size is the rank (integers, floats) or the
 * length when the type is written without one (text, binary). */
static const struct {
    const char *name;
    family fam;
    unsigned long long size;
} known[] = {
    {"tinyint", FAM_INT, 1},
    {"smallint", FAM_INT, 2},
    {"int2", FAM_INT, 2},
    {"smallserial", FAM_INT, 2},
    {"mediumint", FAM_INT, 3},
    {"int", FAM_INT, 4},
    {"integer", FAM_INT, 4},
    {"int4", FAM_INT, 4},
    {"serial", FAM_INT, 4},
    {"bigint", FAM_INT, 5},
    {"int8", FAM_INT, 5},
    {"bigserial", FAM_INT, 5},
    {"numeric", FAM_DECIMAL, 0},
    {"decimal", FAM_DECIMAL, 0},
    {"dec", FAM_DECIMAL, 0},
    {"real", FAM_FLOAT, 1},
    {"float4", FAM_FLOAT, 1},
    {"float", FAM_FLOAT, 1},
    {"double", FAM_FLOAT, 2},
    {"double precision", FAM_FLOAT, 2},
    {"float8", FAM_FLOAT, 2},
    {"char", FAM_TEXT, 1},
    {"character", FAM_TEXT, 1},
    {"bpchar", FAM_TEXT, 1},
    {"nchar", FAM_TEXT, 1},
    {"varchar", FAM_TEXT, UNBOUNDED},
    {"character varying", FAM_TEXT, UNBOUNDED},
    {"nvarchar", FAM_TEXT, UNBOUNDED},
    {"text", FAM_TEXT, UNBOUNDED},
    {"clob", FAM_TEXT, UNBOUNDED},
    {"tinytext", FAM_TEXT, 255},
    {"mediumtext", FAM_TEXT, 16777215},
    {"longtext", FAM_TEXT, 4294967295ULL},
    {"bytea", FAM_BINARY, UNBOUNDED},
    {"blob", FAM_BINARY, UNBOUNDED},
    {"binary", FAM_BINARY, 1},
    {"varbinary", FAM_BINARY, UNBOUNDED},
    {"tinyblob", FAM_BINARY, 255},
    {"mediumblob", FAM_BINARY, 16777215},
    {"longblob", FAM_BINARY, 4294967295ULL},
    {"bool", FAM_BOOL, 1},
    {"boolean", FAM_BOOL, 1},
};

/* Splits "numeric(10, 2) unsigned" into base "numeric unsigned" and the
 * parameters 10 and 2. */
static void split(const char *type, parsed *out)
{
    memset(out, 0, sizeof(*out));
    size_t bl = 0;
    int space = 0;
    const char *s = type ? type : "";
    while (*s) {
        if (*s == '(') {
            const char *close = strchr(s, ')');
            const char *end = close ? close : s + strlen(s);
            const char *q = s + 1;
            while (q < end && out->np >= 0) {
                while (q < end && (*q == ' ' || *q == ','))
                    q++;
                if (q >= end)
                    break;
                if (!isdigit((unsigned char)*q) || out->np == 4) {
                    out->np = -1;
                    break;
                }
                char *next;
                out->p[out->np++] = strtoull(q, &next, 10);
                q = next;
            }
            s = close ? close + 1 : end;
            continue;
        }
        if (isspace((unsigned char)*s)) {
            space = 1;
        } else {
            if (space && bl > 0 && bl + 1 < sizeof(out->base))
                out->base[bl++] = ' ';
            space = 0;
            if (bl + 1 < sizeof(out->base))
                out->base[bl++] = (char)tolower((unsigned char)*s);
        }
        s++;
    }
    out->base[bl] = '\0';
}

/* Removes a trailing word (" unsigned") from base; returns 1 if it was there. */
static int strip_word(char *base, const char *word)
{
    size_t bl = strlen(base), wl = strlen(word);
    if (bl > wl && base[bl - wl - 1] == ' ' && strcmp(base + bl - wl, word) == 0) {
        base[bl - wl - 1] = '\0';
        return 1;
    }
    return 0;
}

/* Family and size of a type; MySQL's text and decimal have sizes where
 * PostgreSQL's are unbounded. */
static void parse(const char *type, const char *engine, parsed *out)
{
    split(type, out);
    out->is_unsigned = strip_word(out->base, "unsigned");
    strip_word(out->base, "zerofill");
    int mysql = engine && strcmp(engine, "mysql") == 0;
    out->fam = FAM_OTHER;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(out->base, known[i].name) != 0)
            continue;
        out->fam = known[i].fam;
        out->size = known[i].size;
        break;
    }
    if (out->np < 0 && out->fam != FAM_OTHER)
        out->fam = FAM_OTHER;
    switch (out->fam) {
    case FAM_TEXT:
    case FAM_BINARY:
        if (out->np >= 1)
            out->size = out->p[0];
        else if (mysql && (strcmp(out->base, "text") == 0 || strcmp(out->base, "blob") == 0))
            out->size = 65535;
        break;
    case FAM_FLOAT:
        /* float(p): up to 24 binary digits is single precision. */
        if (strcmp(out->base, "float") == 0 && out->np >= 1 && out->p[0] > 24)
            out->size = 2;
        else if (strcmp(out->base, "float") == 0 && !mysql && out->np == 0)
            out->size = 2; /* PostgreSQL's float is double precision */
        break;
    default:
        break;
    }
}

/* Decimal digits before and after the point; (0,0) for unbounded numeric. */
static borch_type_change decimal_change(const parsed *a, const parsed *b, const char *engine)
{
    int mysql = engine && strcmp(engine, "mysql") == 0;
    unsigned long long pa = a->np >= 1 ? a->p[0] : (mysql ? 10 : UNBOUNDED);
    unsigned long long sa = a->np >= 2 ? a->p[1] : 0;
    unsigned long long pb = b->np >= 1 ? b->p[0] : (mysql ? 10 : UNBOUNDED);
    unsigned long long sb = b->np >= 2 ? b->p[1] : 0;
    if (pa == pb && sa == sb)
        return BORCH_TYPE_SAME;
    if (pb == UNBOUNDED)
        return BORCH_TYPE_WIDEN;
    if (pa == UNBOUNDED)
        return BORCH_TYPE_NARROW;
    if (sb < sa || pb - sb < pa - sa)
        return BORCH_TYPE_NARROW;
    return BORCH_TYPE_WIDEN;
}

/* See diff_internal.h. */
borch_type_change borch_diff_type_change(const char *from, const char *to, const char *engine)
{
    if (strcmp(from ? from : "", to ? to : "") == 0)
        return BORCH_TYPE_SAME;
    parsed a, b;
    parse(from, engine, &a);
    parse(to, engine, &b);
    if (a.fam != b.fam)
        return BORCH_TYPE_OTHER;
    switch (a.fam) {
    case FAM_INT:
        if (a.is_unsigned && !b.is_unsigned)
            return b.size > a.size ? BORCH_TYPE_WIDEN : BORCH_TYPE_NARROW;
        if (!a.is_unsigned && b.is_unsigned)
            return BORCH_TYPE_NARROW; /* negative values no longer fit */
        if (b.size == a.size)
            return BORCH_TYPE_SAME; /* int vs int4, int(11) vs int */
        return b.size > a.size ? BORCH_TYPE_WIDEN : BORCH_TYPE_NARROW;
    case FAM_DECIMAL:
        return decimal_change(&a, &b, engine);
    case FAM_FLOAT:
    case FAM_TEXT:
    case FAM_BINARY:
        if (b.size == a.size)
            return BORCH_TYPE_WIDEN; /* char(n) <-> varchar(n): every value still fits */
        return b.size > a.size ? BORCH_TYPE_WIDEN : BORCH_TYPE_NARROW;
    case FAM_BOOL:
        return BORCH_TYPE_SAME;
    case FAM_OTHER:
        break;
    }
    /* Unknown types: same base name, numeric parameters that only grow. */
    if (strcmp(a.base, b.base) != 0 || a.is_unsigned != b.is_unsigned || a.np < 0 || b.np < 0 ||
        a.np != b.np)
        return BORCH_TYPE_OTHER;
    int grew = 0;
    for (int i = 0; i < a.np; i++) {
        if (b.p[i] < a.p[i])
            return BORCH_TYPE_NARROW;
        grew |= b.p[i] > a.p[i];
    }
    return grew ? BORCH_TYPE_WIDEN : BORCH_TYPE_SAME;
}
