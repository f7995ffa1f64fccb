CREATE TYPE mood AS ENUM ('great', 'ok', 'meh', 'bad');
CREATE TYPE "Size" AS ENUM ('l', 'm', 's');
CREATE TABLE feelings (
    id integer PRIMARY KEY,
    mood mood NOT NULL DEFAULT 'ok',
    history mood[],
    size "Size"
);
