/* search_sql: the part of the article search statements both backends share.  Each backend's matching
 * step (FTS5 or tsvector) runs first, on its own (a MATERIALIZED CTE, so the planner cannot trade the
 * full-text index for a scan of articles); the visibility rule and the filters join articles after: a
 * draft, a scheduled or an unpublished article can never be listed, whatever the index holds. */
#ifndef DB_SEARCH_SQL_H
#define DB_SEARCH_SQL_H

#define DB_SEARCH_SQL(match, hint, order)                                                                  \
	"WITH m AS MATERIALIZED (" match ") SELECT a.id, count(*) OVER ()"                                  \
	" FROM m JOIN articles a" hint " ON a.id = m.id"                                                     \
	" WHERE a.status = 'published' AND a.published_at <= ? AND a.published_at >= ?"                     \
	" AND (? = 0 OR a.category_id = ? OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ?))" \
	" ORDER BY " order " LIMIT ? OFFSET ?"
#endif
