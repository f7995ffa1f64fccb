INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO logs (user_id, line) VALUES (1, 'signed in'), (2, 'signed out');
