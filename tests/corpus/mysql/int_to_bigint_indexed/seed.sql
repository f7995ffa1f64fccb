INSERT INTO events (user_id, ts, counter) VALUES (1, 1700000000, 5), (1, 1700000060, 0),
  (2, 1700000000, 8388607);
