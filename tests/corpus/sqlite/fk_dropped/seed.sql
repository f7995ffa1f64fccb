INSERT INTO vendors VALUES (1, 'acme'), (2, 'initech');
INSERT INTO purchases (vendor_id, approver_id, amount) VALUES (1, 2, 100), (2, NULL, 50), (NULL, 1, 5);
