CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, total DECIMAL(14,4) NOT NULL DEFAULT 0.0000,
  tax DECIMAL(7,4), currency CHAR(3) NOT NULL DEFAULT 'EUR', memo VARCHAR(255),
  KEY invoices_memo_idx (memo));
