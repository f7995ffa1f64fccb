/*
 * yaml_error.h - libyaml's parser errors as borch_error, with file:line:column,
 * for every reader of YAML (borch.yaml, YAML schema models).
 */
#ifndef BORCH_YAML_ERROR_H
#define BORCH_YAML_ERROR_H

#include <stddef.h>
#include <yaml.h>

#include "util/error.h"

/*
 * Describes the parser's error state (text/len is what it read, file names
 * it in the message) and returns BORCH_EINPUT, or BORCH_ENOMEM.
 */
int borch_yaml_parser_error(const yaml_parser_t *parser, const char *text, size_t len,
                            const char *file, borch_error *err);

#endif
