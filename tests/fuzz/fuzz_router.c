/* fuzz_router.c - libFuzzer harness for the router's path matching (http/router.h) over the
 * real route table, plus patterns of the fuzzer's own.
 * Input: "<method>\n<path>\n<pattern>". Promises checked: a match captures one non-empty,
 * slash-free piece per ":name" and putting the pieces back into the pattern gives the path
 * (a trailing slash aside); a request no public route takes is answered 401, 404 or 405 before
 * any handler runs. */
#include "fuzz.h"
#include "app.h"
#include "http/router.h"
#include <microhttpd.h>

static int refuse(request *r) { (void)r; return -1; }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    app_register_routes();
    router_set_authenticator(refuse);   /* no handler behind a login runs */
    return 0;
}

/* The path a pattern names with r's captures in place of its ":name" pieces. */
static void check_rebuild(const char *pattern, const char *path, request *r)
{
    char out[8192];
    size_t n = 0;
    int k = 0;
    for (const char *p = pattern; *p && n < sizeof out - 1;) {
        if (*p != ':') { out[n++] = *p++; continue; }
        FUZZ_CHECK(k < r->nparams && *r->params[k] && !strchr(r->params[k], '/'));
        n += (size_t)snprintf(out + n, sizeof out - n, "%s", r->params[k++]);
        if (n >= sizeof out) n = sizeof out - 1;
        while (*p && *p != '/') p++;
    }
    out[n] = 0;
    FUZZ_CHECK(k == r->nparams);
    size_t plen = strlen(path);
    FUZZ_CHECK(strcmp(out, path) == 0 || (plen && path[plen - 1] == '/' && strlen(out) == plen - 1 &&
                                          strncmp(out, path, plen - 1) == 0));
}

static void try_pattern(const char *pattern, const char *path)
{
    request r;
    memset(&r, 0, sizeof r);
    arena_init(&r.arena);
    if (router_match(pattern, path, &r)) check_rebuild(pattern, path, &r);
    arena_free(&r.arena);
}

struct walk { const char *path; bool public_match; };

static void each_route(const struct route *rt, void *cls)
{
    struct walk *w = cls;
    try_pattern(rt->pattern, w->path);
    if (rt->min_role == ROUTE_PUBLIC && router_match(rt->pattern, w->path, NULL)) w->public_match = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *part[3] = {NULL, NULL, NULL};
    int n = fuzz_split(&a, data, size, '\n', part, 3);
    const char *method = n > 1 ? part[0] : "GET", *path = n > 1 ? part[1] : part[0];
    struct walk w = {path, false};
    router_foreach(each_route, &w);
    if (n > 2) try_pattern(part[2], path);
    if (!w.public_match) {
        request r;
        memset(&r, 0, sizeof r);
        arena_init(&r.arena);
        r.method = method;
        r.path = path;
        router_dispatch(&r);
        FUZZ_CHECK(r.response && (r.status == 401 || r.status == 404 || r.status == 405));
        MHD_destroy_response(r.response);
        arena_free(&r.arena);
    }
    arena_free(&a);
    return 0;
}
