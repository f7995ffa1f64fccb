INSERT INTO visits (site, day, path, hits) VALUES ('a.io', '2026-01-01', '/', 4), ('a.io', '2026-01-01', '/x', 1), ('b.io', '2026-01-02', '/', 9);
