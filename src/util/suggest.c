/* suggest.c - edit distance and "did you mean"; see suggest.h. */
#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

size_t borch_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    /* One row of the classic table is enough; keys are short. */
    size_t *row = borch_xmalloc((lb + 1) * sizeof(*row));
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *borch_suggest(const char *word, const char *const *known, size_t count)
{
    size_t limit = strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    const char *best = NULL;
    size_t best_d = 0;
    for (size_t i = 0; i < count && known[i]; i++) {
        size_t d = borch_edit_distance(word, known[i]);
        if (d <= limit && (!best || d < best_d)) {
            best = known[i];
            best_d = d;
        }
    }
    return best;
}
