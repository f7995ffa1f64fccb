INSERT INTO customers VALUES (1, 'acme'), (2, 'initech');
INSERT INTO invoices VALUES (1, 1), (2, 1), (3, 2);
