INSERT INTO flags (name) VALUES ('a'), ('b');
