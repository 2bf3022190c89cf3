/* totp: two-factor sign-in with time-based one-time codes (RFC 6238). */
#include "auth/routes.h"

const app_route_t totp_routes[] = {
	{NULL, NULL, NULL, NULL},
};
