CREATE TABLE "order headers" ("order id" INTEGER PRIMARY KEY, "customer name" TEXT NOT NULL, "ship to" TEXT);
CREATE TABLE "line items" (
    "line id" INTEGER PRIMARY KEY,
    "order id" INTEGER NOT NULL REFERENCES "order headers" ("order id") ON DELETE CASCADE,
    "unit price" NUMERIC(10, 2) NOT NULL DEFAULT 0,
    "qty ordered" INTEGER CHECK ("qty ordered" > 0)
);
CREATE INDEX "line items by order" ON "line items" ("order id", "line id");
CREATE VIEW "order totals" AS SELECT "order id", sum("unit price" * "qty ordered") AS "order total" FROM "line items" GROUP BY "order id";
