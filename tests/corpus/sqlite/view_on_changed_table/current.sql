CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, amount INTEGER);
CREATE VIEW sales_by_region AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
