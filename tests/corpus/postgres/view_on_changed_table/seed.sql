INSERT INTO customers VALUES (1, 'Ann', true, 'Paris'), (2, 'Bob', false, NULL);
