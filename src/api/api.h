/* api: the JSON admin API under /api/v1 (docs/API.md): the same permissions and workflow as the staff pages. */
#ifndef API_API_H
#define API_API_H
#include "app/app.h"

extern const app_route_t api_routes[];
#endif
