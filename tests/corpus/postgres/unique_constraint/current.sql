CREATE TABLE members (
    id integer PRIMARY KEY,
    email text NOT NULL,
    handle text NOT NULL,
    org_id integer,
    CONSTRAINT members_handle_key UNIQUE (handle)
);
