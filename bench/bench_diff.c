/*
 * bench_diff.c - times borch_diff on two in-memory models of N tables (10
 * columns, 2 indexes and 1 foreign key each; the second model changes one
 * table in ten), reporting the median of R runs. The target: two
 * 2,000-table models in under 100 ms.
 * Usage: build/bench_diff [TABLES] [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diff.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A model of n tables; variant 1 changes every tenth table. */
static borch_schema *model(int n, int variant)
{
    borch_schema *s = borch_schema_new("postgres");
    for (int i = 0; i < n; i++) {
        char t[32], ref[32], ix[48];
        snprintf(t, sizeof(t), "t%05d", i);
        snprintf(ref, sizeof(ref), "t%05d", i ? i - 1 : 0);
        borch_table *tb = borch_schema_add_table(s, t);
        borch_table_add_column(tb, "id", "bigint", 0, NULL)->identity = 1;
        borch_table_add_column(tb, "parent_id", "bigint", 1, NULL);
        borch_table_add_column(tb, "name", variant && i % 10 == 0 ? "text" : "character varying(100)", 0, NULL);
        for (int c = 0; c < 7; c++) {
            char col[16];
            snprintf(col, sizeof(col), "c%d", c);
            borch_table_add_column(tb, col, "integer", 1, c == 0 ? "0" : NULL);
        }
        if (variant && i % 10 == 5)
            borch_table_add_column(tb, "added", "text", 1, NULL);
        borch_table_add_pk_column(tb, "id");
        snprintf(ix, sizeof(ix), "%s_name_idx", t);
        borch_index_add_column(borch_table_add_index(tb, ix, 0), "name");
        snprintf(ix, sizeof(ix), "%s_c0_idx", t);
        borch_index *x = borch_table_add_index(tb, ix, variant && i % 10 == 3);
        borch_index_add_column(x, "c0");
        if (i) {
            snprintf(ix, sizeof(ix), "%s_parent_fk", t);
            borch_fk_add_pair(borch_table_add_foreign_key(tb, ix, ref), "parent_id", "id");
        }
    }
    borch_schema_sort(s);
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    int runs = argc > 2 ? atoi(argv[2]) : 21;
    borch_schema *a = model(n, 0), *b = model(n, 1);
    double *t = calloc((size_t)runs, sizeof(double));
    size_t changes = 0;
    for (int r = 0; r < runs; r++) {
        borch_changes ch = {0};
        borch_error err = {0};
        double t0 = now_s();
        if (borch_diff(a, b, &ch, &err) != 0) {
            fprintf(stderr, "diff failed: %s\n", err.message);
            return 1;
        }
        t[r] = now_s() - t0;
        changes = ch.count;
        borch_changes_release(&ch);
    }
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    printf("diff of two %d-table models: %zu changes, median %.1f ms (min %.1f, max %.1f) over %d runs\n",
           n, changes, t[runs / 2] * 1e3, t[0] * 1e3, t[runs - 1] * 1e3, runs);
    free(t);
    borch_schema_free(a);
    borch_schema_free(b);
    return 0;
}
