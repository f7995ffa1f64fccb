CREATE SCHEMA "Ref Data";
CREATE TABLE "Ref Data".currencies (code char(3) PRIMARY KEY, name text);
INSERT INTO "Ref Data".currencies VALUES ('EUR', 'euro'), ('USD', 'dollar');
CREATE TABLE orders (id integer PRIMARY KEY, currency char(3));
