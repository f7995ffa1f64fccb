INSERT INTO customer_subscription_billing_history_entries_for_reporting_v1 VALUES (1, 'plan-a'), (2, 'plan-b');
