/* openapi.c - the API document's paths and operations, from the route table (see openapi.h);
 * the components come from openapi_schema.c.
 *
 * The rules a route cannot state for itself, kept simple so a reader can predict the document:
 * - success: DELETE 204; a POST 201 when it creates, that is when some route addresses a record
 *   of its path ("/x" with "/x/:id"); anything else 200. Where that is wrong, status_exceptions
 *   below says so (the unit test checks each names a route).
 * - answer: a file's media type when the path names one (".xlsx", ".pdf", ".svg", "/export",
 *   "/files/:id"); else the route entity's page for a GET of a collection (the last segment not
 *   a capture), its record otherwise; a route without an entity answers the generic Object.
 * - body: a file upload (ROUTE_RAW_BODY) is octet-stream; with an entity a creating POST sends
 *   <Name>Input and PATCH/PUT <Name>Update; other writes an Object.
 * - errors: 400 and 422 for a body or a list's query; 401 and 403 unless public; 404 with a
 *   capture or an entity; 409 for writes (with an entity: when its error table has a 409);
 *   429 for public writes (throttled); 503 always. */
#include "http/openapi_internal.h"
#include "auth/principal.h"
#include "http/router.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define API_PREFIX "/api/v1"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* What the walk over the routes builds. */
struct build {
    const struct route *const *routes;   /* the router's, nroutes of them */
    size_t nroutes;
    json_t *paths, *tags, *tag_names, *op_ids, *used;
};

bool openapi_path(const char *pattern, char *out, size_t size)
{
    size_t n = strlen(API_PREFIX), o = 0;
    bool capture = false;
    if (strncmp(pattern, API_PREFIX, n) != 0) return false;
    for (const char *p = pattern + n;; p++) {
        if (o + 3 > size) return false;
        if (capture && (*p == '/' || !*p)) { out[o++] = '}'; capture = false; }
        if (!*p) break;
        bool opens = *p == ':' && p[-1] == '/';
        capture = capture || opens;
        out[o++] = opens ? '{' : *p;
    }
    out[o] = 0;
    return true;
}

static const char *role_name(int min_role)
{
    switch (min_role) {
    case ROUTE_PUBLIC: return "public";
    case RANK_REVIEWER: return "reviewer";
    case RANK_MEMBER: return "member";
    case RANK_STAFF: return "staff";
    case RANK_ORG_ADMIN: return "org_admin";
    case RANK_ADMIN: return "admin";
    default: return "unknown";
    }
}

static const char *last_segment(const char *pattern)
{
    const char *slash = strrchr(pattern, '/');
    return slash ? slash + 1 : pattern;
}

static bool is_collection(const char *pattern) { return last_segment(pattern)[0] != ':'; }
static bool is_method(const struct route *rt, const char *m) { return strcmp(rt->method, m) == 0; }
static bool has_body(const struct route *rt)
{
    return is_method(rt, "POST") || is_method(rt, "PATCH") || is_method(rt, "PUT");
}

/* A POST creates when some route addresses one record of its path: "/x/:name" for "/x". */
static bool creates(const struct build *b, const struct route *rt)
{
    size_t n = strlen(rt->pattern);
    if (!is_method(rt, "POST")) return false;
    for (size_t i = 0; i < b->nroutes; i++) {
        const char *p = b->routes[i]->pattern;
        if (strncmp(p, rt->pattern, n) == 0 && p[n] == '/' && p[n + 1] == ':' && !strchr(p + n + 1, '/'))
            return true;
    }
    return false;
}

/* The routes whose success status the rule gets wrong: POSTs that answer nothing (204), that
 * create a record with no address of its own (201), that create or repeat (201 or 200). */
static const struct status_exception {
    const char *method, *pattern;
    int status, also;   /* also: a second success status, 0 for none */
} status_exceptions[] = {
    {"POST", "/api/v1/auth/logout", 204, 0},
    {"POST", "/api/v1/me/password", 204, 0},
    {"POST", "/api/v1/users/:id/password", 204, 0},
    {"POST", "/api/v1/teacher-selections", 201, 0},
    {"POST", "/api/v1/courses/:id/attendance", 200, 0},
    {"POST", "/api/v1/checkin/sessions", 200, 0},
    {"POST", "/api/v1/public/checkin/:session", 201, 200},
    {"POST", "/api/v1/public/checkin/:session/rating", 201, 200},
    {"POST", "/api/v1/volunteer-teams/:id/members", 201, 0},
    {"POST", "/api/v1/public/volunteers", 201, 0},
    {"POST", "/api/v1/volunteer-projects/:id/signups", 201, 0},
    {"POST", "/api/v1/public/volunteer/find/code", 202, 0},
    {"POST", "/api/v1/public/volunteer/signups", 201, 0},
    {"POST", "/api/v1/volunteers/:id/certificates", 201, 0},
    {NULL, NULL, 0, 0},
};

