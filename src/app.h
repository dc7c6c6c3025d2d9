/* app.h - assembling the server: the modules' routes, health and API document, first-start
 * bootstrap. Used by main.c and by tools. */
#ifndef KEPU_APP_H
#define KEPU_APP_H
#include "db/db.h"

/* Every module's init (app_modules.h): statistics sources, check-in kinds, path copies; what
 * stats verify/rebuild, bench-fill and demo need without the routes. */
void app_init_modules(void);
/* Every module's init and routes. -1, after printing the pair on standard error, when two
 * routes shadow each other (router_check_shadowing): the server must not start. */
int app_register_routes(void);
/* On an empty database: the root node and the user admin (docs/operations.md "Running"). 0 on success. */
int app_bootstrap(db *c);
/* Opens url, applies migrations; prints one clear line and returns NULL on failure. */
db *app_open_database(const char *url);

#endif
