CREATE TABLE items (
    id integer PRIMARY KEY,
    qty integer NOT NULL CHECK (qty >= 0),
    price numeric(10,2),
    CONSTRAINT items_price_positive CHECK (price > 0)
);
