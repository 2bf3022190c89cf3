/* users: accounts (admins), each user's own profile, and the audit log viewer (admins). */
#include "admin/admin.h"

const app_route_t admin_user_routes[] = {
	{NULL, NULL, NULL, NULL},
};
