/*
 * replay_main.c - runs a fuzz target over the files of a corpus folder and
 * over every truncation of each, so ctest exercises the targets without a
 * fuzzer (libFuzzer provides its own main when BORCH_FUZZ is on).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
        }
        buf[n++] = (uint8_t)c;
    }
    fclose(f);
    /* Prefixes: truncated input is the common bad input. At most ~500 per file. */
    size_t step = n / 500 + 1;
    for (size_t k = 0; k < n; k += step)
        LLVMFuzzerTestOneInput(buf, k);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 2;
    }
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
        if (replay_file(path) == 0)
            files++;
    }
    closedir(d);
    printf("replayed %d corpus files from %s\n", files, argv[1]);
    return files > 0 ? 0 : 1;
}
