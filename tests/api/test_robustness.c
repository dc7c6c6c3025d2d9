/* test_robustness.c - proves the server survives hostile or broken HTTP and keeps serving:
 * garbage request lines and malformed headers (4xx or a closed connection), headers over
 * 64 KiB (beyond the documented 128 KiB: 4xx or closed), a lying Content-Length, slow clients that send half a request and stall (others are
 * served meanwhile, and the stalled connections are closed after the idle timeout, 3 s in the
 * harness), static-file path traversal in every spelling (404, never the file), unknown non-API
 * paths (never a 500), 200 concurrent requests from several threads (all succeed), and random
 * bodies on every writing endpoint (never a 5xx); and SIGTERM lets requests in flight finish
 * (docs/operations.md "Running") before the server exits with status 0. Raw requests use plain
 * sockets, so nothing normalises them on the way. */
#include "harness.h"
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int connect_server(int timeout_s)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port()),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {timeout_s, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof a), 0);
    return s;
}

/* Sends raw bytes and reads the answer until the server closes (or 10 s pass). Returns the
 * status, 0 when the server closed without answering; *text (if not NULL) gets all it sent. */
static int raw_exchange(const char *data, size_t len, char **text)
{
    int s = connect_server(10);
    for (size_t off = 0; off < len;) {
        ssize_t n = send(s, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0) break;   /* the server may refuse before reading everything */
        off += (size_t)n;
    }
    size_t cap = 1 << 16, got = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (got == cap) buf = realloc(buf, (cap *= 2) + 1);
        ssize_t n = recv(s, buf + got, cap - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    buf[got] = 0;
    close(s);
    int status = 0;
    if (got > 12 && sscanf(buf, "HTTP/1.%*d %d", &status) != 1) status = 0;
    if (text) *text = buf;
    else free(buf);
    return status;
}

static int raw(const char *request) { return raw_exchange(request, strlen(request), NULL); }

static void still_serving(void)
{
    json_t *j;
    expect_status(api("GET", "/health", NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "ok");
    json_decref(j);
}

static void assert_4xx_or_closed(const char *what, int st)
{
    if (st == 0 || (st >= 400 && st < 500)) return;
    fail_msg("%s: answered %d, want a 4xx or a closed connection", what, st);
}

static void test_garbage_request_lines_get_4xx_or_close(void **state)
{
    (void)state;
#define RAW(text) {text, sizeof text - 1}
    static const struct { const char *data; size_t len; } garbage[] = {
        RAW("\x01\x02 NONSENSE\r\n\r\n"),
        RAW("GARBAGE\r\n\r\n"),
        RAW("GET\r\n\r\n"),
        RAW("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nNo colon in this header line\r\n\r\n"),
        RAW("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
        RAW("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n{}"),
        RAW("GET /api/v1/he\0lth HTTP/1.1\r\nHost: x\r\n\r\n"),   /* a NUL byte in the target */
        RAW("\r\n\r\n\r\n\r\n"),
    };
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        assert_4xx_or_closed(P("garbage #%zu", i), raw_exchange(garbage[i].data, garbage[i].len, NULL));
        still_serving();
    }
    /* an unknown protocol version may also be refused as 505 */
    int st = raw("GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n");
    assert_true(st == 0 || st == 505 || (st >= 400 && st < 500));
    still_serving();
}

/* docs/operations.md: headers are limited to 128 KiB per connection. Between 64 and 128 KiB the
 * server may serve or refuse; beyond, it refuses (4xx) or closes; it never fails or dies. */
static void test_header_over_64_kib_gets_4xx_or_close(void **state)
{
    (void)state;
    size_t sizes[] = {70 * 1024, 200 * 1024, 1024 * 1024};
    char *req = malloc(sizes[2] + 256);
    for (size_t i = 0; i < 3; i++) {
        int off = sprintf(req, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ");
        memset(req + off, 'a', sizes[i]);
        strcpy(req + off + sizes[i], "\r\nConnection: close\r\n\r\n");
        int st = raw_exchange(req, strlen(req), NULL);
        if (i == 0 && st == 200) continue;   /* under the documented 128 KiB */
        assert_4xx_or_closed(P("one header of %zu KiB", sizes[i] / 1024), st);
        still_serving();
    }
    /* many small headers adding up to more than 128 KiB */
    int off = sprintf(req, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; (size_t)off < sizes[1]; i++) off += sprintf(req + off, "X-H%d: %030d\r\n", i, i);
    strcpy(req + off, "\r\n");
    assert_4xx_or_closed("5000 headers", raw_exchange(req, strlen(req), NULL));
    free(req);
    still_serving();
}

static void test_lying_content_length_does_not_hang_the_server(void **state)
{
    (void)state;
    /* promises 1000 bytes, sends 10 and half-closes: the server answers or closes */
    int s = connect_server(15);
    const char *req = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 1000\r\n\r\n{\"usernam";
    assert_true(send(s, req, strlen(req), MSG_NOSIGNAL) > 0);
    shutdown(s, SHUT_WR);
    char buf[512];
    long start = now_ms();
    ssize_t got = recv(s, buf, sizeof buf - 1, 0);
    long waited = now_ms() - start;
    close(s);
    if (got > 12) {
        buf[got] = 0;
        int st = 0;
        sscanf(buf, "HTTP/1.%*d %d", &st);
        assert_true(st >= 400 && st < 500);
    }
    assert_true(waited < 14000);
    still_serving();
}

#define SLOW_CLIENTS 16

static void test_slow_clients_do_not_block_others(void **state)
{
    (void)state;
    int slow[SLOW_CLIENTS];
    const char *half = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 100\r\n\r\n{\"user";
    const char *half_headers = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (int i = 0; i < SLOW_CLIENTS; i++) {
        slow[i] = connect_server(20);
        const char *what = i % 2 ? half : half_headers;
        assert_true(send(slow[i], what, strlen(what), MSG_NOSIGNAL) > 0);
    }
    /* more stalled connections than worker threads, and still every request is served quickly */
    long start = now_ms();
    for (int i = 0; i < 20; i++) {
        long t0 = now_ms();
        still_serving();
        expect_status(api("GET", "/orgs", admin, NULL, NULL), NULL, 200);
        if (now_ms() - t0 > 2000) fail_msg("a request took %ld ms while slow clients stalled", now_ms() - t0);
    }
    assert_true(now_ms() - start < 10000);
    /* the stalled connections are dropped after the idle timeout (KEPU_TIMEOUT=3) */
    for (int i = 0; i < SLOW_CLIENTS; i++) {
        char buf[256];
        long t0 = now_ms();
        ssize_t got = recv(slow[i], buf, sizeof buf - 1, 0);
        int err = errno;
        if (got < 0 && (err == EAGAIN || err == EWOULDBLOCK))
            fail_msg("slow connection %d still open after %ld ms (idle timeout 3 s)", i, now_ms() - t0);
        if (got > 12) {   /* an answer (408 or 400) instead of a silent close is fine too */
            buf[got] = 0;
            int st = 0;
            sscanf(buf, "HTTP/1.%*d %d", &st);
            assert_true(st >= 400 && st < 500);
        }
        close(slow[i]);
    }
    still_serving();
}

static void test_static_path_traversal_is_404_and_never_leaks(void **state)
{
    (void)state;
    char *text;
    /* the web directory is served, so a 404 below is the traversal refused, not a missing UI */
    const char *index_req = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    int st = raw_exchange(index_req, strlen(index_req), &text);
    assert_int_equal(st, 200);
    assert_non_null(strstr(text, "KEPU-TEST-INDEX"));
    free(text);
    /* server.log and kepu.db lie right next to the web directory */
    const char *must_404[] = {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"};
    const char *refused[] = {"/..%2f..%2f..%2f..%2fetc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                             "/.%2e/.%2e/.%2e/etc/passwd", "/../kepu.db", "/%2e%2e/kepu.db",
                             "/%2e%2e/server.log", "/assets/../../kepu.db", "/..%5c..%5cetc%5cpasswd",
                             "/%252e%252e/%252e%252e/etc/passwd", "/assets/%2e%2e/%2e%2e/server.log",
                             "/..", "/%00/../etc/passwd"};
    const char *leaks[] = {"root:", "SQLite format", "CREATE TABLE", "signal 15", "info ", "/bin/"};
    for (size_t i = 0; i < sizeof must_404 / sizeof *must_404 + sizeof refused / sizeof *refused; i++) {
        bool strict = i < sizeof must_404 / sizeof *must_404;
        const char *path = strict ? must_404[i] : refused[i - sizeof must_404 / sizeof *must_404];
        char req[512];
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
        st = raw_exchange(req, (size_t)n, &text);
        for (size_t k = 0; k < sizeof leaks / sizeof *leaks; k++)
            if (strstr(text, leaks[k])) fail_msg("GET %s leaked \"%s\": %.300s", path, leaks[k], text);
        if (strict && st != 404) fail_msg("GET %s answered %d, want 404", path, st);
        /* any other spelling: refused (4xx), or at most the UI's index page */
        if (!strict && !(st >= 400 && st < 500) && !(st == 200 && strstr(text, "KEPU-TEST-INDEX")))
            fail_msg("GET %s answered %d: %.300s", path, st, text);
        free(text);
    }
    still_serving();
}

static void test_unknown_non_api_paths_are_never_a_500(void **state)
{
    (void)state;
    const char *paths[] = {"/no/such/page", "/assets/missing-file.js", "/index.html?x=%ff", "/%ff%fe",
                           "/favicon.ico", "/api", "/api/", "/api/v2/health", "/API/v1/health"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        http_resp r;
        int st = http("GET", paths[i], NULL, NULL, 0, &r);
        if (st <= 0 || st >= 500) fail_msg("GET %s answered %d", paths[i], st);
        http_resp_free(&r);
    }
    http_resp r;
    assert_int_equal(http("GET", "/assets/missing-file.js", NULL, NULL, 0, &r), 404);   /* a missing asset */
    http_resp_free(&r);
    assert_int_equal(http("POST", "/index.html", NULL, "x", 1, &r), 405);
    http_resp_free(&r);
    still_serving();
}

#define THREADS 8
#define PER_THREAD 25

static void *hammer(void *arg)
{
    long ok = 0, n = (long)(intptr_t)arg;
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, NULL};
    for (int i = 0; i < PER_THREAD; i++) {
        http_resp r;
        int st = (i + n) % 2 ? http("GET", API_BASE "/health", NULL, NULL, 0, &r)
                             : http("GET", API_BASE "/orgs?page_size=5", headers, NULL, 0, &r);
        ok += st == 200 && r.json != NULL;
        http_resp_free(&r);
    }
    return (void *)(intptr_t)ok;
}

static void test_200_concurrent_requests_all_succeed(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    long total = 0;
    for (long i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, hammer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)(intptr_t)r;
    }
    assert_int_equal(total, THREADS * PER_THREAD);
}

/* Random bodies of random shapes at every writing endpoint: never a 5xx, never a crash. */
static void test_random_bodies_never_get_a_5xx(void **state)
{
    (void)state;
    static const char *const paths[] = {"/api/v1/orgs", "/api/v1/orgs/1", "/api/v1/users", "/api/v1/users/1",
                                        "/api/v1/me", "/api/v1/me/password", "/api/v1/users/1/password",
                                        "/api/v1/auth/login"};
    static const char *const methods[] = {"POST", "PATCH", "POST", "PATCH", "PATCH", "POST", "POST", "POST"};
    static const char *const keys[] = {"name", "type", "parent_id", "code", "username", "org_id", "role",
                                       "data_scope", "password", "phone", "member_org_ids", "active", "x",
                                       "old_password", "new_password", "email"};
    static const char *const values[] = {"1", "-1", "0", "9999999999999999999", "1.5", "true", "null", "\"\"",
                                         "\"point\"", "\"admin\"", "[]", "[1,2,\"a\"]", "{}", "\"\\u0000\"",
                                         "\"13812345678\"", "\"long-enough-password\"", "[-1]", "1e400",
                                         "\"\\ud800\"", "[[[[[[[[[[]]]]]]]]]]"};
    enum { NK = sizeof keys / sizeof *keys, NV = sizeof values / sizeof *values };
    char auth[300], body[1024];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
    srand(20261122);
    for (int i = 0; i < 400; i++) {
        int e = rand() % 8, n = rand() % 5;
        size_t len = 0;
        if (i % 10 == 9) {   /* raw bytes */
            len = (size_t)(rand() % 200);
            for (size_t k = 0; k < len; k++) body[k] = (char)(rand() % 256);
        } else {
            len += (size_t)sprintf(body, "{");
            for (int k = 0; k < n; k++)
                len += (size_t)sprintf(body + len, "%s\"%s\":%s", k ? "," : "", keys[rand() % NK], values[rand() % NV]);
            len += (size_t)sprintf(body + len, "}");
        }
        http_resp r;
        int st = http(methods[e], paths[e], hdrs, body, len, &r);
        if (st < 200 || st >= 500)
            fail_msg("%s %s %.*s -> %d %s", methods[e], paths[e], (int)len, body, st, r.body);
        if (st >= 400 && !error_shape_ok(r.json))
            fail_msg("%s %s %.*s -> %d without the error shape: %s", methods[e], paths[e], (int)len, body, st, r.body);
        http_resp_free(&r);
    }
    still_serving();
}

/* docs/operations.md "Running": SIGTERM or SIGINT stops the server gracefully, requests in
 * flight finish. Two requests are in flight when SIGTERM arrives: a 32 MB download barely begun,
 * and an upload whose body is half sent. Both must complete; the teardown then checks exit
 * status 0. Last test. */
static void test_sigterm_lets_in_flight_requests_finish(void **state)
{
    (void)state;
    /* 32 MB: far more than the socket buffers of both ends hold, so the answer is still being
     * sent when the signal comes */
    size_t chunk = 1024 * 1024, big = 32 * chunk;
    char path[200];
    snprintf(path, sizeof path, "%s/web/big.bin", server_dir());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    char *block = malloc(chunk);
    memset(block, 'k', chunk);
    for (size_t i = 0; i < big / chunk; i++) assert_int_equal(fwrite(block, 1, chunk, f), chunk);
    free(block);
    fclose(f);
    int down = connect_server(10), up = connect_server(10);
    const char *get = "GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_true(send(down, get, strlen(get), MSG_NOSIGNAL) > 0);
    char *buf = malloc(big + 65536);
    ssize_t n = recv(down, buf, 65536, 0);
    assert_true(n > 0);
    size_t got = (size_t)n;
    const char *body = "{\"username\":\"admin\",\"password\":\"" ADMIN_PASSWORD "\"}";
    char head[256];
    snprintf(head, sizeof head, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Connection: close\r\nContent-Length: %zu\r\n\r\n%.10s", strlen(body), body);
    assert_true(send(up, head, strlen(head), MSG_NOSIGNAL) > 0);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    server_signal(SIGTERM);
    nanosleep(&pause, NULL);
    /* the upload's rest, then its answer */
    send(up, body + 10, strlen(body) - 10, MSG_NOSIGNAL);
    char answer[1024] = {0};
    ssize_t a = recv(up, answer, sizeof answer - 1, 0);
    int st = 0;
    if (a > 12) sscanf(answer, "HTTP/1.%*d %d", &st);
    close(up);
    /* the download's rest */
    for (;;) {
        n = recv(down, buf + got, big + 65536 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(down);
    free(buf);
    if (st != 200) fprintf(stderr, "the upload in flight at SIGTERM got %s\n", a > 0 ? answer : "no answer");
    if (got < big) fprintf(stderr, "the download in flight at SIGTERM got %zu of %zu bytes\n", got, big);
    assert_int_equal(st, 200);
    assert_true(got > big);   /* headers plus every byte of the file */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_request_lines_get_4xx_or_close),
        cmocka_unit_test(test_header_over_64_kib_gets_4xx_or_close),
        cmocka_unit_test(test_lying_content_length_does_not_hang_the_server),
        cmocka_unit_test(test_slow_clients_do_not_block_others),
        cmocka_unit_test(test_static_path_traversal_is_404_and_never_leaks),
        cmocka_unit_test(test_unknown_non_api_paths_are_never_a_500),
        cmocka_unit_test(test_200_concurrent_requests_all_succeed),
        cmocka_unit_test(test_random_bodies_never_get_a_5xx),
        cmocka_unit_test(test_sigterm_lets_in_flight_requests_finish),   /* last: stops the server */
    };
    return run_api_tests(tests, setup, teardown);
}
