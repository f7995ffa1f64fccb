INSERT INTO users VALUES (1), (2), (3);
INSERT INTO profiles VALUES (1, 1, 'hi'), (2, 3, NULL);
