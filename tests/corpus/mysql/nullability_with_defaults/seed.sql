INSERT INTO customers VALUES (1, 'a@x.org', '', 'DE', '1990-05-01', 1),
  (2, 'b@x.org', '+1 555', 'US', '1985-12-31', 0);
