/* server.h - the HTTP server on libmicrohttpd: epoll with a thread pool, limits, security
 * headers, access log, API dispatch and static files; runs until SIGTERM or SIGINT. */
#ifndef KEPU_SERVER_H
#define KEPU_SERVER_H
#include <stddef.h>

struct server_config {
    const char *listen;        /* "127.0.0.1:8080" or "[::1]:8080" */
    const char *web_dir;       /* built UI, or NULL */
    size_t max_body;           /* bytes; larger bodies get 413 */
    size_t max_public_body;    /* bytes of a body to a public (no login) route */
    size_t max_upload;         /* bytes of a file upload (ROUTE_RAW_BODY routes) */
    size_t max_media_upload;   /* bytes of an upload to a ROUTE_LARGE_UPLOAD route (a video) */
    size_t request_memory;     /* bytes a request's arena may hold (0: no limit); past it 503 */
    const char *upload_dir;    /* where uploads are spooled while they arrive */
    unsigned threads;          /* worker threads (4..8) */
    unsigned per_ip_limit;     /* concurrent connections per client address */
    unsigned timeout_s;        /* idle connection timeout */
    unsigned head_timeout_s;   /* a whole request head within this (0: no deadline) */
    unsigned max_connections;  /* 0: from the descriptor limit (conn_guard.h); else at most this */
    int quiet;                 /* no access log */
    int trust_proxy;           /* take the client address from X-Real-IP */
};

/* Server-rendered pages (issue 18 C, the public portal): paths equal to prefix or under prefix/
 * are answered by serve (GET and HEAD; no body, like the static files) inside one read snapshot,
 * instead of the static files. Call before server_run; at most 4 prefixes, kept by reference. */
struct request;
void server_add_pages(const char *prefix, void (*serve)(struct request *r));

/* Serves until a stop signal; 0 on a clean stop, 2 when the address cannot be used. */
int server_run(const struct server_config *cfg);

#endif
