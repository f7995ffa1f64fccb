/*
 * error.c - filling and formatting borch_error. Kept tiny on purpose: every
 * layer includes it, and nothing here prints.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void borch_error_clear(borch_error *err)
{
    if (!err)
        return;
    free(err->statement);
    memset(err, 0, sizeof(*err));
}

int borch_error_set(borch_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

int borch_error_at(borch_error *err, const char *file, int line, int column)
{
    if (!err)
        return BORCH_EFAIL;
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    err->line = line;
    err->column = column;
    return err->code;
}

void borch_error_hint(borch_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
    va_end(ap);
}

void borch_error_statement(borch_error *err, const char *sql)
{
    if (!err || !sql)
        return;
    free(err->statement);
    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
        sql++;
    size_t n = strlen(sql);
    while (n > 0 && (sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\r' || sql[n - 1] == '\t'))
        n--;
    if (n > 300)
        n = 300;
    err->statement = malloc(n + 1);
    if (err->statement) {
        memcpy(err->statement, sql, n);
        err->statement[n] = '\0';
    }
}

int borch_error_exit_code(int code)
{
    switch (code) {
    case BORCH_OK:
        return 0;
    case BORCH_EUSAGE:
    case BORCH_EINPUT:
    case BORCH_EUNSUPPORTED:
        return 2;
    case BORCH_ECONNECT:
    case BORCH_ELOCK:
        return 3;
    default:
        return 1;
    }
}

const char *borch_error_format(const borch_error *err, char *buf, size_t n)
{
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, n, "%s:%d:%d: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, n, "%s:%d: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(buf, n, "%s: %s", err->file, err->message);
    else
        snprintf(buf, n, "%s", err->message);
    return buf;
}
