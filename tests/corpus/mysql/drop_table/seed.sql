INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
INSERT INTO audit_log VALUES (1, 1, 'login'), (2, 2, 'logout');
