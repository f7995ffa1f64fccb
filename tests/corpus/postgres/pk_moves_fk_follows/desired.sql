CREATE TABLE orders (id integer NOT NULL, code text PRIMARY KEY);
CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    order_id integer NOT NULL,
    order_code text REFERENCES orders (code) ON UPDATE CASCADE
);
