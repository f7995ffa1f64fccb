INSERT INTO tickets (id, flags) VALUES (1, 0), (2, 5);
