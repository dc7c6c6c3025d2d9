/* router.h - the API route table: method, pattern with ":name" captures, handler, and the
 * least role that may call it. Modules hand their static tables to router_add_table() at
 * start-up; the router matches, authenticates, checks the role and calls the handler.
 * A route with min_role ROUTE_PUBLIC needs no login. */
#ifndef KEPU_ROUTER_H
#define KEPU_ROUTER_H
#include "http/request.h"

#define ROUTE_PUBLIC (-1)

typedef void (*route_handler)(request *r);

struct route {
    const char *method;
    const char *pattern;     /* "/api/v1/orgs/:id/tree" */
    route_handler handler;
    int min_role;            /* a role rank (auth/principal.h) or ROUTE_PUBLIC */
    int flags;               /* ROUTE_RAW_BODY: a file upload (see request.h), not JSON;
                              * with ROUTE_LARGE_UPLOAD, up to max_media_upload bytes */
    const char *summary;     /* one line for the API document (kepu openapi) */
    const struct entity *entity;   /* the record it reads or writes: the generic handlers'
                                    * (http/entity_http.h) and the API document's schema */
    const void *cls;         /* what a shared handler serves (an attachment kind), or NULL */
};

#define ROUTE_RAW_BODY 1
#define ROUTE_LARGE_UPLOAD 2   /* videos and audio of the resource library */

/* Authenticates r (sets r->principal, r->cookie_auth) and returns its role rank, or replies
 * (401) and returns a negative value. */
typedef int (*route_authenticator)(request *r);

/* tables: arrays ended by an entry whose handler is NULL; kept by reference. */
void router_add_table(const struct route *table);
void router_set_authenticator(route_authenticator fn);
void router_reset(void);
/* Step one of answering an /api/ request, taken on its head before any body byte is read:
 * finds the route (404, 405), captures its parameters, and for a route that needs a login
 * authenticates and checks the role (401, 403; the authenticator's own 403 or 503). True with
 * r->route set when the handler may run; false after replying. */
bool router_admit(request *r);
/* Step two, once the body is in: calls r->route's handler (500 when it gives no answer). */
void router_run(request *r);
/* Both steps at once. */
void router_dispatch(request *r);
/* Matches path against pattern, storing captures in r->params; exposed for unit tests. */
bool router_match(const char *pattern, const char *path, request *r);
/* Two routes of one method shadow each other when a path reaches both and the later one is not
 * the more general: the first in table order wins, so the later is unreachable (it matches no
 * path the earlier does not) or what answers depends on the order of the tables (each matches
 * paths the other does not). A literal listed before a capture of the same place
 * ("/x/export" before "/x/:id") is not shadowing: the literal is meant to win. Returns the number
 * of such pairs and writes the first, naming both routes, into msg (len bytes, may be 0). */
int router_check_shadowing(char *msg, size_t len);
/* Calls fn for every registered route, in table order; for the API docs and their tests. */
void router_foreach(void (*fn)(const struct route *rt, void *cls), void *cls);
/* The registered routes, in table order (*n of them); the router's own array. */
const struct route *const *router_routes(size_t *n);

#endif
