INSERT INTO currencies VALUES ('EUR', 'euro', 2), ('JPY', 'yen', 0), ('USD', 'dollar', 2);
INSERT INTO legacy_accounts VALUES (1001, 'EUR', '2020-01-01'), (1002, 'JPY', NULL), (7, 'USD', '2021-06-30');
INSERT INTO event_log VALUES ('2026-01-01 00:00', 'info', 'boot'), ('2026-01-01 00:01', 'warn', NULL), ('2026-01-01 00:01', 'warn', NULL);
