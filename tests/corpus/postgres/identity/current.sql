CREATE TABLE counters (
    id integer NOT NULL,
    legacy_id serial NOT NULL,
    label text,
    CONSTRAINT counters_pkey PRIMARY KEY (id)
);
