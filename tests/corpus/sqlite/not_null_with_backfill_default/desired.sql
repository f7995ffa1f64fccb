CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, email TEXT NOT NULL, plan TEXT NOT NULL DEFAULT 'free', renews INTEGER NOT NULL DEFAULT 1, trial_days INTEGER NOT NULL DEFAULT 14);
CREATE INDEX subscriptions_plan_idx ON subscriptions (plan);
CREATE INDEX subscriptions_email_plan_idx ON subscriptions (email, plan);
