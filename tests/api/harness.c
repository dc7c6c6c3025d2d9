/* harness.c - server lifecycle and HTTP helpers for the API tests (see harness.h). */
#include "harness.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define HEALTH_TIMEOUT_MS 20000
#define STOP_TIMEOUT_MS 30000

static pid_t server_pid, second_pid;
static unsigned long spawn_nofile;   /* descriptor limit of nodes started from now on; 0: inherited */
static bool stopped_cleanly;   /* set by a server_stop() that found nothing wrong */
static int port, first_port, second_port;
static char tmpdir[64];
static char db_url[256];      /* the database the server runs on */
static char pg_db[64];        /* our own PostgreSQL database, when KEPU_TEST_PG_URL is set */

const char *test_db_kind(void) { return pg_db[0] ? "postgresql" : "sqlite"; }
const char *test_db_url(void) { return db_url; }
int server_port(void) { return port; }
const char *server_dir(void) { return tmpdir; }

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* ---------------------------------------------------------------- server lifecycle */

/* With KEPU_TEST_PG_URL (postgresql://user@host:port, no database) each test program gets a
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
    snprintf(cmd, sizeof cmd, "psql -q '%s/postgres' -c 'DROP DATABASE IF EXISTS %s WITH (FORCE)' >/dev/null",
             pg, pg_db);
    if (system(cmd) != 0) fprintf(stderr, "could not drop %s\n", pg_db);
}

/* Binds 127.0.0.1:0 and returns the port the kernel chose. */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int p = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
        p = ntohs(a.sin_port);
    close(s);
    return p;
}

/* A web directory with a known index page: the static-file tests look for its marker, and the
 * database and log next to it are what a traversal would try to reach. */
static int make_web_dir(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/web", tmpdir);
    if (mkdir(path, 0755) != 0) return -1;
    snprintf(path, sizeof path, "%s/web/index.html", tmpdir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs("<!doctype html><title>KEPU-TEST-INDEX</title>\n", f);
    return fclose(f);
}

/* Starts `kepu serve` on the test database; its standard error goes to tmpdir/log. */
static pid_t spawn(const char *bin, int on_port, const char *log)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        char listen[64], logpath[160], web[128], files[160];
        /* If the test program dies, the server must not outlive it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
        snprintf(listen, sizeof listen, "127.0.0.1:%d", on_port);
        snprintf(logpath, sizeof logpath, "%s/%s", tmpdir, log);
        snprintf(web, sizeof web, "%s/web", tmpdir);
        int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0) _exit(127);
        dup2(fd, STDERR_FILENO);
        dup2(fd, STDOUT_FILENO);
        close(fd);
        if (spawn_nofile) {
            struct rlimit rl = {spawn_nofile, spawn_nofile};
            if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(127);
        }
        setenv("KEPU_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD, 1);
        setenv("KEPU_TIMEOUT", "3", 1);   /* test_robustness waits for the idle timeout */
        snprintf(files, sizeof files, "%s/files", tmpdir);
        setenv("KEPU_FILES_DIR", files, 0);   /* both nodes share it, as nodes behind nginx must */
        execl(bin, bin, "serve", "--listen", listen, "--db", db_url, "--web", web, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void show_logs(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "tail -n 60 %s/*.log >&2", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "(no server log)\n");
}

static int wait_healthy(pid_t pid)
{
    for (int waited = 0; waited < HEALTH_TIMEOUT_MS; waited += 50) {
        http_resp r;
        if (http("GET", API_BASE "/health", NULL, NULL, 0, &r) == 200) {
            http_resp_free(&r);
            return 0;
        }
        http_resp_free(&r);
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            fprintf(stderr, "the server exited during start (status %d)\n", st);
            show_logs();
            return -1;
        }
        sleep_ms(50);
    }
    fprintf(stderr, "the server did not answer /health within %d ms\n", HEALTH_TIMEOUT_MS);
    show_logs();
    return -1;
}

