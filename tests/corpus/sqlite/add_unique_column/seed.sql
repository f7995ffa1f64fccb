INSERT INTO devices (label) VALUES ('printer'), ('router');
