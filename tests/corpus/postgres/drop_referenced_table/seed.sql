INSERT INTO publishers VALUES (1, 'Acme');
INSERT INTO books VALUES (1, 'One', 1), (2, 'Two', NULL);