int server_start(void **state)
{
    (void)state;
    const char *bin = getenv("KEPU_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "KEPU_BIN is not set (the path of the kepu binary)\n");
        return -1;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kepu-api-XXXXXX");
    if (!mkdtemp(tmpdir) || make_web_dir() != 0) {
        perror("temporary directory");
        return -1;
    }
    port = first_port = free_port();
    if (port <= 0 || make_database() != 0) {
        fprintf(stderr, "cannot pick a port or create the test database\n");
        return -1;
    }
    curl_global_init(CURL_GLOBAL_ALL);
    server_pid = spawn(bin, port, "server.log");
    if (server_pid < 0) return -1;
    return wait_healthy(server_pid);
}

int second_node_start(void)
{
    second_port = free_port();
    second_pid = spawn(getenv("KEPU_BIN"), second_port, "second.log");
    use_node(2);
    int rc = wait_healthy(second_pid);
    use_node(1);
    return rc;
}

void limit_node_descriptors(unsigned long n) { spawn_nofile = n; }

void use_node(int n) { port = n == 2 ? second_port : first_port; }

void kill_first_node_hard(void)
{
    kill(server_pid, SIGKILL);
    waitpid(server_pid, NULL, 0);
    server_pid = 0;
}

void server_signal(int sig)
{
    if (server_pid > 0) kill(server_pid, sig);
}

/* SIGTERM, then waits; true when the process exited with status 0 in time. */
static bool stop_cleanly(pid_t pid, const char *what)
{
    int st = 0;
    kill(pid, SIGTERM);
    for (int waited = 0;; waited += 20) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) break;
        if (w < 0) { perror("waitpid"); return false; }
        if (waited >= STOP_TIMEOUT_MS) {
            fprintf(stderr, "%s did not stop within %d ms of SIGTERM; killed\n", what, STOP_TIMEOUT_MS);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return false;
        }
        sleep_ms(20);
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return true;
    if (WIFEXITED(st)) fprintf(stderr, "%s exited with status %d after SIGTERM\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) fprintf(stderr, "%s died of signal %d after SIGTERM\n", what, WTERMSIG(st));
    return false;
}

/* Sanitizer reports in the server's log fail the run even when the exit status hides them. */
static bool log_is_clean(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' %s/*.log", tmpdir);
    if (system(cmd) != 0) return true;
    fprintf(stderr, "sanitizer report in the server log\n");
    return false;
}

int server_stop(void **state)
{
    (void)state;
    bool ok = true;
    if (second_pid > 0) ok = stop_cleanly(second_pid, "the second node") && ok;
    if (server_pid > 0) ok = stop_cleanly(server_pid, "the server") && ok;
    server_pid = second_pid = 0;
    ok = log_is_clean() && ok;
    if (!ok) show_logs();
    drop_database();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    curl_global_cleanup();
    if (!ok) fprintf(stderr, "FAIL: the server did not shut down gracefully with exit status 0\n");
    stopped_cleanly = ok;
    return ok ? 0 : -1;
}

int harness_result(int cmocka_failures)
{
    if (server_pid > 0 || second_pid > 0) {      /* the group setup failed after the start */
        fprintf(stderr, "FAIL: the group setup did not complete\n");
        server_stop(NULL);
        return 1;
    }
    if (!stopped_cleanly) {
        fprintf(stderr, "FAIL: the server did not start, or did not stop cleanly\n");
        return 1;
    }
    return cmocka_failures != 0;
}

/* ---------------------------------------------------------------- HTTP */

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

int http(const char *method, const char *path, const char *const *headers, const char *body,
         size_t body_len, http_resp *resp)
{
    memset(resp, 0, sizeof *resp);
    CURL *c = curl_easy_init();
    if (!c) return 0;
    char url[2048];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    struct buf b = {0}, h = {0};
    struct curl_slist *list = NULL;
    for (; headers && *headers; headers++) list = curl_slist_append(list, *headers);
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kepu-api-test/1");
    if (strcmp(method, "HEAD") == 0) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    long status = 0;
    curl_easy_perform(c);   /* a refused or reset exchange leaves status 0 */
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    resp->status = (int)status;
    resp->body = b.p ? b.p : strdup("");
    resp->body_len = b.n;
    resp->headers = h.p ? h.p : strdup("");
    resp->json = b.n ? json_loadb(b.p, b.n, 0, NULL) : NULL;
    return resp->status;
}

void http_resp_free(http_resp *resp)
{
    free(resp->body);
    free(resp->headers);
    json_decref(resp->json);
    memset(resp, 0, sizeof *resp);
}

char *resp_header(const http_resp *resp, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = resp->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && line[n] == ':' && strncasecmp(line, name, n) == 0) {
            const char *v = line + n + 1;
            while (*v == ' ' || *v == '\t') v++;
            return strndup(v, (size_t)(line + len - v));
        }
        line = end ? end + 2 : line + len;
    }
    return NULL;
}

