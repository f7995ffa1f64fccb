CREATE TABLE users (
    id serial PRIMARY KEY,
    email text NOT NULL
);
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    user_id integer REFERENCES users (id),
    message text
);
CREATE INDEX audit_log_user_idx ON audit_log (user_id);
