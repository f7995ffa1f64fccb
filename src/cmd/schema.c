/*
 * schema.c - `schema inspect`: the live schema as the models.json document.
 * Other formats (yaml, sql, mermaid, dot) come with the schema diff work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/erd.h"
#include "core/models_json.h"
#include "core/yaml_model.h"
#include "records.h"
#include "util/fsutil.h"
#include "util/mem.h"

int cmd_schema_inspect(borch_ctx *ctx, int argc, char **argv, borch_error *err)
{
    const char *format = "json", *out_path = NULL;
    borch_opt opts[] = {{"format", 0, OPT_STR, &format},
                        {"output", 'o', OPT_STR, &out_path},
                        {NULL, 0, OPT_FLAG, NULL}};
    int rc;
    if ((rc = borch_cmd_start(ctx, opts, argc, argv, NULL, err)) < 0)
        return rc;
    static const char *const formats[] = {"json", "yaml", "sql", "mermaid", "dot"};
    int known = 0;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        known |= strcmp(format, formats[i]) == 0;
    if (!known)
        return borch_error_set(err, BORCH_EUSAGE,
                               "unknown schema format '%s' (json, yaml, sql, mermaid, dot)", format);
    if ((rc = borch_ctx_connect(ctx, err)) < 0)
        return rc;
    borch_schema *s = NULL;
    if ((rc = borch_conn_introspect(ctx->conn, &s, err)) < 0)
        return rc;
    borch_history h = {0};
    if (borch_history_load(ctx->conn, &h, err) == 0) {
        for (size_t i = h.count; i > 0; i--)
            if (strcmp(h.rows[i - 1].state, "applied") == 0) {
                s->version = borch_xstrdup(h.rows[i - 1].version);
                break;
            }
    }
    borch_history_release(&h);
    borch_error_clear(err);
    char *doc = NULL;
    if (strcmp(format, "json") == 0) {
        doc = borch_models_json_render(s);
    } else if (strcmp(format, "yaml") == 0) {
        doc = borch_yaml_model_render(s);
        if (!doc)
            rc = borch_error_set(err, BORCH_EINPUT, "the schema holds text that is not UTF-8");
    } else if (strcmp(format, "mermaid") == 0) {
        doc = borch_erd_mermaid(s);
    } else if (strcmp(format, "dot") == 0) {
        doc = borch_erd_dot(s);
    } else {
        rc = borch_render_create(s, &doc, err);
    }
    if (rc < 0) {
        free(doc);
        borch_schema_free(s);
        return rc;
    }
    if (out_path) {
        rc = borch_write_file_atomic(out_path, doc, strlen(doc), err);
        if (rc == 0 && !ctx->cli->json)
            borch_say(ctx->cli, "wrote %s", out_path);
    } else {
        fputs(doc, stdout);
    }
    free(doc);
    borch_schema_free(s);
    return rc;
}
