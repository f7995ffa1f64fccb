INSERT INTO UserAccounts (emailAddress, createdAt) VALUES ('a@x.org', '2024-01-01'), ('b@x.org', '2024-01-02');
INSERT INTO Posts VALUES (1, 1, 'Hello'), (2, 2, 'World');
