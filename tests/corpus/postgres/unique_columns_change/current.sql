CREATE TABLE seats (id integer PRIMARY KEY, hall text NOT NULL, row_no integer NOT NULL, seat_no integer NOT NULL, CONSTRAINT seats_place_key UNIQUE (hall, seat_no));
