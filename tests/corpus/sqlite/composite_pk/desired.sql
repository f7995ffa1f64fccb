CREATE TABLE memberships (group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT, PRIMARY KEY (group_id, user_id));
