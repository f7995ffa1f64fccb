CREATE TABLE batches (id INT NOT NULL, label VARCHAR(20));
CREATE TABLE samples (id INT NOT NULL PRIMARY KEY, batch_id INT, KEY samples_batch_idx (batch_id));
