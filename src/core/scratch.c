/*
 * scratch.c - throwaway databases that never outlive the command. Each open
 * one is recorded in a small registry; atexit and a SIGINT/SIGTERM handler
 * drop whatever is still recorded. The handler runs the driver's drop,
 * which is not async-signal-safe: it is the last thing the process does,
 * bounded by an alarm, and the worst case is the database left behind,
 * which is what would happen without it.
 */
#include "core/scratch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

#define MAX_SCRATCH 8

/* What the exit paths need to drop one database; strings owned here. */
static struct {
    borch_url *server;
    char *url;
} registry[MAX_SCRATCH];
static int handlers_installed;

static void drop_all(void)
{
    for (int i = 0; i < MAX_SCRATCH; i++) {
        if (!registry[i].url)
            continue;
        borch_error e = {0};
        borch_scratch_drop(registry[i].server, registry[i].url, &e);
        borch_error_clear(&e);
        free(registry[i].url);
        registry[i].url = NULL;
        borch_url_free(registry[i].server);
        registry[i].server = NULL;
    }
}

static void on_signal(int sig)
{
    alarm(15); /* a drop that hangs must not keep the process alive */
    drop_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    atexit(drop_all);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Blocks SIGINT/SIGTERM while the registry changes, so the handler never sees half an entry. */
static void block(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigprocmask(SIG_BLOCK, &s, old);
}

/* The scratch server for target: server_spec, else the target's own. */
static int server_of(const borch_url *target, const char *server_spec, borch_url **out,
                     borch_error *err)
{
    int rc;
    if (server_spec && *server_spec) {
        if ((rc = borch_url_parse(server_spec, NULL, out, err)) < 0)
            return rc;
        if (strcmp((*out)->scheme, target->scheme) != 0) {
            rc = borch_error_set(err, BORCH_EINPUT,
                                 "the scratch server is %s but the target is %s: "
                                 "throwaway databases must be of the target's engine",
                                 (*out)->scheme, target->scheme);
            borch_url_free(*out);
            *out = NULL;
            return rc;
        }
        return 0;
    }
    return borch_url_parse(target->raw, NULL, out, err);
}

/* Connects s to its database. */
static int connect_scratch(borch_scratch *s, const borch_conn_opts *opts, borch_error *err)
{
    borch_url *su = NULL;
    int rc = borch_url_parse(s->url, NULL, &su, err);
    if (rc == 0) {
        borch_conn_opts o = opts ? *opts : (borch_conn_opts){0};
        o.create = 1;
        rc = borch_conn_open(su, &o, &s->conn, err);
        borch_url_free(su);
    }
    return rc;
}

/*
 * Makes the database (a fresh one, or a copy of copy_from) and registers it
 * before anything else can happen, with the signals blocked meanwhile.
 */
static int open_with(const borch_url *target, const char *server_spec, const char *copy_from,
                     const borch_conn_opts *opts, borch_scratch **out, borch_error *err)
{
    *out = NULL;
    borch_url *server = NULL;
    int rc = server_of(target, server_spec, &server, err);
    if (rc < 0)
        return rc;
    const borch_driver *d = NULL;
    if (copy_from && ((rc = borch_driver_for_scheme(server->scheme, &d, err)) < 0 ||
                      !d->scratch_copy)) {
        borch_url_free(server);
        return rc < 0 ? rc
                      : borch_error_set(err, BORCH_EUNSUPPORTED,
                                        "copying databases is not supported by the %s driver",
                                        server->scheme);
    }
    install_handlers();
    borch_scratch *s = borch_xcalloc(1, sizeof(*s));
    s->server = server;
    s->slot = -1;
    sigset_t old;
    block(&old);
    rc = copy_from ? d->scratch_copy(server, copy_from, NULL, &s->url, err)
                   : borch_scratch_create(server, &s->url, err);
    if (rc == 0) {
        for (int i = 0; i < MAX_SCRATCH; i++) {
            if (!registry[i].url) {
                borch_url_parse(server->raw, NULL, &registry[i].server, NULL);
                registry[i].url = borch_xstrdup(s->url);
                s->slot = i;
                break;
            }
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (rc < 0) {
        borch_url_free(server);
        free(s);
        return rc;
    }
    s->url_masked = borch_url_mask(s->url);
    if ((rc = connect_scratch(s, opts, err)) < 0) {
        borch_scratch_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int borch_scratch_open(const borch_url *target, const char *server_spec,
                       const borch_conn_opts *opts, borch_scratch **out, borch_error *err)
{
    return open_with(target, server_spec, NULL, opts, out, err);
}

int borch_scratch_open_copy(const borch_url *target, const char *server_spec,
                            const char *from_db, const borch_conn_opts *opts,
                            borch_scratch **out, borch_error *err)
{
    return open_with(target, server_spec, from_db, opts, out, err);
}

int borch_scratch_save_copy(borch_scratch *s, const char *name, const borch_conn_opts *opts,
                            borch_error *err)
{
    const borch_driver *d = NULL;
    int rc = borch_driver_for_scheme(s->server->scheme, &d, err);
    if (rc < 0)
        return rc;
    if (!d->scratch_copy)
        return borch_error_set(err, BORCH_EUNSUPPORTED,
                               "copying databases is not supported by the %s driver", d->name);
    borch_url *su = NULL;
    if ((rc = borch_url_parse(s->url, NULL, &su, err)) < 0)
        return rc;
    /* A template may have no connections: step out, copy, step back in. */
    borch_conn_close(s->conn);
    s->conn = NULL;
    char *saved = NULL;
    rc = d->scratch_copy(s->server, su->database, name, &saved, err);
    free(saved);
    borch_url_free(su);
    borch_error e2 = {0};
    int rc2 = connect_scratch(s, opts, rc < 0 ? &e2 : err);
    borch_error_clear(&e2);
    return rc < 0 ? rc : rc2;
}

/* Forgets s: closes its connection, drops it unless keep, frees it. */
static void finish(borch_scratch *s, int keep)
{
    if (!s)
        return;
    borch_conn_close(s->conn);
    if (!keep) {
        borch_error e = {0};
        borch_scratch_drop(s->server, s->url, &e);
        borch_error_clear(&e);
    }
    sigset_t old;
    block(&old);
    if (s->slot >= 0) {
        free(registry[s->slot].url);
        registry[s->slot].url = NULL;
        borch_url_free(registry[s->slot].server);
        registry[s->slot].server = NULL;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(s->url);
    free(s->url_masked);
    borch_url_free(s->server);
    free(s);
}

void borch_scratch_close(borch_scratch *s)
{
    finish(s, 0);
}

void borch_scratch_keep(borch_scratch *s)
{
    finish(s, 1);
}
