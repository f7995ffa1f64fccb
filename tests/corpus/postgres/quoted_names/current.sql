CREATE TABLE "User" (
    "select" integer PRIMARY KEY,
    "Full Name" text,
    "we""ird" text
);
