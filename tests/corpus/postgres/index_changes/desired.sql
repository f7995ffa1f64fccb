CREATE TABLE logs (id integer PRIMARY KEY, level text NOT NULL, at timestamp with time zone NOT NULL, host text);
CREATE INDEX logs_at_idx ON logs (level, at);
CREATE INDEX logs_errors_idx ON logs (at) WHERE level = ANY (ARRAY['error', 'fatal']);
CREATE INDEX logs_host_at_idx ON logs (host, at);
CREATE INDEX logs_host_lower_idx ON logs (upper(host), (lower(level)));
