INSERT INTO sessions (token, expires_at, lang) VALUES ('abc123', 1700000000, 'de-DE');
INSERT INTO sessions (expires_at) VALUES (1800000000);
