/* test_audit.c - proves docs/api.md "Audit": every change of an org (create, rename, move,
 * delete) and of a user is logged, newest first, with action, entity, entity_id, the acting
 * user, the request id of the change's response, the client address and before/after values;
 * personal data (phones) appears masked, never in clear, and passwords never; filters narrow
 * exactly; a district admin sees only entries whose org lies in its subtree (now, after moves);
 * the login log records successes and failures with address, user agent and the exact reason
 * (ok, wrong_password, unknown_user, disabled), and is for
 * org_admin and above (staff 403), unknown usernames only for scope all. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *d_admin, *d_staff, *d_teacher, *e_admin;
static int64_t root, admin_id, d, d_street, e, e_point;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    admin_id = me_id(admin);
    root = root_org_id(admin);
    d = create_org(admin, root, "district", "北碚区");
    d_street = create_org(admin, d, "street", "天生街道");
    e = create_org(admin, root, "district", "巴南区");
    e_point = create_org(admin, e, "point", "鱼洞教学点");
    create_user(admin, "d_admin", d, "org_admin", "subtree", 0);
    create_user(admin, "d_staff", d, "staff", "subtree", 0);
    create_user(admin, "d_teacher", d_street, "teacher", "self", 0);
    create_user(admin, "e_admin", e, "org_admin", "subtree", 0);
    d_admin = login("d_admin", USER_PASSWORD);
    d_staff = login("d_staff", USER_PASSWORD);
    d_teacher = login("d_teacher", USER_PASSWORD);
    e_admin = login("e_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    char *tokens[] = {admin, d_admin, d_staff, d_teacher, e_admin};
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) free(tokens[i]);
    return server_stop(state);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The X-Request-Id of a change made through api_full (which must answer want). */
static char *change(const char *method, const char *path, json_t *body, int want)
{
    http_resp r;
    expect_status(api_full(method, path, admin, body, &r), r.json, want);
    char *rid = resp_header(&r, "X-Request-Id");
    assert_non_null(rid);
    http_resp_free(&r);
    return rid;
}

/* changes.<field>.<before|after>; NULL when absent or null. */
static json_t *chg(json_t *entry, const char *field, const char *side)
{
    json_t *v = jget(jget(jget(entry, "changes"), field), side);
    return json_is_null(v) ? NULL : v;
}

