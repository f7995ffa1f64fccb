/*
 * migration_parse.c - one migration file: its name (<version>_<name>.sql,
 * .up.sql, .down.sql), its `-- +borch` directives and the up/down sections
 * they mark. The format is described in docs/migrations.md.
 *
 * Layout: file names, then directive lines, then the single-file parser,
 * then the golang-migrate pair halves, then release.
 *
 * Sections are cut from the normalized text (LF endings, no BOM) and keep
 * every line between their directive and the next section directive, so a
 * line N lines into a section is line first_line + N of the file; that is
 * why `lint:ignore` lines stay in the section text (they are SQL comments).
 */
#include "core/migration_internal.h"
#include "util/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *borch_migration_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int borch_migration_classify(const char *path, int *kind, char **version, char **name, borch_error *err)
{
    const char *f = borch_migration_basename(path);
    *kind = BORCH_MIGRATION_IGNORED;
    if (f[0] == '.' || strncasecmp(f, "readme", 6) == 0 || !ends_with(f, ".sql"))
        return 0;
    int k = BORCH_MIGRATION_SINGLE;
    size_t cut = 4;
    if (ends_with(f, ".up.sql")) {
        k = BORCH_MIGRATION_UP;
        cut = 7;
    } else if (ends_with(f, ".down.sql")) {
        k = BORCH_MIGRATION_DOWN;
        cut = 9;
    }
    size_t n = strlen(f) - cut, digits = 0;
    while (digits < n && isdigit((unsigned char)f[digits]))
        digits++;
    if (digits == 0 || digits + 1 >= n || f[digits] != '_') {
        borch_error_set(err, BORCH_EINPUT, "'%s' is not named <version>_<name>.sql", f);
        borch_error_hint(err, "a migration's file name starts with digits and '_', e.g. "
                              "20260101120000_create_users.sql");
        return borch_error_at(err, path, 0, 0);
    }
    *kind = k;
    if (version)
        *version = borch_xstrndup(f, digits);
    if (name)
        *name = borch_xstrndup(f + digits + 1, n - digits - 1);
    return 0;
}

/* What a `-- +borch` line asks for. */
enum directive_kind {
    DIR_NONE = 0, /* not a directive: SQL, comment or blank */
    DIR_UP,
    DIR_DOWN,
    DIR_NOTX, /* bare `-- +borch notx`, only meaningful in a pair's file */
    DIR_LINT,
    DIR_BAD,
};

typedef struct directive {
    int kind;
    int notx;
    char *lint; /* "RULE reason" for DIR_LINT, malloc'd */
} directive;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Next whitespace-separated word in s[*pos..n); *len 0 at the end. */
static const char *next_word(const char *s, size_t n, size_t *pos, size_t *len)
{
    while (*pos < n && is_space(s[*pos]))
        (*pos)++;
    size_t start = *pos;
    while (*pos < n && !is_space(s[*pos]))
        (*pos)++;
    *len = *pos - start;
    return s + start;
}

