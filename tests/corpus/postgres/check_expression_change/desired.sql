CREATE TABLE ranges (
    id integer PRIMARY KEY,
    lo integer NOT NULL,
    hi integer NOT NULL,
    CONSTRAINT ranges_order CHECK (lo < hi OR (lo = 0 AND hi = 0)),
    CONSTRAINT ranges_lo_positive CHECK (lo >= 0),
    CONSTRAINT ranges_hi_limit CHECK (hi <= 1000000)
);
