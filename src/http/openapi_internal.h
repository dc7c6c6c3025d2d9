/* openapi_internal.h - between the two halves of the API document's generator: openapi.c (paths
 * and operations) and openapi_schema.c (components). Every json_t returned is a new reference. */
#ifndef KEPU_OPENAPI_INTERNAL_H
#define KEPU_OPENAPI_INTERNAL_H
#include "http/openapi.h"
#include "model/entity.h"

/* Appends the n bytes of word to out (size bytes, *o used) in CamelCase: each run of letters and
 * digits capitalized, the rest dropped ("volunteer_team" -> "VolunteerTeam"). */
void openapi_camel(char *out, size_t size, size_t *o, const char *word, size_t n);
/* {"$ref": "#/components/<kind>/<name>"} */
json_t *openapi_ref(const char *kind, const char *name);
/* One field's schema: type, limits, description, examples; input: for a request body or a
 * query argument (no readOnly, no mask notes). */
json_t *openapi_field_schema(const field *f, bool input);
/* components.schemas: Error, Object, each registered entity's record, and the Input, Update and
 * List schemas named in used (an object whose keys are schema names). */
json_t *openapi_schemas(const json_t *used);
/* components.responses: BadRequest ... Unavailable, each the Error shape. */
json_t *openapi_error_responses(void);
json_t *openapi_security_schemes(void);

#endif
