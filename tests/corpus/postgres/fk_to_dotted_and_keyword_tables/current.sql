CREATE TABLE "user" (id integer PRIMARY KEY);
CREATE TABLE "a.b" (id integer PRIMARY KEY);
CREATE TABLE "order" (id integer PRIMARY KEY, "user" integer, ab integer);
