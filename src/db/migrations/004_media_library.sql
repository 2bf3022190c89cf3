-- The media library: who uploaded an image and under which file name, when its text last changed, and a
-- search text (alt + caption + file name folded by utf8_fold: no diacritics, đ → d, lower case) that the
-- program computes.  Any change to the folded columns, whoever makes it, sets search back to NULL, and the
-- library recomputes the NULL ones before it searches: the index can never go stale.
ALTER TABLE media ADD COLUMN uploaded_by INTEGER REFERENCES users (id);
ALTER TABLE media ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN search TEXT;
CREATE INDEX media_by_time ON media (created_at, id);
CREATE INDEX media_search_stale ON media (id) WHERE search IS NULL;

CREATE TRIGGER media_search_reset AFTER UPDATE OF alt, caption, original_name ON media
BEGIN
  UPDATE media SET search = NULL WHERE id = new.id;
END;
