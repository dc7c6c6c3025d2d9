/* test_openapi.c - the generated API document (http/openapi.h) against the router and the
 * entities: every route documented with its method and least role (x-min-role), every documented
 * operation a route, every {name} in a path declared, every entity's schema listing exactly its
 * non-hidden fields (and its examples JSON). The rules on a test entity of every field type are
 * test_openapi_schema.c; the standard validator's lint of the document is tests/openapi_lint.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "app.h"
#include "auth/principal.h"
#include "http/openapi.h"
#include "http/router.h"
#include "model/entity.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const http_methods[] = {"get", "put", "post", "delete", "options", "head",
                                           "patch", "trace", NULL};

/* The routes as {doc path: {lower-case method: least role}}, the shape of the document's paths. */
struct fixture {
    json_t *doc;
    json_t *routes;
    int bad_patterns;
};

static const char *role_name(int min_role)
{
    switch (min_role) {
    case ROUTE_PUBLIC: return "public";
    case RANK_REVIEWER: return "reviewer";
    case RANK_MEMBER: return "member";
    case RANK_STAFF: return "staff";
    case RANK_ORG_ADMIN: return "org_admin";
    case RANK_ADMIN: return "admin";
    default: return "?";
    }
}

static void lower(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++) out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = 0;
}

static void collect_route(const struct route *rt, void *cls)
{
    struct fixture *f = cls;
    char path[256], method[16];
    if (!openapi_path(rt->pattern, path, sizeof path)) {
        fprintf(stderr, "route pattern outside /api/v1: %s %s\n", rt->method, rt->pattern);
        f->bad_patterns++;
        return;
    }
    lower(rt->method, method, sizeof method);
    json_t *ops = json_object_get(f->routes, path);
    if (!ops) {
        ops = json_object();
        json_object_set_new(f->routes, path, ops);
    }
    json_object_set_new(ops, method, json_string(role_name(rt->min_role)));
}

static int setup(void **state)
{
    static struct fixture f;
    /* Only adds static tables (router_reset first): safe to call in any unit test. */
    if (app_register_routes() != 0) return -1;
    f.doc = openapi_document();
    f.routes = json_object();
    router_foreach(collect_route, &f);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    json_decref(f->doc);
    json_decref(f->routes);
    router_reset();
    return 0;
}

static bool is_method(const char *key)
{
    for (int i = 0; http_methods[i]; i++)
        if (strcmp(key, http_methods[i]) == 0) return true;
    return false;
}

/* 0 when the route is documented with its role; prints what is wrong otherwise. */
static int check_route(json_t *paths, const char *path, const char *method, const char *role)
{
    json_t *op = json_object_get(json_object_get(paths, path), method);
    if (!json_is_object(op)) {
        fprintf(stderr, "undocumented route: %s %s\n", method, path);
        return 1;
    }
    const char *documented = json_string_value(json_object_get(op, "x-min-role"));
    if (documented && strcmp(documented, role) == 0) return 0;
    fprintf(stderr, "%s %s: x-min-role %s, the route needs %s\n", method, path,
            documented ? documented : "(none)", role);
    return 1;
}

static void test_routes_are_documented(void **state)
{
    struct fixture *f = *state;
    json_t *paths = json_object_get(f->doc, "paths"), *ops, *role;
    const char *path, *method;
    int wrong = 0, total = 0;
    json_object_foreach(f->routes, path, ops) {
        json_object_foreach(ops, method, role) {
            total++;
            wrong += check_route(paths, path, method, json_string_value(role));
        }
    }
    assert_true(total > 100);
    assert_int_equal(f->bad_patterns, 0);
    assert_int_equal(wrong, 0);
}

static void test_documented_operations_exist(void **state)
{
    struct fixture *f = *state;
    json_t *paths = json_object_get(f->doc, "paths"), *ops, *v;
    const char *path, *key;
    int stale = 0;
    assert_true(json_is_object(paths));
    json_object_foreach(paths, path, ops) {
        json_object_foreach(ops, key, v) {
            if (!is_method(key)) continue;   /* "parameters": shared by the path */
            if (json_object_get(json_object_get(f->routes, path), key)) continue;
            fprintf(stderr, "documented but no such route: %s %s\n", key, path);
            stale++;
        }
    }
    assert_int_equal(stale, 0);
}

/* True when params (path-level or operation-level) declares name as a path parameter. */
static bool declares(json_t *params, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *in = json_string_value(json_object_get(p, "in"));
        const char *n = json_string_value(json_object_get(p, "name"));
        if (in && n && strcmp(in, "path") == 0 && strcmp(n, name) == 0) return true;
    }
    return false;
}

/* OpenAPI requires each template name to be declared, or clients cannot fill it. */
static int undeclared_captures(const char *path, json_t *ops)
{
    int bad = 0;
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        char name[64];
        if (!end || (size_t)(end - p) >= sizeof name) { bad++; continue; }
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        if (declares(json_object_get(ops, "parameters"), name)) continue;
        fprintf(stderr, "%s: path parameter %s not declared\n", path, name);
        bad++;
    }
    return bad;
}

static void test_path_parameters_declared(void **state)
{
    struct fixture *f = *state;
    json_t *ops;
    const char *path;
    int bad = 0;
    json_object_foreach(json_object_get(f->doc, "paths"), path, ops) bad += undeclared_captures(path, ops);
    assert_int_equal(bad, 0);
}

