INSERT INTO accounts VALUES (1, 'a@x.org', '123', 'pro'), (2, 'b@x.org', '456', 'free');
