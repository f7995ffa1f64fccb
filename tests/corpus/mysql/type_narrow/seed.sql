INSERT INTO codes VALUES (1, 'short', 10, 12.50), (2, 'also short', NULL, 99.25);
