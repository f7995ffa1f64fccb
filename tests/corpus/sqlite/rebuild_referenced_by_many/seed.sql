INSERT INTO customers VALUES (1, 'ann', 'ann@x.io'), (2, 'bob', NULL), (3, 'cy', 'cy@x.io');
INSERT INTO addresses (customer_id, line) VALUES (1, '1 main st'), (1, '2 side st'), (2, 'po box 9');
INSERT INTO carts (customer_id) VALUES (1), (3), (NULL);
INSERT INTO notes (customer_id, body) VALUES (2, 'vip'), (3, 'late payer');
INSERT INTO invoices (customer_id) VALUES (1), (1), (3);
