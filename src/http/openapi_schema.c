/* openapi_schema.c - the API document's schemas (see openapi.h): each registered entity's record,
 * its create and update bodies and its page, from the field table; and the shared ones (Error,
 * Object, the security schemes, the error responses). */
#include "http/openapi_internal.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

void openapi_camel(char *out, size_t size, size_t *o, const char *word, size_t n)
{
    bool upper = true;
    for (size_t i = 0; i < n && *o + 1 < size; i++) {
        if (!isalnum((unsigned char)word[i])) { upper = true; continue; }
        out[(*o)++] = upper ? (char)toupper((unsigned char)word[i]) : word[i];
        upper = false;
    }
    out[*o] = 0;
}

void openapi_schema_name(const char *entity_name, const char *suffix, char *out, size_t size)
{
    size_t o = 0;
    openapi_camel(out, size, &o, entity_name, strlen(entity_name));
    snprintf(out + o, size - o, "%s", suffix);
}

json_t *openapi_ref(const char *kind, const char *name)
{
    char ref[160];
    snprintf(ref, sizeof ref, "#/components/%s/%s", kind, name);
    return json_pack("{s:s}", "$ref", ref);
}

static void add_enum(json_t *s, const field *f)
{
    json_t *values = json_array();
    for (const char *const *c = f->choices; c && *c; c++) json_array_append_new(values, json_string(*c));
    if (!(f->flags & FF_REQUIRED)) json_array_append_new(values, json_null());
    json_object_set_new(s, "enum", values);
}

/* The JSON type of one field, with its limits. */
static json_t *type_schema(const field *f)
{
    switch (f->type) {
    case FT_ID: case FT_INT: case FT_INT32: case FT_INT_NULL: {
        json_t *type = f->type == FT_INT_NULL ? json_pack("[s, s]", "integer", "null") : json_string("integer");
        json_t *s = json_pack("{s:o, s:s}", "type", type, "format", f->type == FT_INT32 ? "int32" : "int64");
        if (f->min < f->max) {
            json_object_set_new(s, "minimum", json_integer(f->min));
            json_object_set_new(s, "maximum", json_integer(f->max));
        }
        return s;
    }
    case FT_BOOL: return json_pack("{s:s}", "type", "boolean");
    case FT_TEXT_LIST: {
        json_t *item = json_pack("{s:s, s:i}", "type", "string", "minLength", 1);
        if (f->item_chars > 0) json_object_set_new(item, "maxLength", json_integer(f->item_chars));
        json_t *s = json_pack("{s:s, s:o}", "type", "array", "items", item);
        if (f->max > 0) json_object_set_new(s, "maxItems", json_integer(f->max));
        return s;
    }
    case FT_JSON: return json_object();   /* any JSON value of the module's own shape */
    default: break;
    }
    /* A text that may be NULL is written as null; a required one is always set. */
    json_t *s = json_pack("{s:o}", "type", f->flags & FF_REQUIRED ? json_string("string")
                                                                : json_pack("[s, s]", "string", "null"));
    if (f->type == FT_DAY) json_object_set_new(s, "format", json_string("date"));
    if (f->type == FT_TIME) json_object_set_new(s, "format", json_string("date-time"));
    if (f->type == FT_ENUM) add_enum(s, f);
    /* A masked field's stored value is longer than what is shown; max counts what is stored. */
    if ((f->type == FT_TEXT || f->type == FT_MULTILINE) && f->max > 0 && !(f->flags & (FF_MASK_ID | FF_MASK_PHONE)))
        json_object_set_new(s, "maxLength", json_integer(f->max));
    return s;
}

