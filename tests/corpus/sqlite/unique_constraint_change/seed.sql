INSERT INTO slots (day, hour, room) VALUES ('mon', 9, 'a'), ('mon', 10, 'a'), ('tue', 9, NULL);
