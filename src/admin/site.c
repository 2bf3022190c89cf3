/* site: site settings, categories and menus (admins only). */
#include "admin/admin.h"

const app_route_t admin_site_routes[] = {
	{NULL, NULL, NULL, NULL},
};
