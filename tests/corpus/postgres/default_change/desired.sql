CREATE TABLE tickets (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'new',
    priority integer,
    opened_at timestamp with time zone DEFAULT now(),
    flags integer NOT NULL DEFAULT (1 + 1),
    weekend boolean DEFAULT (EXTRACT(dow FROM now()) IN (0, 6)),
    unset boolean NOT NULL DEFAULT (current_setting('app.mode', true) IS NULL)
);
