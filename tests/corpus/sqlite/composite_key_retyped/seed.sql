INSERT INTO periods VALUES (2026, 1, 1), (2026, 2, 0);
INSERT INTO entries (year, month, amount) VALUES (2026, 1, 100), (2026, 1, -40), (2026, 2, 7);
