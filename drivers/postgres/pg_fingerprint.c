/*
 * pg_fingerprint.c - a hash of the catalog rows the schema model is made
 * from, computed by the server in one query: equal hashes mean an equal
 * schema, so a rollback rehearsal reads full models only when something
 * differs. It is cheaper than introspection because it leaves out the
 * deparsing (pg_get_expr, format_type); expressions enter as their stored
 * node trees, which may differ for the same text written differently: then
 * the rehearsal just reads the models, so a false "changed" costs time,
 * never a wrong answer. OIDs are left out, since a table that is dropped
 * and made again gets new ones.
 */
#include "pg_internal.h"

#include <stdio.h>
#include <string.h>

static const char q_fingerprint[] =
    "WITH rel AS (SELECT c.oid, c.relname, c.relkind FROM pg_class c"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname = coalesce($1, current_schema()) AND c.relkind IN ('r','p','v','m','i','S')"
    "  AND c.relname NOT LIKE 'borch\\_%')"
    " SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM ("
    "  SELECT 'r ' || r.relname::text || ' ' || r.relkind::text AS x FROM rel r"
    "  UNION ALL SELECT 'a ' || r.relname::text || ' ' || a.attnum::text || ' ' || a.attname::text || ' '"
    "   || a.atttypid::regtype::text || ' ' || a.atttypmod::text || ' ' || a.attnotnull::text || ' '"
    "   || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || coalesce(d.adbin::text, '')"
    "   FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped"
    "   LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum"
    "  UNION ALL SELECT 'k ' || r.relname::text || ' ' || k.conname::text || ' ' || k.contype::text || ' '"
    "   || coalesce(k.conkey::text, '') || ' ' || coalesce(f.relname::text, '') || ' '"
    "   || coalesce(k.confkey::text, '') || ' ' || k.confupdtype::text || k.confdeltype::text || ' '"
    "   || coalesce(k.conbin::text, '')"
    "   FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid LEFT JOIN pg_class f ON f.oid = k.confrelid"
    "  UNION ALL SELECT 'i ' || r.relname::text || ' ' || ic.relname::text || ' ' || i.indisunique::text || ' '"
    "   || i.indkey::text || ' ' || coalesce(i.indexprs::text, '') || ' ' || coalesce(i.indpred::text, '')"
    "   || ' ' || ic.relam::text"
    "   FROM rel r JOIN pg_index i ON i.indrelid = r.oid JOIN pg_class ic ON ic.oid = i.indexrelid"
    "  UNION ALL SELECT 'v ' || r.relname::text || ' ' || md5(pg_get_viewdef(r.oid))"
    "   FROM rel r WHERE r.relkind IN ('v','m')"
    "  UNION ALL SELECT 'e ' || t.typname::text || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
    "   FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace"
    "   WHERE n.nspname = coalesce($1, current_schema()) GROUP BY t.typname"
    " ) s";

int pg_schema_fingerprint(borch_conn *conn, char out[65], borch_error *err)
{
    const char *params[1] = {conn->schema && *conn->schema ? conn->schema : NULL};
    PGresult *res = NULL;
    int rc = pg_run(pg_of(conn)->pg, q_fingerprint, 1, params, &res, err);
    if (rc)
        return rc;
    const char *h = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
    snprintf(out, 65, "%s", h);
    PQclear(res);
    return 0;
}
