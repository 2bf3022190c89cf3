/* api/public: the public read API under /api/v1 (docs/API.md, "Public read API"): published articles,
 * categories and the OpenAPI description, as JSON, for anyone, without signing in.  Every answer is the
 * same for every client (nothing depends on the request's headers), so the page cache may keep it. */
#ifndef API_PUBLIC_H
#define API_PUBLIC_H
#include "app/app.h"

/* /api/v1/categories, /api/v1/search, /api/v1/openapi.json and the CORS preflights. */
extern const app_route_t api_public_routes[];

/* 1 when the request carries no credentials (no Authorization header, no session cookie): the admin
 * API's GET handlers then hand it to the public ones below. */
int api_public_request(const http_request_t *req);

/* GET /api/v1/articles without credentials: published articles, newest first, cursor-paginated. */
void api_public_articles(http_request_t *req, http_response_t *res);
/* GET /api/v1/articles/{id} without credentials: one published article (404 for anything else). */
void api_public_article(http_request_t *req, http_response_t *res);
/* Counts a public API call against the client's address (api_rate_limit a minute); 0 after answering 429
 * (other public APIs, e.g. api/procedures.c, share the one limit). */
int api_public_allowed(http_request_t *req, http_response_t *res);
/* The CORS preflight answer of a public GET endpoint. */
void api_public_preflight(http_request_t *req, http_response_t *res);
#endif
