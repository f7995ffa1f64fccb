INSERT INTO "group" VALUES ('g1', 'x', 1), ('g2', 'y', 2);
INSERT INTO "transaction" ("from", "to", "group", "values") VALUES ('a', 'b', 'g1', '10'), ('b', 'c', 'g2', '20'), ('c', 'a', NULL, NULL);
