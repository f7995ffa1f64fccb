CREATE TABLE flights (carrier TEXT NOT NULL, number INTEGER NOT NULL, origin TEXT, PRIMARY KEY (carrier, number));
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    carrier TEXT NOT NULL,
    number INTEGER NOT NULL,
    seat TEXT,
    FOREIGN KEY (carrier, number) REFERENCES flights (carrier, number)
);
