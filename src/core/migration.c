/*
 * migration.c - a folder of migrations: reading every file in it, joining
 * golang-migrate pairs, ordering by version, refusing two files with one
 * version, and checking borch.sum (migration_sum.c). Parsing one file is in
 * migration_parse.c.
 */
#include "core/migration_internal.h"
#include "util/fsutil.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int borch_version_cmp(const char *a, const char *b)
{
    while (*a == '0')
        a++;
    while (*b == '0')
        b++;
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

long borch_migrations_find(const borch_migration_set *set, const char *version)
{
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = borch_version_cmp(set->items[mid].version, version);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Version order; the path breaks ties so that a duplicate is reported the same way every time. */
static int migration_order(const void *pa, const void *pb)
{
    const borch_migration *a = pa, *b = pb;
    int c = borch_version_cmp(a->version, b->version);
    return c ? c : strcmp(a->path, b->path);
}

static int name_order(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* The regular files in dir, sorted by name, so errors come out in a stable order. */
static int list_files(const char *dir, borch_strv *out, borch_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        int code = errno == ENOENT || errno == ENOTDIR ? BORCH_EINPUT : BORCH_EIO;
        if (code == BORCH_EINPUT) {
            borch_error_set(err, code, "migrations folder '%s' does not exist", dir);
            borch_error_hint(err, "create it (borch-db init does) or set 'migrations:' in borch.yaml");
        } else {
            borch_error_set(err, code, "cannot read migrations folder '%s': %s", dir, strerror(errno));
        }
        return borch_error_at(err, dir, 0, 0);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = borch_path_join(dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            borch_strv_push(out, e->d_name);
        free(path);
    }
    closedir(d);
    if (out->count > 1)
        qsort(out->items, out->count, sizeof(char *), name_order);
    return 0;
}

/* Reads and parses one .sql or .up.sql file and appends it to set. */
static int load_file(borch_migration_set *set, size_t *cap, const char *path, borch_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = borch_read_file(path, &text, &len, err);
    if (rc)
        return rc;
    borch_grow((void **)&set->items, cap, set->count + 1, sizeof(*set->items));
    rc = borch_migration_parse(path, text, len, &set->items[set->count], err);
    free(text);
    if (!rc)
        set->count++;
    return rc;
}

/* Joins a .down.sql file to the .up.sql with the same <version>_<name>. */
static int attach_down(borch_migration_set *set, const char *path, borch_error *err)
{
    const char *f = borch_migration_basename(path);
    size_t stem = strlen(f) - strlen(".down.sql");
    borch_migration *m = NULL;
    for (size_t i = 0; i < set->count && !m; i++) {
        const char *up = set->items[i].up.file ? borch_migration_basename(set->items[i].up.file) : "";
        if (strlen(up) == stem + strlen(".up.sql") && strncmp(up, f, stem) == 0 &&
            strcmp(up + stem, ".up.sql") == 0)
            m = &set->items[i];
    }
    if (!m) {
        borch_error_set(err, BORCH_EINPUT, "'%s' has no matching '%.*s.up.sql'", f, (int)stem, f);
        borch_error_hint(err, "a golang-migrate pair needs both files; add the .up.sql or remove the .down.sql");
        return borch_error_at(err, path, 0, 0);
    }
    char *text = NULL;
    size_t len = 0;
    int rc = borch_read_file(path, &text, &len, err);
    if (rc)
        return rc;
    rc = borch_migration_add_down(m, path, text, len, err);
    free(text);
    return rc;
}

/* Refuses two migrations with one version (001_a.sql and 1_b.sql count as one). */
static int check_duplicates(const borch_migration_set *set, borch_error *err)
{
    for (size_t i = 1; i < set->count; i++) {
        const borch_migration *a = &set->items[i - 1], *b = &set->items[i];
        if (borch_version_cmp(a->version, b->version) != 0)
            continue;
        borch_error_set(err, BORCH_EINPUT, "version %s is used by two files: '%s' and '%s'", b->version,
                        borch_migration_basename(a->path), borch_migration_basename(b->path));
        borch_error_hint(err, "give one of them a new version (borch-db new writes a timestamp)");
        return borch_error_at(err, b->path, 0, 0);
    }
    return 0;
}

int borch_migrations_load(const char *dir, borch_migration_set *out, borch_error *err)
{
    memset(out, 0, sizeof(*out));
    out->dir = borch_xstrdup(dir);
    borch_strv files = {0}, downs = {0};
    size_t cap = 0;
    int rc = list_files(dir, &files, err);
    for (size_t i = 0; !rc && i < files.count; i++) {
        char *path = borch_path_join(dir, files.items[i]);
        int kind = 0;
        rc = borch_migration_classify(path, &kind, NULL, NULL, err);
        if (!rc && kind == BORCH_MIGRATION_DOWN)
            borch_strv_push(&downs, path);
        else if (!rc && kind != BORCH_MIGRATION_IGNORED)
            rc = load_file(out, &cap, path, err);
        free(path);
    }
    for (size_t i = 0; !rc && i < downs.count; i++)
        rc = attach_down(out, downs.items[i], err);
    if (!rc && out->count > 1)
        qsort(out->items, out->count, sizeof(*out->items), migration_order);
    if (!rc)
        rc = check_duplicates(out, err);
    if (!rc)
        rc = borch_sum_check(out, err);
    borch_strv_release(&files);
    borch_strv_release(&downs);
    if (rc)
        borch_migrations_release(out);
    return rc;
}

void borch_migrations_release(borch_migration_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        borch_migration_release(&set->items[i]);
    free(set->items);
    free(set->dir);
    free(set->sum_problem);
    memset(set, 0, sizeof(*set));
}
