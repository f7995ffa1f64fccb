CREATE TABLE customer_subscription_billing_history_entries_for_reporting_v1 (
  id INT NOT NULL PRIMARY KEY,
  subscription_plan_identifier_as_provided_by_the_payment_gateway VARCHAR(80) NOT NULL DEFAULT '',
  KEY subscription_plan_identifier_as_provided_by_the_payment_gatew_ix
    (subscription_plan_identifier_as_provided_by_the_payment_gateway),
  CONSTRAINT check_that_the_identifier_is_not_an_empty_string_ever_please_ok
    CHECK (subscription_plan_identifier_as_provided_by_the_payment_gateway <> 'x'));
