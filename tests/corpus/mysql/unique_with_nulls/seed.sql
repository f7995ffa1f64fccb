INSERT INTO contacts VALUES (1, 1, 'a@x.org', NULL), (2, 1, NULL, NULL), (3, 1, NULL, '12'), (4, NULL, 'a@x.org', '12');
