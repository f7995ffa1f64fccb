-- +borch up notx
CREATE INDEX CONCURRENTLY i ON t (a);
-- +borch lint:ignore PG001 reason
-- +borch down notx
DROP INDEX CONCURRENTLY i;