static void api_url(char *out, size_t size, const char *path)
{
    if (strncmp(path, "/api/", 5) == 0) snprintf(out, size, "%s", path);
    else snprintf(out, size, API_BASE "%s", path);
}

static int api_send(const char *method, const char *path, const char *token, const char *text,
                    http_resp *resp)
{
    char url[1024], auth[300];
    const char *headers[3] = {"Content-Type: application/json", NULL, NULL};
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[1] = auth;
    }
    api_url(url, sizeof url, path);
    return http(method, url, headers, text, text ? strlen(text) : 0, resp);
}

int api_full(const char *method, const char *path, const char *token, json_t *body, http_resp *resp)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    int st = api_send(method, path, token, text, resp);
    free(text);
    return st;
}

static int finish(int st, http_resp *r, json_t **out)
{
    if (out) {
        *out = r->json;
        r->json = NULL;
    }
    http_resp_free(r);
    return st;
}

int api(const char *method, const char *path, const char *token, json_t *body, json_t **out)
{
    http_resp r;
    int st = api_full(method, path, token, body, &r);
    return finish(st, &r, out);
}

int api_text(const char *method, const char *path, const char *token, const char *body, json_t **out)
{
    http_resp r;
    int st = api_send(method, path, token, body, &r);
    return finish(st, &r, out);
}

/* ---------------------------------------------------------------- JSON and paths */

json_t *jpack(const char *fmt, ...)
{
    va_list ap;
    json_error_t err;
    va_start(ap, fmt);
    json_t *j = json_vpack_ex(&err, 0, fmt, ap);
    va_end(ap);
    if (!j) {
        fprintf(stderr, "jpack(\"%s\"): %s\n", fmt, err.text);
        fail();
    }
    return j;
}

json_t *jget(json_t *j, const char *dotted)
{
    char key[128];
    const char *p = dotted;
    while (j && *p) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, p);
        if (json_is_array(j)) {
            char *end;
            long i = strtol(key, &end, 10);
            j = *end || i < 0 ? NULL : json_array_get(j, (size_t)i);
        } else {
            j = json_object_get(j, key);
        }
        p += n;
        if (*p == '.') p++;
    }
    return j;
}

int64_t jint(json_t *j, const char *dotted) { return json_integer_value(jget(j, dotted)); }
const char *jstr(json_t *j, const char *dotted) { return json_string_value(jget(j, dotted)); }

const char *P(const char *fmt, ...)
{
    static char ring[16][1024];
    static unsigned next;
    char *out = ring[next++ % 16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, sizeof ring[0], fmt, ap);
    va_end(ap);
    return out;
}

