/* test_org_targets.c - the shared targeting check (orgs/org_targets.h): the shapes it accepts
 * (each key optional, under null, the limits exactly), compact JSON out, and the shapes it
 * refuses (not an object, an unknown key, a type not in the org types, ids not positive
 * integers, under 0 or text, one past each limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "orgs/org_targets.h"
#include <stdlib.h>
#include <string.h>

/* check's answer for the JSON text s: NULL (accepted, *out set) or the message */
static const char *check(arena *a, const char *s, const char **out)
{
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    *out = NULL;
    const char *msg = org_targets_check(a, v, out);
    json_decref(v);
    return msg;
}

static json_t *sized(const char *key, size_t n, bool types)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, types ? json_string("district") : json_integer((json_int_t)i + 1));
    json_t *o = json_object();
    json_object_set_new(o, key, arr);
    return o;
}

static void test_accepts(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *out;
    assert_null(check(&a, "{}", &out));
    assert_string_equal(out, "{}");
    assert_null(check(&a, "{ \"org_types\" : [\"district\", \"street\"],  \"under\": 3 }", &out));
    assert_string_equal(out, "{\"org_types\":[\"district\",\"street\"],\"under\":3}");
    assert_null(check(&a, "{\"under\": null, \"org_ids\": [5, 7, 5]}", &out));
    assert_string_equal(out, "{\"under\":null,\"org_ids\":[5,7,5]}");
    assert_null(check(&a, "{\"org_ids\": []}", &out));
    assert_string_equal(out, "{\"org_ids\":[]}");
    arena_free(&a);
}

static void test_refuses(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *out;
    const char *bad[] = {"[]", "3", "null", "\"district\"", "{\"types\": [\"district\"]}",
                         "{\"org_types\": [\"planet\"]}", "{\"org_types\": \"district\"}", "{\"org_types\": [1]}",
                         "{\"org_ids\": [0]}", "{\"org_ids\": [-2]}", "{\"org_ids\": [\"4\"]}", "{\"org_ids\": [1.5]}",
                         "{\"org_ids\": 4}", "{\"under\": 0}", "{\"under\": \"3\"}", "{\"under\": [3]}", NULL};
    for (int i = 0; bad[i]; i++) {
        const char *msg = check(&a, bad[i], &out);
        if (!msg) fail_msg("accepted %s", bad[i]);
        assert_non_null(strstr(msg, "org_types"));
        assert_null(out);
    }
    arena_free(&a);
}

static void test_limits(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *out = NULL;
    struct { const char *key; size_t n; bool types, ok; } cases[] = {
        {"org_types", ORG_TARGETS_MAX_TYPES, true, true}, {"org_types", ORG_TARGETS_MAX_TYPES + 1, true, false},
        {"org_ids", ORG_TARGETS_MAX_IDS, false, true}, {"org_ids", ORG_TARGETS_MAX_IDS + 1, false, false}};
    assert_int_equal(ORG_TARGETS_MAX_TYPES, 8);
    assert_int_equal(ORG_TARGETS_MAX_IDS, 20000);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *v = sized(cases[i].key, cases[i].n, cases[i].types);
        out = NULL;
        const char *msg = org_targets_check(&a, v, &out);
        assert_int_equal(msg == NULL, cases[i].ok);
        assert_int_equal(out != NULL, cases[i].ok);
        json_decref(v);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
