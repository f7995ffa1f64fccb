CREATE TABLE profiles (
    id integer NOT NULL,
    handle character varying(30) NOT NULL,
    bio text DEFAULT '',
    age smallint,
    legacy text,
    CONSTRAINT profiles_pkey PRIMARY KEY (id),
    CONSTRAINT profiles_age_check CHECK (age > 0)
);
CREATE INDEX profiles_handle_idx ON profiles (handle);
