CREATE TABLE members (
    id integer PRIMARY KEY,
    email text NOT NULL,
    handle text NOT NULL,
    org_id integer,
    CONSTRAINT members_email_key UNIQUE (email),
    CONSTRAINT members_org_handle_key UNIQUE (org_id, handle)
);
