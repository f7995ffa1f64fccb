INSERT INTO accounts VALUES (1, 'Ann', '555-0100', 'eu'), (2, 'Bob', '555-0101', 'us');