static const struct status_exception *status_exception(const struct route *rt)
{
    for (const struct status_exception *x = status_exceptions; x->method; x++)
        if (is_method(rt, x->method) && strcmp(rt->pattern, x->pattern) == 0) return x;
    return NULL;
}

static int success_status(const struct build *b, const struct route *rt)
{
    const struct status_exception *x = status_exception(rt);
    if (x) return x->status;
    if (is_method(rt, "DELETE")) return 204;
    return creates(b, rt) ? 201 : 200;
}

const char *openapi_stale_exception(void)
{
    size_t n;
    const struct route *const *routes = router_routes(&n);
    for (const struct status_exception *x = status_exceptions; x->method; x++) {
        size_t i = 0;
        while (i < n && status_exception(routes[i]) != x) i++;
        if (i == n) return x->pattern;
    }
    return NULL;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The media type of a GET that answers a file rather than JSON, from its path; NULL for JSON. */
static const char *file_type(const struct route *rt)
{
    const char *last = last_segment(rt->pattern);
    if (!is_method(rt, "GET")) return NULL;
    if (ends_with(last, ".xlsx") || strcmp(last, "export") == 0) return XLSX;
    if (ends_with(last, ".pdf")) return "application/pdf";
    if (ends_with(last, ".svg")) return "image/svg+xml";
    if (last[0] == ':' && last - rt->pattern >= 7 && strncmp(last - 7, "/files/", 7) == 0)
        return "application/octet-stream";   /* an uploaded file, in the type it was stored with */
    return NULL;
}

/* The tag: the first segment of the path ("/teachers/{id}" -> "teachers"), listed once. */
static const char *tag_of(struct build *b, const char *path, char *out, size_t size)
{
    const char *start = path + 1, *end = strchr(start, '/');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), start);
    if (!json_object_get(b->tag_names, out)) {
        char doc[160];
        snprintf(doc, sizeof doc, "The routes under /%s", out);
        json_object_set_new(b->tag_names, out, json_true());
        json_array_append_new(b->tags, json_pack("{s:s, s:s}", "name", out, "description", doc));
    }
    return out;
}

/* Ids are integers ("id", "fid", "student_id"); other captures (a code, a token) are strings. */
static json_t *path_parameters(const char *pattern)
{
    json_t *params = json_array();
    for (const char *p = strstr(pattern, "/:"); p; p = strstr(p + 1, "/:")) {
        char name[64];
        size_t n = strcspn(p + 2, "/");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), p + 2);
        bool id = ends_with(name, "id");
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "path",
                                                "required", 1, "schema", "type", id ? "integer" : "string"));
    }
    return params;
}

/* "GET /api/v1/teachers/:id/profile" -> "getTeachersByIdProfile"; a number added if taken. */
static void operation_id(struct build *b, const struct route *rt, char *out, size_t size)
{
    size_t o = 0;
    for (const char *m = rt->method; *m && o + 1 < size; m++) out[o++] = (char)tolower((unsigned char)*m);
    out[o] = 0;
    for (const char *p = rt->pattern + strlen(API_PREFIX); *p == '/';) {
        size_t n = strcspn(p + 1, "/");
        if (p[1] == ':') openapi_camel(out, size, &o, "by", 2), openapi_camel(out, size, &o, p + 2, n - 1);
        else openapi_camel(out, size, &o, p + 1, n);
        p += 1 + n;
    }
    char base[160];
    snprintf(base, sizeof base, "%.140s", out);
    for (int i = 2; json_object_get(b->op_ids, out); i++)
        if (snprintf(out, size, "%s%d", base, i) >= (int)size) break;   /* never: ids are short */
    json_object_set_new(b->op_ids, out, json_true());
}

/* A list's filters: a query parameter's schema is its field's type without null. */
static json_t *filter_schema(const field *f)
{
    if (f->type == FT_ENUM) {
        json_t *values = json_array();
        for (const char *const *c = f->choices; c && *c; c++) json_array_append_new(values, json_string(*c));
        return json_pack("{s:s, s:o}", "type", "string", "enum", values);
    }
    if (f->type == FT_BOOL) return json_pack("{s:s}", "type", "boolean");
    bool integer = f->type == FT_ID || f->type == FT_INT || f->type == FT_INT_NULL || f->type == FT_INT32;
    return json_pack("{s:s}", "type", integer ? "integer" : "string");
}

