CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, email TEXT NOT NULL, plan TEXT, renews INTEGER);
CREATE INDEX subscriptions_plan_idx ON subscriptions (plan);
