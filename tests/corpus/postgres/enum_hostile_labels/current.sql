CREATE TYPE "Answer" AS ENUM ('yes', 'no');
CREATE TABLE polls (id integer PRIMARY KEY, answer "Answer");
