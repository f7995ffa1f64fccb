INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
INSERT INTO roles VALUES (1, 'admin'), (2, 'dev');
INSERT INTO user_roles VALUES (1, 1, NULL), (1, 2, '2024-01-01 00:00:00'), (2, 2, NULL);
