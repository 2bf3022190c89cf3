-- As for articles (002): a category's old slug in a language keeps answering, with a 301 to the new URL.
CREATE TABLE category_old_slugs (
  lang        TEXT NOT NULL,
  slug        TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories (id),
  PRIMARY KEY (lang, slug)
);

CREATE TRIGGER category_slug_history AFTER UPDATE OF slug ON category_i18n
WHEN old.slug <> new.slug
BEGIN
  DELETE FROM category_old_slugs WHERE lang = new.lang AND slug = new.slug;
  INSERT INTO category_old_slugs (lang, slug, category_id) VALUES (old.lang, old.slug, old.category_id)
    ON CONFLICT (lang, slug) DO UPDATE SET category_id = excluded.category_id;
END;

-- a deleted category takes its old slugs with it
CREATE TRIGGER category_slug_history_delete AFTER DELETE ON categories
BEGIN
  DELETE FROM category_old_slugs WHERE category_id = old.id;
END;
