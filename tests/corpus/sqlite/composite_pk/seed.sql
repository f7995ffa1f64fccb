INSERT INTO memberships (group_id, user_id, role) VALUES (1, 10, 'owner'), (2, 10, 'member'), (3, 11, NULL);
