/* request.h - one HTTP request as handlers see it.
 *
 * Ownership: the server creates the request, and frees it with everything hanging off it (arena,
 * body, parsed JSON, response) when libmicrohttpd reports the request complete. Handlers
 * allocate from r->arena and never free a request. */
#ifndef KEPU_REQUEST_H
#define KEPU_REQUEST_H
#include "core/arena.h"
#include "core/sbuf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct MHD_Response;
struct principal;
struct route;

#define REQUEST_MAX_PARAMS 4

typedef struct request {
    arena arena;
    struct MHD_Connection *conn;
    const char *method;          /* "GET", ... */
    const char *path;            /* decoded path, no query string */
    const char *params[REQUEST_MAX_PARAMS];   /* ":name" captures of the route, in order */
    int nparams;
    sbuf body;
    bool body_too_large;
    json_t *json;                /* parsed body (object) or NULL; owned by the request */
    /* Routes flagged ROUTE_RAW_BODY (file uploads) get their body streamed to a temporary file
     * instead of memory, up to max_upload bytes. The request unlinks upload_path when freed
     * unless the handler took the file (renamed it and set upload_path to NULL). */
    bool raw_body;
    int upload_fd;               /* -1 when no byte has arrived */
    char *upload_path;           /* malloc'd */
    size_t upload_size;
    char request_id[24];
    char ip[64];
    const struct route *route;   /* the API route admitted on the head (router_admit) */
    struct principal *principal; /* set by the authenticator for routes that need a login */
    bool cookie_auth;            /* authenticated by cookie: state changes need the CSRF header */
    /* the reply */
    int status;
    struct MHD_Response *response;
    size_t response_bytes;
    bool queued;                 /* handed to MHD already (an early refusal of a body) */
    int64_t started_ms;
} request;

/* Query-string argument or header; NULL when absent. Valid for the request's lifetime. */
const char *req_query(request *r, const char *key);
const char *req_header(request *r, const char *name);
const char *req_cookie(request *r, const char *name);

#endif