static json_t *query(const char *name, json_t *schema, const char *doc)
{
    return json_pack("{s:s, s:s, s:o, s:s}", "name", name, "in", "query", "schema", schema, "description", doc);
}

static json_t *list_parameters(const entity *e)
{
    json_t *params = json_array();
    bool search = false;
    json_array_append_new(params, query("page", json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 1,
                                                          "default", 1), "The page, from 1"));
    json_array_append_new(params, query("page_size", json_pack("{s:s, s:i, s:i, s:i}", "type", "integer", "minimum", 1,
                                                               "maximum", 500, "default", 50), "Records per page"));
    json_array_append_new(params, query("org_id", json_pack("{s:s}", "type", "integer"),
                                        "Only records of this org and the orgs below it (404 outside the caller's scope)"));
    for (const field *f = e->fields; f->name; f++) search = search || (f->flags & FF_SEARCH);
    if (search)
        json_array_append_new(params, query("q", json_pack("{s:s}", "type", "string"), "A substring of the searched fields"));
    for (const field *f = e->fields; f->name; f++) {
        if (!(f->flags & FF_FILTER) || strcmp(f->name, "org_id") == 0) continue;
        json_array_append_new(params, query(f->name, filter_schema(f), f->doc ? f->doc : "Exact match"));
    }
    return params;
}

/* A reference to the entity's schema name+suffix, noted as used so the schema is emitted. */
static json_t *entity_ref(struct build *b, const entity *e, const char *suffix)
{
    char name[112];
    openapi_schema_name(e->name, suffix, name, sizeof name);
    json_object_set_new(b->used, name, json_true());
    return openapi_ref("schemas", name);
}

static json_t *json_content(json_t *schema)
{
    return json_pack("{s:{s:o}}", "application/json", "schema", schema);
}

static json_t *request_body(struct build *b, const struct route *rt)
{
    if (rt->flags & ROUTE_RAW_BODY)
        return json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}", "required", 1, "content", "application/octet-stream",
                         "schema", "type", "string", "format", "binary");
    if (rt->entity && success_status(b, rt) == 201)
        return json_pack("{s:b, s:o}", "required", 1, "content", json_content(entity_ref(b, rt->entity, "Input")));
    if (rt->entity && !is_method(rt, "POST"))
        return json_pack("{s:b, s:o}", "required", 1, "content", json_content(entity_ref(b, rt->entity, "Update")));
    /* Not said required or not: the route's table cannot tell (docs/api.md does). */
    return json_pack("{s:s, s:o}", "description", "As docs/api.md describes for this route", "content",
                     json_content(openapi_ref("schemas", "Object")));
}

static const char *status_text(int status)
{
    switch (status) {
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No content";
    default: return "OK";
    }
}

static json_t *success_response(struct build *b, const struct route *rt, int status)
{
    json_t *r = json_pack("{s:s}", "description", status_text(status));
    const char *file = file_type(rt);
    json_t *content = NULL;
    if (status == 204) return r;
    if (file) content = json_pack("{s:{s:{s:s, s:s}}}", file, "schema", "type", "string", "format", "binary");
    else if (rt->entity && is_method(rt, "GET") && is_collection(rt->pattern))
        content = json_content(entity_ref(b, rt->entity, "List"));
    else if (rt->entity) content = json_content(entity_ref(b, rt->entity, ""));
    else content = json_content(openapi_ref("schemas", "Object"));
    json_object_set_new(r, "content", content);
    return r;
}

static bool entity_has_status(const entity *e, int status)
{
    for (const struct error_row *row = e->errors; row && row->rc; row++)
        if (row->status == status) return true;
    return false;
}

static void add_error(json_t *responses, const char *code, const char *name)
{
    json_object_set_new(responses, code, openapi_ref("responses", name));
}

