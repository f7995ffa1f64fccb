CREATE TABLE "group" ("key" TEXT PRIMARY KEY, "default" TEXT, "order" INTEGER);
CREATE TABLE "transaction" (
    "index" INTEGER PRIMARY KEY,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "group" TEXT REFERENCES "group" ("key"),
    "values" TEXT
);
CREATE INDEX "where" ON "transaction" ("from", "to");