static int word_is(const char *w, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

/*
 * Reads one line (no newline). `--`, optional blanks, then `+borch` in any
 * case marks a directive, so that `--+borch down` or `-- +Borch down` is an
 * error instead of SQL silently left in the up section.
 */
static int parse_directive(const char *s, size_t n, directive *out)
{
    memset(out, 0, sizeof(*out));
    size_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    if (n - i < 2 || s[i] != '-' || s[i + 1] != '-')
        return out->kind = DIR_NONE;
    i += 2;
    while (i < n && is_space(s[i]))
        i++;
    if (n - i < 6 || strncasecmp(s + i, "+borch", 6) != 0)
        return out->kind = DIR_NONE;
    if (memcmp(s + i, "+borch", 6) != 0 || (n - i > 6 && !is_space(s[i + 6])))
        return out->kind = DIR_BAD;
    i += 6;
    size_t wl, xl;
    const char *w = next_word(s, n, &i, &wl);
    if (word_is(w, wl, "lint:ignore")) {
        const char *rule = next_word(s, n, &i, &xl);
        if (xl == 0)
            return out->kind = DIR_BAD;
        size_t rule_len = xl;
        while (i < n && is_space(s[i]))
            i++;
        size_t end = n;
        while (end > i && is_space(s[end - 1]))
            end--;
        size_t total = rule_len + (end > i ? 1 + end - i : 0);
        out->lint = borch_xmalloc(total + 1);
        memcpy(out->lint, rule, rule_len);
        if (end > i) {
            out->lint[rule_len] = ' ';
            memcpy(out->lint + rule_len + 1, s + i, end - i);
        }
        out->lint[total] = '\0';
        return out->kind = DIR_LINT;
    }
    if (word_is(w, wl, "up"))
        out->kind = DIR_UP;
    else if (word_is(w, wl, "down"))
        out->kind = DIR_DOWN;
    else if (word_is(w, wl, "notx"))
        out->kind = DIR_NOTX;
    else
        return out->kind = DIR_BAD;
    const char *x = next_word(s, n, &i, &xl);
    if (xl > 0 && out->kind != DIR_NOTX && word_is(x, xl, "notx")) {
        out->notx = 1;
        x = next_word(s, n, &i, &xl);
    } else if (out->kind == DIR_NOTX) {
        out->notx = 1;
    }
    if (xl > 0)
        return out->kind = DIR_BAD;
    return out->kind;
}

/* An error about one line of a migration file; s/n, when given, is the line, quoted (trimmed). */
static int line_error(borch_error *err, const char *path, int line, const char *msg, const char *s, size_t n)
{
    if (!s) {
        borch_error_set(err, BORCH_EINPUT, "%s", msg);
        return borch_error_at(err, path, line, 0);
    }
    while (n > 0 && is_space(s[0])) {
        s++;
        n--;
    }
    while (n > 0 && is_space(s[n - 1]))
        n--;
    borch_error_set(err, BORCH_EINPUT, "%s '%.*s%s'", msg, (int)(n > 80 ? 80 : n), s, n > 80 ? "..." : "");
    return borch_error_at(err, path, line, 0);
}

static int unknown_directive(borch_error *err, const char *path, int line, const char *s, size_t n)
{
    line_error(err, path, line, "unknown directive", s, n);
    borch_error_hint(err, "write '-- +borch up', '-- +borch down' (either may end in 'notx') or "
                          "'-- +borch lint:ignore RULE reason'");
    return err ? err->code : BORCH_EINPUT;
}

/*
 * Whether a line outside any section is harmless: blank, a `--` comment, or
 * inside / the start of a block comment (*in_block tracks `/ * ... * /`).
 */
static int is_comment_line(const char *s, size_t n, int *in_block)
{
    size_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    if (*in_block || (n - i >= 2 && s[i] == '/' && s[i + 1] == '*')) {
        size_t from = *in_block ? i : i + 2;
        *in_block = 1;
        for (size_t j = from; j + 1 < n; j++) {
            if (s[j] == '*' && s[j + 1] == '/') {
                *in_block = 0;
                for (j += 2; j < n && is_space(s[j]); j++)
                    ;
                return j == n;
            }
        }
        return 1;
    }
    return i == n || (n - i >= 2 && s[i] == '-' && s[i + 1] == '-');
}

/* Fills sec from norm[start..end) (the lines after the directive on line). */
static void set_section(borch_section *sec, const char *norm, size_t start, size_t end, int line,
                        int notx, const char *file)
{
    sec->sql = borch_xstrndup(norm + start, end - start);
    sec->first_line = line;
    sec->notx = notx;
    sec->file = borch_xstrdup(file);
}

/* Normalizes text, refusing a NUL byte (no SQL text holds one; a binary file would). */
static int normalize_checked(const char *path, const char *text, size_t len, char **out, size_t *out_len,
                             borch_error *err)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        borch_error_set(err, BORCH_EINPUT, "'%s' contains a NUL byte; migration files are text",
                        borch_migration_basename(path));
        return borch_error_at(err, path, line, 0);
    }
    *out = borch_migration_normalize(text, len, out_len);
    return 0;
}

/* Walks the lines of normalized text. */
typedef struct line_iter {
    const char *text;
    size_t len;
    size_t pos;  /* offset of the next line */
    int line;    /* 1-based number of the line last returned */
} line_iter;

