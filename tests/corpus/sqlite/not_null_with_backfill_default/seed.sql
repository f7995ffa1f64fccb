INSERT INTO subscriptions (email, plan, renews) VALUES ('a@x.io', 'pro', 1), ('b@x.io', 'free', 0);
