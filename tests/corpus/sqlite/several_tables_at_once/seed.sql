INSERT INTO regions (id, name) VALUES (1, 'north'), (2, 'south');
INSERT INTO stores (id, region_id, name) VALUES (1, 1, 'n1'), (2, 2, 's1');
INSERT INTO audits (store_id, note) VALUES (1, 'ok'), (2, 'late'), (2, 'fine');
INSERT INTO obsolete VALUES (1);
