CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount NUMERIC);
CREATE VIEW sales_by_region AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE VIEW big_sales AS SELECT id, amount FROM sales WHERE amount > 100;
