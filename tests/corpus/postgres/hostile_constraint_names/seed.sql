INSERT INTO "Order Items" VALUES (1, 2), (2, 5);
