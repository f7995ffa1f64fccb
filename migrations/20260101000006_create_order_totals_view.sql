-- What each order comes to.

-- +borch up
CREATE VIEW order_totals AS
SELECT o.id AS order_id,
       o.customer_id AS customer_id,
       o.status AS status,
       COUNT(oi.product_id) AS item_count,
       COALESCE(SUM(oi.quantity * oi.unit_price_cents), 0) AS total_cents
FROM orders o
LEFT JOIN order_items oi ON oi.order_id = o.id
GROUP BY o.id, o.customer_id, o.status;

-- +borch down
DROP VIEW order_totals;
