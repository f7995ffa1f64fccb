CREATE TABLE items (
    id integer PRIMARY KEY,
    qty integer NOT NULL CHECK (qty >= 0),
    price numeric(10,2),
    CONSTRAINT items_qty_bounded CHECK (qty < 1000 AND qty <> 13),
    CONSTRAINT "Price Sane" CHECK (price IS NULL OR price < 100000::numeric)
);
