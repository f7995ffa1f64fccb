INSERT INTO notes VALUES (1, 'short', 'b'), (2, 'also short', NULL);
