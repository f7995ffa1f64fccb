INSERT INTO "User" VALUES (1, 'Ann Lee', 'x'), (2, 'Bob Roe', NULL);
