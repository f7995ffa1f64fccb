CREATE TYPE mood AS ENUM ('ok', 'meh');
CREATE TYPE "Size" AS ENUM ('s', 'm', 'l');
CREATE TABLE feelings (
    id integer PRIMARY KEY,
    mood mood NOT NULL DEFAULT 'ok',
    history mood[],
    size "Size"
);
