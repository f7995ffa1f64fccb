INSERT INTO warehouses VALUES (1, 'north'), (2, 'south');
INSERT INTO bins VALUES (1, 'A-01', 10), (1, 'A-02', NULL), (2, 'Z-99', 5);
INSERT INTO items VALUES (1, 1, 'A-01'), (2, 2, 'Z-99'), (3, NULL, NULL);
