INSERT INTO accounts VALUES (1), (2);
INSERT INTO ledger VALUES (1, 1, '2024-01-01'), (2, 2, '2024-01-02');
