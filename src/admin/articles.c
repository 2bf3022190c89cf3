/* articles: the staff area's article lists, editor, workflow, revisions and translations. */
#include "admin/admin.h"

const app_route_t admin_article_routes[] = {
	{NULL, NULL, NULL, NULL},
};
