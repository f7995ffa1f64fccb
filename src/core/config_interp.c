/*
 * config_interp.c - ${VAR} interpolation of borch.yaml string values.
 *
 * Only "${" and "$$" are special: a '$' followed by anything else stays as
 * it is, so a password like "pa$word" in a literal URL survives untouched.
 * Messages name the variable and the key, never the value: an interpolated
 * value is usually a URL with a password in it.
 */
#include "core/config_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static int is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/*
 * Expands one "${...}" whose body (between the braces) is body[0..n). Kept
 * apart from the scanning loop so the loop reads as "copy or expand".
 */
static int expand_ref(borch_buf *b, const char *body, size_t n, const char *key_path,
                      borch_error *err)
{
    size_t i = 0;
    if (n == 0 || !is_name_start(body[0]))
        return borch_error_set(err, BORCH_EINPUT,
                               "bad variable reference in '%s': expected ${NAME} or ${NAME:-default}",
                               key_path);
    while (i < n && is_name_char(body[i]))
        i++;
    char *name = borch_xstrndup(body, i);
    const char *def = NULL;
    size_t def_len = 0;
    if (i < n) {
        if (n - i < 2 || body[i] != ':' || body[i + 1] != '-') {
            free(name);
            return borch_error_set(err, BORCH_EINPUT,
                                   "bad variable reference in '%s': expected ${NAME} or ${NAME:-default}",
                                   key_path);
        }
        def = body + i + 2;
        def_len = n - i - 2;
    }
    const char *val = getenv(name);
    if (def && (!val || !val[0])) {
        /* Like the shell's ${VAR:-x}: unset or empty takes the default. */
        borch_buf_append(b, def, def_len);
    } else if (val) {
        borch_buf_puts(b, val);
    } else {
        borch_error_set(err, BORCH_EINPUT,
                        "environment variable '%s' is not set (used by '%s')", name, key_path);
        borch_error_hint(err, "export %s, or write ${%s:-default} in the config", name, name);
        free(name);
        return BORCH_EINPUT;
    }
    free(name);
    return 0;
}

int borch_config_interpolate(const char *text, size_t len, const char *key_path, char **out,
                             borch_error *err)
{
    borch_buf b;
    borch_buf_init(&b);
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '$' && i + 1 < len && text[i + 1] == '$') {
            borch_buf_putc(&b, '$');
            i += 2;
        } else if (c == '$' && i + 1 < len && text[i + 1] == '{') {
            const char *body = text + i + 2;
            const char *close = memchr(body, '}', len - i - 2);
            if (!close) {
                borch_buf_release(&b);
                return borch_error_set(err, BORCH_EINPUT, "unterminated '${' in '%s'", key_path);
            }
            int rc = expand_ref(&b, body, (size_t)(close - body), key_path, err);
            if (rc) {
                borch_buf_release(&b);
                return rc;
            }
            i = (size_t)(close - text) + 1;
        } else {
            borch_buf_putc(&b, c);
            i++;
        }
    }
    *out = borch_buf_detach(&b);
    borch_buf_release(&b);
    return 0;
}
