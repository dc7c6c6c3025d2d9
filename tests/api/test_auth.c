/* test_auth.c - proves the authentication contract of docs/api.md "Auth": health and the
 * OpenAPI document need no login; login answers a token, a CSRF token and the user without any
 * secret; wrong or unknown credentials are 401 invalid_credentials; after five failures an
 * (account, address) pair waits (429 too_many_attempts with Retry-After, even with the right
 * password) but is never locked: the right password works once the wait is over, and the
 * account from elsewhere at once; logout ends the session; the kepu_session cookie is HttpOnly
 * (Secure when served over HTTPS behind the proxy) and state changes made with it need this session's
 * X-CSRF-Token; the password policy (at least 10 characters, counted as characters) and the
 * password change (ends other sessions, old password stops working); and the per-address
 * throttle (429 too_many_attempts). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static char *admin;
static int64_t root;

static int setup(void **state)
{
    setenv("KEPU_TRUST_PROXY", "1", 1);   /* X-Real-IP and X-Forwarded-Proto as nginx sends them */
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    create_user(admin, "auth_staff", root, "staff", "subtree", 0);
    create_user(admin, "locky", root, "staff", "org", 0);
    create_user(admin, "unlocked_neighbour", root, "staff", "org", 0);
    create_user(admin, "wrongpw", root, "teacher", "self", 0);
    create_user(admin, "pwchanger01", root, "staff", "org", 0);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A request authenticated by cookie; csrf may be NULL. */
static int cookie_req(const char *method, const char *path, const char *cookie, const char *csrf,
                      const char *body, http_resp *r)
{
    char c[256], x[256], url[256];
    snprintf(c, sizeof c, "Cookie: %s", cookie);
    snprintf(x, sizeof x, "X-CSRF-Token: %s", csrf ? csrf : "");
    snprintf(url, sizeof url, API_BASE "%s", path);
    const char *headers[] = {"Content-Type: application/json", c, csrf ? x : NULL, NULL};
    return http(method, url, headers, body, body ? strlen(body) : 0, r);
}

/* Logs in through the raw helper and returns "kepu_session=VALUE" (malloc'd); *set_cookie gets
 * the whole Set-Cookie header and *csrf the csrf_token of the answer. */
static char *cookie_login(const char *user, const char *password, char **set_cookie, char **csrf)
{
    http_resp r;
    json_t *body = jpack("{s:s, s:s}", "username", user, "password", password);
    expect_status(api_full("POST", "/auth/login", NULL, body, &r), r.json, 200);
    *set_cookie = resp_header(&r, "Set-Cookie");
    assert_non_null(*set_cookie);
    *csrf = strdup(jstr(r.json, "csrf_token"));
    http_resp_free(&r);
    const char *start = strstr(*set_cookie, "kepu_session=");
    assert_ptr_equal(start, *set_cookie);   /* the cookie's name comes first */
    return strndup(start, strcspn(start, ";"));
}

static void test_health_and_openapi_answer_without_login(void **state)
{
    (void)state;
    http_resp r;
    expect_status(api_full("GET", "/health", NULL, NULL, &r), r.json, 200);
    assert_string_equal(jstr(r.json, "status"), "ok");
    assert_string_equal(jstr(r.json, "db"), test_db_kind());
    assert_non_null(jstr(r.json, "version"));
    assert_true(strlen(jstr(r.json, "version")) > 0);
    char *rid = resp_header(&r, "X-Request-Id");
    assert_non_null(rid);
    assert_true(strlen(rid) > 0);
    free(rid);
    http_resp_free(&r);
    json_t *j;
    expect_status(api("GET", "/openapi.json", NULL, NULL, &j), j, 200);
    assert_non_null(jstr(j, "openapi"));
    assert_int_equal(jstr(j, "openapi")[0], '3');
    assert_true(json_is_object(jget(j, "paths")));
    assert_non_null(json_object_get(jget(j, "paths"), "/orgs/{id}/tree"));
    assert_string_equal(jstr(j, "openapi"), "3.1.0");
    /* The server answers the document `kepu openapi` prints: one generator, no copy to drift. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' openapi", getenv("KEPU_BIN"));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    json_t *printed = json_loadf(p, 0, NULL);
    assert_int_equal(pclose(p), 0);
    assert_non_null(printed);
    assert_true(json_equal(j, printed));
    json_decref(printed);
    json_decref(j);
}

static void test_protected_endpoints_answer_401_without_a_valid_session(void **state)
{
    (void)state;
    expect_api_error("GET", "/me", NULL, NULL, 401, "unauthorized", NULL);
    expect_api_error("GET", "/orgs", NULL, NULL, 401, "unauthorized", NULL);
    expect_api_error("GET", "/users", NULL, NULL, 401, "unauthorized", NULL);
    expect_api_error("GET", "/me", "not-a-real-token-at-all", NULL, 401, "unauthorized", NULL);
    expect_api_error("POST", "/orgs", "", jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)root,
                                                "type", "point", "name", "x"), 401, "unauthorized", NULL);
    /* Even the error of an unauthenticated request says which request it was. */
    http_resp r;
    assert_int_equal(api_full("GET", "/me", NULL, NULL, &r), 401);
    char *rid = resp_header(&r, "X-Request-Id");
    assert_non_null(rid);
    free(rid);
    http_resp_free(&r);
}

