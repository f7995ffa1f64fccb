INSERT INTO events (name, obsolete) VALUES ('launch', 'x'), ('party', NULL);
