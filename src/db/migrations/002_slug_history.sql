-- Whatever changes an article's slug (editor, import, a hand-written UPDATE), the old URL keeps working:
-- the old slug is recorded and answers 301.  A slug taken back by its article stops redirecting.
CREATE TRIGGER articles_slug_history AFTER UPDATE OF slug ON articles
WHEN old.slug <> new.slug
BEGIN
  DELETE FROM article_old_slugs WHERE lang = new.lang AND slug = new.slug;
  INSERT INTO article_old_slugs (lang, slug, article_id) VALUES (old.lang, old.slug, old.id)
    ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id;
END;
