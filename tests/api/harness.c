/* harness.c - server lifecycle and HTTP helpers for the API tests (see harness.h). */
#include "harness.h"
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static pid_t server_pid, second_pid;
static int port, first_port, second_port;
static char tmpdir[64];
static char db_url[256];      /* the database the server runs on */
static char pg_db[64];        /* our own PostgreSQL database, when KEPU_TEST_PG_URL is set */

const char *test_db_kind(void) { return pg_db[0] ? "postgresql" : "sqlite"; }
const char *test_db_url(void) { return db_url; }

/* With KEPU_TEST_PG_URL (postgresql://user@host:port, no database), each test program gets a
 * database of its own, dropped at the end; otherwise a SQLite file in the temporary folder. */
static int make_database(void)
{
    const char *pg = getenv("KEPU_TEST_PG_URL");
    if (!pg || !*pg) {
        snprintf(db_url, sizeof db_url, "%s/kepu.db", tmpdir);
        return 0;
    }
    char cmd[512];
    snprintf(pg_db, sizeof pg_db, "kepu_test_%d", (int)getpid());
    snprintf(db_url, sizeof db_url, "%s/%s", pg, pg_db);
    snprintf(cmd, sizeof cmd, "psql -q '%s/postgres' -c 'CREATE DATABASE %s' >/dev/null", pg, pg_db);
    return system(cmd) == 0 ? 0 : -1;
}

static void drop_database(void)
{
    const char *pg = getenv("KEPU_TEST_PG_URL");
    if (!pg_db[0] || !pg) return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "psql -q '%s/postgres' -c 'DROP DATABASE IF EXISTS %s WITH (FORCE)' >/dev/null", pg, pg_db);
    if (system(cmd)) {}
}

int server_port(void) { return port; }

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

static pid_t spawn(const char *bin, int on_port, const char *log);
static int wait_healthy(void);

int server_start(void **state)
{
    (void)state;
    const char *bin = getenv("KEPU_BIN");
    if (!bin) { fprintf(stderr, "KEPU_BIN is not set\n"); return -1; }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kepu-api-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    port = free_port();
    if (make_database() != 0) { fprintf(stderr, "cannot create the test database\n"); return -1; }
    curl_global_init(CURL_GLOBAL_ALL);
    first_port = port;
    server_pid = spawn(bin, port, "server.log");
    return wait_healthy();
}

