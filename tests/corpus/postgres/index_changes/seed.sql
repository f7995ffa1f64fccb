INSERT INTO logs VALUES (1, 'error', '2024-01-01 00:00+00', 'a'), (2, 'info', '2024-01-02 00:00+00', NULL);
