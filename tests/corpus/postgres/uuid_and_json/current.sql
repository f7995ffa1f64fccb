CREATE TABLE sessions (id text PRIMARY KEY, data json, flags jsonb DEFAULT '[]');
