/* test_openapi.c - docs/openapi.json against the router: every route documented with its least
 * role (x-min-role), every documented operation a route, every {name} in a documented path
 * declared as a path parameter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "app.h"
#include "auth/principal.h"
#include "http/router.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

extern const char kepu_openapi_json[];

#define API_PREFIX "/api/v1"

static const char *const http_methods[] = {"get", "put", "post", "delete", "options", "head",
                                           "patch", "trace", NULL};

/* The routes as {doc path: {lower-case method: least role}}, the shape of the document's paths. */
struct fixture {
    json_t *doc;
    json_t *routes;
    int bad_patterns;
};

/* "/api/v1/orgs/:id/tree" -> "/orgs/{id}/tree"; false when it does not fit or lacks the prefix. */
static bool doc_path(const char *pattern, char *out, size_t size)
{
    size_t n = strlen(API_PREFIX), o = 0;
    bool capture = false;
    if (strncmp(pattern, API_PREFIX, n) != 0) return false;
    for (const char *p = pattern + n;; p++) {
        if (o + 3 > size) return false;
        if (capture && (*p == '/' || !*p)) { out[o++] = '}'; capture = false; }
        if (!*p) break;
        capture = capture || (*p == ':' && p[-1] == '/');
        out[o++] = *p == ':' && capture && p[-1] == '/' ? '{' : *p;
    }
    out[o] = 0;
    return true;
}

/* The x-min-role name of a route's min_role. */
static const char *role_name(int min_role)
{
    switch (min_role) {
    case ROUTE_PUBLIC: return "public";
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
    if (!doc_path(rt->pattern, path, sizeof path)) {
        fprintf(stderr, "route pattern outside " API_PREFIX ": %s %s\n", rt->method, rt->pattern);
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
    json_error_t err;
    /* Only adds static tables (router_reset first): safe to call in any unit test. */
    app_register_routes();
    f.doc = json_loads(kepu_openapi_json, 0, &err);
    if (!f.doc) {
        fprintf(stderr, "docs/openapi.json line %d: %s\n", err.line, err.text);
        return -1;
    }
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
    fprintf(stderr, "%d routes, %d undocumented or with the wrong role\n", total, wrong);
    assert_true(total > 0);
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
            if (!is_method(key)) continue;   /* "parameters", "summary": shared by the path */
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
        const char *key;
        json_t *op;
        json_object_foreach(ops, key, op) {
            if (!is_method(key) || declares(json_object_get(op, "parameters"), name)) continue;
            fprintf(stderr, "%s %s: path parameter %s not declared\n", key, path, name);
            bad++;
        }
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

static void test_doc_path_conversion(void **state)
{
    (void)state;
    char out[64];
    assert_true(doc_path("/api/v1/orgs/:id/tree", out, sizeof out));
    assert_string_equal(out, "/orgs/{id}/tree");
    assert_true(doc_path("/api/v1/activities/:id/files/:fid", out, sizeof out));
    assert_string_equal(out, "/activities/{id}/files/{fid}");
    assert_true(doc_path("/api/v1/health", out, sizeof out));
    assert_string_equal(out, "/health");
    assert_false(doc_path("/other", out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_path_conversion),
        cmocka_unit_test(test_routes_are_documented),
        cmocka_unit_test(test_documented_operations_exist),
        cmocka_unit_test(test_path_parameters_declared),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
