INSERT INTO posts VALUES (1, 'short summary', 'a body that fits', 'notes', 'X1'),
  (2, NULL, REPEAT('b', 1500), NULL, NULL), (3, REPEAT('s', 400), '', REPEAT('n', 3000), 'abc');
