CREATE TABLE countries (
    id integer PRIMARY KEY,
    iso_code character(2) NOT NULL,
    CONSTRAINT countries_iso_code_key UNIQUE (iso_code)
);
CREATE TABLE cities (
    id integer PRIMARY KEY,
    name text NOT NULL,
    country_code character(2) REFERENCES countries (iso_code) ON UPDATE CASCADE
);
