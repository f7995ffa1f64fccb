CREATE TABLE "Order Items" (
    "Item ID" integer,
    "Qty" integer NOT NULL DEFAULT 1,
    "from" text,
    CONSTRAINT "PK ""items""" PRIMARY KEY ("Item ID"),
    CONSTRAINT "Qty > 0" CHECK ("Qty" > 0),
    CONSTRAINT "unique ""from""" UNIQUE ("from")
);
CREATE INDEX "Items; DROP TABLE x" ON "Order Items" ("Qty") WHERE "from" IS NOT NULL;
