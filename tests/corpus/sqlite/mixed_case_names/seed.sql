INSERT INTO users VALUES (1, 'a@x.io', 'Ann'), (2, 'b@x.io', NULL);
INSERT INTO posts VALUES (10, 1, 'hi'), (11, 2, 'yo'), (12, NULL, 'orphan');
