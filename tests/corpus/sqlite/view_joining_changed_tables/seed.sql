INSERT INTO departments VALUES (1, 'eng'), (2, 'ops');
INSERT INTO staff (name, department_id, salary) VALUES ('ann', 1, 100), ('bob', 1, 90), ('cy', 2, 80), ('dee', NULL, NULL);
