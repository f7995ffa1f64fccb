CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY);
CREATE TABLE ledger (id INT NOT NULL PRIMARY KEY, account_id INT NOT NULL, booked DATE NOT NULL,
  KEY ledger_account_day_idx (account_id, booked),
  CONSTRAINT ledger_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT ledger_account_audit_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE);