char *urlenc(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-_.~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

/* ---------------------------------------------------------------- errors */

const char *err_code(json_t *j)
{
    const char *s = jstr(j, "error.code");
    return s ? s : "";
}

const char *err_field(json_t *j)
{
    json_t *f = jget(j, "error.field");
    if (json_is_null(f)) return "null";
    return json_is_string(f) ? json_string_value(f) : "";
}

bool error_shape_ok(json_t *j)
{
    json_t *e = json_object_get(j, "error");
    if (!json_is_object(j) || json_object_size(j) != 1 || !json_is_object(e)) return false;
    json_t *code = json_object_get(e, "code"), *msg = json_object_get(e, "message"),
           *field = json_object_get(e, "field");
    if (!json_is_string(code) || !json_is_string(msg) || !*json_string_value(msg)) return false;
    for (const char *c = json_string_value(code); *c; c++)
        if (!(islower((unsigned char)*c) || *c == '_' || isdigit((unsigned char)*c))) return false;
    if (!field || !(json_is_null(field) || json_is_string(field))) return false;
    /* The key the UI translates by (GET /api/v1/messages) and the message's params, if any. */
    json_t *key = json_object_get(e, "message_key"), *params = json_object_get(e, "params");
    const char *k = json_string_value(key);
    if (!k || strlen(k) != 9 || k[0] != 'm' || strspn(k + 1, "0123456789abcdef") != 8) return false;
    size_t i;
    json_t *x;
    if (params && !json_is_array(params)) return false;
    json_array_foreach(params, i, x) if (!json_is_string(x)) return false;
    return json_object_size(e) == (params ? 5u : 4u);
}

static void print_answer(json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    fprintf(stderr, "    answer: %s\n", text ? text : "(no JSON body)");
    free(text);
}

/* Whether the answer is the expected error; prints both when not. */
static bool error_matches(const char *file, int line, int got, json_t *j, int status, const char *code,
                          const char *field)
{
    bool ok = got == status && error_shape_ok(j) && (strcmp(code, "*") == 0 || strcmp(err_code(j), code) == 0) &&
              (field ? strcmp(field, "*") == 0 || strcmp(err_field(j), field) == 0
                     : strcmp(err_field(j), "null") == 0);
    if (ok) return true;
    fprintf(stderr, "%s:%d: expected %d %s (field %s), got %d %s (field %s)%s\n", file, line, status,
            code, field ? field : "null", got, err_code(j), err_field(j),
            error_shape_ok(j) ? "" : " - not the {error:{code,message,field}} shape");
    print_answer(j);
    return false;
}

void expect_error_at(const char *file, int line, int got, json_t *j, int status, const char *code,
                     const char *field)
{
    if (!error_matches(file, line, got, j, status, code, field)) _fail(file, line);
}

void expect_api_error_at(const char *file, int line, const char *method, const char *path, const char *token,
                         json_t *body, int status, const char *code, const char *field)
{
    json_t *j = NULL;
    int got = api(method, path, token, body, &j);
    bool ok = error_matches(file, line, got, j, status, code, field);
    json_decref(j);
    if (!ok) {
        fprintf(stderr, "    request: %s %s\n", method, path);
        _fail(file, line);
    }
}

void expect_status_at(const char *file, int line, int got, json_t *j, int want)
{
    if (got == want) return;
    fprintf(stderr, "%s:%d: expected status %d, got %d\n", file, line, want, got);
    print_answer(j);
    _fail(file, line);
}

/* ---------------------------------------------------------------- domain helpers */

int login_status(const char *username, const char *password, json_t **out)
{
    return api("POST", "/auth/login", NULL, jpack("{s:s, s:s}", "username", username, "password", password),
               out);
}

char *login(const char *username, const char *password)
{
    json_t *j = NULL;
    int st = login_status(username, password, &j);
    if (st != 200 || !jstr(j, "token")) {
        fprintf(stderr, "login %s failed: %d\n", username, st);
        print_answer(j);
        json_decref(j);
        fail();
    }
    char *token = strdup(jstr(j, "token"));
    json_decref(j);
    return token;
}

int64_t me_id(const char *token)
{
    json_t *j = NULL;
    expect_status(api("GET", "/me", token, NULL, &j), j, 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

int64_t root_org_id(const char *token)
{
    json_t *j = NULL;
    expect_status(api("GET", "/orgs/tree", token, NULL, &j), j, 200);
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    return id;
}

int64_t create_org(const char *token, int64_t parent, const char *type, const char *name)
{
    json_t *j = NULL;
    int st = api("POST", "/orgs", token,
                 jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)parent, "type", type, "name", name), &j);
    if (st != 201) fprintf(stderr, "create org %s under %lld:\n", name, (long long)parent);
    expect_status(st, j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

int64_t create_user_body(const char *token, json_t *body)
{
    json_t *j = NULL;
    char *text = json_dumps(body, JSON_COMPACT);
    int st = api("POST", "/users", token, body, &j);
    if (st != 201) fprintf(stderr, "create user %s:\n", text);
    free(text);
    expect_status(st, j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

int64_t create_user(const char *token, const char *username, int64_t org, const char *role,
                    const char *data_scope, int64_t member_org)
{
    json_t *body = jpack("{s:s, s:s, s:I, s:s, s:s, s:s}", "username", username, "name", username,
                         "org_id", (json_int_t)org, "role", role, "data_scope", data_scope,
                         "password", USER_PASSWORD);
    if (member_org) json_object_set_new(body, "member_org_ids", jpack("[I]", (json_int_t)member_org));
    return create_user_body(token, body);
}

int64_t list_total(const char *token, const char *path)
{
    json_t *j = NULL;
    int st = api("GET", path, token, NULL, &j);
    if (st != 200) fprintf(stderr, "GET %s:\n", path);
    expect_status(st, j, 200);
    int64_t total = jint(j, "total");
    json_decref(j);
    return total;
}

bool items_have_id(json_t *items, int64_t id)
{
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) if (json_integer_value(json_object_get(e, "id")) == id) return true;
    return false;
}

/* ---------------------------------------------------------------- statistics */

void assert_stats_verify(void)
{
    char cmd[1024];
    const char *url = pg_db[0] ? db_url : P("%s/kepu.db", tmpdir);
    snprintf(cmd, sizeof cmd, "'%s' stats verify --db '%s' 2>&1", getenv("KEPU_BIN"), url);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char out[8192] = "";
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = 0;
    int st = pclose(f);
    bool clean = strstr(out, "stats verify: 0 differences") != NULL && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!clean) fprintf(stderr, "kepu stats verify (exit status %d):\n%s", WIFEXITED(st) ? WEXITSTATUS(st) : -1, out);
    assert_true(clean);
}

void stats_verify_test(void **state)
{
    (void)state;
    assert_stats_verify();
}

const char *test_id_number(long day, int seq)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char body[40];
    snprintf(body, sizeof body, "500103%04d%02d%02d%03d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, seq % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body[i] - '0') * w[i];
    return P("%s%c", body, "10X98765432"[sum % 11]);
}

const char *shanghai_at(long seconds)
{
    time_t t = time(NULL) + seconds + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return P("%s", buf);
}

/* The answer to one request of a matrix row: status, error code and field. */
typedef struct row_answer { int status; char code[32], field[64]; } row_answer;

static row_answer row_ask(const char *token, const char *method, const char *path, const char *body)
{
    json_t *j = NULL;
    row_answer a = {api(method, path, token, body ? json_loads(body, 0, NULL) : NULL, &j), "", ""};
    snprintf(a.code, sizeof a.code, "%s", err_code(j));
    snprintf(a.field, sizeof a.field, "%s", err_field(j));
    json_decref(j);
    return a;
}

bool scope_row(const char *who, const char *token, const char *method, const char *fmt, int64_t id, const char *body,
               int want)
{
    char path[160], missing[160];
    snprintf(path, sizeof path, fmt, (long long)id);
    row_answer got = row_ask(token, method, path, body);
    bool ok = got.status == want;
    if (ok && want == 404) {
        snprintf(missing, sizeof missing, fmt, MATRIX_MISSING);
        row_answer m = row_ask(token, method, missing, body);
        ok = m.status == 404 && !strcmp(m.code, got.code) && !strcmp(m.field, got.field);
        if (!ok) fprintf(stderr, "  missing id answers %d %s %s\n", m.status, m.code, m.field);
    }
    if (!ok)
        fprintf(stderr, "FAIL %s %s %s: got %d %s %s, want %d\n", who, method, path, got.status, got.code, got.field, want);
    return ok;
}
