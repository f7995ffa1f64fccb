INSERT INTO departments (id, name) VALUES (1, 'ops'), (2, 'dev');
