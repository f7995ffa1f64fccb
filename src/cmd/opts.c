/*
 * opts.c - one option parser for every command, table-driven as in git's
 * parse-options: the command lists its options, the global ones are always
 * accepted, anywhere on the line.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

/* Global options, bound to the cli struct at parse time. */
static int global_opt(borch_cli *cli, const char *name, char short_name, int *takes_value,
                      const char ***str_dest, int **flag_dest)
{
    static const struct {
        const char *name;
        char short_name;
        int value;
    } globals[] = {
        {"config", 'c', 1}, {"env", 'e', 1},   {"url", 'u', 1},        {"dir", 'd', 1},
        {"json", 0, 0},     {"quiet", 'q', 0}, {"verbose", 'v', 0},    {"no-color", 0, 0},
        {"lock-timeout", 0, 1},
    };
    for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
        if ((name && strcmp(name, globals[i].name) == 0) ||
            (!name && short_name && short_name == globals[i].short_name)) {
            *takes_value = globals[i].value;
            *str_dest = NULL;
            *flag_dest = NULL;
            switch (i) {
            case 0: *str_dest = &cli->ov.config_path; break;
            case 1: *str_dest = &cli->ov.env_name; break;
            case 2: *str_dest = &cli->ov.url; break;
            case 3: *str_dest = &cli->ov.migrations; break;
            case 4: *flag_dest = &cli->json; break;
            case 5: *flag_dest = &cli->quiet; break;
            case 6: *flag_dest = &cli->verbose; break;
            case 7: *flag_dest = &cli->color; break; /* cleared below */
            case 8: *flag_dest = &cli->lock_timeout_s; break;
            }
            return (int)i;
        }
    }
    return -1;
}

/* Stores value into an option's destination; numbers must be whole and >= 0. */
static int store(const char *label, enum borch_opt_kind kind, void *dest, const char *value,
                 borch_error *err)
{
    if (kind == OPT_STR) {
        *(const char **)dest = value;
        return 0;
    }
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < 0 || v > 1000000000)
        return borch_error_set(err, BORCH_EUSAGE, "option '%s' takes a whole number, not '%s'",
                               label, value);
    *(int *)dest = (int)v;
    return 0;
}

int borch_opts_parse(borch_cli *cli, const borch_opt *opts, int argc, char **argv, int *npos,
                     borch_error *err)
{
    char **pos = calloc((size_t)argc + 1, sizeof(char *));
    int np = 0, only_pos = 0;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            pos[np++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        const char *name = NULL;
        char short_name = 0;
        const char *inline_val = NULL;
        char namebuf[64];
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (n >= sizeof(namebuf))
                n = sizeof(namebuf) - 1;
            memcpy(namebuf, a + 2, n);
            namebuf[n] = '\0';
            name = namebuf;
            inline_val = eq ? eq + 1 : NULL;
        } else {
            short_name = a[1];
            inline_val = a[2] ? a + 2 : NULL;
        }
        const borch_opt *o = NULL;
        for (size_t k = 0; opts && opts[k].name; k++)
            if ((name && strcmp(name, opts[k].name) == 0) ||
                (!name && short_name && opts[k].short_name == short_name))
                o = &opts[k];
        int takes_value = 0;
        const char **gstr = NULL;
        int *gflag = NULL;
        int g = o ? -1 : global_opt(cli, name, short_name, &takes_value, &gstr, &gflag);
        if (!o && g < 0) {
            rc = borch_error_set(err, BORCH_EUSAGE, "unknown option '%s'", a);
            break;
        }
        int needs = o ? o->kind != OPT_FLAG : takes_value;
        const char *label = name ? name : (char[]){short_name, 0};
        if (!needs) {
            if (inline_val && name) {
                rc = borch_error_set(err, BORCH_EUSAGE, "option '--%s' takes no value", name);
                break;
            }
            if (o)
                *(int *)o->dest = 1;
            else if (g == 7)
                cli->color = -1; /* --no-color: resolved by main */
            else
                *gflag = 1;
            continue;
        }
        const char *val = inline_val;
        if (!val) {
            if (i + 1 >= argc) {
                rc = borch_error_set(err, BORCH_EUSAGE, "option '%s' needs a value", a);
                break;
            }
            val = argv[++i];
        }
        if (o)
            rc = store(label, o->kind, o->dest, val, err);
        else if (gstr)
            *gstr = val;
        else
            rc = store(label, OPT_INT, gflag, val, err);
    }
    if (rc == 0) {
        for (int i = 0; i < np; i++)
            argv[i] = pos[i];
        *npos = np;
    }
    free(pos);
    return rc;
}
