/* views: page views are counted in memory (a hit may come from any loop or worker thread) and written to
 * the database in batches, never one write per page view. */
#include <pthread.h>
#include <string.h>

#include "db/db.h"
#include "news/news.h"

#define VIEWS_SLOTS 4096 /* distinct articles between two flushes; hits on more are dropped, not blocked */

static struct {
	long long id;
	long long count;
} views_slots[VIEWS_SLOTS];
static pthread_mutex_t views_lock = PTHREAD_MUTEX_INITIALIZER;

void news_views_hit(long long id)
{
	if (id <= 0)
		return;
	unsigned h = (unsigned)((unsigned long long)id * 2654435761u) % VIEWS_SLOTS;
	pthread_mutex_lock(&views_lock);
	for (unsigned i = 0; i < 32; i++) { /* short linear probe */
		unsigned s = (h + i) % VIEWS_SLOTS;
		if (views_slots[s].id == id || views_slots[s].id == 0) {
			views_slots[s].id = id;
			views_slots[s].count++;
			break;
		}
	}
	pthread_mutex_unlock(&views_lock);
}

int news_views_flush(db_t *db)
{
	static __typeof__(views_slots) batch;
	pthread_mutex_lock(&views_lock);
	memcpy(batch, views_slots, sizeof(batch));
	memset(views_slots, 0, sizeof(views_slots));
	pthread_mutex_unlock(&views_lock);
	int n = 0, rc = -1;
	/* counters change no page: other servers keep their caches */
	db_quiet(db, 1);
	if (db_begin(db) < 0)
		goto out;
	for (unsigned i = 0; i < VIEWS_SLOTS; i++) {
		if (!batch[i].id)
			continue;
		if (db_execf(db, "UPDATE articles SET views = views + ? WHERE id = ?", "ii", batch[i].count, batch[i].id) < 0) {
			db_rollback(db);
			goto out;
		}
		n++;
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		goto out;
	}
	rc = n;
out:
	db_quiet(db, 0);
	return rc;
}
