INSERT INTO "order headers" VALUES (1, 'acme'), (2, 'globex');
INSERT INTO "line items" ("order id", "unit price", "qty ordered") VALUES (1, 5, 2), (1, 7, 1), (2, 3, 10);
