-- Indexes for the foreign keys, the pending-orders queue and product search.

-- +borch up
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending';
CREATE INDEX products_name_idx ON products (name);

-- +borch down
DROP INDEX products_name_idx;
DROP INDEX orders_pending_idx;
DROP INDEX order_items_product_id_idx;
DROP INDEX orders_customer_id_idx;
