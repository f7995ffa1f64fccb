INSERT INTO users (email) VALUES ('ann@example.com'), ('bob@example.com');
INSERT INTO audit_log (user_id, message) VALUES (1, 'signed up'), (2, 'signed up');
