/* test_users.c - proves the users contract of docs/api.md "Users": create answers 201 without
 * any password and with the phone masked (138****5678) in every answer and list; usernames are
 * unique (409); every field is validated (422 naming the field; org outside scope 404 field
 * org_id); list filters q, role, active and org_id give exact totals; disabling (PATCH active
 * false or DELETE) ends the user's sessions and blocks its login while the account stays
 * readable; nobody disables or demotes itself; a district org_admin never grants more than its
 * own rights (no admin, no scope all, no org outside its district: 403 / 404); the admin
 * password reset ends the user's sessions; weak passwords are refused on every path that sets
 * one (a weak bootstrap password stops the first start); names refuse bidi and zero-width
 * controls. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

static char *admin, *da_admin, *da_staff;
static int64_t root, da, da_point, db, db_point, admin_id, da_admin_id;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    admin_id = me_id(admin);
    da = create_org(admin, root, "district", "沙坪坝区");
    da_point = create_org(admin, da, "point", "磁器口教学点");
    db = create_org(admin, root, "district", "九龙坡区");
    db_point = create_org(admin, db, "point", "杨家坪教学点");
    da_admin_id = create_user(admin, "da_admin", da, "org_admin", "subtree", 0);
    create_user(admin, "da_staff", da, "staff", "subtree", 0);
    da_admin = login("da_admin", USER_PASSWORD);
    da_staff = login("da_staff", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(da_admin);
    free(da_staff);
    return server_stop(state);
}

static json_t *user_body(const char *username, int64_t org, const char *role, const char *scope)
{
    return jpack("{s:s, s:s, s:I, s:s, s:s, s:s}", "username", username, "name", username, "org_id",
                 (json_int_t)org, "role", role, "data_scope", scope, "password", USER_PASSWORD);
}

/* user_body plus one more key (taken). */
static json_t *user_body_with(const char *username, const char *key, json_t *value)
{
    json_t *b = user_body(username, root, "staff", "org");
    json_object_set_new(b, key, value);
    return b;
}

static void assert_no_secrets(json_t *u, const char *phone_in_clear)
{
    const char *key;
    json_t *v;
    json_object_foreach(u, key, v) {
        if (strstr(key, "password") || strstr(key, "hash")) fail_msg("user object has \"%s\"", key);
    }
    char *text = json_dumps(u, 0);
    if (strstr(text, USER_PASSWORD)) fail_msg("the password is in the answer: %s", text);
    if (phone_in_clear && strstr(text, phone_in_clear)) fail_msg("the phone is in clear: %s", text);
    free(text);
}

