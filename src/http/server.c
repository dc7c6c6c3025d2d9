/* server.c - libmicrohttpd glue: per-request state, the checks on a request's head (route,
 * login, role, content type, declared size) before any body byte is read, body accumulation
 * with a cap, JSON parsing, dispatch to the router or the static files, security headers, the
 * access log (secrets in paths left out), the connection cap and head deadline, graceful stop. */
#include "http/server.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/db.h"
#include "http/conn_guard.h"
#include "http/reply.h"
#include "http/router.h"
#include "http/static_files.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const struct server_config *config;
static uint32_t node_tag;                 /* random per process: request ids differ across nodes */
static atomic_uint_fast64_t request_seq;
static atomic_int in_flight;              /* requests begun and not yet completed */

const char *req_query(request *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, len, "-");
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

static request *request_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    request *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    arena_init(&r->arena);
    arena_set_limit(&r->arena, config->request_memory);
    sbuf_init(&r->body);
    r->conn = conn;
    r->method = arena_strdup(&r->arena, method);
    r->path = arena_strdup(&r->arena, url);
    if (!r->method || !r->path) {
        arena_free(&r->arena);
        free(r);
        return NULL;
    }
    r->started_ms = time_now_ms();
    r->upload_fd = -1;
    snprintf(r->request_id, sizeof r->request_id, "%08x-%06llx", node_tag,
             (unsigned long long)atomic_fetch_add(&request_seq, 1));
    client_ip(conn, r->ip, sizeof r->ip);
    atomic_fetch_add(&in_flight, 1);
    /* Behind our own nginx (KEPU_TRUST_PROXY=1) the peer is the proxy; it tells the client's
     * address in X-Real-IP. Never trusted otherwise: clients could claim any address. */
    const char *real = config->trust_proxy ? req_header(r, "X-Real-IP") : NULL;
    if (real && strlen(real) < sizeof r->ip && strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
        snprintf(r->ip, sizeof r->ip, "%s", real);
    return r;
}

static void request_free(request *r)
{
    if (r->response) MHD_destroy_response(r->response);
    json_decref(r->json);
    sbuf_free(&r->body);
    if (r->upload_fd >= 0) close(r->upload_fd);
    if (r->upload_path) unlink(r->upload_path);
    free(r->upload_path);
    arena_free(&r->arena);
    free(r);
}

static void add_common_headers(request *r)
{
    struct MHD_Response *resp = r->response;
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    /* a reply that set its own policy keeps it (the portal's pages: media from a live stream's host) */
    if (!MHD_get_response_header(resp, "Content-Security-Policy"))
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                                "'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'");
}

static enum MHD_Result queue(request *r)
{
    if (!r->response) reply_error(r, 500, "internal", NULL, "服务器未能给出答复 / no response");
    add_common_headers(r);
    return MHD_queue_response(r->conn, (unsigned)r->status, r->response);
}

/* Parses the accumulated body; false after replying 400 when it is not valid JSON. */
static bool parse_body(request *r)
{
    if (r->body.len == 0) return true;
    if (!utf8_valid(r->body.s, r->body.len)) {
        reply_error(r, 400, "invalid_utf8", NULL, "请求体不是合法的 UTF-8 / body is not valid UTF-8");
        return false;
    }
    json_error_t err;
    r->json = json_loadb(r->body.s, r->body.len, JSON_REJECT_DUPLICATES, &err);
    if (!r->json) {
        reply_error(r, 400, "malformed_json", NULL, "JSON 格式错误 / malformed JSON: %s", err.text);
        return false;
    }
    return true;
}

/* An upload's cap: the resource library's videos have their own, larger one. */
static size_t upload_limit(const request *r)
{
    if (r->route && (r->route->flags & ROUTE_LARGE_UPLOAD)) return config->max_media_upload;
    return config->max_upload;
}

