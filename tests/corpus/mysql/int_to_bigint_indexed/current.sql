CREATE TABLE events (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,
  ts INT NOT NULL, counter MEDIUMINT NOT NULL DEFAULT 0,
  UNIQUE KEY events_user_ts_uq (user_id, ts), KEY events_ts_idx (ts));
