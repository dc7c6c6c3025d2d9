/* router.c - route matching, authentication and role checks before any handler runs. */
#include "http/router.h"
#include "http/reply.h"
#include <string.h>

#define MAX_TABLES 32

static const struct route *tables[MAX_TABLES];
static int ntables;
static route_authenticator authenticator;

void router_add_table(const struct route *table)
{
    if (ntables < MAX_TABLES) tables[ntables++] = table;
}

void router_set_authenticator(route_authenticator fn) { authenticator = fn; }
void router_reset(void) { ntables = 0; authenticator = NULL; }

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
    for (int t = 0; t < ntables; t++)
        for (const struct route *rt = tables[t]; rt->handler; rt++) fn(rt, cls);
}

/* The route that method and path reach; NULL with *path_matched telling 405 from 404. */
static const struct route *find_route(const char *method, const char *path, bool *path_matched)
{
    *path_matched = false;
    if (strcmp(method, "HEAD") == 0) method = "GET";
    for (int t = 0; t < ntables; t++) {
        for (const struct route *rt = tables[t]; rt->handler; rt++) {
            if (!router_match(rt->pattern, path, NULL)) continue;
            *path_matched = true;
            if (strcmp(rt->method, method) == 0) return rt;
        }
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
        reply_error(r, 500, "internal", NULL, "handler gave no answer");
}

void router_dispatch(request *r)
{
    if (router_admit(r)) router_run(r);
}
