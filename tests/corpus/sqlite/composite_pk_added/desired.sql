CREATE TABLE tags_posts (post_id INTEGER NOT NULL, tag TEXT NOT NULL, added_by TEXT, PRIMARY KEY (post_id, tag));
CREATE INDEX tags_posts_tag_idx ON tags_posts (tag);
