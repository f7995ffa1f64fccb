INSERT INTO customers (email, phone, tax_id) VALUES ('a@example.com', '123', 'x1'), ('b@example.com', NULL, NULL);
