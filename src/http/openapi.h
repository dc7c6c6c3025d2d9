/* openapi.h - the API document (OpenAPI 3.1), generated from the route table (http/router.h)
 * and the registered entities (model/entity.h), never written by hand: `kepu openapi` prints it
 * and the server answers it at GET /api/v1/openapi.json. docs/api.md keeps the prose.
 *
 * What comes from where: one path item per route pattern (":id" -> "{id}"), an operation per
 * route with its summary, least role (x-min-role) and security; success and error responses by
 * simple rules (openapi.c); schemas, request bodies and list filters from the route's entity
 * when it has one, a generic object otherwise. */
#ifndef KEPU_OPENAPI_H
#define KEPU_OPENAPI_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The document for the routes and entities registered now (after app_register_routes());
 * a new reference the caller releases. Same routes, same document, byte for byte. */
json_t *openapi_document(void);

/* The first route of openapi.c's success-status exceptions that names no registered route (so
 * is stale), or NULL; after app_register_routes(). */
const char *openapi_stale_exception(void);

/* "/api/v1/orgs/:id/tree" -> "/orgs/{id}/tree" (paths are relative to the server URL
 * /api/v1); false when pattern lacks the prefix or out (size bytes) is too small. */
bool openapi_path(const char *pattern, char *out, size_t size);

/* The component name of an entity's schema: "volunteer_team" -> "VolunteerTeam", plus suffix
 * ("" for the record, "Input", "Update", "List"). */
void openapi_schema_name(const char *entity_name, const char *suffix, char *out, size_t size);

#endif