/* Gives the next line (without its LF) in *s / *n and its offset in *start; 0 at the end. */
static int next_line(line_iter *it, const char **s, size_t *n, size_t *start)
{
    if (it->pos >= it->len)
        return 0;
    *s = it->text + it->pos;
    const char *nl = memchr(*s, '\n', it->len - it->pos);
    *n = nl ? (size_t)(nl - *s) : it->len - it->pos;
    *start = it->pos;
    it->pos += *n + (nl ? 1 : 0);
    it->line++;
    return 1;
}

/* Parser state of one single-file migration. */
typedef struct cursor {
    const char *path;
    int state;     /* 0 before any section, 1 in up, 2 in down */
    int up_line;   /* line of the up directive */
    int down_line; /* line of the down directive */
    size_t up_start, up_end, down_start; /* offsets in norm */
    int up_notx, down_notx;
    int in_block;
    borch_strv lint;
} cursor;

/* Handles one line of a single-file migration. */
static int single_line(cursor *c, const char *s, size_t n, size_t line_start, size_t next, int line,
                       borch_error *err)
{
    directive d;
    int rc = 0;
    switch (parse_directive(s, n, &d)) {
    case DIR_NONE:
        if (c->state == 0 && !is_comment_line(s, n, &c->in_block)) {
            line_error(err, c->path, line, "text before '-- +borch up' is not part of any section:", s, n);
            borch_error_hint(err, "start the file with '-- +borch up'");
            rc = err ? err->code : BORCH_EINPUT;
        }
        break;
    case DIR_LINT:
        borch_strv_push_owned(&c->lint, d.lint);
        d.lint = NULL;
        break;
    case DIR_UP:
        if (c->state != 0) {
            char msg[96];
            snprintf(msg, sizeof(msg), "second '-- +borch up' (the first is at line %d)", c->up_line);
            rc = line_error(err, c->path, line, msg, NULL, 0);
            break;
        }
        c->state = 1;
        c->up_line = line;
        c->up_start = next;
        c->up_notx = d.notx;
        break;
    case DIR_DOWN:
        if (c->state == 0) {
            rc = line_error(err, c->path, line, "'-- +borch down' comes before '-- +borch up'", NULL, 0);
            break;
        }
        if (c->state == 2) {
            char msg[96];
            snprintf(msg, sizeof(msg), "second '-- +borch down' (the first is at line %d)", c->down_line);
            rc = line_error(err, c->path, line, msg, NULL, 0);
            break;
        }
        c->state = 2;
        c->down_line = line;
        c->down_start = next;
        c->down_notx = d.notx;
        c->up_end = line_start;
        break;
    case DIR_NOTX:
        rc = line_error(err, c->path, line, "'-- +borch notx' must name its section: use "
                                            "'-- +borch up notx' or '-- +borch down notx'",
                        NULL, 0);
        break;
    default:
        rc = unknown_directive(err, c->path, line, s, n);
        break;
    }
    free(d.lint);
    return rc;
}

/* Parses the sections of a <version>_<name>.sql file into m. */
static int parse_single(borch_migration *m, const char *norm, size_t len, borch_error *err)
{
    cursor c = {0};
    c.path = m->path;
    line_iter it = {norm, len, 0, 0};
    const char *s;
    size_t n, start;
    int rc = 0;
    while (!rc && next_line(&it, &s, &n, &start))
        rc = single_line(&c, s, n, start, it.pos, it.line, err);
    if (!rc && c.state == 0) {
        borch_error_set(err, BORCH_EINPUT, "missing '-- +borch up' section");
        borch_error_hint(err, "mark the change with a line '-- +borch up' and its undo with '-- +borch down'");
        rc = borch_error_at(err, m->path, 1, 0);
    }
    if (rc) {
        borch_strv_release(&c.lint);
        return rc;
    }
    set_section(&m->up, norm, c.up_start, c.state == 2 ? c.up_end : len, c.up_line + 1, c.up_notx, m->path);
    if (c.state == 2) {
        m->has_down = 1;
        set_section(&m->down, norm, c.down_start, len, c.down_line + 1, c.down_notx, m->path);
    }
    m->lint_ignores = c.lint.items;
    m->nlint_ignores = c.lint.count;
    return 0;
}

/*
 * Reads one half of a golang-migrate pair: the whole file is the section;
 * directives may only set notx (`-- +borch notx`, or the half's own
 * `up`/`down`) or add lint ignores.
 */
