CREATE TABLE readings (
    id integer PRIMARY KEY,
    raw_value text NOT NULL,
    active integer NOT NULL DEFAULT 1,
    payload text,
    taken_at timestamp without time zone,
    label character varying(40)
);
CREATE INDEX readings_label_idx ON readings (label);
