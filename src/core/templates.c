/* templates.c - lookup in the embedded template table. */
#include "core/templates.h"

#include <string.h>

const borch_template *borch_template_find(const char *name)
{
    for (size_t i = 0; borch_templates[i].name; i++)
        if (strcmp(borch_templates[i].name, name) == 0)
            return &borch_templates[i];
    return NULL;
}
