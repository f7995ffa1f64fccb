CREATE TYPE task_state AS ENUM ('todo', 'doing', 'done', 'won''t do');
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    state task_state NOT NULL DEFAULT 'todo'
);
