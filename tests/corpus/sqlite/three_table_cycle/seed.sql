INSERT INTO a_nodes (id, label) VALUES (1, 'a1'), (2, 'a2');
INSERT INTO b_nodes (id, label) VALUES (1, 'b1'), (2, 'b2');
INSERT INTO c_nodes (id, label, a_id) VALUES (1, 'c1', 1), (2, 'c2', 2);
UPDATE b_nodes SET c_id = id;
UPDATE a_nodes SET b_id = id;
