CREATE TABLE events (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL,
  ts BIGINT NOT NULL, counter BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY events_user_ts_uq (user_id, ts), KEY events_ts_idx (ts));
