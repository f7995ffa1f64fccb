CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, placed DATE NOT NULL);
CREATE TABLE order_items (order_id BIGINT NOT NULL, line INT NOT NULL, sku VARCHAR(40) NOT NULL,
  qty INT NOT NULL DEFAULT 1, PRIMARY KEY (order_id, line), KEY order_items_sku_idx (sku),
  CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE);