static void test_create_user_answers_201_without_password_and_with_masked_phone(void **state)
{
    (void)state;
    json_t *b = user_body("wang_wu", da_point, "teacher", "self"), *j;
    json_object_set_new(b, "phone", json_string("13812345678"));
    json_object_set_new(b, "email", json_string("wangwu@example.cn"));
    json_object_set_new(b, "name", json_string("王五"));
    expect_status(api("POST", "/users", admin, b, &j), j, 201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    assert_string_equal(jstr(j, "username"), "wang_wu");
    assert_string_equal(jstr(j, "name"), "王五");
    assert_int_equal(jint(j, "org_id"), da_point);
    assert_string_equal(jstr(j, "org_name"), "磁器口教学点");
    assert_string_equal(jstr(j, "role"), "teacher");
    assert_string_equal(jstr(j, "data_scope"), "self");
    assert_true(json_is_true(jget(j, "active")));
    assert_string_equal(jstr(j, "phone"), "138****5678");
    assert_string_equal(jstr(j, "email"), "wangwu@example.cn");
    assert_true(json_is_array(jget(j, "member_org_ids")));
    assert_int_equal(json_array_size(jget(j, "member_org_ids")), 0);
    assert_no_secrets(j, "13812345678");
    json_decref(j);
    expect_status(api("GET", P("/users/%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "phone"), "138****5678");
    assert_no_secrets(j, "13812345678");
    json_decref(j);
    expect_status(api("GET", "/users?q=wang_wu", da_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.phone"), "138****5678");
    assert_no_secrets(jget(j, "items.0"), "13812345678");
    json_decref(j);
    /* the new user can log in */
    free(login("wang_wu", USER_PASSWORD));
}

static void test_duplicate_username_is_409(void **state)
{
    (void)state;
    create_user(admin, "dup_user", root, "staff", "org", 0);
    expect_api_error("POST", "/users", admin, user_body("dup_user", da, "teacher", "self"), 409,
                     "duplicate_username", "username");
    assert_int_equal(list_total(admin, "/users?q=dup_user"), 1);
}

static void test_user_fields_are_validated(void **state)
{
    (void)state;
    const char *phones[] = {"123", "1381234567", "138123456789", "1381234567a", "+8613812345678"};
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++)
        expect_api_error("POST", "/users", admin, user_body_with("bad_phone", "phone", json_string(phones[i])), 422,
                         "invalid_field", "phone");
    expect_api_error("POST", "/users", admin, user_body_with("bad_mail", "email", json_string("not-an-email")), 422,
                     "invalid_field", "email");
    const char *names[] = {"ab", "has space", "名字", "a234567890123456789012345678901234"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        expect_api_error("POST", "/users", admin, user_body(names[i], root, "staff", "org"), 422, "invalid_field",
                         "username");
    json_t *b = user_body("weak_pw", root, "staff", "org");
    json_object_set_new(b, "password", json_string("short"));
    expect_api_error("POST", "/users", admin, b, 422, "weak_password", "password");
    b = user_body("same_as_password", root, "staff", "org");
    json_object_set_new(b, "password", json_string("same_as_password"));
    expect_api_error("POST", "/users", admin, b, 422, "weak_password", "password");
    expect_api_error("POST", "/users", admin, user_body("bad_role", root, "king", "org"), 422, "invalid_field", "role");
    expect_api_error("POST", "/users", admin, user_body("bad_scope", root, "staff", "galaxy"), 422, "invalid_field",
                     "data_scope");
    b = user_body("no_org", root, "staff", "org");
    json_object_del(b, "org_id");
    expect_api_error("POST", "/users", admin, b, 422, "required", "org_id");
    b = user_body("no_pw", root, "staff", "org");
    json_object_del(b, "password");
    expect_api_error("POST", "/users", admin, b, 422, "required", "password");
    expect_api_error("POST", "/users", admin, user_body("ghost_org", 99999999, "staff", "org"), 404, "not_found",
                     "org_id");
    expect_api_error("POST", "/users", admin, user_body_with("extra", "shoe_size", json_integer(42)), 422,
                     "unknown_field", "shoe_size");
    expect_api_error("POST", "/users", admin, user_body_with("with_id", "id", json_integer(1)), 422,
                     "read_only_field", "id");
    expect_api_error("POST", "/users", admin, user_body_with("members", "member_org_ids", json_string("x")), 422,
                     "invalid_field", "member_org_ids");
    expect_api_error("POST", "/users", admin, user_body_with("active_str", "active", json_string("yes")), 422,
                     "invalid_field", "active");
    expect_api_error("PATCH", P("/users/%lld", (long long)da_admin_id), admin, jpack("{s:s}", "username", "renamed"),
                     422, "read_only_field", "username");
    expect_api_error("PATCH", P("/users/%lld", (long long)da_admin_id), admin, jpack("{s:s}", "phone", "999"), 422,
                     "invalid_field", "phone");
    /* none of them was created */
    assert_int_equal(list_total(admin, "/users?q=bad_"), 0);
}

static void test_list_filters_give_exact_totals(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "筛选区");
    int64_t s = create_org(admin, d, "street", "筛选街道");
    int64_t ids[5];
    ids[0] = create_user(admin, "lst_teacher1", d, "teacher", "self", 0);
    ids[1] = create_user(admin, "lst_teacher2", s, "teacher", "self", 0);
    ids[2] = create_user(admin, "lst_vol1", s, "volunteer", "self", 0);
    ids[3] = create_user_body(admin, jpack("{s:s, s:s, s:I, s:s, s:s, s:s}", "username", "lst_staff", "name",
                                           "筛选员工", "org_id", (json_int_t)d, "role", "staff", "data_scope",
                                           "subtree", "password", USER_PASSWORD));
    ids[4] = create_user(admin, "lstxteacher", d, "teacher", "self", 0);   /* "_" must not be a wildcard */
    assert_int_equal(list_total(admin, P("/users?org_id=%lld", (long long)d)), 5);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld", (long long)s)), 2);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld&role=teacher", (long long)d)), 3);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld&role=volunteer", (long long)d)), 1);
    assert_int_equal(list_total(admin, "/users?q=lst_"), 4);
    assert_int_equal(list_total(admin, "/users?q=lst_&role=teacher"), 2);
    char *q = urlenc("筛选员");
    assert_int_equal(list_total(admin, P("/users?q=%s", q)), 1);   /* name, substring */
    free(q);
    assert_int_equal(list_total(admin, "/users?q=%25"), 0);
    json_t *j;
    expect_status(api("GET", P("/users?org_id=%lld&page_size=2&page=2", (long long)d), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 5);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_int_equal(jint(j, "items.0.id"), ids[2]);   /* sorted by id */
    assert_int_equal(jint(j, "items.1.id"), ids[3]);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld&active=false", (long long)d)), 0);
    expect_status(api("PATCH", P("/users/%lld", (long long)ids[2]), admin, jpack("{s:b}", "active", 0), NULL), NULL,
                  200);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld&active=false", (long long)d)), 1);
    assert_int_equal(list_total(admin, P("/users?org_id=%lld&active=true", (long long)d)), 4);
    expect_api_error("GET", "/users?active=maybe", admin, NULL, 422, "invalid_field", "active");
    expect_api_error("GET", "/users?page_size=501", admin, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/users?org_id=99999999", admin, NULL, 404, "not_found", "*");
}

static void test_disabling_a_user_ends_its_sessions_and_blocks_login(void **state)
{
    (void)state;
    int64_t id = create_user(admin, "to_disable", da, "staff", "org", 0);
    char *t = login("to_disable", USER_PASSWORD);
    expect_status(api("GET", "/me", t, NULL, NULL), NULL, 200);
    json_t *j;
    expect_status(api("PATCH", P("/users/%lld", (long long)id), da_admin, jpack("{s:b}", "active", 0), &j), j, 200);
    assert_true(json_is_false(jget(j, "active")));
    json_decref(j);
    expect_api_error("GET", "/me", t, NULL, 401, "unauthorized", NULL);
    expect_error(login_status("to_disable", USER_PASSWORD, &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
    expect_status(api("PATCH", P("/users/%lld", (long long)id), da_admin, jpack("{s:b}", "active", 1), NULL), NULL, 200);
    free(login("to_disable", USER_PASSWORD));
    free(t);
}

static void test_delete_disables_and_keeps_the_account(void **state)
{
    (void)state;
    int64_t id = create_user(admin, "to_delete", da_point, "volunteer", "self", 0);
    char *t = login("to_delete", USER_PASSWORD);
    expect_status(api("DELETE", P("/users/%lld", (long long)id), admin, NULL, NULL), NULL, 204);
    expect_api_error("GET", "/me", t, NULL, 401, "unauthorized", NULL);
    json_t *j;
    expect_error(login_status("to_delete", USER_PASSWORD, &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
    expect_status(api("GET", P("/users/%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_true(json_is_false(jget(j, "active")));
    assert_string_equal(jstr(j, "username"), "to_delete");
    json_decref(j);
    assert_int_equal(list_total(admin, "/users?q=to_delete&active=false"), 1);
    expect_api_error("DELETE", "/users/99999999", admin, NULL, 404, "not_found", "*");
    free(t);
}

static void test_nobody_disables_or_demotes_itself(void **state)
{
    (void)state;
    expect_api_error("PATCH", P("/users/%lld", (long long)admin_id), admin, jpack("{s:b}", "active", 0), 422, "*", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)admin_id), admin, jpack("{s:s}", "role", "staff"), 422, "*", "*");
    expect_api_error("DELETE", P("/users/%lld", (long long)admin_id), admin, NULL, 422, "*", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)da_admin_id), da_admin, jpack("{s:s}", "role", "staff"), 422,
                     "*", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)da_admin_id), da_admin, jpack("{s:b}", "active", 0), 422,
                     "*", "*");
    expect_status(api("GET", "/me", admin, NULL, NULL), NULL, 200);
    expect_status(api("GET", "/me", da_admin, NULL, NULL), NULL, 200);
    /* changing one's own name is fine */
    expect_status(api("PATCH", P("/users/%lld", (long long)da_admin_id), da_admin, jpack("{s:s}", "name", "区管理员"),
                      NULL), NULL, 200);
}

static void test_district_admin_grants_stay_within_its_own_rights(void **state)
{
    (void)state;
    expect_api_error("POST", "/users", da_admin, user_body("g_admin", da, "admin", "subtree"), 403, "forbidden", "*");
    expect_api_error("POST", "/users", da_admin, user_body("g_all", da, "staff", "all"), 403, "forbidden", "*");
    expect_api_error("POST", "/users", da_admin, user_body("g_other", db, "staff", "subtree"), 404, "not_found",
                     "org_id");
    expect_api_error("POST", "/users", da_admin, user_body("g_root", root, "staff", "org"), 404, "not_found", "org_id");
    const char *refused[] = {"g_admin", "g_all", "g_other", "g_root"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        assert_int_equal(list_total(admin, P("/users?q=%s", refused[i])), 0);
    /* within its rights it may */
    int64_t ok = create_user(da_admin, "g_ok_staff", da_point, "staff", "subtree", 0);
    create_user(da_admin, "g_ok_admin", da, "org_admin", "subtree", 0);
    /* changes follow the same rules */
    expect_api_error("PATCH", P("/users/%lld", (long long)ok), da_admin, jpack("{s:s}", "role", "admin"), 403,
                     "forbidden", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)ok), da_admin, jpack("{s:s}", "data_scope", "all"), 403,
                     "forbidden", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)ok), da_admin, jpack("{s:I}", "org_id", (json_int_t)db), 404,
                     "not_found", "org_id");
    /* users outside the district do not exist for it */
    int64_t other = create_user(admin, "g_in_db", db_point, "staff", "org", 0);
    expect_api_error("GET", P("/users/%lld", (long long)other), da_admin, NULL, 404, "not_found", "*");
    expect_api_error("PATCH", P("/users/%lld", (long long)other), da_admin, jpack("{s:s}", "name", "x"), 404,
                     "not_found", "*");
    expect_api_error("GET", P("/users/%lld", (long long)admin_id), da_admin, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/users?org_id=%lld", (long long)db), da_admin, NULL, 404, "not_found", "*");
    /* a user inside the district holding more rights than the district admin is out of its reach */
    int64_t super = create_user(admin, "g_super", da, "org_admin", "all", 0);
    expect_api_error("PATCH", P("/users/%lld", (long long)super), da_admin, jpack("{s:s}", "name", "x"), 403,
                     "forbidden", "*");
    /* staff may read users but never write them */
    expect_api_error("POST", "/users", da_staff, user_body("g_by_staff", da, "teacher", "self"), 403, "forbidden", NULL);
    expect_api_error("PATCH", P("/users/%lld", (long long)ok), da_staff, jpack("{s:s}", "name", "x"), 403, "forbidden",
                     NULL);
    expect_status(api("GET", P("/users/%lld", (long long)ok), da_staff, NULL, NULL), NULL, 200);
    /* the role reviewer (issue 15): the lowest, granted by an org admin; it reads no users */
    create_user(da_admin, "g_ok_reviewer", da_point, "reviewer", "self", 0);
    char *rv = login("g_ok_reviewer", USER_PASSWORD);
    expect_api_error("GET", "/users", rv, NULL, 403, "forbidden", NULL);
    expect_api_error("POST", "/users", rv, user_body("g_by_reviewer", da_point, "reviewer", "self"), 403, "forbidden", NULL);
    expect_status(api("GET", "/me", rv, NULL, NULL), NULL, 200);
    free(rv);
    assert_int_equal(list_total(admin, "/users?role=reviewer&q=g_ok_reviewer"), 1);
}

/* docs/api.md: an org named in a body that is missing or outside scope answers 404 with field
 * naming it; a membership names it in member_org_ids. */
static void test_membership_outside_scope_is_404_naming_member_org_ids(void **state)
{
    (void)state;
    json_t *b = user_body("m_member", da_point, "staff", "subtree");
    json_object_set_new(b, "member_org_ids", jpack("[I]", (json_int_t)db_point));
    expect_api_error("POST", "/users", da_admin, b, 404, "not_found", "member_org_ids");
    b = user_body("m_member2", da_point, "staff", "subtree");
    json_object_set_new(b, "member_org_ids", jpack("[I]", (json_int_t)99999999));
    expect_api_error("POST", "/users", admin, b, 404, "not_found", "member_org_ids");
    assert_int_equal(list_total(admin, "/users?q=m_member"), 0);
}

static void test_admin_password_reset_ends_the_users_sessions(void **state)
{
    (void)state;
    int64_t id = create_user(admin, "reset_me", da, "teacher", "self", 0);
    char *t = login("reset_me", USER_PASSWORD);
    expect_api_error("POST", P("/users/%lld/password", (long long)id), da_admin, jpack("{s:s}", "password", "short"),
                     422, "weak_password", "password");
    expect_api_error("POST", P("/users/%lld/password", (long long)id), da_staff,
                     jpack("{s:s}", "password", "Reset-Pass-2026"), 403, "forbidden", NULL);
    expect_status(api("GET", "/me", t, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/users/%lld/password", (long long)id), da_admin,
                      jpack("{s:s}", "password", "Reset-Pass-2026"), NULL), NULL, 204);
    expect_api_error("GET", "/me", t, NULL, 401, "unauthorized", NULL);
    json_t *j;
    expect_error(login_status("reset_me", USER_PASSWORD, &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
    free(login("reset_me", "Reset-Pass-2026"));
    /* out of scope: as if the user did not exist */
    expect_api_error("POST", P("/users/%lld/password", (long long)admin_id), da_admin,
                     jpack("{s:s}", "password", "Hijack-Pass-2026"), 404, "not_found", "*");
    free(login("admin", ADMIN_PASSWORD));
    free(t);
}

static void test_memberships_round_trip(void **state)
{
    (void)state;
    json_t *b = user_body("member_x", da_point, "staff", "subtree"), *j;
    json_object_set_new(b, "member_org_ids", jpack("[I]", (json_int_t)db_point));
    expect_status(api("POST", "/users", admin, b, &j), j, 201);
    int64_t id = jint(j, "id");
    assert_int_equal(json_array_size(jget(j, "member_org_ids")), 1);
    assert_int_equal(jint(j, "member_org_ids.0"), db_point);
    json_decref(j);
    char *t = login("member_x", USER_PASSWORD);
    expect_status(api("GET", P("/orgs/%lld", (long long)db_point), t, NULL, NULL), NULL, 200);
    expect_status(api("PATCH", P("/users/%lld", (long long)id), admin, jpack("{s:[]}", "member_org_ids"), &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "member_org_ids")), 0);
    json_decref(j);
    expect_api_error("GET", P("/orgs/%lld", (long long)db_point), t, NULL, 404, "not_found", "*");
    free(t);
}

/* Issue 12: "1234567890" and "aaaaaaaaaa" were accepted (10 characters was the whole rule).
 * Every path that sets a password refuses them, saying why in Chinese first. */
static void test_weak_passwords_are_refused_on_every_path(void **state)
{
    (void)state;
    const char *weak[] = {"1234567890", "aaaaaaaaaa", "password123", "13812345678", "Pa$$word2026"};
    int64_t id = create_user(admin, "weak_pw_user", da, "teacher", "self", 0);
    char *t = login("weak_pw_user", USER_PASSWORD);
    for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
        json_t *b = user_body("weak_pw_new", root, "staff", "org"), *j;
        json_object_set_new(b, "password", json_string(weak[i]));
        expect_error(api("POST", "/users", admin, b, &j), j, 422, "weak_password", "password");
        const char *msg = jstr(j, "error.message");
        if (strncmp(msg, "密码太弱：", strlen("密码太弱：")) || !strstr(msg, " / password too weak: "))
            fail_msg("message for %s: %s", weak[i], msg);
        json_decref(j);
        expect_api_error("POST", P("/users/%lld/password", (long long)id), admin, jpack("{s:s}", "password", weak[i]),
                         422, "weak_password", "password");
        expect_api_error("POST", "/me/password", t,
                         jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", weak[i]), 422,
                         "weak_password", "new_password");
    }
    /* the username with digits added */
    expect_api_error("POST", P("/users/%lld/password", (long long)id), admin,
                     jpack("{s:s}", "password", "Weak_Pw_User2026"), 422, "weak_password", "password");
    assert_int_equal(list_total(admin, "/users?q=weak_pw_new"), 0);
    free(login("weak_pw_user", USER_PASSWORD));   /* still the old password */
    free(t);
}

/* The bootstrap admin's password (KEPU_BOOTSTRAP_ADMIN_PASSWORD) follows the same rules: a
 * server on an empty database with a weak one refuses to start instead of creating admin. */
static void test_weak_bootstrap_password_stops_the_server(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "KEPU_BOOTSTRAP_ADMIN_PASSWORD=aaaaaaaaaa KEPU_FILES_DIR=%s/weak_files KEPU_PII_KEY_FILE=%s/weak.key "
             "%s serve --listen 127.0.0.1:1 --db %s/weak.db >%s/weak.log 2>&1",
             server_dir(), server_dir(), getenv("KEPU_BIN"), server_dir(), server_dir());
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    snprintf(cmd, sizeof cmd, "grep -q 'password of admin is too weak' %s/weak.log", server_dir());
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sqlite3 %s/weak.db 'SELECT COUNT(*) FROM users' 2>/dev/null | grep -qx 0", server_dir());
    assert_int_equal(system(cmd), 0);
}

/* Issue 12: names could carry bidi overrides and zero-width characters. */
static void test_names_refuse_bidi_and_zero_width_controls(void **state)
{
    (void)state;
    const char *bad[] = {"\u202Egpj.exe", "张\u200B三", "a\u2066b\u2069", "\uFEFF管理员", "a\u2060b", "a\u200Fb"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *b = user_body("bidi_user", root, "staff", "org");
        json_object_set_new(b, "name", json_string(bad[i]));
        expect_api_error("POST", "/users", admin, b, 422, "invalid_field", "name");
        expect_api_error("PATCH", P("/users/%lld", (long long)da_admin_id), admin, jpack("{s:s}", "name", bad[i]),
                         422, "invalid_field", "name");
        expect_api_error("PATCH", "/me", da_staff, jpack("{s:s}", "name", bad[i]), 422, "invalid_field", "name");
    }
    assert_int_equal(list_total(admin, "/users?q=bidi_user"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_user_answers_201_without_password_and_with_masked_phone),
        cmocka_unit_test(test_duplicate_username_is_409),
        cmocka_unit_test(test_user_fields_are_validated),
        cmocka_unit_test(test_list_filters_give_exact_totals),
        cmocka_unit_test(test_disabling_a_user_ends_its_sessions_and_blocks_login),
        cmocka_unit_test(test_delete_disables_and_keeps_the_account),
        cmocka_unit_test(test_nobody_disables_or_demotes_itself),
        cmocka_unit_test(test_district_admin_grants_stay_within_its_own_rights),
        cmocka_unit_test(test_membership_outside_scope_is_404_naming_member_org_ids),
        cmocka_unit_test(test_admin_password_reset_ends_the_users_sessions),
        cmocka_unit_test(test_weak_passwords_are_refused_on_every_path),
        cmocka_unit_test(test_weak_bootstrap_password_stops_the_server),
        cmocka_unit_test(test_names_refuse_bidi_and_zero_width_controls),
        cmocka_unit_test(test_memberships_round_trip),
    };
    return run_api_tests(tests, setup, teardown);
}
