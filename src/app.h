/* app.h - assembling the server: the modules' routes, health and API document, first-start
 * bootstrap. Used by main.c and by tools. */
#ifndef KEPU_APP_H
#define KEPU_APP_H
#include "db/db.h"

/* Registers every module's routes with the router. */
void app_register_routes(void);
/* On an empty database: the root node and the user admin (docs/operations.md "Running").
 * 0 on success. */
int app_bootstrap(db *c);
/* Opens url, applies migrations; prints one clear line and returns NULL on failure. */
db *app_open_database(const char *url);

#endif
