CREATE TABLE currencies (id INT NOT NULL PRIMARY KEY, code CHAR(3) NOT NULL, UNIQUE KEY currencies_code_uq (code));
CREATE TABLE prices (id INT NOT NULL PRIMARY KEY, currency CHAR(3) NOT NULL, amount INT NOT NULL,
  CONSTRAINT prices_currency_fk FOREIGN KEY (currency) REFERENCES currencies (code) ON UPDATE CASCADE);
