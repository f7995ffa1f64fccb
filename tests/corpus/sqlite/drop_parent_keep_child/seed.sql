-- the reverse diff re-creates categories empty and re-adds the key: only
-- products without a category can satisfy it again
INSERT INTO categories VALUES (1, 'tools'), (2, 'toys');
INSERT INTO products (name, category_id, price) VALUES ('hammer', NULL, 10), ('kite', NULL, 5), ('misc', NULL, 1);
