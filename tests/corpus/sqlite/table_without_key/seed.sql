INSERT INTO tallies VALUES ('a', 1), ('b', 2);
