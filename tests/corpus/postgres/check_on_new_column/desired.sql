CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name text NOT NULL,
    capacity integer NOT NULL DEFAULT 4 CHECK (capacity BETWEEN 1 AND 500),
    floor smallint,
    CONSTRAINT rooms_name_floor_check CHECK (floor IS NULL OR length(name) > floor)
);
