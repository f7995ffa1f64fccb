INSERT INTO comments (body, created_at) VALUES ('hello', '2026-01-01 00:00:00'), ('again', '2026-01-02 00:00:00');
INSERT INTO comments (body, created_at, updated_at) VALUES ('third', '2026-01-03 12:00:00', NULL);
