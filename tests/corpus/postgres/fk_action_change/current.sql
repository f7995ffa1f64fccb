CREATE TABLE owners (id integer PRIMARY KEY);
CREATE TABLE pets (
    id integer PRIMARY KEY,
    owner_id integer DEFAULT 0,
    CONSTRAINT pets_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id)
);
