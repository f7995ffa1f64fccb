INSERT INTO answers VALUES (1, 'yes', 'a'), (2, 'no', 'a,b'), (3, 'no', NULL);
