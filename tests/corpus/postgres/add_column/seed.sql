INSERT INTO products VALUES (1, 'pen'), (2, 'ink');
