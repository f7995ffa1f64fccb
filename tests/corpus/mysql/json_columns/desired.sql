CREATE TABLE products (id INT NOT NULL PRIMARY KEY, attrs JSON NOT NULL, meta JSON NOT NULL DEFAULT ('{}'),
  name VARCHAR(40) NOT NULL, tags JSON DEFAULT ('[]'),
  CONSTRAINT products_attrs_obj CHECK (json_type(attrs) = 'OBJECT'));
