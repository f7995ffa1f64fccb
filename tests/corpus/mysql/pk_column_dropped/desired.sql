CREATE TABLE memberships (user_id INT NOT NULL, group_id INT NOT NULL, PRIMARY KEY (user_id, group_id));
