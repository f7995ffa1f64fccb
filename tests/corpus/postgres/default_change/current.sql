CREATE TABLE tickets (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'open',
    priority integer DEFAULT 3,
    opened_at timestamp with time zone,
    flags integer NOT NULL
);
