/*
 * normalize.c - the MySQL driver's normalization of catalog text, kept
 * apart from the queries so that the MySQL 8 and MariaDB forms can be
 * tested without either server (see introspect.c for the rules).
 */
#include "mysql/mysql_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

char *borch_mysql_lower(const char *s)
{
    char *out = borch_xstrdup(s);
    char quote = 0;
    for (char *p = out; *p; p++) {
        if (quote) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p; /* enum('Active') keeps its values' case */
        } else {
            *p = (char)tolower((unsigned char)*p);
        }
    }
    return out;
}

char *borch_mysql_norm_type(const char *column_type)
{
    static const char *const ints[] = {"tinyint", "smallint", "mediumint", "int",
                                       "bigint",  "year",     NULL};
    char *t = borch_mysql_lower(column_type);
    for (size_t i = 0; ints[i]; i++) {
        size_t n = strlen(ints[i]);
        if (strncmp(t, ints[i], n) != 0 || t[n] != '(')
            continue;
        char *close = strchr(t + n, ')');
        if (!close)
            break;
        if (strcmp(ints[i], "tinyint") == 0 && strncmp(t + n, "(1)", 3) == 0)
            break;
        memmove(t + n, close + 1, strlen(close + 1) + 1);
        break;
    }
    return t;
}

/* Data types whose MySQL defaults are written without quotes. */
static int numeric_type(const char *data_type)
{
    static const char *const nums[] = {"tinyint", "smallint", "mediumint", "int",   "integer",
                                       "bigint",  "decimal",  "numeric",   "float", "double",
                                       "real",    "bit",      "year",      NULL};
    for (size_t i = 0; nums[i]; i++)
        if (strcasecmp(data_type, nums[i]) == 0)
            return 1;
    return 0;
}

char *borch_mysql_norm_default(int mariadb, unsigned long version, const char *def,
                               const char *data_type, const char *extra)
{
    if (!def)
        return NULL;
    /* MariaDB 10.2.7 and later already report SQL text. */
    if (mariadb && version >= 100207)
        return strcmp(def, "NULL") == 0 ? NULL : borch_xstrdup(def);
    if (strncasecmp(def, "current_timestamp", 17) == 0) {
        const char *args = def[17] == '(' ? def + 17 : "()";
        borch_buf b;
        borch_buf_init(&b);
        borch_buf_printf(&b, "current_timestamp%s", args);
        return borch_mysql_take(&b);
    }
    if ((extra && strstr(extra, "DEFAULT_GENERATED")) || numeric_type(data_type))
        return borch_xstrdup(def);
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_putc(&b, '\'');
    for (const char *p = def; *p; p++) {
        if (*p == '\'')
            borch_buf_putc(&b, '\'');
        else if (*p == '\\')
            borch_buf_putc(&b, '\\');
        borch_buf_putc(&b, *p);
    }
    borch_buf_putc(&b, '\'');
    return borch_mysql_take(&b);
}

void borch_mysql_strip_parens(char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '(' || s[n - 1] != ')')
        return;
    int depth = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (quote) {
            if (ch == '\\' && quote != '`' && i + 1 < n)
                i++;
            else if (ch == quote)
                quote = 0;
        } else if (ch == '\'' || ch == '"' || ch == '`') {
            quote = ch;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0 && i != n - 1) {
            return; /* "(a) AND (b)": the first ( closes early */
        }
    }
    memmove(s, s + 1, n - 2);
    s[n - 2] = '\0';
}

char *borch_mysql_unqualify(const char *def, const char *database)
{
    if (!database)
        return borch_xstrdup(def);
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_putc(&q, '`');
    for (const char *p = database; *p; p++) {
        if (*p == '`')
            borch_buf_putc(&q, '`');
        borch_buf_putc(&q, *p);
    }
    borch_buf_puts(&q, "`.");
    borch_buf b;
    borch_buf_init(&b);
    const char *p = def;
    const char *hit;
    while ((hit = strstr(p, q.data)) != NULL) {
        borch_buf_append(&b, p, (size_t)(hit - p));
        p = hit + q.len;
    }
    borch_buf_puts(&b, p);
    borch_buf_release(&q);
    return borch_mysql_take(&b);
}
