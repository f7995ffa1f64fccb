INSERT INTO jobs (queue, state, run_at) VALUES ('mail', 'new', 10), ('mail', 'running', 5), ('sms', 'failed', 7), ('sms', 'new', NULL);
