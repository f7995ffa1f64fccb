INSERT INTO orders (region, total) VALUES ('eu', 10), ('us', 20);
INSERT INTO tags VALUES (1, 'c', 1), (1, 'sql', 2), (2, 'c', 3);
