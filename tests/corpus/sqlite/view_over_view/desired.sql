CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC NOT NULL, status TEXT NOT NULL DEFAULT 'new', placed_at TEXT);
CREATE VIEW paid_orders AS SELECT id, customer, amount FROM orders WHERE status = 'paid';
CREATE VIEW revenue_by_customer AS SELECT customer, sum(amount) AS revenue FROM paid_orders GROUP BY customer;
CREATE VIEW top_customers AS SELECT customer FROM revenue_by_customer WHERE revenue > 100;
