INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
INSERT INTO legacy_scores VALUES (1, 50);
