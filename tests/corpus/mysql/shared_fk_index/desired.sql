CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY);
CREATE TABLE ledger (id INT NOT NULL PRIMARY KEY, account_id INT NOT NULL, booked DATE NOT NULL,
  CONSTRAINT ledger_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id));
