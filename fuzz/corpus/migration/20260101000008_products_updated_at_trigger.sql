-- Keeps products.updated_at current on every change. The WHEN clause stops
-- the trigger's own UPDATE from firing it again.

-- +borch up
CREATE TRIGGER products_touch_updated_at
AFTER UPDATE ON products
FOR EACH ROW
WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE products SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

-- +borch down
DROP TRIGGER products_touch_updated_at;
