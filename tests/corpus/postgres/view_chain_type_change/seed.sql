INSERT INTO metrics VALUES (1, 'cpu', 7), (2, 'mem', 3);
