CREATE TYPE prio AS ENUM ('low', 'mid', 'high');
CREATE TABLE jobs (id integer PRIMARY KEY, p prio NOT NULL DEFAULT 'mid', history prio[]);
CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE VIEW job_view AS SELECT id, p, history FROM jobs;
CREATE VIEW low_jobs AS SELECT id FROM job_view WHERE p = 'low';
CREATE VIEW low_label AS SELECT 'low'::prio AS p;
CREATE VIEW note_view AS SELECT id, body FROM notes;
