CREATE TABLE orders (id integer PRIMARY KEY, code text NOT NULL);
CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    order_code text
);
