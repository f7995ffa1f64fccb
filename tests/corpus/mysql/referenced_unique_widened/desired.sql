CREATE TABLE currencies (id INT NOT NULL PRIMARY KEY, code VARCHAR(8) NOT NULL, UNIQUE KEY currencies_code_uq (code));
CREATE TABLE prices (id INT NOT NULL PRIMARY KEY, currency VARCHAR(8) NOT NULL, amount INT NOT NULL,
  CONSTRAINT prices_currency_fk FOREIGN KEY (currency) REFERENCES currencies (code) ON UPDATE CASCADE);
