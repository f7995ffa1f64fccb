INSERT INTO items (name) VALUES ('bolt'), ('nut'), ('washer');
