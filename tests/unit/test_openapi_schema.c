/* test_openapi_schema.c - the API document's rules (http/openapi.h) on a test entity with a
 * field of every type and flag and a route of every kind: field types to JSON Schema (3.1 type
 * lists, never "nullable"), limits, readOnly, examples, hidden and masked fields; bodies for
 * create and update; the page and its query parameters; statuses, security, files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "auth/principal.h"
#include "http/openapi.h"
#include "http/router.h"
#include "model/entity.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct thing {
    int64_t id, org_id, parent_id;
    const char *secret, *name, *note, *day, *at, *kind, *tags, *extra, *id_number;
    int count;
    bool active;
} thing;

static const char *const kinds[] = {"a", "b", NULL};

#define M(member) offsetof(thing, member)
static const field thing_fields[] = {
    {"id", "x.id", FT_ID, M(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, M(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the owning org"},
    {"secret", "x.secret", FT_TEXT, M(secret), .flags = FF_HIDDEN},
    {"name", "x.name", FT_TEXT, M(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"张三\""},
    {"note", "x.note", FT_MULTILINE, M(note), .flags = FF_WRITE, .max = 500},
    {"day", "x.day", FT_DAY, M(day), .flags = FF_CREATE},
    {"at", "x.at", FT_TIME, M(at), .flags = 0},
    {"kind", "x.kind", FT_ENUM, M(kind), .flags = FF_WRITE | FF_FILTER, .choices = kinds},
    {"tags", "x.tags", FT_TEXT_LIST, M(tags), .flags = FF_WRITE, .max = 5, .item_chars = 10},
    {"extra", "x.extra", FT_JSON, M(extra), .flags = 0},
    {"parent_id", "x.parent_id", FT_INT_NULL, M(parent_id), .flags = FF_WRITE},
    {"count", "x.count", FT_INT32, M(count), .flags = FF_UPDATE, .min = 1, .max = 9},
    {"active", "x.active", FT_BOOL, M(active), .flags = FF_WRITE},
    {"id_number", "x.id_number", FT_TEXT, M(id_number), .flags = FF_WRITE | FF_MASK_ID, .example = "\"110101199001011234\""},
    {0},
};
#undef M

static entity thing_entity = {
    .name = "test_thing", .doc = "A thing of the test", .from = " FROM things x", .id_column = "x.id",
    .path_column = "x.org_path", .order = " ORDER BY x.id", .size = sizeof(thing), .fields = thing_fields,
};

static void handler(request *r) { (void)r; }

static const struct route thing_routes[] = {
    {"GET", "/api/v1/things", handler, RANK_MEMBER, 0, .summary = "List", .entity = &thing_entity},
    {"GET", "/api/v1/things/export", handler, RANK_STAFF, 0, .summary = "Export"},
    {"GET", "/api/v1/things/:id", handler, RANK_MEMBER, 0, .summary = "One", .entity = &thing_entity},
    {"POST", "/api/v1/things", handler, RANK_STAFF, 0, .summary = "Add", .entity = &thing_entity},
    {"PATCH", "/api/v1/things/:id", handler, RANK_STAFF, 0, .summary = "Change", .entity = &thing_entity},
    {"DELETE", "/api/v1/things/:id", handler, RANK_ADMIN, 0, .summary = "Remove", .entity = &thing_entity},
    {"POST", "/api/v1/things/:id/close", handler, RANK_ORG_ADMIN, 0, .summary = "Close", .entity = &thing_entity},
    {"POST", "/api/v1/things/:id/files", handler, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Upload"},
    {"GET", "/api/v1/public/pages/:code", handler, ROUTE_PUBLIC, 0, .summary = NULL},
    {"POST", "/api/v1/public/signups", handler, ROUTE_PUBLIC, 0, .summary = "Sign up"},
    {0},
};

static int setup(void **state)
{
    router_reset();
    router_add_table(thing_routes);
    entity_register(&thing_entity);
    *state = openapi_document();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    json_decref(*state);
    router_reset();
    return 0;
}

/* The value at the keys given (NULL-terminated); a number-like key indexes an array. */
static json_t *at(json_t *v, ...)
{
    va_list ap;
    va_start(ap, v);
    for (const char *k = va_arg(ap, const char *); k && v; k = va_arg(ap, const char *))
        v = json_is_array(v) ? json_array_get(v, (size_t)strtoul(k, NULL, 10)) : json_object_get(v, k);
    va_end(ap);
    return v;
}

static const char *str(json_t *v) { return json_string_value(v); }

