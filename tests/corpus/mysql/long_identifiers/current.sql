CREATE TABLE customer_subscription_billing_history_entries_for_reporting_v1 (
  id INT NOT NULL PRIMARY KEY,
  subscription_plan_identifier_as_provided_by_the_payment_gateway VARCHAR(40));
