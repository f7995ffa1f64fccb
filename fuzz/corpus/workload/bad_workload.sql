-- A workload with two statements borch-db must skip and report by
-- position (line 5: a syntax error; line 7: a missing table), then good
-- statements that are still analysed (lines 9, 11, 13). Same text on every engine.
SELECT id FROM customers WHERE email = 'user5@example.com';
SELEC id, total FROM orders WHERE customer_id = 5;
-- the table is misspelled
SELECT id FROM ordrs WHERE customer_id = 6;
-- the good ones
SELECT id, total FROM orders WHERE customer_id = 7 ORDER BY created_at DESC LIMIT 10;
-- a join
SELECT r.rating FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.customer_id = 8;
-- a range
SELECT count(*) FROM orders WHERE created_at >= '2026-11-01' AND created_at < '2026-11-08';
