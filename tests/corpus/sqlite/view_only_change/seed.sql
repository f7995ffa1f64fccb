INSERT INTO staff (name, active) VALUES ('ann', 1), ('bob', 0);
