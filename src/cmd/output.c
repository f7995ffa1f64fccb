/*
 * output.c - how borch-db talks to people and programs: colour only on a
 * terminal, human text on stdout unless --json, warnings and errors on
 * stderr prefixed "borch-db: ", progress lines that overwrite each other.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cmd/cmd.h"
#include "util/buf.h"
#include "util/clock.h"

const char *borch_c_green(const borch_cli *cli) { return cli->color > 0 ? "\033[32m" : ""; }
const char *borch_c_red(const borch_cli *cli) { return cli->color > 0 ? "\033[31m" : ""; }
const char *borch_c_yellow(const borch_cli *cli) { return cli->color > 0 ? "\033[33m" : ""; }
const char *borch_c_dim(const borch_cli *cli) { return cli->color > 0 ? "\033[2m" : ""; }
const char *borch_c_bold(const borch_cli *cli) { return cli->color > 0 ? "\033[1m" : ""; }
const char *borch_c_reset(const borch_cli *cli) { return cli->color > 0 ? "\033[0m" : ""; }

static int json_printed;

int borch_json_printed(void)
{
    return json_printed;
}

void borch_say(const borch_cli *cli, const char *fmt, ...)
{
    if (cli->json || cli->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

void borch_warn(const borch_cli *cli, const char *fmt, ...)
{
    if (cli->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "borch-db: %swarning:%s ", cli->color_err ? "\033[33m" : "",
            cli->color_err ? "\033[0m" : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void borch_progress(const borch_cli *cli, const char *fmt, ...)
{
    if (!cli->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

void borch_progress_done(const borch_cli *cli)
{
    if (cli->progress)
        fputs("\r\033[K", stderr);
}

void borch_print_error(const borch_cli *cli, const borch_error *err)
{
    char line[2048];
    borch_error_format(err, line, sizeof(line));
    fprintf(stderr, "borch-db: %serror:%s %s\n", cli->color_err ? "\033[31m" : "",
            cli->color_err ? "\033[0m" : "", line);
    if (err->statement && !cli->quiet)
        fprintf(stderr, "  statement: %s\n", err->statement);
    if (err->hint[0] && !cli->quiet)
        fprintf(stderr, "  hint: %s\n", err->hint);
}

void borch_print_json(json_t *doc)
{
    json_printed = 1;
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    json_decref(doc);
}

void borch_xml_escape(borch_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': borch_buf_puts(b, "&lt;"); break;
        case '>': borch_buf_puts(b, "&gt;"); break;
        case '&': borch_buf_puts(b, "&amp;"); break;
        case '"': borch_buf_puts(b, "&quot;"); break;
        case '\'': borch_buf_puts(b, "&apos;"); break;
        default:
            /* XML 1.0 has no place for other control characters. */
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                borch_buf_putc(b, *s);
        }
    }
}

const char *borch_now_utc(char *buf, size_t n)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, n, "%s.%03ldZ", base, (long)(tv.tv_usec / 1000));
    return buf;
}

long long borch_now_ms(void)
{
    return borch_clock_ms();
}
