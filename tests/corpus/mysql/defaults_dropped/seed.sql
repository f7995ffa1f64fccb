INSERT INTO jobs (id, run_at) VALUES (1, '2024-05-05 05:05:05');
INSERT INTO jobs (id, queue, attempts, priority, payload, kind) VALUES (2, 'mail', 3, 5, '[]', 'b');
