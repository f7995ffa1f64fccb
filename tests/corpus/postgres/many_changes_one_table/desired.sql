CREATE TABLE profiles (
    id integer NOT NULL,
    handle character varying(60) NOT NULL,
    bio text,
    age integer NOT NULL DEFAULT 18,
    website text,
    CONSTRAINT profiles_pk PRIMARY KEY (id, handle),
    CONSTRAINT profiles_age_check CHECK (age >= 13),
    CONSTRAINT profiles_handle_key UNIQUE (handle)
);
CREATE INDEX profiles_website_idx ON profiles (website) WHERE website IS NOT NULL;
