CREATE TABLE orders (
    id integer PRIMARY KEY,
    quantity smallint NOT NULL,
    total numeric(8,2) NOT NULL DEFAULT 0,
    note character varying(50),
    code character(4)
);