static void test_login_answers_token_csrf_and_user_without_secrets(void **state)
{
    (void)state;
    json_t *j;
    expect_status(login_status("admin", ADMIN_PASSWORD, &j), j, 200);
    const char *token = jstr(j, "token"), *csrf = jstr(j, "csrf_token");
    assert_non_null(token);
    assert_non_null(csrf);
    assert_true(strlen(token) >= 20);
    assert_true(strlen(csrf) >= 16);
    assert_string_not_equal(token, csrf);
    assert_string_not_equal(token, admin);   /* every login is a new session */
    assert_true(ends_with(jstr(j, "expires_at"), "+08:00"));
    json_t *u = jget(j, "user");
    assert_string_equal(jstr(u, "username"), "admin");
    assert_string_equal(jstr(u, "role"), "admin");
    assert_string_equal(jstr(u, "data_scope"), "all");
    assert_true(json_is_true(json_object_get(u, "active")));
    assert_int_equal(jint(u, "org_id"), root);
    const char *key;
    json_t *v;
    json_object_foreach(u, key, v) {
        if (strstr(key, "password") || strstr(key, "hash") || strstr(key, "salt"))
            fail_msg("the user object carries the secret field \"%s\"", key);
    }
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, ADMIN_PASSWORD));
    assert_null(strstr(text, "$argon2"));
    free(text);
    /* the new token works */
    expect_status(api("GET", "/me", token, NULL, NULL), NULL, 200);
    json_decref(j);
}

static void test_wrong_password_is_401_invalid_credentials(void **state)
{
    (void)state;
    json_t *j;
    expect_error(login_status("wrongpw", "Not-The-Password-1", &j), j, 401, "invalid_credentials", "*");
    assert_null(jget(j, "token"));
    json_decref(j);
    /* a success resets the failure count: this user is not on its way to a lock */
    free(login("wrongpw", USER_PASSWORD));
}

