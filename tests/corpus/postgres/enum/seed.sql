INSERT INTO tasks VALUES (1, 'todo', 'x'), (2, 'done', NULL);
