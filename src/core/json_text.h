/*
 * json_text.h - JSON strings from text that may not be valid UTF-8.
 *
 * jansson refuses invalid UTF-8 (json_string returns NULL), which would
 * silently drop a value. Database error messages and names can come in
 * another encoding (a latin1 MySQL server), so every string that reaches an
 * audit record or models.json goes through here.
 */
#ifndef BORCH_JSON_TEXT_H
#define BORCH_JSON_TEXT_H

#include <jansson.h>

/*
 * A new JSON string for s, with every byte that does not begin a valid UTF-8
 * sequence replaced by U+FFFD; JSON null when s is NULL. Never NULL.
 */
json_t *borch_json_text(const char *s);

#endif
