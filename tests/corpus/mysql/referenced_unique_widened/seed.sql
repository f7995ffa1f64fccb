INSERT INTO currencies VALUES (1, 'EUR'), (2, 'USD');
INSERT INTO prices VALUES (1, 'EUR', 100), (2, 'USD', 250), (3, 'EUR', 7);
