CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC NOT NULL DEFAULT 0, CHECK (length(name) > 0));
CREATE TABLE ledger (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, delta INTEGER NOT NULL, memo TEXT);
CREATE INDEX ledger_account_idx ON ledger (account_id, id);
