/* fsutil.c - file helpers; see fsutil.h. */
#include "util/fsutil.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int borch_read_file(const char *path, char **out, size_t *len, borch_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int code = errno == ENOENT ? BORCH_EINPUT : BORCH_EIO;
        borch_error_set(err, code, "cannot read '%s': %s", path, strerror(errno));
        return code;
    }
    size_t cap = 4096, n = 0;
    char *buf = borch_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = borch_xrealloc(buf, cap);
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return borch_error_set(err, BORCH_EIO, "cannot read '%s'", path);
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return 0;
}

int borch_mkdir_p(const char *dir, borch_error *err)
{
    char *p = borch_xstrdup(dir);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                borch_error_set(err, BORCH_EIO, "cannot create folder '%s': %s", p, strerror(errno));
                free(p);
                return BORCH_EIO;
            }
            p[i] = c;
        }
    }
    free(p);
    return 0;
}

int borch_mkdir_parents(const char *path, borch_error *err)
{
    char *d = borch_path_dir(path);
    int rc = strcmp(d, ".") == 0 ? 0 : borch_mkdir_p(d, err);
    free(d);
    return rc;
}

int borch_write_file_atomic(const char *path, const char *data, size_t len, borch_error *err)
{
    int rc = borch_mkdir_parents(path, err);
    if (rc)
        return rc;
    size_t n = strlen(path) + 32;
    char *tmp = borch_xmalloc(n);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        borch_error_set(err, BORCH_EIO, "cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return BORCH_EIO;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        off += (size_t)w;
    }
    int ok = off == len && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        borch_error_set(err, BORCH_EIO, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return BORCH_EIO;
    }
    free(tmp);
    return 0;
}

char *borch_path_join(const char *dir, const char *name)
{
    if (!name)
        return NULL;
    if (name[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return borch_xstrdup(name);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = borch_xmalloc(n);
    snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return p;
}

char *borch_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return borch_xstrdup(".");
    if (slash == path)
        return borch_xstrdup("/");
    return borch_xstrndup(path, (size_t)(slash - path));
}

int borch_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int borch_dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
