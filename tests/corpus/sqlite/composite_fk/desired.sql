CREATE TABLE shelves (room TEXT NOT NULL, shelf INTEGER NOT NULL, PRIMARY KEY (room, shelf));
CREATE TABLE boxes (
    id INTEGER PRIMARY KEY,
    room TEXT,
    shelf INTEGER,
    label TEXT,
    FOREIGN KEY (room, shelf) REFERENCES shelves (room, shelf) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX boxes_room_shelf_idx ON boxes (room, shelf);
