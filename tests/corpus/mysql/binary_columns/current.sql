CREATE TABLE files (id INT NOT NULL PRIMARY KEY, uuid BINARY(16) NOT NULL, digest VARBINARY(32),
  data BLOB, thumb TINYBLOB, UNIQUE KEY files_uuid_uq (uuid));
