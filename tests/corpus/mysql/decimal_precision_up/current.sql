CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, total DECIMAL(8,2) NOT NULL DEFAULT 0.00,
  tax DECIMAL(5,3), currency VARCHAR(3) NOT NULL DEFAULT 'EUR', memo VARCHAR(50),
  KEY invoices_memo_idx (memo));
