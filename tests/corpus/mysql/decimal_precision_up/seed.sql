INSERT INTO invoices VALUES (1, 123456.78, 19.000, 'EUR', 'first'), (2, 0, NULL, 'USD', NULL),
  (3, -99.99, 7.125, 'GBP', 'refund');
