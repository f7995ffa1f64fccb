CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    description text,
    price numeric(10,2) NOT NULL DEFAULT 0,
    "Stock Level" integer DEFAULT 10,
    tags text[] NOT NULL DEFAULT '{}'
);
