/* yaml_error.c - libyaml parser errors with positions; see yaml_error.h. */
#include "util/yaml_error.h"

/* 1-based line and column of a byte offset (reader errors carry only an offset). */
static void offset_position(const char *text, size_t len, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int borch_yaml_parser_error(const yaml_parser_t *parser, const char *text, size_t len,
                            const char *file, borch_error *err)
{
    if (parser->error == YAML_MEMORY_ERROR)
        return borch_error_set(err, BORCH_ENOMEM, "out of memory reading %s", file);
    const char *problem = parser->problem ? parser->problem : "unknown error";
    int line, col;
    if (parser->error == YAML_READER_ERROR) {
        offset_position(text, len, parser->problem_offset, &line, &col);
    } else {
        line = (int)parser->problem_mark.line + 1;
        col = (int)parser->problem_mark.column + 1;
    }
    if (parser->error != YAML_READER_ERROR && parser->context)
        borch_error_set(err, BORCH_EINPUT, "malformed YAML: %s (%s at line %d, column %d)", problem,
                        parser->context, (int)parser->context_mark.line + 1,
                        (int)parser->context_mark.column + 1);
    else
        borch_error_set(err, BORCH_EINPUT, "malformed YAML: %s", problem);
    borch_error_at(err, file, line, col);
    return BORCH_EINPUT;
}