static int parse_half(borch_migration *m, borch_section *sec, int want, const char *path, const char *norm,
                      size_t len, borch_error *err)
{
    int notx = 0, rc = 0;
    line_iter it = {norm, len, 0, 0};
    const char *s;
    size_t n, start;
    while (!rc && next_line(&it, &s, &n, &start)) {
        directive d;
        int k = parse_directive(s, n, &d);
        if (k == DIR_LINT) {
            m->lint_ignores = borch_xrealloc(m->lint_ignores, (m->nlint_ignores + 1) * sizeof(char *));
            m->lint_ignores[m->nlint_ignores++] = d.lint;
        } else if (k == DIR_NOTX || k == want) {
            notx |= d.notx;
        } else if (k == DIR_UP || k == DIR_DOWN) {
            char msg[128];
            snprintf(msg, sizeof(msg), "'-- +borch %s' does not belong in a .%s.sql file",
                     k == DIR_UP ? "up" : "down", want == DIR_UP ? "up" : "down");
            rc = line_error(err, path, it.line, msg, NULL, 0);
        } else if (k == DIR_BAD) {
            rc = unknown_directive(err, path, it.line, s, n);
        }
    }
    if (rc)
        return rc;
    sec->sql = borch_xstrndup(norm, len);
    sec->first_line = 1;
    sec->notx = notx;
    sec->file = borch_xstrdup(path);
    return 0;
}

int borch_migration_parse(const char *path, const char *text, size_t len, borch_migration *out,
                          borch_error *err)
{
    memset(out, 0, sizeof(*out));
    int kind = 0;
    char *version = NULL, *name = NULL;
    int rc = borch_migration_classify(path, &kind, &version, &name, err);
    if (rc)
        return rc;
    const char *f = borch_migration_basename(path);
    if (kind == BORCH_MIGRATION_IGNORED) {
        borch_error_set(err, BORCH_EINPUT, "'%s' is not named <version>_<name>.sql", f);
        return borch_error_at(err, path, 0, 0);
    }
    if (kind == BORCH_MIGRATION_DOWN) {
        free(version);
        free(name);
        borch_error_set(err, BORCH_EINPUT, "'%s' has no matching '%.*s.up.sql'", f,
                        (int)(strlen(f) - 9), f);
        return borch_error_at(err, path, 0, 0);
    }
    char *norm = NULL;
    size_t nlen = 0;
    rc = normalize_checked(path, text, len, &norm, &nlen, err);
    if (rc) {
        free(version);
        free(name);
        return rc;
    }
    out->version = version;
    out->name = name;
    out->path = borch_xstrdup(path);
    if (kind == BORCH_MIGRATION_SINGLE)
        rc = parse_single(out, norm, nlen, err);
    else
        rc = parse_half(out, &out->up, DIR_UP, path, norm, nlen, err);
    if (!rc) {
        out->checksum = borch_xmalloc(65);
        borch_checksum_text(norm, nlen, out->checksum);
        if (!out->has_down) {
            out->down.sql = borch_xstrdup("");
            out->down.file = NULL;
        }
    }
    free(norm);
    if (rc)
        borch_migration_release(out);
    return rc;
}

int borch_migration_add_down(borch_migration *m, const char *path, const char *text, size_t len,
                             borch_error *err)
{
    char *norm = NULL;
    size_t nlen = 0;
    int rc = normalize_checked(path, text, len, &norm, &nlen, err);
    if (rc)
        return rc;
    borch_section sec = {0};
    rc = parse_half(m, &sec, DIR_DOWN, path, norm, nlen, err);
    if (!rc) {
        free(m->down.sql);
        free(m->down.file);
        m->down = sec;
        m->has_down = 1;
        borch_checksum_pair(m->up.sql, strlen(m->up.sql), norm, nlen, m->checksum);
    }
    free(norm);
    return rc;
}

void borch_migration_release(borch_migration *m)
{
    if (!m)
        return;
    free(m->version);
    free(m->name);
    free(m->path);
    free(m->checksum);
    free(m->up.sql);
    free(m->up.file);
    free(m->down.sql);
    free(m->down.file);
    for (size_t i = 0; i < m->nlint_ignores; i++)
        free(m->lint_ignores[i]);
    free(m->lint_ignores);
    memset(m, 0, sizeof(*m));
}
