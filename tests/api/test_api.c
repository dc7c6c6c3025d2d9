/* test_api.c - the API contract over HTTP: login and sessions, the org tree, users, audit,
 * and the clear 4xx answers bad input gets (API.md, docs/api.md). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin;
static int64_t root;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

static void test_health_needs_no_login(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(api("GET", "/api/v1/health", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(j, "db")), test_db_kind());
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/openapi.json", NULL, NULL, &j), 200);
    assert_non_null(json_object_get(json_object_get(j, "paths"), "/orgs/{id}/tree"));
    json_decref(j);
}

static void test_login_answer_has_no_secrets(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(api("POST", "/api/v1/auth/login", NULL,
                         "{\"username\":\"admin\",\"password\":\"" ADMIN_PASSWORD "\"}", &j), 200);
    assert_int_equal(strlen(json_string_value(json_object_get(j, "token"))), 43);
    json_t *u = json_object_get(j, "user");
    assert_string_equal(json_string_value(json_object_get(u, "role")), "admin");
    assert_null(json_object_get(u, "password"));
    assert_null(json_object_get(u, "password_hash"));
    json_decref(j);
    assert_int_equal(api("POST", "/api/v1/auth/login", NULL, "{\"username\":\"admin\",\"password\":\"nope-nope-nope\"}", &j), 401);
    assert_string_equal(err_code(j), "invalid_credentials");
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/me", NULL, NULL, &j), 401);
    assert_string_equal(err_code(j), "unauthorized");
    json_decref(j);
}

static void test_lockout_after_five_failures(void **state)
{
    (void)state;
    create_user(admin, "locky", root, "staff", "subtree", 0);
    json_t *j;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(api("POST", "/api/v1/auth/login", NULL, "{\"username\":\"locky\",\"password\":\"wrong-password\"}", NULL), 401);
    }
    assert_int_equal(api("POST", "/api/v1/auth/login", NULL, "{\"username\":\"locky\",\"password\":\"" USER_PASSWORD "\"}", &j), 429);
    assert_string_equal(err_code(j), "account_locked");
    json_decref(j);
}

static void test_logout_ends_the_session(void **state)
{
    (void)state;
    char *t = login("admin", ADMIN_PASSWORD);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, NULL), 200);
    assert_int_equal(api("POST", "/api/v1/auth/logout", t, NULL, NULL), 204);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, NULL), 401);
    free(t);
}

static void test_cookie_changes_need_csrf_header(void **state)
{
    (void)state;
    json_t *j;
    char *hdrs;
    const char *json_ct[] = {"Content-Type: application/json", NULL};
    const char *body = "{\"username\":\"admin\",\"password\":\"" ADMIN_PASSWORD "\"}";
    assert_int_equal(api_raw("POST", "/api/v1/auth/login", json_ct, body, strlen(body), &j, &hdrs), 200);
    assert_non_null(strstr(hdrs, "HttpOnly"));
    char *c = strstr(hdrs, "kepu_session=");
    assert_non_null(c);
    char cookie[128], csrf[128];
    snprintf(cookie, sizeof cookie, "Cookie: %.*s", (int)strcspn(c, ";"), c);
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", json_string_value(json_object_get(j, "csrf_token")));
    const char *without[] = {cookie, NULL}, *with[] = {cookie, csrf, NULL};
    const char *patch = "{\"name\":\"管理员\"}";
    json_t *e;
    assert_int_equal(api_raw("GET", "/api/v1/me", without, NULL, 0, NULL, NULL), 200);
    assert_int_equal(api_raw("PATCH", "/api/v1/me", without, patch, strlen(patch), &e, NULL), 403);
    assert_string_equal(err_code(e), "csrf_required");
    json_decref(e);
    assert_int_equal(api_raw("PATCH", "/api/v1/me", with, patch, strlen(patch), NULL, NULL), 200);
    free(hdrs);
    json_decref(j);
}

static void test_password_change_policy(void **state)
{
    (void)state;
    create_user(admin, "pwuser", root, "staff", "org", 0);
    char *t = login("pwuser", USER_PASSWORD);
    json_t *j;
    assert_int_equal(api("POST", "/api/v1/me/password", t, "{\"old_password\":\"" USER_PASSWORD "\",\"new_password\":\"short\"}", &j), 422);
    assert_string_equal(err_code(j), "weak_password");
    json_decref(j);
    assert_int_equal(api("POST", "/api/v1/me/password", t, "{\"old_password\":\"wrong-old-pw\",\"new_password\":\"a-new-password-1\"}", &j), 422);
    assert_string_equal(err_field(j), "old_password");
    json_decref(j);
    assert_int_equal(api("POST", "/api/v1/me/password", t, "{\"old_password\":\"" USER_PASSWORD "\",\"new_password\":\"a-new-password-1\"}", NULL), 204);
    assert_int_equal(api("POST", "/api/v1/auth/login", NULL, "{\"username\":\"pwuser\",\"password\":\"" USER_PASSWORD "\"}", NULL), 401);
    free(login("pwuser", "a-new-password-1"));
    free(t);
}

static void test_org_create_get_list_search(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "测试区");
    int64_t p = create_org(admin, d, "point", "和平社区教学点");
    json_t *j;
    char path[128], want[64];
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)p);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    snprintf(want, sizeof want, "/%lld/%lld/", (long long)d, (long long)p);
    const char *got = json_string_value(json_object_get(j, "path"));
    assert_non_null(strstr(got, want));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/orgs?parent_id=%lld&page_size=1", (long long)d);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/orgs?q=%E5%92%8C%E5%B9%B3", admin, NULL, &j), 200);   /* 和平 */
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/orgs?page_size=501", admin, NULL, &j), 422);
    assert_string_equal(err_field(j), "page_size");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld/tree", (long long)d);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    json_t *kids = json_object_get(j, "children");
    assert_int_equal(json_array_size(kids), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(kids, 0), "id")), p);
    json_decref(j);
}

