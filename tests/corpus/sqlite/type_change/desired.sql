CREATE TABLE products (id INTEGER PRIMARY KEY, code TEXT NOT NULL, title VARCHAR(200), weight REAL);
CREATE INDEX products_code_idx ON products (code);
