/* test_router.c - route pattern matching and captures; the connection cap (conn_guard.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "http/router.h"
#include "http/conn_guard.h"
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

/* The cap leaves the reserve and a second descriptor per connection under the limit. */
static void test_connection_cap_stays_below_the_descriptor_limit(void **state)
{
    (void)state;
    assert_int_equal(conn_cap_for(1024, 16, 0), (1024 - 64 - 4 * 16) / 2);   /* systemd's default */
    assert_int_equal(conn_cap_for(65536, 16, 0), (65536 - 128) / 2);         /* deploy/kepu@.service */
    for (uint64_t nofile = 256; nofile <= 1u << 20; nofile *= 2) {
        unsigned cap = conn_cap_for(nofile, 16, 0);
        assert_true(2 * (uint64_t)cap + 64 + 4 * 16 <= nofile);
    }
    assert_int_equal(conn_cap_for(65536, 16, 1000), 1000);   /* KEPU_MAX_CONNECTIONS lowers it */
    assert_int_equal(conn_cap_for(1024, 16, 100000), 448);   /* and never raises it */
    assert_int_equal(conn_cap_for(100, 16, 0), 16);          /* a floor, not zero */
    assert_int_equal(conn_cap_for(UINT64_MAX, 16, 0), 1u << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_captures_ids),
        cmocka_unit_test(test_match_is_exact),
        cmocka_unit_test(test_connection_cap_stays_below_the_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
