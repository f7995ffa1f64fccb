INSERT INTO orders (customer, amount, status) VALUES ('acme', 90, 'paid'), ('acme', 30, 'paid'), ('zed', 500, 'new');