/* Public routes take bodies from anyone: a smaller cap keeps anonymous memory use small. */
static size_t body_limit(const request *r)
{
    if (r->raw_body) return upload_limit(r);
    if (r->route && r->route->min_role == ROUTE_PUBLIC) return config->max_public_body;
    return config->max_body;
}

static void reply_too_large(request *r)
{
    reply_error(r, 413, "body_too_large", NULL, "请求体过大 / body larger than %zu bytes", body_limit(r));
}

/* Server-rendered pages (server.h; issue 18 C): a prefix and its page server. */
static struct { const char *prefix; void (*serve)(request *r); } pages[4];
static int npages;

void server_add_pages(const char *prefix, void (*serve)(request *r))
{
    for (int i = 0; i < npages; i++)
        if (!strcmp(pages[i].prefix, prefix)) return;
    if (npages < 4) pages[npages].prefix = prefix, pages[npages++].serve = serve;
}

static void (*pages_for(const char *path))(request *r)
{
    for (int i = 0; i < npages; i++) {
        size_t n = strlen(pages[i].prefix);
        if (!strncmp(path, pages[i].prefix, n) && (path[n] == 0 || path[n] == '/')) return pages[i].serve;
    }
    return NULL;
}

/* A page: GET or HEAD (the method check of the static files), one read snapshot. */
static void serve_page(request *r, void (*serve)(request *r))
{
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        reply_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 / method not allowed");
        return;
    }
    db *c = db_thread();
    if (c) db_read_begin(c);
    serve(r);
    if (c) db_read_end(c);
}

static void route(request *r)
{
    if (r->body_too_large) {
        reply_too_large(r);
    } else if (strncmp(r->path, "/api/", 5) != 0) {
        void (*serve)(request *r) = pages_for(r->path);
        if (serve) serve_page(r, serve);
        else static_serve(r, config->web_dir);
    } else {
        if (r->upload_fd >= 0) close(r->upload_fd), r->upload_fd = -1;
        if (!r->raw_body && !parse_body(r)) return;
        /* Reads see one snapshot and take the database's read lock once. */
        db *c = strcmp(r->method, "GET") == 0 ? db_thread() : NULL;
        if (c) db_read_begin(c);
        router_run(r);
        if (c) db_read_end(c);
    }
}

/* A request whose arena failed (its memory limit, or malloc) ends as 503 whatever the handler
 * made of the NULL it got: the process carries on (see arena.h). */
static void handle(request *r)
{
    route(r);
    if (r->arena.failed) {
        log_warn("request %s %s ran out of memory (id=%s)", r->method, r->path, r->request_id);
        reply_error(r, 503, "out_of_memory", NULL, "服务器暂时无法处理，请稍后重试 / out of memory for this request, retry later");
    }
}

/* Whether the head announces a body (a Content-Length above 0, or chunked transfer). */
static bool body_announced(request *r)
{
    const char *cl = req_header(r, "Content-Length");
    return (cl && strtoull(cl, NULL, 10) > 0) || req_header(r, "Transfer-Encoding");
}

/* "application/json", any case, optionally with parameters (charset=utf-8). */
static bool is_json_type(const char *type)
{
    static const char json[] = "application/json";
    if (!type || strncasecmp(type, json, sizeof json - 1) != 0) return false;
    type += sizeof json - 1;
    while (*type == ' ' || *type == '\t') type++;
    return *type == 0 || *type == ';';
}

/* The checks a request's head allows, before the server accepts a byte of its body: the route
 * exists, the caller may call it (a login and a role; bodies from anonymous callers reach public
 * routes only), a JSON body says so (a form or text/plain body is what a cross-site page can
 * send without asking: login CSRF), and its declared size is within the cap. False after
 * replying. Non-API paths serve files and take no body. */
