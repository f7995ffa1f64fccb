/*
 * url.h - database URLs: parsing into parts, and the masked form that is the
 * only way a URL is ever shown (SPEC: a password never appears in output).
 *
 * Forms: sqlite:path, sqlite:///abs/path, sqlite::memory:,
 * postgres[ql]://user:pass@host:port/db?k=v, mysql|mariadb://...?socket=/p
 */
#ifndef BORCH_URL_H
#define BORCH_URL_H

#include "util/error.h"
#include "util/mem.h"

typedef struct borch_url {
    char *raw;       /* the text as given (holds the password: never print) */
    char *scheme;    /* canonical scheme: "sqlite", "postgres" or "mysql" */
    char *user;      /* percent-decoded, or NULL */
    char *password;  /* percent-decoded, or NULL */
    char *host;      /* or NULL */
    int port;        /* 0 when not given */
    char *database;  /* database name (postgres/mysql), or NULL */
    char *path;      /* sqlite: file path resolved against base_dir, or ":memory:" */
    borch_strv keys; /* query parameters, decoded, in order */
    borch_strv values;
} borch_url;

/*
 * Parses text. base_dir (may be NULL) is the folder relative SQLite paths are
 * resolved against. Returns 0 and a url the caller frees with borch_url_free,
 * or BORCH_EINPUT for an unknown scheme or malformed URL (the message shows
 * only the masked URL).
 */
int borch_url_parse(const char *text, const char *base_dir, borch_url **out, borch_error *err);
void borch_url_free(borch_url *url);

/* The value of query parameter key, borrowed, or NULL. */
const char *borch_url_param(const borch_url *url, const char *key);

/*
 * Returns a malloc'd copy of text with any password replaced by "***". Works
 * on text that does not parse, so error messages can always use it.
 */
char *borch_url_mask(const char *text);

/* Rebuilds a URL from parts with another database name; malloc'd, unmasked. */
char *borch_url_with_database(const borch_url *url, const char *database);

#endif
