/*
 * datagen.h - generated rows for `rollback --verify --with-data`: before a
 * down section is rehearsed, every table gets a few rows that satisfy its
 * schema, so that downs which only fail when data exists (restoring NOT
 * NULL, narrowing a type, adding a UNIQUE) fail in the rehearsal rather
 * than in production.
 *
 * The rows are deterministic, derived from a row number n that continues
 * after the rows a table already holds (so a second fill of the same
 * tables does not clash with the first):
 *  - columns in a primary key or unique index get distinct values;
 *  - other columns repeat now and then (row n = 3 mod 4 copies row n-2),
 *    so that adding a UNIQUE over them is caught;
 *  - nullable columns are NULL in the even rows, so that restoring a NOT
 *    NULL is caught;
 *  - strings are "<column>_<n>" (cut to the declared length), so that
 *    narrowing a varchar is caught;
 *  - foreign keys take values read back from the parent table (parents are
 *    filled first); identity / auto-increment columns are left to the
 *    engine;
 *  - CHECKs on one column guide its values: "col IN ('a', 'b')" (and
 *    PostgreSQL's "= ANY (ARRAY[...])") chooses among the values, and
 *    comparisons with numbers ("col >= 0", "col BETWEEN 1 AND 5", and
 *    PostgreSQL's "(col >= 1) AND (col <= 5)") keep numbers in bounds; a
 *    row any other CHECK rejects is simply skipped.
 *
 * Statements: a table's rows go in one multi-row INSERT (one round trip,
 * one commit); when the engine refuses it, the rows go again one by one
 * and each refused row is skipped. Outside a transaction (autocommit) a
 * refused statement needs nothing more; inside one, each statement runs
 * under a SAVEPOINT and is rolled back to it, because a failed statement
 * aborts a PostgreSQL transaction. Either way works; the caller chooses.
 * When no row of a table goes in, the columns with a default, and then
 * the nullable ones too, are left to the engine and the rows tried again
 * (PostgreSQL reports a generated column's expression as its default and
 * refuses any value for it; a MySQL generated column is nullable and not
 * marked in the model).
 *
 * Not handled: bit columns, CHECKs over several columns, with OR, or on expressions
 * (the rows they refuse are skipped), and a column under two foreign keys
 * (the first one decides).
 *
 * It lives in drivers/ beside records.c for the same reason: it writes SQL
 * (INSERTs, SAVEPOINTs) over the vtable's quote and placeholder slots, and
 * SQL text stays out of core.
 */
#ifndef BORCH_DATAGEN_H
#define BORCH_DATAGEN_H

#include "driver.h"

/*
 * Inserts up to rows_per_table generated rows into every table of s (the
 * live schema of conn), parents before children, satisfying types, NOT
 * NULL, primary keys and uniques (distinct values), foreign keys (values
 * that exist in the parent), and simple CHECKs where possible (a row the
 * engine rejects for a CHECK is skipped, not an error). *inserted gets the
 * number of rows. Returns 0, or an error only when the connection fails.
 */
int borch_datagen_fill(borch_conn *conn, const borch_schema *s, int rows_per_table, long *inserted,
                       borch_error *err);

#endif
