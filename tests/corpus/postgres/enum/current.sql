CREATE TYPE old_kind AS ENUM ('x', 'y');
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    state text NOT NULL DEFAULT 'todo',
    kind old_kind
);