static json_t *responses(struct build *b, const struct route *rt)
{
    json_t *out = json_object();
    char code[8];
    int status = success_status(b, rt);
    bool list = rt->entity && is_method(rt, "GET") && is_collection(rt->pattern);
    bool write = !is_method(rt, "GET");
    const struct status_exception *x = status_exception(rt);
    snprintf(code, sizeof code, "%d", status);
    json_object_set_new(out, code, success_response(b, rt, status));
    if (x && x->also) {
        snprintf(code, sizeof code, "%d", x->also);
        json_object_set_new(out, code, success_response(b, rt, x->also));
    }
    if (has_body(rt) || list) add_error(out, "400", "BadRequest");
    if (rt->min_role != ROUTE_PUBLIC) add_error(out, "401", "Unauthorized"), add_error(out, "403", "Forbidden");
    if (strstr(rt->pattern, "/:") || rt->entity) add_error(out, "404", "NotFound");
    if (write && (!rt->entity || entity_has_status(rt->entity, 409))) add_error(out, "409", "Conflict");
    if (has_body(rt) || list) add_error(out, "422", "Unprocessable");
    if (write && rt->min_role == ROUTE_PUBLIC) add_error(out, "429", "TooManyRequests");
    add_error(out, "503", "Unavailable");
    return out;
}

/* Logged-in writes by cookie also need the CSRF header; public routes need nothing. */
static json_t *security(const struct route *rt)
{
    if (rt->min_role == ROUTE_PUBLIC) return json_array();
    if (is_method(rt, "GET")) return NULL;   /* the document's default */
    return json_pack("[{s:[]}, {s:[], s:[]}]", "bearer", "cookie", "csrf");
}

static json_t *operation(struct build *b, const struct route *rt, const char *path)
{
    char tag[64], id[160], fallback[300];
    snprintf(fallback, sizeof fallback, "%s %s", rt->method, path);
    operation_id(b, rt, id, sizeof id);
    json_t *op = json_pack("{s:[s], s:s, s:s, s:s}", "tags", tag_of(b, path, tag, sizeof tag),
                           "summary", rt->summary ? rt->summary : fallback, "operationId", id,
                           "x-min-role", role_name(rt->min_role));
    json_t *sec = security(rt);
    if (sec) json_object_set_new(op, "security", sec);
    if (rt->entity && is_method(rt, "GET") && is_collection(rt->pattern))
        json_object_set_new(op, "parameters", list_parameters(rt->entity));
    if (has_body(rt)) json_object_set_new(op, "requestBody", request_body(b, rt));
    json_object_set_new(op, "responses", responses(b, rt));
    return op;
}

static void add_route(struct build *b, const struct route *rt)
{
    char path[256], method[16];
    size_t i = 0;
    if (!openapi_path(rt->pattern, path, sizeof path)) return;   /* not an API route */
    json_t *item = json_object_get(b->paths, path);
    if (!item) {
        item = json_object();
        json_t *params = path_parameters(rt->pattern);
        if (json_array_size(params)) json_object_set_new(item, "parameters", params);
        else json_decref(params);
        json_object_set_new(b->paths, path, item);
    }
    for (; rt->method[i] && i + 1 < sizeof method; i++) method[i] = (char)tolower((unsigned char)rt->method[i]);
    method[i] = 0;
    json_object_set_new(item, method, operation(b, rt, path));
}

static json_t *info(void)
{
    return json_pack("{s:s, s:s, s:s}", "title", "Kepu API", "version", KEPU_VERSION, "description",
                     "Science-popularization (科普) work platform. Generated by `kepu openapi` from the route "
                     "table and the record types; docs/api.md has the rules, scopes and error codes. Anything "
                     "outside the caller's data scope answers 404 like a missing id. x-min-role on each "
                     "operation is the least role that may call it (member: any logged-in user); a lower role "
                     "gets 403 whatever the id.");
}

json_t *openapi_document(void)
{
    struct build b = {.paths = json_object(), .tags = json_array(), .tag_names = json_object(),
                      .op_ids = json_object(), .used = json_object()};
    b.routes = router_routes(&b.nroutes);
    for (size_t i = 0; i < b.nroutes; i++) add_route(&b, b.routes[i]);
    json_t *components = json_pack("{s:o, s:o, s:o}", "securitySchemes", openapi_security_schemes(),
                                   "schemas", openapi_schemas(b.used), "responses", openapi_error_responses());
    json_t *doc = json_pack("{s:s, s:o, s:[{s:s, s:s}], s:[{s:[]}, {s:[]}], s:o, s:o, s:o}",
                            "openapi", "3.1.0", "info", info(),
                            "servers", "url", "/api/v1", "description", "This server",
                            "security", "bearer", "cookie", "tags", b.tags, "paths", b.paths,
                            "components", components);
    json_decref(b.tag_names);
    json_decref(b.op_ids);
    json_decref(b.used);
    return doc;
}
