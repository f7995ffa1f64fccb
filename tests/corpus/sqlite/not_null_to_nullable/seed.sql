INSERT INTO tickets (subject, assignee) VALUES ('broken', 'ann'), ('slow', 'bob');
