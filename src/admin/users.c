/* users: accounts, the audit log viewer, site settings, categories and menus (admins only). */
#include "admin/admin.h"

const app_route_t admin_user_routes[] = {
	{NULL, NULL, NULL, NULL},
};
