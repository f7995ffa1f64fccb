/*
 * models_json.h - the schema model as the SPEC's models.json document
 * ("format": "borch-models/1") and back. Output is deterministic: same model,
 * same bytes (sorted keys, sorted objects, two-space indent, final newline).
 */
#ifndef BORCH_MODELS_JSON_H
#define BORCH_MODELS_JSON_H

#include "core/model.h"
#include "util/error.h"

/* Renders s (sorted first on a copy, s is not changed); malloc'd text. */
char *borch_models_json_render(const borch_schema *s);
/* Writes the document to path atomically (temp file, fsync, rename). */
int borch_models_json_write(const borch_schema *s, const char *path, borch_error *err);
/* Reads a models.json file into a new model; BORCH_EINPUT with file:line on bad input. */
int borch_models_json_read(const char *path, borch_schema **out, borch_error *err);
int borch_models_json_parse(const char *text, const char *path, borch_schema **out,
                            borch_error *err);

#endif
