INSERT INTO flights VALUES ('LH', 400, 'FRA'), ('BA', 117, 'LHR');
INSERT INTO bookings (carrier, number, seat) VALUES ('LH', 400, '12A'), ('LH', 400, '12B'), ('BA', 117, NULL);
