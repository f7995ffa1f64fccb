CREATE TABLE products (id INTEGER PRIMARY KEY, code INTEGER NOT NULL, title VARCHAR(20), weight REAL);
CREATE INDEX products_code_idx ON products (code);
