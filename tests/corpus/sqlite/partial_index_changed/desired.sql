CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'new', run_at INTEGER);
CREATE INDEX jobs_pending_idx ON jobs (queue, run_at) WHERE state IN ('new', 'retry');
CREATE UNIQUE INDEX jobs_running_idx ON jobs (queue) WHERE state = 'running' AND run_at IS NOT NULL;
CREATE INDEX jobs_failed_idx ON jobs (run_at);