static bool admit_head(request *r)
{
    if (strncmp(r->path, "/api/", 5) != 0) {
        if (!body_announced(r)) return true;
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
            reply_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 / method not allowed");
        else
            reply_error(r, 400, "bad_request", NULL, "此路径不接受请求体 / this path takes no body");
        return false;
    }
    if (!router_admit(r)) return false;
    r->raw_body = r->route->flags & ROUTE_RAW_BODY;
    if (!r->raw_body && body_announced(r) && !is_json_type(req_header(r, "Content-Type"))) {
        reply_error(r, 415, "unsupported_media_type", NULL,
                    "请求体须为 JSON，Content-Type 应为 application/json / the body must be JSON "
                    "sent with Content-Type: application/json");
        return false;
    }
    const char *length = req_header(r, "Content-Length");
    if (length && strtoull(length, NULL, 10) > body_limit(r)) {
        r->body_too_large = true;
        reply_too_large(r);
        return false;
    }
    return true;
}

/* Appends a chunk of an upload to its spool file; false when it cannot be stored. */
static bool spool_upload(request *r, const char *data, size_t n)
{
    if (r->upload_fd < 0) {
        size_t len = strlen(config->upload_dir) + 32;
        r->upload_path = malloc(len);
        if (!r->upload_path) return false;
        snprintf(r->upload_path, len, "%s/upload-XXXXXX", config->upload_dir);
        r->upload_fd = mkstemp(r->upload_path);
        if (r->upload_fd < 0) {
            log_error("upload spool in %s: %s", config->upload_dir, strerror(errno));
            free(r->upload_path), r->upload_path = NULL;
            return false;
        }
    }
    for (size_t off = 0; off < n;) {
        ssize_t w = write(r->upload_fd, data + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        off += (size_t)w;
    }
    r->upload_size += n;
    return true;
}

static void take_body_chunk(request *r, const char *data, size_t n)
{
    if (r->response) return;   /* refused on its head: the bytes are dropped */
    if (r->raw_body) {
        if (r->body_too_large || r->upload_size + n > upload_limit(r) || !spool_upload(r, data, n))
            r->body_too_large = true;
    } else if (!r->body_too_large && r->body.len + n <= body_limit(r)) {
        sbuf_addn(&r->body, data, n);
    } else {
        r->body_too_large = true;
    }
}

/* Whether a refused request's body is read and dropped before the answer instead of the
 * connection being closed on its head. Answering and closing while the client is still writing
 * races the client: when the reset beats the answer, the client sees a broken connection instead
 * of our status (behind nginx, a 502 instead of our 401; a direct client, no answer at all).
 * So a body of a declared length within the upload cap is drained:
 * - behind the proxy (KEPU_TRUST_PROXY=1) always: nginx streams bodies on (deploy/nginx.conf) and
 *   caps them itself;
 * - facing clients directly, only when the caller is authenticated and the body is merely too
 *   large (413): an anonymous or forbidden caller still gets its answer on the head and a closed
 *   connection, so nobody unauthenticated can make the node read megabytes. */
static bool drain_refused_body(request *r)
{
    const char *length = req_header(r, "Content-Length");
    if (!length || strtoull(length, NULL, 10) > upload_limit(r)) return false;
    if (config->trust_proxy) return true;
    return r->body_too_large && r->route && r->route->min_role != ROUTE_PUBLIC;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)version;
    request *r = *con_cls;
    if (!r) {
        conn_guard_head_done(conn);
        r = request_new(conn, url, method);
        if (!r) return MHD_NO;
        *con_cls = r;
        if (admit_head(r) || !body_announced(r) || drain_refused_body(r))
            /* Queue nothing on this first call unless a body must be refused: queuing now makes
             * MHD close the connection, which a keep-alive client should not pay for; a refusal
             * without a body is queued on the next call, which comes at once. */
            return MHD_YES;
        /* Refused with a body on its way: answer now, and MHD closes the connection instead of
         * reading megabytes we would throw away. */
        r->queued = true;
        return queue(r);
    }
    if (*upload_data_size) {
        take_body_chunk(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->queued) return MHD_YES;
    r->queued = true;
    if (!r->response) handle(r);   /* else refused on its head */
    return queue(r);
}

/* The path as the access log shows it. Verification codes and check-in tokens in a path are
 * keys to personal data: public API routes are logged by their pattern, and the UI pages and
 * unknown public API paths that carry such codes only up to the secret part. */
static const char *logged_path(request *r)
{
    static const char *const secret_prefixes[] = {"/api/v1/public/", "/verify/", "/c/", "/v/cert/", NULL};
    if (r->route && r->route->min_role == ROUTE_PUBLIC) return r->route->pattern;
    for (const char *const *p = secret_prefixes; *p; p++)
        if (strncmp(r->path, *p, strlen(*p)) == 0 && r->path[strlen(*p)]) {
            char *cut = arena_alloc(&r->arena, strlen(*p) + 8);
            sprintf(cut, "%s…", *p);
            return cut;
        }
    return r->path;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)toe;
    request *r = *con_cls;
    if (!r) return;
    conn_guard_answer_done(conn);
    if (!config->quiet)
        /* The path only: query strings may carry search text with personal data. */
        log_info("access %s %s %d %zu %lldms id=%s ip=%s", r->method, logged_path(r), r->status,
                 r->response_bytes, (long long)(time_now_ms() - r->started_ms), r->request_id, r->ip);
    request_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

static bool parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host) return false;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535) return false;
    memset(ss, 0, sizeof *ss);
    size_t hl = strlen(host);
    if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = 0;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *v6 = false;
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = 0;
    log_warn("http: %s", line);
}

