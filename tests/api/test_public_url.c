/* test_public_url.c - one rule for every QR code and link (http/public_url.h): without
 * KEPU_PUBLIC_URL the check-in URL, the links' base and their QR codes follow the address the
 * request was served from (Host; X-Forwarded-Host/-Proto with KEPU_TRUST_PROXY=1), and a Host
 * that is no plain host:port is never written into a link; with KEPU_PUBLIC_URL (a second node
 * on the same database) every one of them names the configured address whatever the Host. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin;
static int64_t session;

static int setup(void **state)
{
    unsetenv("KEPU_PUBLIC_URL");
    setenv("KEPU_TRUST_PROXY", "1", 1);
    if (server_start(state) != 0) return -1;
    setenv("KEPU_PUBLIC_URL", "https://kepu.cq.example/", 1);
    if (second_node_start() != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    int64_t point = create_org(admin, create_org(admin, root, "district", "链接区"), "point", "链接社区教学点");
    json_t *j = NULL;
    expect_status(api("POST", "/courses", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point, "title", "链接体验课", "category",
                            "digital", "starts_at", shanghai_at(-300), "ends_at", shanghai_at(3600)), &j), j, 201);
    int64_t course = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/checkin/sessions", admin, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                                                                (json_int_t)course), &j), j, 200);
    session = jint(j, "id");
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

/* GET path as the admin with extra headers (NULL-terminated, at most 3); the parsed answer. */
static json_t *get_with(const char *path, const char *h1, const char *h2, const char *h3)
{
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, h1, h2, h3, NULL};
    http_resp r;
    int status = http("GET", path, headers, NULL, 0, &r);
    if (status != 200) fail_msg("GET %s: %d %s", path, status, r.body);
    json_t *j = json_loads(r.body, 0, NULL);
    http_resp_free(&r);
    assert_non_null(j);
    return j;
}

static void expect_base(const char *h1, const char *h2, const char *h3, const char *want, bool configured)
{
    json_t *j = get_with("/api/v1/links/base", h1, h2, h3);
    assert_string_equal(jstr(j, "base_url"), want);
    assert_int_equal(json_is_true(json_object_get(j, "configured")), configured);
    json_decref(j);
    j = get_with(P("/api/v1/checkin/sessions/%lld/token", (long long)session), h1, h2, h3);
    char url[300];
    snprintf(url, sizeof url, "%s/c/%lld/%s", want, (long long)session, jstr(j, "token"));
    assert_string_equal(jstr(j, "url"), url);
    json_decref(j);
}

static void test_unset_follows_the_request(void **state)
{
    (void)state;
    use_node(1);
    char own[64];
    snprintf(own, sizeof own, "http://127.0.0.1:%d", server_port());
    expect_base(NULL, NULL, NULL, own, false);   /* curl's own Host: the address it was served from */
    expect_base("Host: 192.168.1.20:8080", NULL, NULL, "http://192.168.1.20:8080", false);
    expect_base("Host: kepu.lan", "X-Forwarded-Host: kepu.cq.gov.cn, inner", "X-Forwarded-Proto: https",
                "https://kepu.cq.gov.cn", false);
    /* no header writes anything but a host into a link */
    expect_base("Host: evil.example/x?", NULL, NULL, "http://127.0.0.1:8080", false);
    expect_base("Host: 10.0.0.5", "X-Forwarded-Host: a b", NULL, "http://10.0.0.5", false);
}

static void test_configured_wins(void **state)
{
    (void)state;
    use_node(2);
    expect_base(NULL, NULL, NULL, "https://kepu.cq.example", true);
    expect_base("Host: 192.168.1.20:8080", "X-Forwarded-Host: other.example", NULL, "https://kepu.cq.example", true);
    use_node(1);
}

static void test_link_qr(void **state)
{
    (void)state;
    use_node(1);
    http_resp r;
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, NULL};
    assert_int_equal(http("GET", "/api/v1/links/qr.svg?path=%2Fv%2Fregister%3Forg%3D5", headers, NULL, 0, &r), 200);
    assert_non_null(strstr(r.body, "<svg"));
    assert_non_null(strstr(r.headers, "image/svg+xml"));
    http_resp_free(&r);
    expect_api_error("GET", "/links/qr.svg?path=https%3A%2F%2Fevil.example", admin, NULL, 422, "invalid_field", "path");
    expect_api_error("GET", "/links/qr.svg?path=%2F%2Fevil.example", admin, NULL, 422, "invalid_field", "path");
    expect_api_error("GET", "/links/qr.svg", admin, NULL, 422, "invalid_field", "path");
    assert_int_equal(api("GET", "/links/base", NULL, NULL, NULL), 401);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unset_follows_the_request),
        cmocka_unit_test(test_configured_wins),
        cmocka_unit_test(test_link_qr),
    };
    return run_api_tests(tests, setup, teardown);
}
