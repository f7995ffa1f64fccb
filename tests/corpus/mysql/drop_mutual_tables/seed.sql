INSERT INTO keepers VALUES (1), (2);
INSERT INTO husbands VALUES (1, NULL, 1);
INSERT INTO wives VALUES (1, 1);
UPDATE husbands SET wife_id = 1 WHERE id = 1;
