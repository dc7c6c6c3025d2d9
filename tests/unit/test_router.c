/* test_router.c - route pattern matching and captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "http/router.h"
#include <string.h>

static void test_match_captures_ids(void **state)
{
    (void)state;
    request r;
    memset(&r, 0, sizeof r);
    arena_init(&r.arena);
    assert_true(router_match("/api/v1/orgs/:id/tree", "/api/v1/orgs/42/tree", &r));
    assert_int_equal(r.nparams, 1);
    assert_string_equal(r.params[0], "42");
    arena_free(&r.arena);
}

static void test_match_is_exact(void **state)
{
    (void)state;
    assert_false(router_match("/api/v1/orgs", "/api/v1/orgsx", NULL));
    assert_false(router_match("/api/v1/orgs/:id", "/api/v1/orgs/", NULL));
    assert_false(router_match("/api/v1/orgs/:id", "/api/v1/orgs/1/tree", NULL));
    assert_true(router_match("/api/v1/orgs", "/api/v1/orgs/", NULL));   /* trailing slash */
    assert_false(router_match("/api/v1/orgs/:id/tree", "/api/v1/orgs//tree", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_captures_ids),
        cmocka_unit_test(test_match_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
