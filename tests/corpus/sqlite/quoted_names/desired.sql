CREATE TABLE "order" ("id" INTEGER PRIMARY KEY, "group" TEXT NOT NULL DEFAULT 'x', "my col" TEXT, "select" INTEGER);
CREATE INDEX "order by group" ON "order" ("group");