static void test_org_move_delete_and_conflicts(void **state)
{
    (void)state;
    int64_t a = create_org(admin, root, "district", "甲区");
    int64_t b = create_org(admin, root, "district", "乙区");
    int64_t s = create_org(admin, a, "street", "甲街道");
    int64_t p = create_org(admin, s, "point", "甲教学点");
    json_t *j;
    char path[128], body[128];
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)s);
    snprintf(body, sizeof body, "{\"parent_id\":%lld}", (long long)b);
    assert_int_equal(api("PATCH", path, admin, body, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)p);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "/%lld/%lld/%lld/", (long long)b, (long long)s, (long long)p);
    assert_non_null(strstr(json_string_value(json_object_get(j, "path")), prefix));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)b);
    snprintf(body, sizeof body, "{\"parent_id\":%lld}", (long long)p);
    assert_int_equal(api("PATCH", path, admin, body, &j), 409);
    assert_string_equal(err_code(j), "move_into_descendant");
    json_decref(j);
    assert_int_equal(api("DELETE", path, admin, NULL, &j), 409);
    assert_string_equal(err_code(j), "org_not_empty");
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)p);
    assert_int_equal(api("DELETE", path, admin, NULL, NULL), 204);
    assert_int_equal(api("GET", path, admin, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)a);
    assert_int_equal(api("PATCH", path, admin, "{\"code\":\"A-001\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)b);
    assert_int_equal(api("PATCH", path, admin, "{\"code\":\"A-001\"}", &j), 409);
    assert_string_equal(err_code(j), "duplicate_code");
    json_decref(j);
}

static void expect_error(const char *method, const char *path, const char *body, long status,
                         const char *code, const char *field)
{
    json_t *j = NULL;
    long st = api(method, path, admin, body, &j);
    if (st != status || strcmp(err_code(j), code) != 0 || (field && strcmp(err_field(j), field) != 0))
        fprintf(stderr, "%s %s %s -> %ld %s %s\n", method, path, body ? body : "", st, err_code(j), err_field(j));
    assert_int_equal(st, status);
    assert_string_equal(err_code(j), code);
    if (field) assert_string_equal(err_field(j), field);
    assert_non_null(json_object_get(json_object_get(j, "error"), "message"));
    json_decref(j);
}

static void test_bad_input_gets_clear_errors(void **state)
{
    (void)state;
    char body[1024], long_name[400] = "", ok_name[400] = "";
    for (int i = 0; i < 100; i++) strcat(ok_name, "科");
    strcpy(long_name, ok_name);
    strcat(long_name, "科");
    expect_error("POST", "/api/v1/orgs", "{bad", 400, "malformed_json", NULL);
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\"}", 422, "invalid_field", "name");
    snprintf(body, sizeof body, "{\"parent_id\":%lld,\"type\":\"point\",\"name\":\"%s\"}", (long long)root, long_name);
    expect_error("POST", "/api/v1/orgs", body, 422, "invalid_field", "name");
    snprintf(body, sizeof body, "{\"parent_id\":%lld,\"type\":\"point\",\"name\":\"%s\"}", (long long)root, ok_name);
    assert_int_equal(api("POST", "/api/v1/orgs", admin, body, NULL), 201);
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":1,\"type\":\"castle\",\"name\":\"x\"}", 422, "invalid_field", "type");
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":1,\"type\":\"point\",\"name\":\"x\",\"color\":1}", 422, "unknown_field", "color");
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":1,\"type\":\"point\",\"name\":\"x\",\"path\":\"/9/\"}", 422, "read_only_field", "path");
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":1,\"type\":\"point\",\"name\":5}", 422, "invalid_field", "name");
    expect_error("POST", "/api/v1/orgs", "{\"type\":\"point\",\"name\":\"x\"}", 422, "required", "parent_id");
    expect_error("POST", "/api/v1/orgs", "{\"parent_id\":999999,\"type\":\"point\",\"name\":\"x\"}", 404, "not_found", "parent_id");
    expect_error("GET", "/api/v1/no-such-thing", NULL, 404, "not_found", NULL);
    expect_error("PUT", "/api/v1/orgs", NULL, 405, "method_not_allowed", NULL);
    const char bad_utf8[] = "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\xff\xfe\"}";
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *hdrs[] = {auth, NULL};
    json_t *j;
    assert_int_equal(api_raw("POST", "/api/v1/orgs", hdrs, bad_utf8, strlen(bad_utf8), &j, NULL), 400);
    assert_string_equal(err_code(j), "invalid_utf8");
    json_decref(j);
    size_t big = 2 * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    assert_int_equal(api_raw("POST", "/api/v1/orgs", hdrs, huge, big, &j, NULL), 413);
    assert_string_equal(err_code(j), "body_too_large");
    json_decref(j);
    free(huge);
}

