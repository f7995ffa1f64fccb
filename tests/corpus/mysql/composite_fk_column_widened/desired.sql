CREATE TABLE warehouses (id INT NOT NULL PRIMARY KEY, name VARCHAR(40));
CREATE TABLE bins (warehouse_id INT NOT NULL, code VARCHAR(16) NOT NULL, capacity INT,
  PRIMARY KEY (warehouse_id, code),
  CONSTRAINT bins_warehouse_fk FOREIGN KEY (warehouse_id) REFERENCES warehouses (id));
CREATE TABLE items (id INT NOT NULL PRIMARY KEY, warehouse_id INT, bin_code VARCHAR(16),
  CONSTRAINT items_bin_fk FOREIGN KEY (warehouse_id, bin_code) REFERENCES bins (warehouse_id, code)
    ON UPDATE CASCADE ON DELETE SET NULL);
