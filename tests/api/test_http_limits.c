/* test_http_limits.c - the attacks of the security review on the HTTP layer, each reproduced
 * and shown to do no harm:
 * - bodies before authentication: anonymous callers announcing 1 MiB JSON bodies (200 at once)
 *   and 20 MiB uploads (20 at once) get 401 on their head, before sending a byte of the body,
 *   and nothing reaches the upload spool; a member gets 403 and a cookie caller without the CSRF
 *   header 403 the same way; a public route takes at most KEPU_MAX_PUBLIC_BODY;
 * - a JSON route refuses a body of any other Content-Type with 415 (login CSRF by a text/plain
 *   form), and keep-alive survives a refusal without a body;
 * - error texts cut inside a Chinese character stay 4xx with a valid body;
 * - verification codes and check-in tokens stay out of the access log;
 * - a header line every few hundred milliseconds no longer holds a connection past the head
 *   deadline (KEPU_HEAD_TIMEOUT=3 here);
 * - 2,000 idle connections from 20 addresses, and 4,300 from 43 (more than the old fixed cap
 *   of 4,096), leave a normal request answered within a second; the figure is printed.
 * Client sockets bind to 127.0.0.x, so the server sees distinct addresses. */
#include "harness.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define HEAD_TIMEOUT_S 3

static char *admin, *member;