/* The schema's property names, in order, against the entity's non-hidden fields. */
static int fields_mismatch(const entity *e, json_t *schema)
{
    json_t *props = json_object_get(schema, "properties"), *v;
    const char *name;
    const field *f = e->fields;
    int bad = 0;
    json_object_foreach(props, name, v) {
        while (f->name && (f->flags & FF_HIDDEN)) f++;
        if (!f->name || strcmp(f->name, name) != 0) {
            fprintf(stderr, "%s: schema property %s, the table has %s\n", e->name, name, f->name ? f->name : "(end)");
            return 1;
        }
        f++;
    }
    while (f->name && (f->flags & FF_HIDDEN)) f++;
    if (f->name) fprintf(stderr, "%s: field %s missing from the schema\n", e->name, f->name), bad++;
    if (json_array_size(json_object_get(schema, "required")) != json_object_size(props))
        fprintf(stderr, "%s: not every property required\n", e->name), bad++;
    return bad;
}

struct entity_check {
    json_t *schemas;
    int entities, bad;
};

static void check_entity(const entity *e, void *cls)
{
    struct entity_check *c = cls;
    char name[96];
    openapi_schema_name(e->name, "", name, sizeof name);
    json_t *schema = json_object_get(c->schemas, name);
    c->entities++;
    if (!schema) { fprintf(stderr, "no schema %s for entity %s\n", name, e->name); c->bad++; return; }
    c->bad += fields_mismatch(e, schema);
    /* An example is JSON text; one that does not parse would silently vanish from the document. */
    for (const field *fl = e->fields; fl->name; fl++) {
        json_t *v = fl->example ? json_loads(fl->example, JSON_DECODE_ANY, NULL) : NULL;
        if (fl->example && !v) fprintf(stderr, "%s.%s: example is not JSON: %s\n", e->name, fl->name, fl->example), c->bad++;
        json_decref(v);
    }
}

static void test_entity_schemas_list_their_fields(void **state)
{
    struct fixture *f = *state;
    struct entity_check c = {json_object_get(json_object_get(f->doc, "components"), "schemas"), 0, 0};
    entity_foreach(check_entity, &c);
    assert_true(c.entities > 0);
    assert_int_equal(c.bad, 0);
}

/* A route naming an entity answers its schema (a GET of one record: the record itself). */
static void test_entity_routes_reference_their_schema(void **state)
{
    struct fixture *f = *state;
    json_t *op = json_object_get(json_object_get(json_object_get(f->doc, "paths"), "/teachers/{id}"), "get");
    json_t *schema = json_object_get(json_object_get(json_object_get(json_object_get(
        json_object_get(json_object_get(op, "responses"), "200"), "content"), "application/json"), "schema"), "$ref");
    assert_string_equal(json_string_value(schema), "#/components/schemas/Teacher");
    assert_string_equal(json_string_value(json_object_get(op, "x-min-role")), "member");
}

/* No 3.0 leftovers: "nullable" anywhere, or a type list where 3.0 wanted one type. */
static int count_key(json_t *v, const char *key)
{
    int n = 0;
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) json_object_foreach(v, k, x) n += !strcmp(k, key) + count_key(x, key);
    if (json_is_array(v)) json_array_foreach(v, i, x) n += count_key(x, key);
    return n;
}

static void test_document_is_3_1_and_stable(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(json_string_value(json_object_get(f->doc, "openapi")), "3.1.0");
    assert_string_equal(json_string_value(json_object_get(json_object_get(f->doc, "info"), "version")), KEPU_VERSION);
    assert_int_equal(count_key(f->doc, "nullable"), 0);
    json_t *again = openapi_document();
    char *a = json_dumps(f->doc, 0), *b = json_dumps(again, 0);
    assert_string_equal(a, b);
    free(a), free(b);
    json_decref(again);
    assert_null(openapi_stale_exception());
}

static void test_operation_ids_unique(void **state)
{
    struct fixture *f = *state;
    json_t *seen = json_object(), *ops, *op;
    const char *path, *method;
    int dup = 0, n = 0;
    json_object_foreach(json_object_get(f->doc, "paths"), path, ops) {
        json_object_foreach(ops, method, op) {
            if (!is_method(method)) continue;
            const char *id = json_string_value(json_object_get(op, "operationId"));
            assert_non_null(id);
            if (json_object_get(seen, id)) fprintf(stderr, "operationId %s twice\n", id), dup++;
            json_object_set_new(seen, id, json_true());
            n++;
        }
    }
    json_decref(seen);
    assert_true(n > 100);
    assert_int_equal(dup, 0);
}

static void test_path_conversion(void **state)
{
    (void)state;
    char out[64], name[64];
    assert_true(openapi_path("/api/v1/orgs/:id/tree", out, sizeof out));
    assert_string_equal(out, "/orgs/{id}/tree");
    assert_true(openapi_path("/api/v1/activities/:id/files/:fid", out, sizeof out));
    assert_string_equal(out, "/activities/{id}/files/{fid}");
    assert_true(openapi_path("/api/v1/health", out, sizeof out));
    assert_string_equal(out, "/health");
    assert_false(openapi_path("/other", out, sizeof out));
    openapi_schema_name("volunteer_team", "Input", name, sizeof name);
    assert_string_equal(name, "VolunteerTeamInput");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_conversion),
        cmocka_unit_test(test_routes_are_documented),
        cmocka_unit_test(test_documented_operations_exist),
        cmocka_unit_test(test_path_parameters_declared),
        cmocka_unit_test(test_entity_schemas_list_their_fields),
        cmocka_unit_test(test_entity_routes_reference_their_schema),
        cmocka_unit_test(test_document_is_3_1_and_stable),
        cmocka_unit_test(test_operation_ids_unique),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
