INSERT INTO authors (id, name) VALUES (1, 'ann'), (2, 'bob');
INSERT INTO books (author_id, title) VALUES (1, 'one'), (2, 'two'), (NULL, 'anonymous');
