INSERT INTO companies VALUES (1, 'acme', NULL), (2, 'globex', NULL);
INSERT INTO offices VALUES (1, 1);
INSERT INTO people VALUES (1, 1), (2, NULL);
