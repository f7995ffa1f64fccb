WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO accounts (id, name, balance) SELECT i, 'acct' || i, i * 10 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
INSERT INTO ledger (account_id, delta) SELECT (i % 2000) + 1, i - 3000 FROM n;
