CREATE TABLE "Order Items" (
    "Item ID" integer,
    "Qty" integer,
    CONSTRAINT "PK ""items""" PRIMARY KEY ("Item ID")
);
