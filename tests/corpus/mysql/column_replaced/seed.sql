INSERT INTO users VALUES (1, 'Ann Lee', 'ann@x.org', 30), (2, 'Bob Ray', 'ann@x.org', NULL);