static void test_sql_looking_text_is_stored_as_text(void **state)
{
    (void)state;
    const char *evil = "'); DROP TABLE orgs;--";
    json_t *j;
    assert_int_equal(apij("POST", "/api/v1/orgs", admin,
                          json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)root, "type", "unit", "name", evil), &j), 201);
    assert_string_equal(json_string_value(json_object_get(j, "name")), evil);
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/orgs?page_size=1", admin, NULL, NULL), 200);
}

static void test_users_create_mask_and_disable(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(apij("POST", "/api/v1/users", admin,
                          json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "username", "wang5", "name", "王五",
                                    "org_id", (json_int_t)root, "role", "staff", "data_scope", "subtree",
                                    "password", USER_PASSWORD, "phone", "13812345678"), &j), 201);
    assert_string_equal(json_string_value(json_object_get(j, "phone")), "138****5678");
    assert_null(json_object_get(j, "password"));
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    expect_error("POST", "/api/v1/users", "{\"username\":\"wang5\",\"name\":\"x\",\"org_id\":1,\"role\":\"staff\",\"data_scope\":\"org\",\"password\":\"long-enough-1\"}", 409, "duplicate_username", "username");
    expect_error("POST", "/api/v1/users", "{\"username\":\"zhao6\",\"name\":\"x\",\"org_id\":1,\"role\":\"staff\",\"data_scope\":\"org\",\"password\":\"long-enough-1\",\"phone\":\"123\"}", 422, "invalid_field", "phone");
    expect_error("POST", "/api/v1/users", "{\"username\":\"zhao6\",\"name\":\"x\",\"org_id\":1,\"role\":\"staff\",\"data_scope\":\"org\",\"password\":\"short\"}", 422, "weak_password", "password");
    char *t = login("wang5", USER_PASSWORD);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "phone")), "13812345678");   /* own profile */
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/users?q=wang5&role=staff", admin, NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
    assert_int_equal(api("DELETE", path, admin, NULL, NULL), 204);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, NULL), 401);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    assert_false(json_is_true(json_object_get(j, "active")));
    json_decref(j);
    free(t);
}

static void test_audit_masks_personal_data(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(apij("POST", "/api/v1/users", admin,
                          json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "username", "li4", "name", "李四",
                                    "org_id", (json_int_t)root, "role", "teacher", "data_scope", "self",
                                    "password", USER_PASSWORD, "phone", "13987654321"), &j), 201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/audit?entity=user&entity_id=%lld", (long long)id);
    assert_int_equal(api("GET", path, admin, NULL, &j), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_t *e = json_array_get(json_object_get(j, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "action")), "create");
    assert_string_equal(json_string_value(json_object_get(e, "username")), "admin");
    assert_non_null(json_string_value(json_object_get(e, "request_id")));
    char *text = json_dumps(e, 0);
    assert_null(strstr(text, "13987654321"));
    assert_non_null(strstr(text, "139****4321"));
    free(text);
    json_decref(j);
    assert_int_equal(api("GET", "/api/v1/audit/logins?success=false", admin, NULL, &j), 200);
    assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_needs_no_login),
        cmocka_unit_test(test_login_answer_has_no_secrets),
        cmocka_unit_test(test_lockout_after_five_failures),
        cmocka_unit_test(test_logout_ends_the_session),
        cmocka_unit_test(test_cookie_changes_need_csrf_header),
        cmocka_unit_test(test_password_change_policy),
        cmocka_unit_test(test_org_create_get_list_search),
        cmocka_unit_test(test_org_move_delete_and_conflicts),
        cmocka_unit_test(test_bad_input_gets_clear_errors),
        cmocka_unit_test(test_sql_looking_text_is_stored_as_text),
        cmocka_unit_test(test_users_create_mask_and_disable),
        cmocka_unit_test(test_audit_masks_personal_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
