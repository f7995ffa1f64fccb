INSERT INTO warehouses VALUES (1, 'main'), (2, 'overflow');
INSERT INTO bins (warehouse_id, label) VALUES (1, 'A1'), (2, 'B7');
INSERT INTO pickers VALUES (1, 2), (2, NULL);
