INSERT INTO "order" ("group", "my col") VALUES ('a', 'b'), ('c', NULL);