/* The field's doc, with what a reader must know of masks and searches. */
static void add_description(json_t *s, const field *f, bool input)
{
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "%s", f->doc ? f->doc : "");
    const char *mask = f->flags & FF_MASK_ID ? "shown masked (110101********1234)"
                     : f->flags & FF_MASK_PHONE ? "shown masked (138****5678)" : NULL;
    if (mask && !input && n < sizeof text)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", n ? "; " : "", mask);
    if (f->flags & FF_SEARCH && !input && n < sizeof text)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", n ? "; " : "", "matched by the list's ?q=");
    if (n) json_object_set_new(s, "description", json_string(text));
}

json_t *openapi_field_schema(const field *f, bool input)
{
    json_t *s = type_schema(f);
    add_description(s, f, input);
    if (!input && !(f->flags & FF_WRITE)) json_object_set_new(s, "readOnly", json_true());
    /* A masked value's example would be the unmasked one: shown only for bodies. */
    bool shown = f->example && (input || !(f->flags & (FF_MASK_ID | FF_MASK_PHONE)));
    json_t *example = shown ? json_loads(f->example, JSON_DECODE_ANY, NULL) : NULL;
    if (example) json_object_set_new(s, "examples", json_pack("[o]", example));
    return s;
}

/* The record as written by entity_write(): every field but the hidden ones, always present. */
static json_t *record_schema(const entity *e)
{
    json_t *props = json_object(), *required = json_array();
    for (const field *f = e->fields; f->name; f++) {
        if (f->flags & FF_HIDDEN) continue;
        json_object_set_new(props, f->name, openapi_field_schema(f, false));
        json_array_append_new(required, json_string(f->name));
    }
    json_t *s = json_pack("{s:s, s:o, s:o}", "type", "object", "properties", props, "required", required);
    if (e->doc) json_object_set_new(s, "description", json_string(e->doc));
    return s;
}

/* A body: the fields with want (FF_CREATE or FF_UPDATE), required ones on create; others are
 * refused (unknown_field, read_only_field). */
static json_t *body_schema(const entity *e, unsigned want)
{
    json_t *props = json_object(), *required = json_array();
    for (const field *f = e->fields; f->name; f++) {
        if (!(f->flags & want)) continue;
        json_object_set_new(props, f->name, openapi_field_schema(f, true));
        if (want == FF_CREATE && (f->flags & FF_REQUIRED)) json_array_append_new(required, json_string(f->name));
    }
    json_t *s = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props, "additionalProperties", 0);
    if (json_array_size(required)) json_object_set_new(s, "required", required);
    else json_decref(required);
    json_object_set_new(s, "description", json_string(want == FF_CREATE ? "The record to create"
                                                      : "The fields to change; others keep their value"));
    return s;
}

static json_t *page_schema(const char *item_schema)
{
    return json_pack("{s:s, s:[s, s, s, s], s:{s:{s:s, s:o}, s:{s:s, s:i}, s:{s:s, s:i}, s:{s:s, s:i, s:i}}}",
                     "type", "object", "required", "items", "total", "page", "page_size",
                     "properties",
                     "items", "type", "array", "items", openapi_ref("schemas", item_schema),
                     "total", "type", "integer", "minimum", 0,
                     "page", "type", "integer", "minimum", 1,
                     "page_size", "type", "integer", "minimum", 1, "maximum", 500);
}

struct schema_set { json_t *schemas, *used; };

/* The record always (the entity's own description); its bodies and page when a route uses them. */
static void add_entity(const entity *e, void *cls)
{
    struct schema_set *s = cls;
    char name[96], other[112];
    openapi_schema_name(e->name, "", name, sizeof name);
    json_object_set_new(s->schemas, name, record_schema(e));
    openapi_schema_name(e->name, "Input", other, sizeof other);
    if (json_object_get(s->used, other)) json_object_set_new(s->schemas, other, body_schema(e, FF_CREATE));
    openapi_schema_name(e->name, "Update", other, sizeof other);
    if (json_object_get(s->used, other)) json_object_set_new(s->schemas, other, body_schema(e, FF_UPDATE));
    openapi_schema_name(e->name, "List", other, sizeof other);
    if (json_object_get(s->used, other)) json_object_set_new(s->schemas, other, page_schema(name));
}

