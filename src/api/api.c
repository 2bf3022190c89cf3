#include "api/api.h"

const app_route_t api_routes[] = {
	{NULL, NULL, NULL, NULL},
};