/* v equals expect (which it releases). */
static bool same(json_t *v, json_t *expect)
{
    bool ok = json_equal(v, expect);
    json_decref(expect);
    return ok;
}

static json_t *prop(json_t *doc, const char *schema, const char *name)
{
    return at(doc, "components", "schemas", schema, "properties", name, NULL);
}

/* The property names of a schema, comma-joined, in order. */
static const char *names(json_t *schema, char *buf, size_t size)
{
    const char *k;
    json_t *v;
    size_t o = 0;
    buf[0] = 0;
    json_object_foreach(json_object_get(schema, "properties"), k, v)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", k);
    return buf;
}

static void test_record_schema(void **state)
{
    json_t *doc = *state, *rec = at(doc, "components", "schemas", "TestThing", NULL);
    char buf[512];
    assert_non_null(rec);
    assert_string_equal(names(rec, buf, sizeof buf),
                        "id,org_id,name,note,day,at,kind,tags,extra,parent_id,count,active,id_number");
    assert_int_equal(json_array_size(json_object_get(rec, "required")), 13);
    assert_string_equal(str(json_object_get(rec, "description")), "A thing of the test");
    assert_true(same(at(prop(doc, "TestThing", "parent_id"), "type", NULL), json_pack("[s, s]", "integer", "null")));
    assert_string_equal(str(at(prop(doc, "TestThing", "id"), "type", NULL)), "integer");
    assert_true(json_is_true(at(prop(doc, "TestThing", "id"), "readOnly", NULL)));
    assert_null(at(prop(doc, "TestThing", "name"), "readOnly", NULL));
    assert_string_equal(str(at(prop(doc, "TestThing", "name"), "type", NULL)), "string");   /* required: never null */
    assert_int_equal(json_integer_value(at(prop(doc, "TestThing", "name"), "maxLength", NULL)), 50);
    assert_string_equal(str(at(prop(doc, "TestThing", "name"), "examples", "0", NULL)), "张三");
    assert_string_equal(str(at(prop(doc, "TestThing", "note"), "type", "1", NULL)), "null");
    assert_string_equal(str(at(prop(doc, "TestThing", "day"), "format", NULL)), "date");
    assert_string_equal(str(at(prop(doc, "TestThing", "at"), "format", NULL)), "date-time");
    assert_true(json_is_true(at(prop(doc, "TestThing", "at"), "readOnly", NULL)));
    assert_true(same(at(prop(doc, "TestThing", "kind"), "enum", NULL), json_pack("[s, s, n]", "a", "b")));
    assert_int_equal(json_integer_value(at(prop(doc, "TestThing", "tags"), "maxItems", NULL)), 5);
    assert_int_equal(json_integer_value(at(prop(doc, "TestThing", "tags"), "items", "maxLength", NULL)), 10);
    assert_int_equal(json_object_size(prop(doc, "TestThing", "extra")), 1);   /* any value: readOnly alone */
    assert_int_equal(json_integer_value(at(prop(doc, "TestThing", "count"), "minimum", NULL)), 1);
    assert_int_equal(json_integer_value(at(prop(doc, "TestThing", "count"), "maximum", NULL)), 9);
    assert_string_equal(str(at(prop(doc, "TestThing", "count"), "format", NULL)), "int32");
    assert_string_equal(str(at(prop(doc, "TestThing", "active"), "type", NULL)), "boolean");
    /* masked: said so, and no example (it would be the unmasked number) */
    assert_non_null(strstr(str(at(prop(doc, "TestThing", "id_number"), "description", NULL)), "masked"));
    assert_null(at(prop(doc, "TestThing", "id_number"), "examples", NULL));
}

static void test_bodies(void **state)
{
    json_t *doc = *state, *schemas = at(doc, "components", "schemas", NULL);
    char buf[512];
    json_t *input = json_object_get(schemas, "TestThingInput"), *update = json_object_get(schemas, "TestThingUpdate");
    assert_string_equal(names(input, buf, sizeof buf), "org_id,name,note,day,kind,tags,parent_id,active,id_number");
    assert_true(same(json_object_get(input, "required"), json_pack("[s, s]", "org_id", "name")));
    assert_true(json_is_false(json_object_get(input, "additionalProperties")));
    assert_string_equal(str(at(input, "properties", "id_number", "examples", "0", NULL)), "110101199001011234");
    assert_string_equal(names(update, buf, sizeof buf), "org_id,name,note,kind,tags,parent_id,count,active,id_number");
    assert_null(json_object_get(update, "required"));
    assert_string_equal(str(at(schemas, "TestThingList", "properties", "items", "items", "$ref", NULL)),
                        "#/components/schemas/TestThing");
}

