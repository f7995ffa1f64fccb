CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT, balance INTEGER);
CREATE TABLE ledger (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, delta INTEGER NOT NULL);
CREATE INDEX ledger_account_idx ON ledger (account_id);
