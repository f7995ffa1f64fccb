INSERT INTO readings VALUES ('t1', '2026-01-01', 1.5), ('t1', '2026-01-02', 2.5), ('t2', '2026-01-01', NULL);
