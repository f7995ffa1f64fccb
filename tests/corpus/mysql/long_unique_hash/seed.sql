INSERT INTO snippets VALUES (1, 'print(1)', 'py'), (2, REPEAT('x', 5000), NULL);
