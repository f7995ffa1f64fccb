INSERT INTO categories (id, parent_id, name) VALUES (1, NULL, 'root'), (2, 1, 'tools'), (3, 2, 'saws');
