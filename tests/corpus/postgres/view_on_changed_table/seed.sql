INSERT INTO customers VALUES (1, 'Ann', 'Paris', true), (2, 'Bob', NULL, false);
