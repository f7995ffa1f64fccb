CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy_code TEXT, joined TEXT);
CREATE VIEW member_codes AS SELECT id, legacy_code FROM members;
CREATE VIEW member_names AS SELECT id, name FROM members;
