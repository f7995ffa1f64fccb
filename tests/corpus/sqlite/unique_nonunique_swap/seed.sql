INSERT INTO users (email, username, last_name) VALUES ('a@x.io', 'ann', 'smith'), ('b@x.io', 'bob', 'smith'), ('c@x.io', 'cy', NULL);
