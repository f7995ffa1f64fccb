CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'client');
CREATE TABLE projects (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL, title TEXT);
CREATE VIEW account_projects AS SELECT a.name, p.title FROM projects p JOIN accounts a ON a.id = p.account_id;
CREATE INDEX by_name ON accounts (name);
