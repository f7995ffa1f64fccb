INSERT INTO users VALUES (1), (2);
INSERT INTO comments VALUES (1, 1, 2, 'hi'), (2, NULL, NULL, 'anon');
