-- Full-text search (search/search.c).  article_search holds the search form of each article's title,
-- lead and body: cong_fold() (registered on every connection by db_open) lowercases, drops Vietnamese
-- accents, maps đ→d and splits Chinese into overlapping bigrams; unicode61 then only has to split words.
-- Every article is indexed whatever its state: visibility is decided at query time by joining articles
-- (status 'published' and published_at come), so unpublishing hides an article at once.
--
-- The triggers do not call cong_fold themselves: they only queue the article in search_dirty, which is
-- plain SQL, so any SQLite client (the sqlite3 shell, a script, another engineer's tests) can still write
-- articles.  search_sync() re-indexes the queued articles, in one transaction, before every search.
-- lang holds the article's language as one token, so a language filter narrows the match inside FTS5.
CREATE VIRTUAL TABLE article_search USING fts5(title, lead, body, lang, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE search_dirty (
  article_id INTEGER PRIMARY KEY
);

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
BEGIN
  INSERT OR IGNORE INTO search_dirty (article_id) VALUES (new.id);
END;

CREATE TRIGGER articles_search_update AFTER UPDATE OF title, lead, body, lang ON articles
BEGIN
  INSERT OR IGNORE INTO search_dirty (article_id) VALUES (new.id);
END;

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles
BEGIN
  INSERT OR IGNORE INTO search_dirty (article_id) VALUES (old.id);
END;

-- The articles that exist already.
INSERT INTO article_search (rowid, title, lead, body, lang)
  SELECT id, cong_fold(title), cong_fold(lead), cong_fold(body), lang FROM articles;

-- Covers everything a search reads of an article while filtering its matches (search_find), so the
-- article rows, with their long bodies, are only read for the page of results shown.
CREATE INDEX articles_search_filter ON articles (id, status, published_at, lang, category_id);
