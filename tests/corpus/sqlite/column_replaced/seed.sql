INSERT INTO tasks (title, is_done, due) VALUES ('write tests', 1, '2026-02-01'), ('ship', 0, NULL);
