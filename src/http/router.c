/* router.c - route matching, authentication and role checks before any handler runs. */
#include "http/router.h"
#include "http/reply.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 1024

static const struct route *routes[MAX_ROUTES];   /* every table's routes, in table order */
static size_t nroutes;
static route_authenticator authenticator;

void router_add_table(const struct route *table)
{
    for (const struct route *rt = table; rt->handler; rt++) {
        /* A route past the array would answer 404: stop the start loudly instead (registration
         * runs once, before the server listens). */
        if (nroutes == MAX_ROUTES) {
            fprintf(stderr, "kepu: more than %d routes: raise MAX_ROUTES in src/http/router.c\n", MAX_ROUTES);
            exit(2);
        }
        routes[nroutes++] = rt;
    }
}

void router_set_authenticator(route_authenticator fn) { authenticator = fn; }
void router_reset(void) { nroutes = 0; authenticator = NULL; }

bool router_match(const char *pattern, const char *path, request *r)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == ':') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || n >= REQUEST_MAX_PARAMS) return false;
            if (r) r->params[n] = arena_strndup(&r->arena, s, len);
            n++;
            s += len;
            while (*p && *p != '/') p++;
            continue;
        }
        if (*p != *s) return false;
        p++, s++;
    }
    /* A trailing slash on the request is tolerated: /api/v1/orgs/ is /api/v1/orgs. */
    if (*p || (*s && strcmp(s, "/") != 0)) return false;
    if (r) r->nparams = n;
    return true;
}

void router_foreach(void (*fn)(const struct route *rt, void *cls), void *cls)
{
    for (size_t i = 0; i < nroutes; i++) fn(routes[i], cls);
}

const struct route *const *router_routes(size_t *n)
{
    *n = nroutes;
    return routes;
}

/* ---- shadowing (checked once at start) ---- */

/* One '/'-separated segment of a pattern: a literal, or a capture after a literal prefix
 * (cap >= 0 is the prefix's length; router_match takes a capture to the next '/'). */
struct segment { const char *s; size_t len; int cap; };

static int split_pattern(const char *pattern, struct segment *out, int max)
{
    int n = 0;
    for (const char *p = pattern; *p; ) {
        if (*p == '/') { p++; continue; }
        if (n == max) return -1;
        size_t len = strcspn(p, "/");
        const char *colon = memchr(p, ':', len);
        out[n++] = (struct segment){p, len, colon ? (int)(colon - p) : -1};
        p += len;
    }
    return n;
}

/* Does every value a matches also match b? (captures are never empty) */
static bool segment_within(const struct segment *a, const struct segment *b)
{
    if (b->cap < 0) return a->cap < 0 && a->len == b->len && !memcmp(a->s, b->s, a->len);
    size_t alit = a->cap < 0 ? a->len : (size_t)a->cap;
    if (alit < (size_t)b->cap || memcmp(a->s, b->s, (size_t)b->cap)) return false;
    return a->cap >= 0 || a->len > (size_t)b->cap;
}

/* Is there a value both match? */
static bool segments_meet(const struct segment *a, const struct segment *b)
{
    if (a->cap < 0 && b->cap < 0) return a->len == b->len && !memcmp(a->s, b->s, a->len);
    if (a->cap >= 0 && b->cap >= 0) {
        size_t n = (size_t)(a->cap < b->cap ? a->cap : b->cap);
        return !memcmp(a->s, b->s, n);
    }
    return a->cap < 0 ? segment_within(a, b) : segment_within(b, a);
}

#define MAX_SEGMENTS 16

/* 0: no path reaches both, or the earlier route is the narrower one; else a message. */
static const char *shadowing(const struct route *early, const struct route *late)
{
    struct segment e[MAX_SEGMENTS], l[MAX_SEGMENTS];
    if (strcmp(early->method, late->method) != 0) return NULL;
    int ne = split_pattern(early->pattern, e, MAX_SEGMENTS);
    int nl = split_pattern(late->pattern, l, MAX_SEGMENTS);
    if (ne < 0 || nl < 0) return "pattern has too many segments";
    if (ne != nl) return NULL;
    bool late_within = true, early_within = true;
    for (int i = 0; i < ne; i++) {
        if (!segments_meet(&e[i], &l[i])) return NULL;
        late_within = late_within && segment_within(&l[i], &e[i]);
        early_within = early_within && segment_within(&e[i], &l[i]);
    }
    if (late_within) return "the later one is unreachable";
    return early_within ? NULL : "which one answers depends on the order of the tables";
}

int router_check_shadowing(char *msg, size_t len)
{
    int found = 0;
    if (len) msg[0] = 0;
    for (size_t i = 0; i < nroutes; i++)
        for (size_t j = i + 1; j < nroutes; j++) {
            const char *why = shadowing(routes[i], routes[j]);
            if (why && found++ == 0 && len)
                snprintf(msg, len, "routes %s %s and %s %s shadow each other: %s", routes[i]->method,
                         routes[i]->pattern, routes[j]->method, routes[j]->pattern, why);
        }
    return found;
}

/* The route that method and path reach; NULL with *path_matched telling 405 from 404. */
static const struct route *find_route(const char *method, const char *path, bool *path_matched)
{
    *path_matched = false;
    if (strcmp(method, "HEAD") == 0) method = "GET";
    for (size_t i = 0; i < nroutes; i++) {
        if (!router_match(routes[i]->pattern, path, NULL)) continue;
        *path_matched = true;
        if (strcmp(routes[i]->method, method) == 0) return routes[i];
    }
    return NULL;
}

bool router_admit(request *r)
{
    bool path_matched;
    const struct route *found = find_route(r->method, r->path, &path_matched);
    if (!found) {
        if (path_matched)
            reply_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 / method not allowed");
        else
            reply_error(r, 404, "not_found", NULL, "接口不存在 / no such endpoint");
        return false;
    }
    router_match(found->pattern, r->path, r);
    r->route = found;
    if (found->min_role == ROUTE_PUBLIC) return true;
    int rank = authenticator ? authenticator(r) : -1;
    if (rank < 0) {
        if (!r->response)
            reply_error(r, 401, "unauthorized", NULL, "请先登录 / login required");
        return false;
    }
    if (rank < found->min_role) {
        reply_error(r, 403, "forbidden", NULL, "没有权限执行此操作 / your role may not do this");
        return false;
    }
    return true;
}

void router_run(request *r)
{
    r->route->handler(r);
    if (!r->response)
        reply_error(r, 500, "internal", NULL, "服务器未能给出答复 / the handler gave no answer");
}

void router_dispatch(request *r)
{
    if (router_admit(r)) router_run(r);
}
