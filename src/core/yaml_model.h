/*
 * yaml_model.h - the declarative YAML model, a schema source: a .yaml file
 * that states the schema wanted, in engine-neutral types with per-engine
 * overrides, read into the schema model for one target engine; and the
 * schema model written back as such a file (`schema inspect --format
 * yaml`), so that what one writes reads back to the same model.
 *
 * The format is documented in docs/yaml-model.md. Reading checks the whole
 * model before any database is touched: unknown keys (with the closest
 * known one), unknown types, keys naming missing columns, foreign keys to
 * missing tables or columns, and duplicate names are all BORCH_EINPUT with
 * the file:line:column of the offending node.
 *
 * Types are mapped to the exact text the engine's introspection reports
 * ("character varying(200)" on PostgreSQL, "varchar(200)" on MySQL and
 * SQLite), and implied objects are filled in the way the engine would
 * (PostgreSQL's "<table>_pkey" and identity sequences, SQLite's rowid
 * alias), so that a model read from YAML compares equal to the database
 * built from it.
 */
#ifndef BORCH_YAML_MODEL_H
#define BORCH_YAML_MODEL_H

#include <stddef.h>

#include "core/model.h"
#include "util/error.h"

/*
 * Reads the YAML model text (len bytes) for engine ("sqlite", "postgres"
 * or "mysql"); file is the name used in messages. On success returns 0
 * and a new sorted model in *out, which the caller frees with
 * borch_schema_free. Returns BORCH_EUSAGE for an unknown engine,
 * BORCH_EINPUT (with file:line:column in err) for a bad model, and leaves
 * *out NULL on failure.
 */
int borch_yaml_model_parse(const char *text, size_t len, const char *file, const char *engine,
                           borch_schema **out, borch_error *err);

/* Reads the file at path with borch_yaml_model_parse; BORCH_EIO when it cannot be read. */
int borch_yaml_model_read(const char *path, const char *engine, borch_schema **out,
                          borch_error *err);

/*
 * Writes s as a YAML model (malloc'd text the caller frees): a column type
 * becomes the neutral type that maps to it on s->engine, or else a
 * per-engine override holding the engine's own text; objects the engine
 * implies (PostgreSQL's default key names, identity sequences) are left
 * out. Deterministic: s is sorted first, on a copy. Reading the result for
 * s->engine gives a model equal to s. NULL only when the model holds text
 * YAML cannot carry (invalid UTF-8).
 */
char *borch_yaml_model_render(const borch_schema *s);

/* Writes borch_yaml_model_render's text to path atomically. */
int borch_yaml_model_write(const borch_schema *s, const char *path, borch_error *err);

/*
 * Builds model in conn's database (meant to be an empty throwaway one of
 * the model's engine): the changes from what is there to model, rendered
 * by conn's driver and run. Introspecting conn afterwards gives the model
 * in the engine's own words (check expressions, view definitions and
 * defaults as the server deparses them), which is what a diff against a
 * live database must compare with. BORCH_EUNSUPPORTED when the driver
 * cannot render DDL; BORCH_EINPUT (with the engine's message and the
 * failing statement) when the engine refuses the model.
 */
struct borch_conn;
int borch_yaml_model_apply(struct borch_conn *conn, const borch_schema *model, borch_error *err);

/*
 * The type text engine reports for a neutral type spelled like the model's
 * ("string(200)", "decimal(10,2)", "timestamptz"), malloc'd in *out; 0, or
 * BORCH_EINPUT with a message (naming the closest neutral type) when the
 * type is unknown or its arguments are wrong.
 */
int borch_yaml_model_type(const char *neutral, const char *engine, char **out, borch_error *err);

#endif