static void test_unknown_user_is_401_invalid_credentials(void **state)
{
    (void)state;
    json_t *j;
    expect_error(login_status("nobody_by_that_name", "Whatever-Pass-1", &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
}

static void test_login_body_is_validated(void **state)
{
    (void)state;
    expect_api_error("POST", "/auth/login", NULL, jpack("{}"), 422, "required", "username");
    expect_api_error("POST", "/auth/login", NULL, jpack("{s:s}", "username", "admin"), 422, "required", "password");
    expect_api_error("POST", "/auth/login", NULL, jpack("{s:i, s:s}", "username", 5, "password", "x"), 422,
                     "invalid_field", "username");
    expect_api_error("POST", "/auth/login", NULL,
                     jpack("{s:s, s:s, s:b}", "username", "admin", "password", ADMIN_PASSWORD, "remember", 1),
                     422, "unknown_field", "remember");
    json_t *j;
    expect_error(api_text("POST", "/auth/login", NULL, "{\"username\":", &j), j, 400, "malformed_json", NULL);
    json_decref(j);
}

static void sleep_seconds(int n)
{
    struct timespec ts = {n, 0};
    while (nanosleep(&ts, &ts) != 0) {}
}

/* Retry-After of a 429 login attempt (fails unless it is 429 with a sane Retry-After). */
static int throttled_login(const char *user, const char *password, const char *const *headers)
{
    http_resp r;
    char body[160];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    http("POST", API_BASE "/auth/login", headers, body, strlen(body), &r);
    expect_error(r.status, r.json, 429, "too_many_attempts", NULL);
    char *after = resp_header(&r, "Retry-After");
    assert_non_null(after);
    int n = atoi(after);
    free(after);
    http_resp_free(&r);
    assert_true(n >= 1 && n <= 60);
    return n;
}

static void test_five_failures_delay_the_pair_but_never_lock_the_owner_out(void **state)
{
    (void)state;
    json_t *j;
    for (int i = 0; i < 5; i++) {
        expect_error(login_status("locky", "Wrong-Password-1", &j), j, 401, "invalid_credentials", "*");
        json_decref(j);
    }
    /* inside the delay even the right password is refused, before any password is checked */
    const char *const json_headers[] = {"Content-Type: application/json", NULL};
    int wait = throttled_login("locky", USER_PASSWORD, json_headers);
    /* the same account from another address is not delayed (KEPU_TRUST_PROXY=1 in setup) */
    const char *const elsewhere[] = {"Content-Type: application/json", "X-Real-IP: 198.51.100.77", NULL};
    http_resp r;
    const char *body = "{\"username\":\"locky\",\"password\":\"" USER_PASSWORD "\"}";
    expect_status(http("POST", API_BASE "/auth/login", elsewhere, body, strlen(body), &r), r.json, 200);
    http_resp_free(&r);
    /* the delay ends: the owner logs in from the same address too (no 10-minute lock) */
    sleep_seconds(wait);
    free(login("locky", USER_PASSWORD));
    free(login("unlocked_neighbour", USER_PASSWORD));
}

static void test_session_cookie_is_secure_over_https_behind_the_proxy(void **state)
{
    (void)state;
    const char *body = "{\"username\":\"auth_staff\",\"password\":\"" USER_PASSWORD "\"}";
    const char *const https[] = {"Content-Type: application/json", "X-Forwarded-Proto: https", NULL};
    const char *const plain[] = {"Content-Type: application/json", "X-Forwarded-Proto: http", NULL};
    http_resp r;
    expect_status(http("POST", API_BASE "/auth/login", https, body, strlen(body), &r), r.json, 200);
    char *c = resp_header(&r, "Set-Cookie");
    assert_non_null(c);
    if (!strstr(c, "; Secure")) fail_msg("Set-Cookie over HTTPS lacks Secure: %s", c);
    free(c);
    http_resp_free(&r);
    expect_status(http("POST", API_BASE "/auth/login", plain, body, strlen(body), &r), r.json, 200);
    c = resp_header(&r, "Set-Cookie");
    assert_non_null(c);
    if (strstr(c, "Secure")) fail_msg("Set-Cookie over plain HTTP claims Secure: %s", c);
    free(c);
    http_resp_free(&r);
}

static void test_logout_invalidates_the_token(void **state)
{
    (void)state;
    char *t = login("auth_staff", USER_PASSWORD);
    char *other = login("auth_staff", USER_PASSWORD);
    expect_status(api("GET", "/me", t, NULL, NULL), NULL, 200);
    expect_status(api("POST", "/auth/logout", t, NULL, NULL), NULL, 204);
    expect_api_error("GET", "/me", t, NULL, 401, "unauthorized", NULL);
    expect_api_error("POST", "/auth/logout", t, NULL, 401, "unauthorized", NULL);
    /* only that session ended */
    expect_status(api("GET", "/me", other, NULL, NULL), NULL, 200);
    expect_status(api("POST", "/auth/logout", other, NULL, NULL), NULL, 204);
    free(t);
    free(other);
}

static void test_me_with_bearer_shows_own_profile_with_phone_unmasked(void **state)
{
    (void)state;
    char *t = login("auth_staff", USER_PASSWORD);
    json_t *j;
    /* bearer requests need no CSRF header */
    expect_status(api("PATCH", "/me", t, jpack("{s:s, s:s}", "name", "张三", "phone", "13912345678"), &j), j, 200);
    assert_string_equal(jstr(j, "name"), "张三");
    json_decref(j);
    expect_status(api("GET", "/me", t, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "username"), "auth_staff");
    assert_string_equal(jstr(j, "name"), "张三");
    assert_string_equal(jstr(j, "role"), "staff");
    assert_string_equal(jstr(j, "phone"), "13912345678");
    assert_non_null(jstr(j, "org_name"));
    char want_path[64];
    snprintf(want_path, sizeof want_path, "/%lld/", (long long)root);
    assert_string_equal(jstr(j, "org_path"), want_path);
    assert_null(jget(j, "password"));
    assert_null(jget(j, "password_hash"));
    int64_t id = jint(j, "id");
    json_decref(j);
    /* others see it masked */
    expect_status(api("GET", P("/users/%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "phone"), "139****5678");
    json_decref(j);
    /* /me cannot change what only an administrator may */
    expect_status(api("PATCH", "/me", t, jpack("{s:s}", "role", "admin"), &j), j, 422);
    assert_true(strcmp(err_code(j), "read_only_field") == 0 || strcmp(err_code(j), "unknown_field") == 0);
    assert_string_equal(err_field(j), "role");
    json_decref(j);
    expect_api_error("PATCH", "/me", t, jpack("{s:s}", "phone", "12345"), 422, "invalid_field", "phone");
    free(t);
}

static void test_login_sets_an_httponly_session_cookie(void **state)
{
    (void)state;
    char *set_cookie, *csrf;
    char *cookie = cookie_login("auth_staff", USER_PASSWORD, &set_cookie, &csrf);
    assert_true(strlen(cookie) > strlen("kepu_session=") + 16);
    if (!strstr(set_cookie, "HttpOnly")) fail_msg("Set-Cookie lacks HttpOnly: %s", set_cookie);
    if (!strstr(set_cookie, "SameSite=Strict")) fail_msg("Set-Cookie lacks SameSite=Strict: %s", set_cookie);
    if (!strstr(set_cookie, "Path=/")) fail_msg("Set-Cookie lacks Path=/: %s", set_cookie);
    http_resp r;
    expect_status(cookie_req("GET", "/me", cookie, NULL, NULL, &r), r.json, 200);   /* reads need no CSRF */
    assert_string_equal(jstr(r.json, "username"), "auth_staff");
    http_resp_free(&r);
    free(cookie);
    free(set_cookie);
    free(csrf);
}

static void test_cookie_state_changes_need_this_sessions_csrf_header(void **state)
{
    (void)state;
    char *set_cookie, *csrf, *set2, *csrf2;
    char *cookie = cookie_login("auth_staff", USER_PASSWORD, &set_cookie, &csrf);
    char *cookie2 = cookie_login("auth_staff", USER_PASSWORD, &set2, &csrf2);
    const char *patch = "{\"name\":\"李四\"}";
    http_resp r;
    cookie_req("PATCH", "/me", cookie, NULL, patch, &r);
    expect_error(r.status, r.json, 403, "csrf_required", "*");
    http_resp_free(&r);
    cookie_req("PATCH", "/me", cookie, "forged-token-value", patch, &r);
    expect_error(r.status, r.json, 403, "csrf_required", "*");
    http_resp_free(&r);
    cookie_req("PATCH", "/me", cookie, csrf2, patch, &r);   /* another session's token */
    expect_error(r.status, r.json, 403, "csrf_required", "*");
    http_resp_free(&r);
    cookie_req("POST", "/auth/logout", cookie, NULL, NULL, &r);   /* logout changes state too */
    expect_error(r.status, r.json, 403, "csrf_required", "*");
    http_resp_free(&r);
    expect_status(cookie_req("PATCH", "/me", cookie, csrf, patch, &r), r.json, 200);
    assert_string_equal(jstr(r.json, "name"), "李四");
    http_resp_free(&r);
    /* the token from GET /auth/csrf works as well as the login answer's */
    expect_status(cookie_req("GET", "/auth/csrf", cookie, NULL, NULL, &r), r.json, 200);
    char *fetched = strdup(jstr(r.json, "csrf_token"));
    http_resp_free(&r);
    expect_status(cookie_req("PATCH", "/me", cookie, fetched, "{\"name\":\"王五\"}", &r), r.json, 200);
    http_resp_free(&r);
    expect_status(cookie_req("POST", "/auth/logout", cookie, fetched, NULL, &r), r.json, 204);
    http_resp_free(&r);
    cookie_req("GET", "/me", cookie, NULL, NULL, &r);
    expect_error(r.status, r.json, 401, "unauthorized", "*");
    http_resp_free(&r);
    char *names[] = {cookie, set_cookie, csrf, cookie2, set2, csrf2, fetched};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) free(names[i]);
}

static void test_password_change_policy_and_effects(void **state)
{
    (void)state;
    char *t1 = login("pwchanger01", USER_PASSWORD);
    char *t2 = login("pwchanger01", USER_PASSWORD);
    /* 9 characters; 27 bytes in UTF-8: the policy counts characters */
    const char *nine_chinese = "密码密码密码密码密";
    const char *ten_chinese = "新密码新密码新密码新";
    expect_api_error("POST", "/me/password", t1,
                     jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", "short"), 422,
                     "weak_password", "new_password");
    expect_api_error("POST", "/me/password", t1,
                     jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", "123456789"), 422,
                     "weak_password", "new_password");
    expect_api_error("POST", "/me/password", t1,
                     jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", nine_chinese), 422,
                     "weak_password", "new_password");
    expect_api_error("POST", "/me/password", t1,
                     jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", "pwchanger01"), 422,
                     "weak_password", "new_password");
    expect_api_error("POST", "/me/password", t1,
                     jpack("{s:s, s:s}", "old_password", "Not-My-Password-1", "new_password", ten_chinese), 422,
                     "invalid_field", "old_password");
    expect_api_error("POST", "/me/password", t1, jpack("{s:s}", "new_password", ten_chinese), 422, "required",
                     "old_password");
    /* nothing changed so far */
    expect_status(api("GET", "/me", t2, NULL, NULL), NULL, 200);
    expect_status(api("POST", "/me/password", t1,
                      jpack("{s:s, s:s}", "old_password", USER_PASSWORD, "new_password", ten_chinese), NULL),
                  NULL, 204);
    expect_status(api("GET", "/me", t1, NULL, NULL), NULL, 200);          /* the caller keeps its session */
    expect_api_error("GET", "/me", t2, NULL, 401, "unauthorized", NULL);   /* other sessions end */
    json_t *j;
    expect_error(login_status("pwchanger01", USER_PASSWORD, &j), j, 401, "invalid_credentials", "*");
    json_decref(j);
    char *t3 = login("pwchanger01", ten_chinese);
    free(t1);
    free(t2);
    free(t3);
}

/* Last: once the address is throttled, no login from 127.0.0.1 works for ten minutes. */
static void test_many_failures_from_one_address_are_throttled(void **state)
{
    (void)state;
    int attempts = 0, st = 0;
    json_t *j = NULL;
    for (; attempts < 80; attempts++) {
        char name[32];
        snprintf(name, sizeof name, "ghost%d", attempts);
        json_decref(j);
        st = login_status(name, "Whatever-Pass-1", &j);
        if (st != 401) break;
    }
    expect_error(st, j, 429, "too_many_attempts", "*");
    json_decref(j);
    /* the throttle holds for correct passwords too; sessions already open keep working */
    expect_error(login_status("admin", ADMIN_PASSWORD, &j), j, 429, "too_many_attempts", "*");
    json_decref(j);
    expect_status(api("GET", "/me", admin, NULL, NULL), NULL, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_and_openapi_answer_without_login),
        cmocka_unit_test(test_protected_endpoints_answer_401_without_a_valid_session),
        cmocka_unit_test(test_login_answers_token_csrf_and_user_without_secrets),
        cmocka_unit_test(test_wrong_password_is_401_invalid_credentials),
        cmocka_unit_test(test_unknown_user_is_401_invalid_credentials),
        cmocka_unit_test(test_login_body_is_validated),
        cmocka_unit_test(test_five_failures_delay_the_pair_but_never_lock_the_owner_out),
        cmocka_unit_test(test_session_cookie_is_secure_over_https_behind_the_proxy),
        cmocka_unit_test(test_logout_invalidates_the_token),
        cmocka_unit_test(test_me_with_bearer_shows_own_profile_with_phone_unmasked),
        cmocka_unit_test(test_login_sets_an_httponly_session_cookie),
        cmocka_unit_test(test_cookie_state_changes_need_this_sessions_csrf_header),
        cmocka_unit_test(test_password_change_policy_and_effects),
        cmocka_unit_test(test_many_failures_from_one_address_are_throttled),
    };
    return run_api_tests(tests, setup, teardown);
}
