CREATE TYPE prio AS ENUM ('low', 'mid', 'high', 'urgent');
CREATE TABLE jobs (id integer PRIMARY KEY, p prio NOT NULL DEFAULT 'mid', history prio[]);
