CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category_id INTEGER REFERENCES categories (id) ON DELETE CASCADE, price INTEGER);
CREATE INDEX products_category_idx ON products (category_id);
