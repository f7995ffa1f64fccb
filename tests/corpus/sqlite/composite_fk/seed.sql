INSERT INTO shelves VALUES ('attic', 1), ('attic', 2), ('cellar', 1);
INSERT INTO boxes (room, shelf, label) VALUES ('attic', 1, 'books'), ('cellar', 1, 'wine'), (NULL, NULL, 'loose');
