-- The advise-indexes workload of the shop (SQLite). Markers read by
-- tests/e2e/test_advise_cli.c (comments, so borch-db ignores them):
--   "-- params: v1, v2"  literals the test puts in place of ? to plan it
--   "-- noindex"         no index can serve this statement
-- 1 equality lookup on a non-indexed column
-- params: 'user1234@example.com'
SELECT * FROM customers WHERE email = ?;
-- 2 a customer's last orders (equality + ORDER BY ... LIMIT)
-- params: 4242
SELECT id, status, total FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT 10;
-- 3 equality + range
SELECT id, customer_id, total FROM orders WHERE status = 'pending' AND created_at >= '2026-10-01';
-- 4 a range of dates
SELECT count(*) FROM orders WHERE created_at >= '2026-11-01' AND created_at < '2026-11-08';
-- 5 equality on a unique code
SELECT id, name, price FROM products WHERE sku = 'SKU-000777';
-- 6 equality + ORDER BY ... LIMIT
-- params: 42
SELECT id, name, price FROM products WHERE category_id = ? ORDER BY price LIMIT 20;
-- 7 the items of an order
-- params: 31337
SELECT * FROM order_items WHERE order_id = ?;
-- 8 join on a non-indexed foreign key
-- params: 31338
SELECT oi.quantity, p.name FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = ?;
-- 9 join: a customer's orders by email
-- params: 'user77@example.com'
SELECT o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.email = ?;
-- 10 join of three tables
SELECT c.email, o.id, oi.product_id, oi.quantity FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_items oi ON oi.order_id = o.id WHERE c.email = 'user42@example.com';
-- 11 latest reviews of a product
-- params: 17
SELECT id, rating, body FROM reviews WHERE product_id = ? ORDER BY created_at DESC LIMIT 5;
-- 12 aggregate over one product
SELECT avg(rating), count(*) FROM reviews WHERE product_id = 1717;
-- 13 a customer's reviews
-- params: 999
SELECT id, product_id, rating FROM reviews WHERE customer_id = ?;
-- 14 two-column equality
SELECT id, email FROM customers WHERE last_name = 'Last42' AND first_name = 'First42';
-- 15 a rare status
SELECT id, email FROM customers WHERE status = 'blocked' AND created_at >= '2026-06-01';
-- 16 LIKE with a prefix
SELECT id, email FROM customers WHERE email LIKE 'user1234%';
-- 17 UPDATE with WHERE
-- params: 4243
UPDATE orders SET status = 'cancelled' WHERE customer_id = ? AND status = 'pending';
-- 18 DELETE with WHERE
-- params: 998
DELETE FROM reviews WHERE customer_id = ? AND created_at < '2024-06-01';
-- 19 UPDATE by a unique code
-- params: 'SKU-000778'
UPDATE products SET price = price * 1.1 WHERE sku = ?;
-- 20 IN list
SELECT id, status, total FROM orders WHERE customer_id IN (1, 2, 3, 4, 5);
-- 21 IN list + range
SELECT id, name FROM products WHERE category_id IN (3, 7, 11) AND price < 20;
-- 22 range + GROUP BY
SELECT status, count(*) FROM orders WHERE created_at >= '2026-11-20' GROUP BY status;
-- 23 equality + GROUP BY
SELECT customer_id, count(*) FROM orders WHERE status = 'pending' GROUP BY customer_id;
-- 24 join: a customer's reviewed products
-- params: 1001
SELECT p.name, r.rating FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.customer_id = ?;
-- 25 range + ORDER BY ... LIMIT
SELECT id, total FROM orders WHERE total > 995 ORDER BY total DESC LIMIT 10;
-- 26 served by the existing customers_country_city_idx
SELECT id, email FROM customers WHERE country = 'FR' AND city = 'FR-city3';
-- 27 a range of sign-up dates
SELECT count(*) FROM customers WHERE created_at >= '2026-11-20';
-- 28 equality on two columns + ORDER BY ... LIMIT
SELECT id, name FROM products WHERE active = 1 AND category_id = 5 ORDER BY created_at DESC LIMIT 10;
-- 29 join through the order to its items, by customer
-- params: 4244
SELECT sum(oi.quantity * oi.unit_price) FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.customer_id = ?;
-- 30 join to a small table by its primary key
-- params: 'SKU-001234'
SELECT p.name, c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE p.sku = ?;
-- 31 a product's recent reviews with a rating
SELECT id, body FROM reviews WHERE product_id = 77 AND rating = 1;
-- 32 LIKE with a leading wildcard
-- noindex
SELECT id, first_name, last_name FROM customers WHERE email LIKE '%@example.org';
-- 33 a function on the column
-- noindex
SELECT count(*) FROM orders WHERE strftime('%Y', created_at) = '2025';
-- 34 aggregation over a whole table
-- noindex
SELECT sum(total), avg(total) FROM orders;
-- 35 substring search
-- noindex
SELECT id FROM reviews WHERE lower(body) LIKE '%broken%';
