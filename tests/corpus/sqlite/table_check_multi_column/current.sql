CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    room TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    guests INTEGER NOT NULL,
    beds INTEGER NOT NULL,
    CONSTRAINT bookings_guests CHECK (guests <= beds * 3)
);