static void test_org_changes_are_logged_newest_first_with_before_and_after(void **state)
{
    (void)state;
    json_t *j;
    http_resp r;
    expect_status(api_full("POST", "/orgs", admin,
                           jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)d, "type", "point", "name", "审计点"), &r),
                  r.json, 201);
    int64_t x = jint(r.json, "id");
    char *rid_create = resp_header(&r, "X-Request-Id");
    http_resp_free(&r);
    /* x is not the newest org when deleted (see test_deleted_org_ids_are_not_reused) */
    create_org(admin, d, "point", "审计旁点");
    char *rid_rename = change("PATCH", P("/orgs/%lld", (long long)x), jpack("{s:s}", "name", "审计点二"), 200);
    char *rid_move = change("PATCH", P("/orgs/%lld", (long long)x), jpack("{s:I}", "parent_id", (json_int_t)d_street), 200);
    char *rid_delete = change("DELETE", P("/orgs/%lld", (long long)x), NULL, 204);

    expect_status(api("GET", P("/audit?entity=org&entity_id=%lld", (long long)x), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 4);
    json_t *items = jget(j, "items");
    assert_int_equal(json_array_size(items), 4);
    const char *actions[] = {"delete", "move", "update", "create"};
    const char *rids[] = {rid_delete, rid_move, rid_rename, rid_create};
    for (size_t i = 0; i < 4; i++) {
        json_t *e1 = json_array_get(items, i);
        assert_string_equal(jstr(e1, "action"), actions[i]);
        assert_string_equal(jstr(e1, "entity"), "org");
        assert_int_equal(jint(e1, "entity_id"), x);
        assert_int_equal(jint(e1, "user_id"), admin_id);
        assert_string_equal(jstr(e1, "username"), "admin");
        assert_string_equal(jstr(e1, "request_id"), rids[i]);
        assert_string_equal(jstr(e1, "ip"), "127.0.0.1");
        assert_true(ends_with(jstr(e1, "at"), "+08:00"));
        assert_true(json_is_object(jget(e1, "changes")));
        if (i > 0) {   /* newest first */
            json_t *newer = json_array_get(items, i - 1);
            assert_true(jint(newer, "id") > jint(e1, "id"));
            assert_true(strcmp(jstr(newer, "at"), jstr(e1, "at")) >= 0);
        }
    }
    json_t *del = json_array_get(items, 0), *mv = json_array_get(items, 1), *up = json_array_get(items, 2),
           *cr = json_array_get(items, 3);
    assert_null(chg(cr, "name", "before"));
    assert_string_equal(json_string_value(chg(cr, "name", "after")), "审计点");
    assert_string_equal(json_string_value(chg(up, "name", "before")), "审计点");
    assert_string_equal(json_string_value(chg(up, "name", "after")), "审计点二");
    assert_int_equal(json_integer_value(chg(mv, "parent_id", "before")), d);
    assert_int_equal(json_integer_value(chg(mv, "parent_id", "after")), d_street);
    assert_non_null(chg(mv, "path", "before"));
    assert_string_not_equal(json_string_value(chg(mv, "path", "before")), json_string_value(chg(mv, "path", "after")));
    assert_string_equal(json_string_value(chg(del, "name", "before")), "审计点二");
    assert_null(chg(del, "name", "after"));
    json_decref(j);

    /* filters */
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld&action=move", (long long)x)), 1);
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld&user_id=%lld", (long long)x,
                                         (long long)admin_id)), 4);
    assert_int_equal(list_total(admin, P("/audit?entity=user&entity_id=%lld", (long long)x)), 0);
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld&from=2000-01-01&to=2999-12-31",
                                         (long long)x)), 4);
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld&from=2999-01-01", (long long)x)), 0);
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld&to=2000-01-01", (long long)x)), 0);
    expect_api_error("GET", "/audit?from=yesterday", admin, NULL, 422, "invalid_field", "from");
    expect_status(api("GET", "/audit?entity=org&page_size=2", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_true(jint(j, "total") >= 6);
    json_decref(j);
    free(rid_create);
    free(rid_rename);
    free(rid_move);
    free(rid_delete);
}

static void test_user_changes_are_logged_with_the_phone_masked_and_no_password(void **state)
{
    (void)state;
    json_t *j;
    int64_t id = create_user_body(admin, jpack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "username", "phone_user", "name",
                                               "赵六", "org_id", (json_int_t)d, "role", "teacher", "data_scope", "self",
                                               "password", USER_PASSWORD, "phone", "13987654321"));
    expect_status(api("PATCH", P("/users/%lld", (long long)id), admin, jpack("{s:s}", "phone", "13700001111"), NULL),
                  NULL, 200);
    expect_status(api("POST", P("/users/%lld/password", (long long)id), admin,
                      jpack("{s:s}", "password", "Secret-Reset-77"), NULL), NULL, 204);
    expect_status(api("GET", P("/audit?entity=user&entity_id=%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_true(jint(j, "total") >= 2);
    json_t *items = jget(j, "items");
    json_t *create = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(jstr(create, "action"), "create");
    assert_string_equal(json_string_value(chg(create, "phone", "after")), "139****4321");
    assert_string_equal(json_string_value(chg(create, "username", "after")), "phone_user");
    json_t *update = NULL;
    size_t i;
    json_t *e1;
    json_array_foreach(items, i, e1) if (strcmp(jstr(e1, "action"), "update") == 0) update = e1;
    assert_non_null(update);
    assert_string_equal(json_string_value(chg(update, "phone", "before")), "139****4321");
    assert_string_equal(json_string_value(chg(update, "phone", "after")), "137****1111");
    json_decref(j);
    /* nowhere in the whole log: the phones in clear, the passwords, a hash */
    expect_status(api("GET", "/audit?page_size=500", admin, NULL, &j), j, 200);
    char *text = json_dumps(j, 0);
    const char *secrets[] = {"13987654321", "13700001111", USER_PASSWORD, "Secret-Reset-77", "$argon2"};
    for (size_t k = 0; k < sizeof secrets / sizeof *secrets; k++)
        if (strstr(text, secrets[k])) fail_msg("the audit log holds \"%s\" in clear", secrets[k]);
    free(text);
    json_decref(j);
}

static bool has_entry(json_t *items, const char *entity, int64_t id)
{
    size_t i;
    json_t *e1;
    json_array_foreach(items, i, e1) {
        if (strcmp(jstr(e1, "entity"), entity) == 0 && jint(e1, "entity_id") == id) return true;
    }
    return false;
}

static void test_district_admin_sees_only_entries_of_its_subtree(void **state)
{
    (void)state;
    int64_t moving = create_org(admin, d_street, "point", "将迁出的点");
    json_t *j;
    expect_status(api("GET", "/audit?page_size=500", d_admin, NULL, &j), j, 200);
    json_t *items = jget(j, "items");
    assert_true(has_entry(items, "org", d));
    assert_true(has_entry(items, "org", d_street));
    assert_true(has_entry(items, "org", moving));
    assert_false(has_entry(items, "org", e));
    assert_false(has_entry(items, "org", e_point));
    assert_int_equal((int64_t)json_array_size(items), jint(j, "total"));
    json_decref(j);
    assert_int_equal(list_total(d_admin, P("/audit?entity=org&entity_id=%lld", (long long)e)), 0);
    assert_int_equal(list_total(d_admin, P("/audit?entity=org&entity_id=%lld", (long long)d)),
                     list_total(admin, P("/audit?entity=org&entity_id=%lld", (long long)d)));
    assert_int_equal(list_total(e_admin, P("/audit?entity=org&entity_id=%lld", (long long)d_street)), 0);
    /* staff read the audit of their scope too */
    assert_int_equal(list_total(d_staff, P("/audit?entity=org&entity_id=%lld", (long long)d)),
                     list_total(admin, P("/audit?entity=org&entity_id=%lld", (long long)d)));
    /* the org now lies in E: its history goes with it */
    expect_status(api("PATCH", P("/orgs/%lld", (long long)moving), admin, jpack("{s:I}", "parent_id", (json_int_t)e),
                      NULL), NULL, 200);
    assert_int_equal(list_total(d_admin, P("/audit?entity=org&entity_id=%lld", (long long)moving)), 0);
    assert_int_equal(list_total(e_admin, P("/audit?entity=org&entity_id=%lld", (long long)moving)), 2);
    /* a teacher reads no audit at all */
    expect_api_error("GET", "/audit", d_teacher, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", "/audit", NULL, NULL, 401, "unauthorized", NULL);
}

/* ?org_id= narrows either log to a subtree; an org outside the caller's scope (or missing) is
 * 404 field org_id, never a silently empty page. */
static void test_org_id_narrows_the_logs_and_is_404_outside_scope(void **state)
{
    (void)state;
    json_t *j;
    expect_status(api("GET", P("/audit?org_id=%lld&page_size=500", (long long)d_street), d_admin, NULL, &j), j, 200);
    json_t *items = jget(j, "items");
    assert_true(has_entry(items, "org", d_street));
    assert_false(has_entry(items, "org", d));
    assert_false(has_entry(items, "org", e));
    json_decref(j);
    assert_true(list_total(admin, P("/audit?org_id=%lld&entity=org", (long long)e)) >= 2);   /* e and e_point */
    expect_api_error("GET", P("/audit?org_id=%lld", (long long)e), d_admin, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/audit?org_id=%lld", (long long)root), d_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", "/audit?org_id=999999", d_admin, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/audit/logins?org_id=%lld", (long long)e), d_admin, NULL, 404, "not_found", "org_id");
    assert_true(list_total(admin, P("/audit/logins?org_id=%lld&username=d_admin", (long long)d)) >= 1);
    assert_int_equal(list_total(admin, P("/audit/logins?org_id=%lld&username=d_admin", (long long)e)), 0);
}

/* An audit entry names its entity by id: a deleted org's id given to a new org would hang the
 * old org's history on the new one (GET /audit?entity=org&entity_id=NEW shows both). */
static void test_deleted_org_ids_are_not_reused(void **state)
{
    (void)state;
    int64_t x = create_org(admin, d, "point", "短命点");
    expect_status(api("DELETE", P("/orgs/%lld", (long long)x), admin, NULL, NULL), NULL, 204);
    int64_t y = create_org(admin, d, "point", "新生点");
    if (y == x) fprintf(stderr, "org id %lld was given again after its org was deleted\n", (long long)x);
    assert_int_not_equal(y, x);
    assert_int_equal(list_total(admin, P("/audit?entity=org&entity_id=%lld", (long long)y)), 1);
}

static void test_login_log_records_success_and_failure_with_ip(void **state)
{
    (void)state;
    int64_t uid = create_user(admin, "login_logged", d_street, "staff", "org", 0);
    json_t *j;
    expect_error(login_status("login_logged", "Wrong-Password-9", &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
    free(login("login_logged", USER_PASSWORD));
    expect_error(login_status("nobody_here_at_all", "Wrong-Password-9", &j), j, 401, "invalid_credentials", "*");
    json_decref(j);

    expect_status(api("GET", "/audit/logins?username=login_logged", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    json_t *ok = jget(j, "items.0"), *bad = jget(j, "items.1");   /* newest first */
    assert_true(json_is_true(jget(ok, "success")));
    assert_false(json_is_true(jget(bad, "success")));
    assert_true(jint(ok, "id") > jint(bad, "id"));
    for (int k = 0; k < 2; k++) {
        json_t *e1 = k ? bad : ok;
        assert_string_equal(jstr(e1, "username"), "login_logged");
        assert_int_equal(jint(e1, "user_id"), uid);
        assert_string_equal(jstr(e1, "ip"), "127.0.0.1");
        assert_string_equal(jstr(e1, "user_agent"), "kepu-api-test/1");
        assert_true(ends_with(jstr(e1, "at"), "+08:00"));
    }
    /* the reason says exactly what happened */
    assert_string_equal(jstr(ok, "reason"), "ok");
    assert_string_equal(jstr(bad, "reason"), "wrong_password");
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, "Wrong-Password-9"));   /* the attempted password is never logged */
    assert_null(strstr(text, USER_PASSWORD));
    free(text);
    json_decref(j);
    assert_int_equal(list_total(admin, "/audit/logins?username=login_logged&success=false"), 1);
    assert_int_equal(list_total(admin, "/audit/logins?username=login_logged&success=true"), 1);
    expect_api_error("GET", "/audit/logins?success=perhaps", admin, NULL, 422, "invalid_field", "success");
    /* scope: the district admin sees its users' logins, not admin's, not unknown names */
    assert_int_equal(list_total(d_admin, "/audit/logins?username=login_logged"), 2);
    assert_int_equal(list_total(d_admin, "/audit/logins?username=admin"), 0);
    assert_int_equal(list_total(d_admin, "/audit/logins?username=nobody_here_at_all"), 0);
    assert_int_equal(list_total(e_admin, "/audit/logins?username=login_logged"), 0);
    expect_status(api("GET", "/audit/logins?username=nobody_here_at_all", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_true(json_is_null(jget(j, "items.0.user_id")));
    assert_string_equal(jstr(j, "items.0.reason"), "unknown_user");
    json_decref(j);
    /* a disabled account with its right password: refused like a wrong one, logged as disabled */
    int64_t off = create_user(admin, "login_disabled", d_street, "staff", "org", 0);
    expect_status(api("PATCH", P("/users/%lld", (long long)off), admin, jpack("{s:b}", "active", 0), NULL), NULL, 200);
    expect_error(login_status("login_disabled", USER_PASSWORD, &j), j, 401, "invalid_credentials", NULL);
    json_decref(j);
    expect_status(api("GET", "/audit/logins?username=login_disabled", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_false(json_is_true(jget(j, "items.0.success")));
    assert_string_equal(jstr(j, "items.0.reason"), "disabled");
    json_decref(j);
}

static void test_login_log_requires_org_admin(void **state)
{
    (void)state;
    expect_api_error("GET", "/audit/logins", d_staff, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", "/audit/logins", d_teacher, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", "/audit/logins", NULL, NULL, 401, "unauthorized", NULL);
    expect_status(api("GET", "/audit/logins", d_admin, NULL, NULL), NULL, 200);
    expect_status(api("GET", "/audit/logins", admin, NULL, NULL), NULL, 200);
}

/* docs/domain.md §3 and docs/operations.md: passwords, tokens and phones never reach the log. */
static void test_server_log_holds_no_secrets(void **state)
{
    (void)state;
    /* a search for a phone number is personal data in a query string */
    expect_status(api("GET", "/users?q=13987654321", admin, NULL, NULL), NULL, 200);
    char path[200];
    snprintf(path, sizeof path, "%s/server.log", server_dir());
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = calloc(1, (size_t)size + 1);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    assert_non_null(strstr(text, "/api/v1/"));   /* the access log is on: there was something to leak */
    const char *secrets[] = {"13987654321", "13700001111", USER_PASSWORD, ADMIN_PASSWORD, "Secret-Reset-77",
                             "Wrong-Password-9", admin, d_admin};
    for (size_t k = 0; k < sizeof secrets / sizeof *secrets; k++)
        if (strstr(text, secrets[k])) fail_msg("server.log holds \"%s\"", secrets[k]);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_org_changes_are_logged_newest_first_with_before_and_after),
        cmocka_unit_test(test_user_changes_are_logged_with_the_phone_masked_and_no_password),
        cmocka_unit_test(test_district_admin_sees_only_entries_of_its_subtree),
        cmocka_unit_test(test_org_id_narrows_the_logs_and_is_404_outside_scope),
        cmocka_unit_test(test_deleted_org_ids_are_not_reused),
        cmocka_unit_test(test_login_log_records_success_and_failure_with_ip),
        cmocka_unit_test(test_login_log_requires_org_admin),
        cmocka_unit_test(test_server_log_holds_no_secrets),
    };
    return run_api_tests(tests, setup, teardown);
}
