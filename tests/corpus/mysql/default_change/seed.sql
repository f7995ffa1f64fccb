INSERT INTO settings (id, theme, retries) VALUES (1, 'blue', 5), (2, NULL, 0);
