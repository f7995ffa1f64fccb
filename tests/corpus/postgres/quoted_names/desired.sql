CREATE TABLE "User" (
    "select" integer PRIMARY KEY,
    "Full Name" character varying(100) NOT NULL,
    "order" integer DEFAULT 0
);
CREATE TABLE "group" (
    id integer PRIMARY KEY,
    "User" integer REFERENCES "User" ("select")
);
CREATE INDEX "group_User_idx" ON "group" ("User");
