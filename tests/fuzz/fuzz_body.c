/* fuzz_body.c - libFuzzer harness for the request input readers (http/body.h): the JSON body
 * fields, query arguments, path ids and paging, as handlers call them.
 * Input: a JSON body, a newline, a query string (a=1&b=2, not percent-decoded: the server
 * hands decoded values over), a newline, path captures separated by '/'.
 * The request is built here without a connection; req_query() and req_header() below stand in
 * for the server's (http/server.c), which would ask libmicrohttpd (the reply layer's range
 * check reads a header: without the stand-in the linker took server.c's and both req_query). Promise checked: a reader that
 * returns false has replied with a 4xx, one that returns true has not replied, and a value it
 * yields has the promised form. */
#include "fuzz.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/body.h"
#include <microhttpd.h>

#define MAX_ARGS 16
static const char *arg_keys[MAX_ARGS], *arg_values[MAX_ARGS];
static int nargs;

/* Test-only stand-in for the server's query lookup: the harness's parsed query string. */
const char *req_query(request *r, const char *key)
{
    (void)r;
    for (int i = 0; i < nargs; i++)
        if (strcmp(arg_keys[i], key) == 0) return arg_values[i];
    return NULL;
}

/* Test-only stand-in: the harness's requests carry no headers. */
const char *req_header(request *r, const char *name)
{
    (void)r, (void)name;
    return NULL;
}

static void parse_query(arena *a, char *q)
{
    nargs = 0;
    for (char *save = NULL, *t = strtok_r(q, "&", &save); t && nargs < MAX_ARGS; t = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(t, '=');
        arg_keys[nargs] = eq ? arena_strndup(a, t, (size_t)(eq - t)) : t;
        arg_values[nargs++] = eq ? eq + 1 : "";
    }
}

/* Checks the reply against the reader's answer, then forgets it for the next reader. */
static void outcome(request *r, bool ok)
{
    if (ok)
        FUZZ_CHECK(r->response == NULL);
    else
        FUZZ_CHECK(r->response != NULL && r->status >= 400 && r->status < 500);
    if (r->response) MHD_destroy_response(r->response);
    r->response = NULL;
    r->status = 0;
}

static void read_body(request *r)
{
    static const char *const allowed[] = {"name", "note", "day", "count", "flag", "kind", NULL};
    static const char *const read_only[] = {"id", "created_at", NULL};
    static const char *const kinds[] = {"lecture", "exhibition", "contest", NULL};
    const char *s = NULL, *day = NULL;
    int64_t n;
    bool b, present;
    outcome(r, body_allow_fields(r, allowed, read_only));
    bool ok = body_name(r, "name", false, 50, &s);
    FUZZ_CHECK(!ok || !s || valid_name(s, 50));
    outcome(r, ok);
    outcome(r, body_string(r, "note", true, &s));
    ok = body_day(r, "day", false, &day);
    FUZZ_CHECK(!ok || !day || day_valid(day));
    outcome(r, ok);
    outcome(r, body_int(r, "count", false, &n, &present));
    outcome(r, body_bool(r, "flag", &b, &present));
    outcome(r, body_enum(r, "kind", false, kinds, &s));
    (void)body_has(r, "name");
}

static void read_query(request *r)
{
    int64_t id = 0;
    bool present;
    page p;
    bool ok = query_id(r, "org_id", &id, &present);
    FUZZ_CHECK(!ok || !present || id > 0);
    outcome(r, ok);
    ok = query_page(r, &p);
    FUZZ_CHECK(!ok || (p.page >= 1 && p.size >= 1 && p.size <= 500 && p.offset == (p.page - 1) * p.size));
    outcome(r, ok);
    for (int i = 0; i < 3; i++) {
        ok = param_id(r, i, &id);
        FUZZ_CHECK(!ok || id > 0);
        if (!ok) FUZZ_CHECK(r->status == 404);
        outcome(r, ok);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    request r;
    memset(&r, 0, sizeof r);
    arena_init(&r.arena);
    char *part[3] = {NULL, NULL, NULL};
    int n = fuzz_split(&r.arena, data, size, '\n', part, 3);
    json_error_t err;
    r.json = json_loads(part[0], JSON_REJECT_DUPLICATES, &err);   /* as the server parses bodies */
    parse_query(&r.arena, n > 1 ? part[1] : arena_strdup(&r.arena, ""));
    if (n > 2)
        for (char *save = NULL, *t = strtok_r(part[2], "/", &save); t && r.nparams < REQUEST_MAX_PARAMS;
             t = strtok_r(NULL, "/", &save))
            r.params[r.nparams++] = t;
    read_body(&r);
    read_query(&r);
    json_decref(r.json);
    arena_free(&r.arena);
    return 0;
}
