CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category_id INTEGER, price INTEGER);
CREATE INDEX products_category_idx ON products (category_id);
