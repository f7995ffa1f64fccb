-- A display name for every customer, filled from first and last name.
-- The column stays nullable: new rows get it from the application.

-- +borch up
ALTER TABLE customers ADD COLUMN display_name VARCHAR(201);

UPDATE customers
SET display_name = first_name || ' ' || last_name
WHERE display_name IS NULL;

-- +borch down
ALTER TABLE customers DROP COLUMN display_name;
