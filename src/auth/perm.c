/* perm: the permission matrix, in one table so the docs, the tests and the code cannot drift apart. */
#include <string.h>

#include "auth/auth.h"

enum { NO = 0, YES = 1, OWN = 2 /* only the user's own article, and only while it is a draft or returned */ };

static const struct {
	const char *name;
	unsigned char admin, publisher, editor, officer;
} perm_table[PERM__COUNT] = {
	[PERM_ARTICLE_LIST] = {"article.list", YES, YES, YES, NO},
	[PERM_ARTICLE_CREATE] = {"article.create", YES, YES, YES, NO},
	[PERM_ARTICLE_VIEW] = {"article.view", YES, YES, OWN, NO},
	[PERM_ARTICLE_EDIT] = {"article.edit", YES, YES, OWN, NO},
	[PERM_ARTICLE_SUBMIT] = {"article.submit", YES, YES, OWN, NO},
	[PERM_ARTICLE_RETURN] = {"article.return", YES, YES, NO, NO},
	[PERM_ARTICLE_PUBLISH] = {"article.publish", YES, YES, NO, NO},
	[PERM_ARTICLE_UNPUBLISH] = {"article.unpublish", YES, YES, NO, NO},
	[PERM_ARTICLE_DELETE] = {"article.delete", YES, YES, OWN, NO},
	[PERM_MEDIA_UPLOAD] = {"media.upload", YES, YES, YES, NO},
	[PERM_MEDIA_EDIT] = {"media.edit", YES, YES, YES, NO},
	[PERM_USERS] = {"users", YES, NO, NO, NO},
	[PERM_SETTINGS] = {"settings", YES, NO, NO, NO},
	[PERM_CATEGORIES] = {"categories", YES, NO, NO, NO},
	[PERM_MENUS] = {"menus", YES, NO, NO, NO},
	[PERM_AUDIT] = {"audit", YES, NO, NO, NO},
	/* the one-stop shop: admins keep the catalog and the calendar, officers process; an admin is not an
	 * officer, so no one both defines a procedure and decides its dossiers */
	[PERM_CATALOG] = {"catalog", YES, NO, NO, NO},
	[PERM_CALENDAR] = {"calendar", YES, NO, NO, NO},
	[PERM_DOSSIER] = {"dossier", NO, NO, NO, YES},
	[PERM_STATS] = {"stats", YES, YES, NO, YES},
};

int perm_allows(const auth_user_t *u, perm_t p, long long author_id, const char *status)
{
	if (!u || p < 0 || p >= PERM__COUNT)
		return 0;
	int v = !strcmp(u->role, "admin") ? perm_table[p].admin
		: !strcmp(u->role, "publisher") ? perm_table[p].publisher
		: !strcmp(u->role, "editor") ? perm_table[p].editor
		: !strcmp(u->role, "officer") ? perm_table[p].officer
		: NO;
	if (v != OWN)
		return v == YES;
	if (author_id != u->id)
		return 0;
	/* an editor may look at any of their articles, but change only what is not under review or published */
	if (p == PERM_ARTICLE_VIEW)
		return 1;
	return status && (!strcmp(status, "draft") || !strcmp(status, "returned"));
}

const char *perm_name(perm_t p)
{
	return p >= 0 && p < PERM__COUNT ? perm_table[p].name : "?";
}
