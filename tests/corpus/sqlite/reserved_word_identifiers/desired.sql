CREATE TABLE "group" ("key" TEXT PRIMARY KEY, "default" TEXT NOT NULL DEFAULT 'none', "order" INTEGER, "limit" INTEGER);
CREATE TABLE "transaction" (
    "index" INTEGER PRIMARY KEY,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "group" TEXT REFERENCES "group" ("key") ON DELETE CASCADE,
    "values" NUMERIC,
    CHECK ("from" <> "to")
);
CREATE INDEX "where" ON "transaction" ("to", "from");
CREATE VIEW "select" AS SELECT "group", count(*) AS "count" FROM "transaction" GROUP BY "group";
