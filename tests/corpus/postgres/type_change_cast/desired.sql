CREATE TABLE readings (
    id integer PRIMARY KEY,
    raw_value integer NOT NULL,
    active boolean NOT NULL DEFAULT true,
    payload jsonb,
    taken_at timestamp with time zone,
    label text
);
CREATE INDEX readings_label_idx ON readings (label);
