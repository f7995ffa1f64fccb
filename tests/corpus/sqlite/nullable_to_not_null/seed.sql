INSERT INTO accounts (owner, balance) VALUES ('ann', 10), ('bob', 0);
