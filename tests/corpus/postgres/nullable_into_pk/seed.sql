INSERT INTO stock VALUES ('north', 'A1', 5), ('south', 'A1', 7);
