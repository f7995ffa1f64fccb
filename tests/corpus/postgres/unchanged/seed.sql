INSERT INTO widgets (name, color) VALUES ('a', 'red'), ('b', NULL);
