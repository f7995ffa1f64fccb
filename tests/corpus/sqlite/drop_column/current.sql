CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    nickname TEXT,
    city TEXT,
    age INTEGER
);
CREATE INDEX people_city_idx ON people (city);
