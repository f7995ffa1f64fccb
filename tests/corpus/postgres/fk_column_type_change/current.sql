CREATE TABLE accounts (id integer PRIMARY KEY);
CREATE TABLE payments (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE);
CREATE INDEX payments_account_idx ON payments (account_id);
