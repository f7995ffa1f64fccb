/*
 * scratch.c - throwaway databases for SQLite: a fresh empty file under
 * $TMPDIR (or /tmp), named borch-scratch-XXXXXX.db so that drop can refuse
 * to delete anything it did not make.
 */
#include "sqlite_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"

#define SCRATCH_PREFIX "borch-scratch-"

int borch_sqlite_scratch_create(const borch_url *server, char **out_url, borch_error *err)
{
    (void)server; /* a file needs no server */
    *out_url = NULL;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char dir[PATH_MAX];
    if (!realpath(tmp, dir))
        return borch_error_set(err, BORCH_EIO, "cannot use temporary folder '%s': %s", tmp,
                               strerror(errno));
    borch_buf path;
    borch_buf_init(&path);
    borch_buf_printf(&path, "%s/" SCRATCH_PREFIX "XXXXXX.db", dir);
    int fd = mkstemps(path.data, 3);
    if (fd < 0) {
        int rc = borch_error_set(err, BORCH_EIO, "cannot create a throwaway database in '%s': %s",
                                 dir, strerror(errno));
        borch_buf_release(&path);
        return rc;
    }
    close(fd); /* SQLite takes an empty file for a new database */
    borch_buf url;
    borch_buf_init(&url);
    borch_buf_printf(&url, "sqlite://%s", path.data);
    borch_buf_release(&path);
    *out_url = borch_buf_detach(&url);
    borch_buf_release(&url);
    return 0;
}

/* The file path of a scratch URL ("sqlite:///abs" or "sqlite:/abs"), borrowed. */
static const char *scratch_path(const char *url)
{
    if (strncmp(url, "sqlite://", 9) == 0)
        return url + 9;
    if (strncmp(url, "sqlite:", 7) == 0)
        return url + 7;
    return url;
}

int borch_sqlite_scratch_drop(const borch_url *server, const char *scratch_url, borch_error *err)
{
    (void)server;
    const char *path = scratch_path(scratch_url);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) != 0)
        return borch_error_set(err, BORCH_EINPUT,
                               "refusing to remove '%s': not a throwaway database", path);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", "-borch.lock"};
    int rc = 0;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        borch_buf f;
        borch_buf_init(&f);
        borch_buf_printf(&f, "%s%s", path, suffixes[i]);
        if (unlink(f.data) != 0 && errno != ENOENT && rc == 0)
            rc = borch_error_set(err, BORCH_EIO, "cannot remove '%s': %s", f.data,
                                 strerror(errno));
        borch_buf_release(&f);
    }
    return rc;
}
