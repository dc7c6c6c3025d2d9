/* test_robustness.c - the server survives malformed HTTP, huge headers, slow clients, path
 * traversal and concurrent load, and keeps answering afterwards. */
#include "harness.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

static int connect_server(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port()),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {10, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof a), 0);
    return s;
}

/* Sends raw bytes and returns the status of the answer, 0 when the server closed instead. */
static int raw_status(const char *data, size_t len)
{
    int s = connect_server();
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(s, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += (size_t)n;
    }
    char buf[256] = {0};
    ssize_t n = recv(s, buf, sizeof buf - 1, 0);
    close(s);
    int status = 0;
    if (n > 12) sscanf(buf, "HTTP/1.%*d %d", &status);
    return status;
}

static void still_alive(void)
{
    assert_int_equal(api("GET", "/api/v1/health", NULL, NULL, NULL), 200);
}

static void test_garbage_request_line(void **state)
{
    (void)state;
    const char *g = "\x01\x02 NONSENSE\r\n\r\n";
    int st = raw_status(g, strlen(g));
    assert_true(st == 0 || (st >= 400 && st < 500));
    st = raw_status("GET / HTTP/9.9\r\n\r\n", 18);
    assert_true(st == 0 || (st >= 400 && st < 600));
    still_alive();
}

static void test_huge_header_is_refused(void **state)
{
    (void)state;
    size_t n = 200 * 1024;
    char *req = malloc(n + 128);
    int off = sprintf(req, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + off, 'a', n);
    strcpy(req + off + n, "\r\n\r\n");
    int st = raw_status(req, strlen(req));
    assert_true(st == 0 || (st >= 400 && st < 500));
    free(req);
    still_alive();
}

static void test_slow_client_does_not_block_others(void **state)
{
    (void)state;
    int slow = connect_server();
    const char *half = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"user";
    assert_true(send(slow, half, strlen(half), MSG_NOSIGNAL) > 0);
    for (int i = 0; i < 20; i++) still_alive();
    close(slow);
}

static void test_static_traversal_is_not_found(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(api("GET", "/../../etc/passwd", NULL, NULL, &j), 404);
    json_decref(j);
    assert_int_equal(api("GET", "/%2e%2e/%2e%2e/etc/passwd", NULL, NULL, &j), 404);
    json_decref(j);
    assert_int_equal(api("GET", "/assets/..%2f..%2fetc/passwd", NULL, NULL, &j), 404);
    json_decref(j);
}

static void *hammer(void *arg)
{
    (void)arg;
    long ok = 0;
    for (int i = 0; i < 50; i++) ok += api("GET", "/api/v1/health", NULL, NULL, NULL) == 200;
    return (void *)ok;
}

static void test_concurrent_requests_all_succeed(void **state)
{
    (void)state;
    pthread_t t[4];
    long total = 0;
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, hammer, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    assert_int_equal(total, 200);
}

/* Random bodies of random shapes at every writing endpoint: never a 5xx, never a crash. */
static void test_random_bodies_never_break_the_server(void **state)
{
    (void)state;
    char *admin = login("admin", ADMIN_PASSWORD);
    static const char *const paths[] = {"/api/v1/orgs", "/api/v1/orgs/1", "/api/v1/users",
                                        "/api/v1/users/1", "/api/v1/me", "/api/v1/me/password",
                                        "/api/v1/users/1/password", "/api/v1/auth/login"};
    static const char *const methods[] = {"POST", "PATCH", "POST", "PATCH", "PATCH", "POST", "POST", "POST"};
    static const char *const keys[] = {"name", "type", "parent_id", "code", "username", "org_id", "role",
                                       "data_scope", "password", "phone", "member_org_ids", "active", "x"};
    static const char *const values[] = {"1", "-1", "0", "9999999999999999999", "1.5", "true", "null",
                                         "\"\"", "\"point\"", "\"admin\"", "[]", "[1,2,\"a\"]", "{}",
                                         "\"\\u0000\"", "\"13812345678\"", "\"long-enough-password\""};
    char auth[128], body[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
    srand(20261122);
    for (int i = 0; i < 400; i++) {
        int e = rand() % 8, n = rand() % 4;
        size_t len = 0;
        if (i % 10 == 9) {                                  /* raw bytes */
            len = (size_t)(rand() % 200);
            for (size_t k = 0; k < len; k++) body[k] = (char)(rand() % 256);
        } else {
            len += (size_t)sprintf(body, "{");
            for (int k = 0; k < n; k++)
                len += (size_t)sprintf(body + len, "%s\"%s\":%s", k ? "," : "", keys[rand() % 13], values[rand() % 16]);
            len += (size_t)sprintf(body + len, "}");
        }
        long st = api_raw(methods[e], paths[e], hdrs, body, len, NULL, NULL);
        if (st < 200 || st >= 500) fprintf(stderr, "%s %s %.*s -> %ld\n", methods[e], paths[e], (int)len, body, st);
        assert_true(st >= 200 && st < 500);
    }
    still_alive();
    free(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_request_line),
        cmocka_unit_test(test_huge_header_is_refused),
        cmocka_unit_test(test_slow_client_does_not_block_others),
        cmocka_unit_test(test_static_traversal_is_not_found),
        cmocka_unit_test(test_concurrent_requests_all_succeed),
        cmocka_unit_test(test_random_bodies_never_break_the_server),
    };
    return cmocka_run_group_tests(tests, server_start, server_stop);
}
