INSERT INTO teams (id, name) VALUES (1, 'reds'), (2, 'blues');
INSERT INTO players (id, name, team_id) VALUES (10, 'ann', 1), (11, 'bob', 1), (20, 'cat', 2);
UPDATE teams SET captain_id = 10 WHERE id = 1;
UPDATE teams SET captain_id = 20 WHERE id = 2;
