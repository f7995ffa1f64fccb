CREATE TABLE blobs (
    id integer PRIMARY KEY,
    doc jsonb,
    key text NOT NULL
);
CREATE INDEX blobs_key_idx ON blobs (key);
