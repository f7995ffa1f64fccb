CREATE TABLE countries (
    id integer PRIMARY KEY,
    iso_code character(2) NOT NULL
);
CREATE TABLE cities (
    id integer PRIMARY KEY,
    name text NOT NULL,
    country_code character(2)
);
