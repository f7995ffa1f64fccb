INSERT INTO regions VALUES (1, 'emea'), (2, 'apac');
INSERT INTO companies VALUES (1, NULL, 1);
INSERT INTO offices VALUES (1, 1);
INSERT INTO people VALUES (1, 1);
UPDATE companies SET ceo_id = 1 WHERE id = 1;
