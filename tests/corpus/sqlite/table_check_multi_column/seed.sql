INSERT INTO bookings (room, starts, ends, guests, beds) VALUES ('101', '2026-05-01', '2026-05-04', 2, 1), ('102', '2026-05-02', '2026-05-03', 4, 2);
