CREATE TYPE prio AS ENUM ('high', 'mid', 'low');
CREATE TABLE jobs (id integer PRIMARY KEY, p prio NOT NULL DEFAULT 'low', history prio[]);
