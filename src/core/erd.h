/*
 * erd.h - the schema model as an entity-relationship diagram people can
 * paste into docs (Mermaid's erDiagram) or render with Graphviz (DOT).
 * Used by `schema inspect --format mermaid|dot`.
 *
 * Output is deterministic: the model is sorted first (on a copy), so the
 * same schema always gives the same bytes. Tables are entities with one
 * line per column ("type name PK/FK/UK"); each foreign key is one
 * relationship from the referenced (parent) table to the referencing one.
 */
#ifndef BORCH_ERD_H
#define BORCH_ERD_H

#include "core/model.h"

/*
 * A Mermaid erDiagram: one entity block per table, then one line per
 * foreign key, `parent ||--o{ child : "fk_name"` (`|o` on the parent side
 * when a key column may be NULL, `o|` on the child side when the key
 * columns are unique). Names and types Mermaid's grammar cannot hold are
 * made safe (spaces to '_', ',' to '-'). Malloc'd; the caller frees it.
 */
char *borch_erd_mermaid(const borch_schema *s);

/*
 * A Graphviz digraph: one node per table with an HTML-like table label
 * (header row, then name | type | key per column), one edge per foreign
 * key from the right side of the child's first key column to the left side
 * of the parent's first referenced column, labelled with the key's name
 * and dashed when the key may be NULL. Malloc'd; the caller frees it.
 */
char *borch_erd_dot(const borch_schema *s);

#endif
