INSERT INTO products (code, title, weight) VALUES (100, 'hammer', 1.25), (200, 'saw', 0.5);
