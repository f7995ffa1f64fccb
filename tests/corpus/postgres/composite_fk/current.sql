CREATE TABLE regions (
    country text NOT NULL,
    code text NOT NULL,
    name text,
    PRIMARY KEY (country, code)
);
CREATE TABLE stores (
    id integer PRIMARY KEY,
    country text NOT NULL,
    region_code text NOT NULL,
    CONSTRAINT stores_region_fkey FOREIGN KEY (country, region_code)
        REFERENCES regions (country, code) ON DELETE RESTRICT
);
