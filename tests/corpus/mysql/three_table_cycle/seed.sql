INSERT INTO companies VALUES (1, 'acme'), (2, 'globex');
INSERT INTO people VALUES (1, 'ann'), (2, 'bob');
INSERT INTO offices VALUES (1, 'berlin');
