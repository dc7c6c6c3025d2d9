/* test_messages.c - errors carry a key the UI translates: the catalog at GET /api/v1/messages
 * (public) holds every error's key, and its Chinese and English texts with the error's params
 * filled in give back the two halves of the message. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin;
static json_t *catalog;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    json_decref(catalog);
    return server_stop(state);
}

/* The catalog's text of lang with {n} replaced by params[n]. */
static char *fill(const char *key, const char *lang, json_t *params)
{
    const char *t = jstr(catalog, P("messages.%s.%s", key, lang));
    assert_non_null(t);
    char out[1024];
    size_t o = 0;
    for (const char *p = t; *p && o < sizeof out - 1;) {
        int n;
        if (*p == '{' && sscanf(p, "{%d}", &n) == 1) {
            const char *v = json_string_value(json_array_get(params, (size_t)n));
            assert_non_null(v);
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", v);
            p = strchr(p, '}') + 1;
        } else out[o++] = *p++;
    }
    out[o] = 0;
    return strdup(out);
}

static void expect_translates(json_t *err)
{
    const char *key = jstr(err, "error.message_key"), *msg = jstr(err, "error.message");
    json_t *params = jget(err, "error.params");
    char *zh = fill(key, "zh", params), *en = fill(key, "en", params);
    char want[1200];
    snprintf(want, sizeof want, "%s / %s", zh, en);
    assert_string_equal(want, msg);
    free(zh), free(en);
}

static void test_catalog_is_public_and_translates_errors(void **state)
{
    (void)state;
    expect_status(api("GET", "/messages", NULL, NULL, &catalog), catalog, 200);
    assert_true(json_object_size(jget(catalog, "messages")) > 150);   /* every module's, not a handful */

    json_t *j = NULL;
    /* A message with a parameter (the unknown field's name) ... */
    expect_error(api("POST", "/teachers", admin, jpack("{s:s}", "nickname", "x"), &j), j, 422, "unknown_field",
                 "nickname");
    assert_string_equal(jstr(j, "error.params.0"), "nickname");
    expect_translates(j);
    json_decref(j);
    /* ... one from a module's error table, and one of the generic 404. */
    expect_error(api("GET", "/teachers/999999", admin, NULL, &j), j, 404, "not_found", NULL);
    expect_translates(j);
    json_decref(j);
    expect_error(api("PATCH", "/orgs/1", admin, jpack("{s:s}", "name", ""), &j), j, 422, "*", "name");
    expect_translates(j);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_is_public_and_translates_errors),
    };
    return harness_result(cmocka_run_group_tests(tests, setup, teardown));
}