/* Waits for a stop signal, sweeping connections whose request head is overdue meanwhile. */
static int wait_for_stop(const sigset_t *stop)
{
    const struct timespec tick = {0, 500 * 1000 * 1000};
    for (;;) {
        int sig = sigtimedwait(stop, NULL, &tick);
        if (sig > 0) return sig;
        unsigned cut = conn_guard_sweep();
        if (cut) log_warn("closed %u connection%s that sent no complete request head in time", cut, cut == 1 ? "" : "s");
    }
}

int server_run(const struct server_config *cfg)
{
    config = cfg;
    node_tag = randombytes_random();
    struct sockaddr_storage ss;
    bool v6;
    if (!parse_listen(cfg->listen, &ss, &v6)) {
        log_error("invalid listen address '%s' (want HOST:PORT)", cfg->listen);
        return 2;
    }
    /* Block the stop signals before any thread starts so that only sigwait() below sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    uint64_t nofile = conn_raise_nofile();
    unsigned cap = conn_cap_for(nofile, cfg->threads, cfg->max_connections);
    conn_guard_init(cfg->head_timeout_s);
    /* ITC lets MHD_quiesce_daemon() stop accepting while the workers finish what they have. */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,   /* first, so MHD logs nothing itself */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,   /* zeroed on every request */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
        MHD_OPTION_CONNECTION_LIMIT, cap,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, conn_guard_notify, NULL,
        MHD_OPTION_END);
    if (!d) {
        log_error("cannot listen on %s (address in use or not available)", cfg->listen);
        return 2;
    }
    log_info("kepu listening on http://%s/ (at most %u connections, %u per address; %llu descriptors; "
             "request head within %u s)", cfg->listen, cap, cfg->per_ip_limit, (unsigned long long)nofile,
             cfg->head_timeout_s);
    int sig = wait_for_stop(&stop);
    log_info("signal %d: stopping, letting requests in flight finish", sig);
    MHD_socket listen_sock = MHD_quiesce_daemon(d);
    /* Requests in flight finish (within a bound: a stalled client cannot hold the stop). */
    for (int waited = 0; atomic_load(&in_flight) > 0 && waited < 15000; waited += 20) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    if (listen_sock != MHD_INVALID_SOCKET) close(listen_sock);
    log_info("stopped");
    return 0;
}
