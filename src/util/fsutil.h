/*
 * fsutil.h - small file helpers: whole-file reads, atomic writes (temp file,
 * fsync, rename), making parent folders, path joins.
 */
#ifndef BORCH_FSUTIL_H
#define BORCH_FSUTIL_H

#include <stddef.h>

#include "util/error.h"

/* Reads path into a malloc'd NUL-terminated buffer; *len gets its size. */
int borch_read_file(const char *path, char **out, size_t *len, borch_error *err);
/* Writes data to path atomically; makes parent folders. */
int borch_write_file_atomic(const char *path, const char *data, size_t len, borch_error *err);
/* mkdir -p of the folder that will hold path. */
int borch_mkdir_parents(const char *path, borch_error *err);
int borch_mkdir_p(const char *dir, borch_error *err);
/* dir + "/" + name, or name alone when it is absolute or dir is NULL/"". malloc'd. */
char *borch_path_join(const char *dir, const char *name);
/* The folder part of path ("." when none). malloc'd. */
char *borch_path_dir(const char *path);
int borch_file_exists(const char *path);
int borch_dir_exists(const char *path);

#endif
