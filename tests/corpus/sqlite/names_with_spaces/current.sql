CREATE TABLE "order headers" ("order id" INTEGER PRIMARY KEY, "customer name" TEXT NOT NULL);
CREATE TABLE "line items" (
    "line id" INTEGER PRIMARY KEY,
    "order id" INTEGER NOT NULL REFERENCES "order headers" ("order id"),
    "unit price" INTEGER,
    "qty ordered" INTEGER
);
CREATE INDEX "line items by order" ON "line items" ("order id");