static json_t *op(json_t *doc, const char *path, const char *method)
{
    return at(doc, "paths", path, method, NULL);
}

static const char *answer_ref(json_t *o, const char *status)
{
    return str(at(o, "responses", status, "content", "application/json", "schema", "$ref", NULL));
}

static void test_list_and_record_routes(void **state)
{
    json_t *doc = *state, *list = op(doc, "/things", "get");
    const char *expect[] = {"page", "page_size", "org_id", "q", "kind"};
    assert_string_equal(answer_ref(list, "200"), "#/components/schemas/TestThingList");
    assert_int_equal(json_array_size(json_object_get(list, "parameters")), 5);
    for (size_t i = 0; i < 5; i++) {
        char idx[4];
        snprintf(idx, sizeof idx, "%zu", i);
        assert_string_equal(str(at(list, "parameters", idx, "name", NULL)), expect[i]);
    }
    assert_string_equal(answer_ref(op(doc, "/things/{id}", "get"), "200"), "#/components/schemas/TestThing");
    assert_string_equal(str(at(doc, "paths", "/things/{id}", "parameters", "0", "schema", "type", NULL)), "integer");
    assert_string_equal(str(at(op(doc, "/things/{id}", "get"), "x-min-role", NULL)), "member");
    assert_non_null(at(op(doc, "/things/{id}", "get"), "responses", "404", NULL));
    assert_string_equal(str(at(doc, "paths", "/things/export", "get", "operationId", NULL)), "getThingsExport");
    assert_non_null(at(doc, "paths", "/things/export", "get", "responses", "200", "content",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL));
}

static void test_writes(void **state)
{
    json_t *doc = *state, *add = op(doc, "/things", "post"), *change = op(doc, "/things/{id}", "patch");
    assert_string_equal(answer_ref(add, "201"), "#/components/schemas/TestThing");
    assert_string_equal(str(at(add, "requestBody", "content", "application/json", "schema", "$ref", NULL)),
                        "#/components/schemas/TestThingInput");
    assert_true(json_is_true(at(add, "requestBody", "required", NULL)));
    assert_non_null(at(add, "security", "1", "csrf", NULL));   /* a cookie write sends X-CSRF-Token */
    assert_non_null(at(add, "responses", "422", NULL));
    assert_string_equal(str(at(change, "requestBody", "content", "application/json", "schema", "$ref", NULL)),
                        "#/components/schemas/TestThingUpdate");
    assert_string_equal(answer_ref(change, "200"), "#/components/schemas/TestThing");
    json_t *gone = op(doc, "/things/{id}", "delete");
    assert_non_null(at(gone, "responses", "204", NULL));
    assert_null(at(gone, "responses", "204", "content", NULL));
    assert_string_equal(str(at(gone, "x-min-role", NULL)), "admin");
    /* an action on a record: 200 with the record, its body not the create schema */
    json_t *close = op(doc, "/things/{id}/close", "post");
    assert_string_equal(answer_ref(close, "200"), "#/components/schemas/TestThing");
    assert_string_equal(str(at(close, "requestBody", "content", "application/json", "schema", "$ref", NULL)),
                        "#/components/schemas/Object");
    assert_non_null(at(op(doc, "/things/{id}/files", "post"), "requestBody", "content", "application/octet-stream", NULL));
}

static void test_public_routes(void **state)
{
    json_t *doc = *state, *page = op(doc, "/public/pages/{code}", "get"), *signup = op(doc, "/public/signups", "post");
    assert_true(json_is_array(json_object_get(page, "security")));
    assert_int_equal(json_array_size(json_object_get(page, "security")), 0);
    assert_string_equal(str(json_object_get(page, "x-min-role")), "public");
    assert_string_equal(str(json_object_get(page, "summary")), "GET /public/pages/{code}");
    assert_null(at(page, "responses", "401", NULL));
    assert_string_equal(str(at(doc, "paths", "/public/pages/{code}", "parameters", "0", "schema", "type", NULL)), "string");
    assert_non_null(at(signup, "responses", "429", NULL));
    assert_string_equal(answer_ref(signup, "200"), "#/components/schemas/Object");
    json_t *tags = json_object_get(doc, "tags");
    assert_int_equal(json_array_size(tags), 2);
    assert_string_equal(str(at(tags, "0", "name", NULL)), "things");
    assert_string_equal(str(at(tags, "1", "name", NULL)), "public");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_schema),
        cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_list_and_record_routes),
        cmocka_unit_test(test_writes),
        cmocka_unit_test(test_public_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
