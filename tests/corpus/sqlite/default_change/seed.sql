INSERT INTO settings (theme, size, stamp) VALUES ('light', 10, '2026-01-01'), ('blue', 12, NULL);
