INSERT INTO orders VALUES (1, 'EUR'), (2, NULL), (3, 'USD');
