/* media: the staff area's media library. */
#include "admin/admin.h"

const app_route_t admin_media_routes[] = {
	{NULL, NULL, NULL, NULL},
};
