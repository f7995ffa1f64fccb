INSERT INTO clients VALUES (1, 'acme');
INSERT INTO invoices VALUES (1, NULL, 10), (2, NULL, 20);
