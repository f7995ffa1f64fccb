/*
 * main.c - the command table and dispatch. Commands are data, as in git and
 * Redis: a name (one or two words), a handler, and flags saying what shared
 * setup the runner does before the handler runs. Exit codes come from the
 * error code only here (SPEC: 0 ok, 1 check failed, 2 bad input, 3 database
 * unreachable or lock timeout).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd/cmd.h"

static const borch_command commands[] = {
    {"init", cmd_init, 0, "write borch.yaml and migrations/ from the templates"},
    {"new", cmd_new, CMD_CONFIG, "write a new migration file"},
    {"migrate up", cmd_migrate_up, CMD_TARGET | CMD_MIGRATIONS, "apply pending migrations"},
    {"migrate down", cmd_migrate_down, CMD_TARGET | CMD_MIGRATIONS, "roll back applied migrations"},
    {"migrate hash", cmd_migrate_hash, CMD_CONFIG | CMD_MIGRATIONS, "rewrite migrations/borch.sum"},
    {"rollback", cmd_rollback, CMD_TARGET | CMD_MIGRATIONS, "the same as migrate down"},
    {"status", cmd_status, CMD_TARGET | CMD_MIGRATIONS, "list applied, pending, changed, missing and dirty migrations"},
    {"validate", cmd_validate, CMD_TARGET | CMD_MIGRATIONS, "fail if an applied migration's file changed or is missing"},
    {"baseline", cmd_baseline, CMD_TARGET | CMD_MIGRATIONS, "record an existing database as being at a version"},
    {"repair", cmd_repair, CMD_TARGET | CMD_MIGRATIONS, "clear dirty records and realign checksums"},
    {"schema inspect", cmd_schema_inspect, CMD_TARGET, "print the live schema"},
    {"audit show", cmd_audit_show, CMD_CONFIG, "print the audit trail"},
    {"audit verify", cmd_audit_verify, CMD_TARGET, "check the audit trail's hash chain"},
    {"drivers", cmd_drivers, 0, "list the database drivers this build has"},
    {"diff", cmd_diff, CMD_TARGET, "print the DDL that turns one schema source into another"},
    {"pipeline", cmd_pipeline, CMD_TARGET | CMD_MIGRATIONS, "the CI migration stage: validate, lint, rehearse, plan, apply, record, check drift"},
    {"lint", cmd_lint, CMD_TARGET | CMD_MIGRATIONS, "flag unsafe or irreversible migrations"},
    {"advise-indexes", cmd_advise_indexes, CMD_TARGET, "suggest indexes from the query plans of a workload"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: borch-db [-c FILE] [-e ENV] [-u URL] [-d DIR] [--json] [-q|-v] [--no-color] "
               "COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit codes: 0 ok, 1 a check or migration failed, 2 bad usage or input, "
               "3 database unreachable or lock timeout\n");
}

/* Finds the command named by argv's first one or two words; *used gets how many. */
static const borch_command *find_command(int argc, char **argv, int *used)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const char *name = commands[i].name;
        const char *sp = strchr(name, ' ');
        if (!sp) {
            if (strcmp(argv[0], name) == 0) {
                *used = 1;
                return &commands[i];
            }
            continue;
        }
        size_t n = (size_t)(sp - name);
        if (strlen(argv[0]) == n && strncmp(argv[0], name, n) == 0 && argc > 1 &&
            strcmp(argv[1], sp + 1) == 0) {
            *used = 2;
            return &commands[i];
        }
    }
    return NULL;
}

/* Global flags before the command; returns the index of the command word. */
static int parse_globals(borch_cli *cli, int argc, char **argv, borch_error *err)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "-") != 0) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return -1;
        if (strcmp(argv[i], "--version") == 0)
            return -2;
        /* Parse one option (and its value) with the shared parser. */
        int take = 1;
        const char *a = argv[i];
        int has_value = (strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0 || strcmp(a, "-u") == 0 ||
                         strcmp(a, "-d") == 0 || strcmp(a, "--config") == 0 ||
                         strcmp(a, "--env") == 0 || strcmp(a, "--url") == 0 ||
                         strcmp(a, "--dir") == 0 || strcmp(a, "--lock-timeout") == 0);
        if (has_value && i + 1 < argc)
            take = 2;
        int npos = 0;
        if (borch_opts_parse(cli, NULL, take, argv + i, &npos, err) < 0)
            return BORCH_EUSAGE - 100;
        i += take;
    }
    return i;
}

int main(int argc, char **argv)
{
    borch_cli cli = {0};
    cli.lock_timeout_s = -1;
    borch_error err = {0};
    signal(SIGPIPE, SIG_IGN);

    int at = parse_globals(&cli, argc, argv, &err);
    if (at == -1) {
        usage(stdout);
        return 0;
    }
    if (at == -2) {
        printf("borch-db %s\n", BORCH_VERSION);
        return 0;
    }
    if (at < 0) {
        borch_print_error(&cli, &err);
        return 2;
    }
    if (at >= argc) {
        usage(stderr);
        return 2;
    }
    int used = 0;
    const borch_command *cmd = find_command(argc - at, argv + at, &used);
    if (!cmd) {
        fprintf(stderr, "borch-db: error: unknown command '%s'\n", argv[at]);
        fprintf(stderr, "  hint: run 'borch-db --help' for the list\n");
        return 2;
    }
    int sub_argc = argc - at - used;
    char **sub_argv = argv + at + used;
    for (int i = 0; i < sub_argc; i++)
        if (strcmp(sub_argv[i], "--help") == 0 || strcmp(sub_argv[i], "-h") == 0) {
            printf("usage: borch-db %s ...\n  %s\n(see docs/commands.md)\n", cmd->name, cmd->summary);
            return 0;
        }

    borch_ctx ctx = {0};
    ctx.cli = &cli;
    ctx.command = cmd->name;
    ctx.flags = cmd->flags;
    int rc = cmd->fn(&ctx, sub_argc, sub_argv, &err);
    if (rc < 0) {
        borch_print_error(&cli, &err);
        /* --json promises one document on stdout, failures included. */
        if (cli.json && !borch_json_printed()) {
            char line[2048];
            json_t *e = json_pack("{s:s, s:i}", "message", err.message, "exit_code",
                                  borch_error_exit_code(rc));
            if (err.file[0])
                json_object_set_new(e, "file", json_string(err.file));
            if (err.line)
                json_object_set_new(e, "line", json_integer(err.line));
            if (err.statement)
                json_object_set_new(e, "statement", json_string(err.statement));
            json_object_set_new(e, "text", json_string(borch_error_format(&err, line, sizeof(line))));
            borch_print_json(json_pack("{s:s, s:b, s:o}", "command", cmd->name, "ok", 0, "error", e));
        }
    }
    borch_ctx_release(&ctx);
    int code = rc < 0 ? borch_error_exit_code(rc) : rc;
    borch_error_clear(&err);
    return code;
}
