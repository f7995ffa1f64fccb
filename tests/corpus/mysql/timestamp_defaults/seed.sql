INSERT INTO sessions (id, created_at, expires_at, day, hits) VALUES
  (1, '2024-01-01 10:00:00', NULL, '2024-01-01', 3), (2, '2024-02-02 12:30:00', '2024-03-01 00:00:00', NULL, NULL);
