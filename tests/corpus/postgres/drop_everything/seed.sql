INSERT INTO projects (name) VALUES ('alpha');
INSERT INTO issues (project_id, title) VALUES (1, 'bug');
