CREATE TABLE tallies (word TEXT, hits INTEGER);
