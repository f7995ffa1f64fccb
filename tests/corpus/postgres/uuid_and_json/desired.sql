CREATE TABLE sessions (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), data jsonb NOT NULL DEFAULT '{}', flags jsonb DEFAULT '["new"]');
CREATE INDEX sessions_data_idx ON sessions USING gin (data jsonb_path_ops);
