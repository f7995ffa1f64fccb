INSERT INTO contacts (email, first, last, data) VALUES (' Ann@Example.com', 'Ann', 'Lee', '{"a":1}'), ('bob@example.com', 'Bob', 'Ray', NULL);
