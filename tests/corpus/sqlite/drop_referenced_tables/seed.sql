INSERT INTO parents (id, name) VALUES (1, 'ann');
INSERT INTO kids (parent_id) VALUES (1), (1);
INSERT INTO other (v) VALUES ('keep me');
