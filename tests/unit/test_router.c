/* test_router.c - route pattern matching and captures; routes that shadow each other refused at
 * start; the connection cap (conn_guard.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "app.h"
#include "checkin/checkin_internal.h"
#include "stats/stats.h"
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

static void handler(request *r) { (void)r; }

/* A capture listed first makes the literal after it unreachable. */
static const struct route capture_first[] = {
    {"GET", "/api/v1/x/:id", handler, 0, 0, .summary = "test"},
    {"GET", "/api/v1/x/export", handler, 0, 0, .summary = "test"},
    {0},
};
/* The literal listed first wins for its path and the capture answers the others: no shadowing.
 * Another method on the same path, or another length, never meets the capture. */
static const struct route literal_first[] = {
    {"GET", "/api/v1/x/export", handler, 0, 0, .summary = "test"},
    {"GET", "/api/v1/x/:id", handler, 0, 0, .summary = "test"},
    {"DELETE", "/api/v1/x/export", handler, 0, 0, .summary = "test"},
    {"GET", "/api/v1/x/:id/files", handler, 0, 0, .summary = "test"},
    {0},
};
/* In two tables: /y/:id/a and /y/b/:k both match /y/b/a, and neither is narrower. */
static const struct route crossing_a[] = {
    {"POST", "/api/v1/y/:id/a", handler, 0, 0, .summary = "test"},
    {0},
};
static const struct route crossing_b[] = {
    {"POST", "/api/v1/y/b/:k", handler, 0, 0, .summary = "test"},
    {0},
};
/* The same route twice, in two tables: the second is unreachable. */
static const struct route twice[] = {
    {"PATCH", "/api/v1/z/:id", handler, 0, 0, .summary = "test"},
    {0},
};

static void count_route(const struct route *rt, void *cls)
{
    (void)rt;
    (*(int *)cls)++;
}

static void test_capture_before_literal_is_refused(void **state)
{
    (void)state;
    char why[256];
    router_reset();
    router_add_table(capture_first);
    assert_int_equal(router_check_shadowing(why, sizeof why), 1);
    assert_non_null(strstr(why, "GET /api/v1/x/:id and GET /api/v1/x/export"));
    assert_non_null(strstr(why, "unreachable"));
    router_reset();
}

static void test_literal_before_capture_is_allowed(void **state)
{
    (void)state;
    char why[256] = "untouched";
    router_reset();
    router_add_table(literal_first);
    assert_int_equal(router_check_shadowing(why, sizeof why), 0);
    assert_string_equal(why, "");
    router_reset();
}

static void test_shadowing_across_tables_is_refused(void **state)
{
    (void)state;
    char why[256];
    router_reset();
    router_add_table(crossing_a);
    router_add_table(crossing_b);
    assert_int_equal(router_check_shadowing(why, sizeof why), 1);
    assert_non_null(strstr(why, "POST /api/v1/y/:id/a and POST /api/v1/y/b/:k"));
    assert_non_null(strstr(why, "order"));
    router_reset();
    router_add_table(twice);
    router_add_table(literal_first);
    router_add_table(twice);
    assert_int_equal(router_check_shadowing(why, sizeof why), 1);
    assert_non_null(strstr(why, "PATCH /api/v1/z/:id and PATCH /api/v1/z/:id"));
    router_reset();
}

static int keyed_metrics(void)
{
    int n = 0;
    while (stats_keyed_metric_name(n)) n++;
    return n;
}

/* stats verify/rebuild, bench-fill and demo run only the modules' init: it registers what serve
 * registers (keyed metrics of teaching and both parts of volunteers, both check-in kinds), and
 * the routes add none of it. Runs first: the registries live as long as the process. */
static void test_init_registers_what_serve_does(void **state)
{
    (void)state;
    assert_null(checkin_kind_find("course"));
    assert_int_equal(keyed_metrics(), 0);
    app_init_modules();
    int after_init = keyed_metrics();
    assert_true(stats_keyed_metric("courses") && stats_keyed_metric("registered_volunteers") &&
                stats_keyed_metric("volunteer_activities"));
    assert_non_null(checkin_kind_find("course"));
    assert_non_null(checkin_kind_find("volunteer_activity"));
    assert_int_equal(app_register_routes(), 0);
    assert_int_equal(keyed_metrics(), after_init);
    router_reset();
}

/* The server's own tables: app_register_routes refuses to start on shadowing, and the check
 * run on what it registered finds none. */
static void test_real_routes_do_not_shadow(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(app_register_routes(), 0);
    int nroutes = 0;
    router_foreach(count_route, &nroutes);
    assert_true(nroutes > 100);   /* every module's tables, not an empty router */
    assert_int_equal(router_check_shadowing(why, sizeof why), 0);
    router_add_table(twice);
    router_add_table(twice);
    assert_int_equal(app_register_routes(), 0);   /* starts afresh (router_reset) */
    router_reset();
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
        cmocka_unit_test(test_init_registers_what_serve_does),
        cmocka_unit_test(test_match_captures_ids),
        cmocka_unit_test(test_match_is_exact),
        cmocka_unit_test(test_capture_before_literal_is_refused),
        cmocka_unit_test(test_literal_before_capture_is_allowed),
        cmocka_unit_test(test_shadowing_across_tables_is_refused),
        cmocka_unit_test(test_real_routes_do_not_shadow),
        cmocka_unit_test(test_connection_cap_stays_below_the_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
