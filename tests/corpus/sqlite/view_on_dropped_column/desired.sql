CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL, joined TEXT);
CREATE VIEW member_names AS SELECT id, name FROM members;
