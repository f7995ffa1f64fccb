INSERT INTO products VALUES (1, '{"color": "red"}', '{"v": 1}', 'pen'), (2, '{}', '[1, 2]', 'ink');