static json_t *error_schema(void)
{
    return json_pack(
        "{s:s, s:[s], s:{s:{s:s, s:[s, s, s, s], s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:[s, s], s:s}, "
        "s:{s:s, s:s, s:s}, s:{s:s, s:{s:s}, s:s}}}}}",
        "type", "object", "required", "error", "properties", "error", "type", "object",
        "required", "code", "message", "field", "message_key", "properties",
        "code", "type", "string", "description", "snake_case, e.g. not_found, invalid_field, duplicate",
        "message", "type", "string", "description", "Chinese / English text for people",
        "field", "type", "string", "null", "description", "The offending field or query argument, when there is one",
        "message_key", "type", "string", "pattern", "^m[0-9a-f]{8}$",
        "description", "The message's key in the catalog GET /api/v1/messages, whose {n} stand for params[n]",
        "params", "type", "array", "items", "type", "string", "description",
        "The message's printf arguments as texts, when it has any");
}

json_t *openapi_schemas(const json_t *used)
{
    json_t *schemas = json_object();
    struct schema_set set = {schemas, (json_t *)used};
    json_object_set_new(schemas, "Error", error_schema());
    json_object_set_new(schemas, "Object", json_pack("{s:s, s:s}", "type", "object", "description",
                                                     "A JSON object; its members are described in docs/api.md"));
    entity_foreach(add_entity, &set);
    return schemas;
}

/* The error responses, each the Error shape; docs/api.md lists the codes. */
static const struct { const char *name, *description; } error_responses[] = {
    {"BadRequest", "Malformed JSON, invalid UTF-8 or a bad query argument (malformed_json, invalid_utf8, bad_request)"},
    {"Unauthorized", "No valid login (unauthorized)"},
    {"Forbidden", "The role may not do this, or a cookie request lacks X-CSRF-Token (forbidden, csrf_required)"},
    {"NotFound", "No such record, or outside the caller's data scope (not_found)"},
    {"Conflict", "The record's state or a unique value forbids it (conflict, duplicate, wrong_state)"},
    {"Unprocessable", "A field is missing, unknown, read-only or invalid "
                      "(required, unknown_field, read_only_field, invalid_field)"},
    {"TooManyRequests", "Too many attempts (too_many_attempts); retry after Retry-After seconds"},
    {"Unavailable", "The database is unavailable or the request ran out of memory (db_unavailable, out_of_memory)"},
    {NULL, NULL},
};

json_t *openapi_error_responses(void)
{
    json_t *out = json_object();
    for (int i = 0; error_responses[i].name; i++) {
        json_t *r = json_pack("{s:s, s:{s:{s:o}}}", "description", error_responses[i].description,
                              "content", "application/json", "schema", openapi_ref("schemas", "Error"));
        if (!strcmp(error_responses[i].name, "TooManyRequests"))
            json_object_set_new(r, "headers", json_pack("{s:{s:s, s:{s:s}}}", "Retry-After", "description",
                                                        "Seconds to wait", "schema", "type", "integer"));
        json_object_set_new(out, error_responses[i].name, r);
    }
    return out;
}

/* docs/api.md's authentication: a bearer token, or the session cookie with X-CSRF-Token on
 * requests that change state. */
json_t *openapi_security_schemes(void)
{
    return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}",
                     "bearer", "type", "http", "scheme", "bearer", "description", "The token from POST /auth/login",
                     "cookie", "type", "apiKey", "in", "cookie", "name", "kepu_session",
                     "description", "Set by POST /auth/login (HttpOnly); requests that change state also send X-CSRF-Token",
                     "csrf", "type", "apiKey", "in", "header", "name", "X-CSRF-Token",
                     "description", "From the login answer or GET /auth/csrf; with the cookie on POST, PUT, PATCH, DELETE");
}
