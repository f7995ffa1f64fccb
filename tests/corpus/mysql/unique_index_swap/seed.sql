INSERT INTO accounts VALUES (1, 'a@x.org', 'ann', NULL), (2, 'b@x.org', 'bob', NULL),
  (3, 'c@x.org', 'cid', '555');