static int setup(void **state)
{
    setenv("KEPU_HEAD_TIMEOUT", "3", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    create_user(admin, "limits_teacher", root_org_id(admin), "teacher", "self", 0);
    member = login("limits_teacher", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(member);
    return server_stop(state);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A connection to the server from 127.0.0.<host>; -1 when it cannot be made. */
static int connect_from(int host, int timeout_s)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | (unsigned)host)};
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port()),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {timeout_s, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (bind(s, (struct sockaddr *)&me, sizeof me) != 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    return s;
}

static void send_all(int s, const char *text)
{
    size_t len = strlen(text);
    for (size_t off = 0; off < len;) {
        ssize_t n = send(s, text + off, len - off, MSG_NOSIGNAL);
        assert_true(n > 0);
        off += (size_t)n;
    }
}

/* Reads one answer's head (up to its blank line) and returns its status; 0 when the connection
 * closed first or nothing came within the socket's timeout. *text gets what was read. */
static int read_status(int s, char *text, size_t cap)
{
    size_t got = 0;
    text[0] = 0;
    while (got + 1 < cap && !strstr(text, "\r\n\r\n")) {
        ssize_t n = recv(s, text + got, cap - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        text[got] = 0;
    }
    int st = 0;
    if (sscanf(text, "HTTP/1.%*d %d", &st) != 1) st = 0;
    return st;
}

/* Whether the server has closed s: the next read sees the end (or a reset) within ms. */
static bool closed_within(int s, int ms)
{
    struct pollfd p = {s, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0) return false;
    char c[4096];
    ssize_t n = recv(s, c, sizeof c, MSG_DONTWAIT);
    while (n > 0) n = recv(s, c, sizeof c, MSG_DONTWAIT);   /* the rest of an answer */
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Sends a head (which announces a body) and none of the body, then expects the answer `want`
 * (with `code` in it) and the connection closed after it. */
static void expect_refused_on_head(int s, const char *head, int want, const char *code)
{
    send_all(s, head);
    char text[4096];
    long t0 = now_ms();
    int st = read_status(s, text, sizeof text);
    if (st != want) fail_msg("want %d on the head alone, got %d after %ld ms: %.300s", want, st, now_ms() - t0, text);
    if (code && !strstr(text, code)) {   /* the body may follow the head: read a little more */
        char more[1024];
        ssize_t n = recv(s, more, sizeof more - 1, 0);
        more[n > 0 ? n : 0] = 0;
        if (!strstr(more, code)) fail_msg("answer without code %s: %s%s", code, text, more);
    }
    assert_true(closed_within(s, 3000));
}

/* A request head announcing a body of len bytes; extra is one more header line or NULL. */
static const char *head_of(const char *method, const char *path, const char *extra, const char *type, size_t len)
{
    static char head[1024];
    snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: x\r\n%s%sContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
             method, path, extra ? extra : "", extra ? "\r\n" : "", type, len);
    return head;
}

static size_t spool_files(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/files/tmp", server_dir());
    DIR *d = opendir(path);
    if (!d) return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

#define ANON_BODIES 200
#define ANON_UPLOADS 20

static void test_anonymous_bodies_get_401_before_a_byte_is_sent(void **state)
{
    (void)state;
    int s[ANON_BODIES];
    const char *head = head_of("POST", "/api/v1/orgs", NULL, "application/json", 1024 * 1024);
    /* all heads first, so that 200 connections are open at once */
    for (int i = 0; i < ANON_BODIES; i++) {
        s[i] = connect_from(2 + i % 10, 10);
        assert_true(s[i] >= 0);
        send_all(s[i], head);
    }
    for (int i = 0; i < ANON_BODIES; i++) {
        char text[4096];
        int st = read_status(s[i], text, sizeof text);
        if (st != 401) fail_msg("anonymous 1 MiB body #%d: want 401 before the body, got %d: %.200s", i, st, text);
        assert_true(closed_within(s[i], 3000));
        close(s[i]);
    }
}

static void test_anonymous_uploads_get_401_and_leave_no_spool_file(void **state)
{
    (void)state;
    size_t before = spool_files();
    int s[ANON_UPLOADS];
    const char *head = head_of("POST", "/api/v1/activities/1/files", "X-File-Name: a.pdf",
                               "application/octet-stream", 20 * 1024 * 1024);
    for (int i = 0; i < ANON_UPLOADS; i++) {
        s[i] = connect_from(12, 10);
        assert_true(s[i] >= 0);
        send_all(s[i], head);
        /* a first slice of the file, as an eager client sends: still never spooled */
        char slice[4096];
        memset(slice, '%', sizeof slice - 1);
        slice[sizeof slice - 1] = 0;
        send(s[i], slice, sizeof slice - 1, MSG_NOSIGNAL);
    }
    for (int i = 0; i < ANON_UPLOADS; i++) {
        char text[4096];
        int st = read_status(s[i], text, sizeof text);
        if (st != 401) fail_msg("anonymous 20 MiB upload #%d: want 401, got %d: %.200s", i, st, text);
        close(s[i]);
    }
    assert_int_equal(spool_files(), before);
}

static void test_wrong_role_and_missing_csrf_are_refused_on_the_head(void **state)
{
    (void)state;
    char auth[300], cookie[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", member);
    int s = connect_from(13, 10);
    /* a teacher may not upload a staff file: 403 before the 20 MiB */
    expect_refused_on_head(s, head_of("POST", "/api/v1/activities/1/files", auth, "application/octet-stream",
                                      20 * 1024 * 1024), 403, "forbidden");
    close(s);
    /* a cookie session writing without its CSRF header */
    snprintf(cookie, sizeof cookie, "Cookie: kepu_session=%s", admin);
    s = connect_from(13, 10);
    expect_refused_on_head(s, head_of("POST", "/api/v1/orgs", cookie, "application/json", 512 * 1024), 403,
                           "csrf_required");
    close(s);
    /* an unknown route with a body: 404 before it */
    s = connect_from(13, 10);
    expect_refused_on_head(s, head_of("POST", "/api/v1/no-such-thing", auth, "application/json", 512 * 1024), 404,
                           "not_found");
    close(s);
}

static void test_public_routes_take_small_bodies_only(void **state)
{
    (void)state;
    int s = connect_from(14, 10);
    expect_refused_on_head(s, head_of("POST", "/api/v1/auth/login", NULL, "application/json", 1024 * 1024), 413,
                           "body_too_large");
    close(s);
    /* a body just over 64 KiB sent without a length (chunked) is cut as it arrives */
    size_t big = 65 * 1024;
    char *body = malloc(big + 1);
    memset(body, ' ', big);
    body[0] = '{', body[big - 1] = '}', body[big] = 0;
    const char *hdrs[] = {"Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
    http_resp r;
    http("POST", API_BASE "/public/volunteers", hdrs, body, big, &r);
    expect_error(r.status, r.json, 413, "body_too_large", NULL);
    http_resp_free(&r);
    free(body);
}

static int post_login_as(const char *type, const char *body, http_resp *r)
{
    char line[200];
    snprintf(line, sizeof line, "Content-Type:%s%s", type ? " " : "", type ? type : "");   /* "Content-Type:" drops curl's */
    const char *hdrs[] = {line, NULL};
    return http("POST", API_BASE "/auth/login", hdrs, body, strlen(body), r);
}

static void test_json_routes_refuse_other_content_types_with_415(void **state)
{
    (void)state;
    const char *creds = "{\"username\":\"admin\",\"password\":\"" ADMIN_PASSWORD "\"}";
    /* what a cross-site form or fetch can send without a preflight, and no type at all */
    const char *refused[] = {"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json",
                             NULL};
    http_resp r;
    for (int i = 0; i < 7; i++) {
        post_login_as(refused[i], creds, &r);
        if (r.status != 415 || strcmp(err_code(r.json), "unsupported_media_type") != 0 || !error_shape_ok(r.json))
            fail_msg("login sent as %s: %d %s", refused[i] ? refused[i] : "(no type)", r.status, r.body);
        assert_null(resp_header(&r, "Set-Cookie"));
        http_resp_free(&r);
    }
    const char *accepted[] = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"};
    for (int i = 0; i < 3; i++) {
        post_login_as(accepted[i], creds, &r);
        if (r.status != 200) fail_msg("login sent as %s: %d %s", accepted[i], r.status, r.body);
        http_resp_free(&r);
    }
    /* an authenticated JSON route too */
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *hdrs[] = {auth, "Content-Type: text/plain", NULL};
    const char *org = "{\"parent_id\":1,\"type\":\"point\",\"name\":\"纯文本\"}";
    http("POST", API_BASE "/orgs", hdrs, org, strlen(org), &r);
    expect_error(r.status, r.json, 415, "unsupported_media_type", NULL);
    http_resp_free(&r);
    /* a request without a body needs no type */
    const char *none[] = {auth, NULL};
    assert_int_equal(http("GET", API_BASE "/orgs", none, NULL, 0, &r), 200);
    http_resp_free(&r);
}

static void test_refusals_without_a_body_keep_the_connection_alive(void **state)
{
    (void)state;
    int s = connect_from(15, 10);
    char text[4096];
    for (int i = 0; i < 3; i++) {
        send_all(s, "GET /api/v1/orgs HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_int_equal(read_status(s, text, sizeof text), 401);
        char *cl = strstr(text, "Content-Length: ");
        assert_non_null(cl);
        long len = atol(cl + 16);
        long have = (long)strlen(strstr(text, "\r\n\r\n") + 4);
        for (char rest[1024]; have < len;) {
            ssize_t n = recv(s, rest, sizeof rest, 0);
            assert_true(n > 0);
            have += n;
        }
    }
    send_all(s, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(read_status(s, text, sizeof text), 200);
    close(s);
}

/* The message "未知字段 <key> / unknown field" outgrows its 512-byte buffer: wherever the cut
 * falls in a three-byte character, the answer is still the 422 with a valid body. */
static void test_long_chinese_error_texts_stay_4xx(void **state)
{
    (void)state;
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
    for (int pad = 0; pad < 3; pad++) {
        for (int chars = 160; chars < 200; chars += 7) {
            char body[1024];
            int n = sprintf(body, "{\"%.*s", pad, "ab");
            for (int i = 0; i < chars; i++) n += sprintf(body + n, "字");
            n += sprintf(body + n, "\":1}");
            http_resp r;
            int st = http("POST", API_BASE "/orgs", hdrs, body, (size_t)n, &r);
            if (st != 422 || !error_shape_ok(r.json) || strcmp(err_code(r.json), "unknown_field") != 0)
                fail_msg("a key of %d characters after %d ASCII: %d %.200s", chars, pad, st, r.body);
            http_resp_free(&r);
        }
    }
}

static bool log_has(const char *needle)
{
    char path[256];
    snprintf(path, sizeof path, "%s/server.log", server_dir());
    FILE *f = fopen(path, "r");
    if (!f) return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void test_access_log_keeps_codes_and_tokens_out(void **state)
{
    (void)state;
    const char *paths[] = {"/api/v1/public/letters/SECRETLETTER7", "/api/v1/public/volunteer-certificates/SECRETCERT7",
                           "/api/v1/public/checkin/1/SECRETTOKEN7", "/api/v1/public/letters/SECRETLETTER7/x",
                           "/verify/letters/SECRETLETTER8", "/c/1/SECRETTOKEN8", "/v/cert/SECRETCERT8"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        http_resp r;
        int st = http("GET", paths[i], NULL, NULL, 0, &r);
        if (st <= 0 || st >= 500) fail_msg("GET %s: %d", paths[i], st);
        http_resp_free(&r);
    }
    /* the log line is written when the answer is complete: wait for the last one */
    for (int waited = 0; !log_has("/v/cert/") && waited < 3000; waited += 50) sleep_ms(50);
    assert_true(log_has("/api/v1/public/letters/:code"));
    assert_true(log_has("/api/v1/public/checkin/:session/:token"));
    assert_true(log_has("/v/cert/"));
    assert_false(log_has("SECRET"));
}

static void test_header_trickle_is_cut_at_the_head_deadline(void **state)
{
    (void)state;
    int s = connect_from(16, 10);
    assert_true(s >= 0);
    send_all(s, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    long t0 = now_ms();
    bool closed = false;
    /* a header line every 400 ms: never idle for the 3 s idle timeout, so only the head's
     * deadline (3 s) can end it; 10 s is the test's bound */
    for (int i = 0; !closed && now_ms() - t0 < 10000; i++) {
        char line[64];
        snprintf(line, sizeof line, "X-Trickle-%d: %d\r\n", i, i);
        if (send(s, line, strlen(line), MSG_NOSIGNAL) <= 0) closed = true;
        else closed = closed_within(s, 400);
    }
    long held = now_ms() - t0;
    close(s);
    fprintf(stderr, "a trickling head was cut after %ld ms (head deadline %d s)\n", held, HEAD_TIMEOUT_S);
    if (!closed) fail_msg("a header line every 400 ms held the connection for %ld ms", held);
    assert_true(held >= HEAD_TIMEOUT_S * 1000 - 200 && held <= HEAD_TIMEOUT_S * 1000 + 1500);
    /* a request whose head arrives in time is served as before */
    expect_status(api("GET", "/health", NULL, NULL, NULL), NULL, 200);
}

/* Raises this process's descriptor limit to hold n sockets (the server raises its own). */
static void allow_descriptors(rlim_t n)
{
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max < n) fail_msg("the hard descriptor limit %llu is below the %llu this test needs",
                                  (unsigned long long)rl.rlim_max, (unsigned long long)n);
    if (rl.rlim_cur < n) {
        rl.rlim_cur = n;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
}

/* Opens n idle connections spread over `addrs` addresses (127.0.0.1 upwards), half of them with
 * half a request head, and times a normal request and an authenticated one while they are
 * held; returns the slower one's milliseconds, and in *held how many idle connections were
 * still open afterwards (neither refused nor timed out: the load was real). */
static long request_ms_under_idle_load(int n, int addrs, int *held)
{
    allow_descriptors((rlim_t)n + 256);
    int *s = malloc(sizeof *s * (size_t)n);
    long t0 = now_ms();
    for (int i = 0; i < n; i++) {
        s[i] = connect_from(1 + i % addrs, 5);
        if (s[i] < 0) fail_msg("idle connection %d of %d: %s", i, n, strerror(errno));
        if (i % 2) send_all(s[i], "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    }
    long opened = now_ms() - t0;
    sleep_ms(200);   /* let the server accept the last of them */
    long worst = 0;
    for (int k = 0; k < 3; k++) {
        long r0 = now_ms();
        expect_status(api("GET", "/health", NULL, NULL, NULL), NULL, 200);
        expect_status(api("GET", "/orgs?page_size=5", admin, NULL, NULL), NULL, 200);
        if (now_ms() - r0 > worst) worst = now_ms() - r0;
    }
    int open_now = 0;
    for (int i = 0; i < n; i++) {
        char c;
        ssize_t got = recv(s[i], &c, 1, MSG_DONTWAIT | MSG_PEEK);
        open_now += got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    for (int i = 0; i < n; i++) close(s[i]);
    free(s);
    fprintf(stderr, "%d idle connections from %d addresses (opened in %ld ms, %d still open after): "
            "two requests took %ld ms at worst\n", n, addrs, opened, open_now, worst);
    *held = open_now;
    return worst;
}

static void test_2000_idle_connections_from_20_addresses_leave_requests_under_a_second(void **state)
{
    (void)state;
    int held;
    long ms = request_ms_under_idle_load(2000, 20, &held);
    if (ms >= 1000) fail_msg("a request took %ld ms under 2,000 idle connections", ms);
    if (held < 1900) fail_msg("only %d of 2,000 idle connections were held", held);
}

static void test_4300_idle_connections_from_43_addresses_do_not_lock_out_new_clients(void **state)
{
    (void)state;
    int held;
    long ms = request_ms_under_idle_load(4300, 43, &held);
    if (ms >= 1000) fail_msg("a request took %ld ms under 4,300 idle connections", ms);
    if (held < 4100) fail_msg("only %d of 4,300 idle connections were held", held);
}

/* Under systemd's default of 1,024 descriptors, 1,100 idle connections from 11 addresses used to
 * take every descriptor: a node could then open no file (nor a database connection, nor an
 * upload's spool file). A node started with that limit caps its connections below it: a client
 * connected before the flood still gets a file from disk, and new clients get in once the idle
 * ones are dropped (the idle timeout is 3 s in the tests). */
static void test_1100_connections_under_1024_descriptors_leave_descriptors_for_files(void **state)
{
    (void)state;
    limit_node_descriptors(1024);
    assert_int_equal(second_node_start(), 0);
    limit_node_descriptors(0);
    use_node(2);
    int early = connect_from(50, 10);
    assert_true(early >= 0);
    int n = 1100, *s = malloc(sizeof *s * (size_t)n);
    allow_descriptors((rlim_t)n + 256);
    for (int i = 0; i < n; i++) {
        s[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);   /* past the cap they wait unaccepted */
        assert_true(s[i] >= 0);
        struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | (unsigned)(51 + i % 11))};
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port()),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        assert_int_equal(bind(s[i], (struct sockaddr *)&me, sizeof me), 0);
        connect(s[i], (struct sockaddr *)&a, sizeof a);
    }
    sleep_ms(300);
    send_all(early, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
    char text[8192];
    int st = read_status(early, text, sizeof text);
    if (st != 200) fail_msg("a file from disk under 1,100 connections and 1,024 descriptors: %d %.200s", st, text);
    close(early);
    long t0 = now_ms();
    json_t *j = NULL;
    st = api("GET", "/health", NULL, NULL, &j);
    long waited = now_ms() - t0;
    json_decref(j);
    fprintf(stderr, "1,100 connections on a node with 1,024 descriptors: a new client waited %ld ms\n", waited);
    for (int i = 0; i < n; i++) close(s[i]);
    free(s);
    use_node(1);
    assert_int_equal(st, 200);
    assert_true(waited < 10000);
    char log[256];
    snprintf(log, sizeof log, "grep -q 'at most 448 connections' %s/second.log", server_dir());
    assert_int_equal(system(log), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymous_bodies_get_401_before_a_byte_is_sent),
        cmocka_unit_test(test_anonymous_uploads_get_401_and_leave_no_spool_file),
        cmocka_unit_test(test_wrong_role_and_missing_csrf_are_refused_on_the_head),
        cmocka_unit_test(test_public_routes_take_small_bodies_only),
        cmocka_unit_test(test_json_routes_refuse_other_content_types_with_415),
        cmocka_unit_test(test_refusals_without_a_body_keep_the_connection_alive),
        cmocka_unit_test(test_long_chinese_error_texts_stay_4xx),
        cmocka_unit_test(test_access_log_keeps_codes_and_tokens_out),
        cmocka_unit_test(test_header_trickle_is_cut_at_the_head_deadline),
        cmocka_unit_test(test_2000_idle_connections_from_20_addresses_leave_requests_under_a_second),
        cmocka_unit_test(test_4300_idle_connections_from_43_addresses_do_not_lock_out_new_clients),
        cmocka_unit_test(test_1100_connections_under_1024_descriptors_leave_descriptors_for_files),
    };
    return run_api_tests(tests, setup, teardown);
}
