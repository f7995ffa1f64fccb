CREATE TYPE "Answer" AS ENUM ('yes', 'it''s "complicated"', 'back\slash', 'no', 'peut-être');
CREATE TABLE polls (id integer PRIMARY KEY, answer "Answer" DEFAULT 'it''s "complicated"');
