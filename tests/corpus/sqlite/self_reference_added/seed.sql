INSERT INTO employees VALUES (1, 'boss', NULL), (2, 'lead', 1), (3, 'dev', 2), (4, 'dev2', 2);
