/*
 * templates.h - the files of templates/ compiled into the binary (see
 * cmake/embed.cmake), so `init` and `new` work wherever borch-db is copied.
 */
#ifndef BORCH_TEMPLATES_H
#define BORCH_TEMPLATES_H

#include <stddef.h>

typedef struct borch_template {
    const char *name; /* path under templates/, e.g. "borch.yaml" */
    const char *data;
    size_t len;
} borch_template;

/* NULL-terminated table. */
extern const borch_template borch_templates[];

/* The template named name, or NULL. */
const borch_template *borch_template_find(const char *name);

#endif
