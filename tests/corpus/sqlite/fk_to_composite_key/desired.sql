CREATE TABLE flights (carrier TEXT NOT NULL, number INTEGER NOT NULL, origin TEXT NOT NULL DEFAULT '', destination TEXT, PRIMARY KEY (carrier, number));
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    carrier TEXT NOT NULL,
    number INTEGER NOT NULL,
    seat TEXT,
    FOREIGN KEY (carrier, number) REFERENCES flights (carrier, number) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX bookings_flight_idx ON bookings (carrier, number);
