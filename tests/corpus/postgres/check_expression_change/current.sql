CREATE TABLE ranges (
    id integer PRIMARY KEY,
    lo integer NOT NULL,
    hi integer NOT NULL,
    CONSTRAINT ranges_order CHECK (lo <= hi),
    CONSTRAINT ranges_lo_positive CHECK (lo >= 0)
);