/* Starts `kepu serve` on the test database; its standard error goes to tmpdir/log. */
static pid_t spawn(const char *bin, int on_port, const char *log)
{
    pid_t pid = fork();
    if (pid == 0) {
        char listen[64], logpath[128];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", on_port);
        snprintf(logpath, sizeof logpath, "%s/%s", tmpdir, log);
        if (!freopen(logpath, "a", stderr)) _exit(127);
        setenv("KEPU_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD, 1);
        setenv("KEPU_TIMEOUT", "3", 1);   /* the slow-client test waits for this */
        execl(bin, bin, "serve", "--listen", listen, "--db", db_url, "--web", tmpdir, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_healthy(void)
{
    for (int i = 0; i < 200; i++) {
        if (api("GET", "/api/v1/health", NULL, NULL, NULL) == 200) return 0;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "server did not come up\n");
    return -1;
}

int second_node_start(void)
{
    second_port = free_port();
    second_pid = spawn(getenv("KEPU_BIN"), second_port, "second.log");
    use_node(2);
    int rc = wait_healthy();
    use_node(1);
    return rc;
}

void use_node(int n) { port = n == 2 ? second_port : first_port; }

void kill_first_node_hard(void)
{
    kill(server_pid, SIGKILL);
    waitpid(server_pid, NULL, 0);
    server_pid = 0;
}

int server_stop(void **state)
{
    (void)state;
    int status = 0;
    if (second_pid) {
        int st2 = -1;
        kill(second_pid, SIGTERM);
        waitpid(second_pid, &st2, 0);
        if (!(WIFEXITED(st2) && WEXITSTATUS(st2) == 0)) status = st2 ? st2 : -1;
    }
    if (server_pid) {
        int st1 = -1;
        kill(server_pid, SIGTERM);
        waitpid(server_pid, &st1, 0);
        if (!(WIFEXITED(st1) && WEXITSTATUS(st1) == 0)) status = st1 ? st1 : -1;
    }
    char cmd[128];
    if (status != 0) {
        snprintf(cmd, sizeof cmd, "cat %s/*.log >&2", tmpdir);
        if (system(cmd)) {}
        fprintf(stderr, "server did not stop cleanly (status %d)\n", status);
    }
    drop_database();
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd)) {}
    curl_global_cleanup();
    return status == 0 ? 0 : -1;
}

struct buf { char *p; size_t n; };

static size_t collect(char *data, size_t size, size_t nmemb, void *userp)
{
    struct buf *b = userp;
    size_t add = size * nmemb;
    char *p = realloc(b->p, b->n + add + 1);
    if (!p) return 0;
    memcpy(p + b->n, data, add);
    b->p = p;
    b->n += add;
    b->p[b->n] = 0;
    return add;
}

long api_raw(const char *method, const char *path, const char *const *headers, const char *body,
             size_t body_len, json_t **out, char **headers_out)
{
    CURL *c = curl_easy_init();
    char url[1024];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    struct buf resp = {0}, hdrs = {0};
    struct curl_slist *list = NULL;
    for (; headers && *headers; headers++) list = curl_slist_append(list, *headers);
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdrs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (out) *out = resp.p ? json_loads(resp.p, 0, NULL) : NULL;
    if (headers_out) *headers_out = hdrs.p ? hdrs.p : strdup("");
    else free(hdrs.p);
    free(resp.p);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return status;
}

long api(const char *method, const char *path, const char *token, const char *body, json_t **out)
{
    char auth[256];
    const char *headers[3] = {"Content-Type: application/json", NULL, NULL};
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[1] = auth;
    }
    return api_raw(method, path, headers, body, body ? strlen(body) : 0, out, NULL);
}

long apij(const char *method, const char *path, const char *token, json_t *body, json_t **out)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    long st = api(method, path, token, text, out);
    free(text);
    return st;
}

char *login(const char *username, const char *password)
{
    json_t *j = NULL;
    long st = apij("POST", "/api/v1/auth/login", NULL,
                   json_pack("{s:s, s:s}", "username", username, "password", password), &j);
    if (st != 200) fprintf(stderr, "login %s failed: %ld\n", username, st);
    assert_int_equal(st, 200);
    char *token = strdup(json_string_value(json_object_get(j, "token")));
    json_decref(j);
    return token;
}

int64_t root_org_id(const char *token)
{
    json_t *j = NULL;
    assert_int_equal(api("GET", "/api/v1/orgs/tree", token, NULL, &j), 200);
    int64_t id = json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
    json_decref(j);
    return id;
}

int64_t create_org(const char *token, int64_t parent, const char *type, const char *name)
{
    json_t *j = NULL;
    long st = apij("POST", "/api/v1/orgs", token,
                   json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)parent, "type", type, "name", name), &j);
    assert_int_equal(st, 201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

int64_t create_user(const char *token, const char *username, int64_t org, const char *role,
                    const char *data_scope, int64_t member_org)
{
    json_t *body = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "username", username, "name", username,
                             "org_id", (json_int_t)org, "role", role, "data_scope", data_scope,
                             "password", USER_PASSWORD);
    if (member_org)
        json_object_set_new(body, "member_org_ids", json_pack("[I]", (json_int_t)member_org));
    json_t *j = NULL;
    long st = apij("POST", "/api/v1/users", token, body, &j);
    if (st != 201) fprintf(stderr, "create user %s: %ld %s\n", username, st, err_code(j));
    assert_int_equal(st, 201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

const char *err_code(json_t *j)
{
    const char *s = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    return s ? s : "";
}

const char *err_field(json_t *j)
{
    const char *s = json_string_value(json_object_get(json_object_get(j, "error"), "field"));
    return s ? s : "";
}
