INSERT INTO accounts (name) VALUES ('a'), ('b');
INSERT INTO payments (account_id) VALUES (1), (2), (2);
