CREATE TABLE orders (id INTEGER PRIMARY KEY, placed TEXT NOT NULL);
CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, sku TEXT NOT NULL);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);
