INSERT INTO members (name, legacy_code, joined) VALUES ('ann', 'A1', '2020'), ('bob', NULL, '2021');
