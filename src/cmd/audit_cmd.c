/*
 * audit_cmd.c - `audit show` and `audit verify`: print and check the audit
 * trail, the JSONL file and (for verify) the target's borch_audit table.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/audit.h"
#include "records.h"
#include "util/buf.h"
#include "util/mem.h"

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "-";
}

int cmd_audit_show(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int limit = 0;
    borch_opt opts[] = {{"limit", 'n', OPT_INT, &limit}, {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    borch_strv lines = {0};
    if ((rc = borch_audit_read_file(ctx->cfg->audit, &lines, err)) < 0)
        return rc;
    size_t from = limit > 0 && lines.count > (size_t)limit ? lines.count - (size_t)limit : 0;
    json_t *arr = json_array();
    if (!ctx->cli->json && !ctx->cli->quiet)
        printf("%s%-5s %-24s %-9s %-16s %-7s %-20s %s%s\n", borch_c_bold(ctx->cli), "SEQ", "AT",
               "ACTION", "VERSION", "OUTCOME", "ACTOR", "COMMAND", borch_c_reset(ctx->cli));
    for (size_t i = from; i < lines.count; i++) {
        json_error_t je;
        json_t *r = json_loads(lines.items[i], 0, &je);
        if (!r) {
            borch_warn(ctx->cli, "%s:%zu: not a JSON record", ctx->cfg->audit, i + 1);
            continue;
        }
        if (ctx->cli->json) {
            json_array_append(arr, r);
        } else if (!ctx->cli->quiet) {
            const char *outcome = jstr(r, "outcome");
            int ok = strcmp(outcome, "ok") == 0;
            printf("%-5lld %-24s %-9s %-16s %s%-7s%s %-20s %s\n",
                   (long long)json_integer_value(json_object_get(r, "seq")), jstr(r, "at"),
                   jstr(r, "action"), jstr(r, "version"),
                   ok ? borch_c_green(ctx->cli) : borch_c_red(ctx->cli), outcome,
                   borch_c_reset(ctx->cli), jstr(r, "actor"), jstr(r, "command"));
            if (!ok && json_is_string(json_object_get(r, "error")))
                printf("      %s%s%s\n", borch_c_dim(ctx->cli), jstr(r, "error"),
                       borch_c_reset(ctx->cli));
        }
        json_decref(r);
    }
    if (ctx->cli->json)
        borch_print_json(json_pack("{s:s, s:s, s:o}", "command", "audit show", "file",
                                   ctx->cfg->audit, "records", arr));
    else
        json_decref(arr);
    borch_strv_release(&lines);
    return 0;
}

int cmd_audit_verify(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    int file_only = 0;
    borch_opt opts[] = {{"file-only", 0, OPT_FLAG, &file_only}, {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    borch_strv lines = {0};
    if ((rc = borch_audit_read_file(ctx->cfg->audit, &lines, err)) < 0)
        return rc;
    borch_buf file_out, table_out;
    borch_buf_init(&file_out);
    borch_buf_init(&table_out);
    size_t file_bad = borch_audit_verify_lines((const char *const *)lines.items, lines.count,
                                               &file_out);
    size_t table_bad = 0, table_n = 0;
    if (!file_only) {
        if ((rc = borch_ctx_connect(ctx, err)) < 0)
            goto done;
        borch_audit_row *rows = NULL;
        if ((rc = borch_audit_table_load(ctx->conn, &rows, &table_n, err)) < 0)
            goto done;
        const char **recs = borch_xcalloc(table_n + 1, sizeof(char *));
        /* The table keeps the hashed record and the hash apart: rebuild lines. */
        char **owned = borch_xcalloc(table_n + 1, sizeof(char *));
        for (size_t i = 0; i < table_n; i++) {
            json_error_t je;
            json_t *r = json_loads(rows[i].record ? rows[i].record : "", 0, &je);
            if (r) {
                json_object_set_new(r, "hash", json_string(rows[i].hash ? rows[i].hash : ""));
                owned[i] = json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT);
                json_decref(r);
            } else {
                owned[i] = borch_xstrdup(rows[i].record ? rows[i].record : "");
            }
            recs[i] = owned[i];
        }
        table_bad = borch_audit_verify_lines(recs, table_n, &table_out);
        for (size_t i = 0; i < table_n; i++)
            free(owned[i]);
        free(owned);
        free(recs);
        borch_audit_rows_free(rows, table_n);
    }
    int ok = file_bad == 0 && table_bad == 0;
    if (ctx->cli->json) {
        borch_print_json(json_pack("{s:s, s:b, s:{s:s, s:I, s:I, s:s}, s:{s:b, s:I, s:I, s:s}}",
                                   "command", "audit verify", "ok", ok, "file", "path",
                                   ctx->cfg->audit, "records", (json_int_t)lines.count, "problems",
                                   (json_int_t)file_bad, "report", file_out.data, "table",
                                   "checked", !file_only, "records", (json_int_t)table_n,
                                   "problems", (json_int_t)table_bad, "report", table_out.data));
    } else {
        if (file_bad)
            printf("%s%s: %zu problem%s%s\n%s", borch_c_red(ctx->cli), ctx->cfg->audit, file_bad,
                   file_bad == 1 ? "" : "s", borch_c_reset(ctx->cli), file_out.data);
        else
            borch_say(ctx->cli, "%sok%s %s: %zu records, hash chain intact",
                      borch_c_green(ctx->cli), borch_c_reset(ctx->cli), ctx->cfg->audit,
                      lines.count);
        if (!file_only && table_bad)
            printf("%sborch_audit table: %zu problem%s%s\n%s", borch_c_red(ctx->cli), table_bad,
                   table_bad == 1 ? "" : "s", borch_c_reset(ctx->cli), table_out.data);
        else if (!file_only)
            borch_say(ctx->cli, "%sok%s borch_audit table in %s: %zu records, hash chain intact",
                      borch_c_green(ctx->cli), borch_c_reset(ctx->cli), ctx->url_masked, table_n);
    }
    rc = ok ? 0 : 1;
done:
    borch_buf_release(&file_out);
    borch_buf_release(&table_out);
    borch_strv_release(&lines);
    return rc;
}
