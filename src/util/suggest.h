/*
 * suggest.h - "did you mean": the known word at the smallest edit distance,
 * when it is close enough to be a typo. Shared by every parser of outside
 * input (borch.yaml keys, YAML model keys, types and names).
 */
#ifndef BORCH_SUGGEST_H
#define BORCH_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance between a and b. */
size_t borch_edit_distance(const char *a, const char *b);

/*
 * The closest of known[0..count) (stopping early at a NULL entry) within
 * max(2, strlen(word) / 3) edits, borrowed, or NULL.
 */
const char *borch_suggest(const char *word, const char *const *known, size_t count);

#endif
