/* test_portal_views.c - the portal's views are batched (issue 18 C): with KEPU_PORTAL_VIEWS_FLUSH=2
 * a view is not written at once; the first view after the batch is 2 seconds old writes the whole
 * batch, to the node of each page, and stats verify stays clean. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin;
static int64_t root, dist_a, point_1;

static int setup(void **state)
{
    setenv("KEPU_PORTAL_VIEWS_FLUSH", "2", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "批量甲区");
    point_1 = create_org(admin, dist_a, "point", "批量一号点");
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

static void view(const char *path)
{
    http_resp resp;
    assert_int_equal(http("GET", path, NULL, NULL, 0, &resp), 200);
    http_resp_free(&resp);
}

static void test_views_are_batched(void **state)
{
    (void)state;
    const char *point_page = P("/portal/points/%lld", (long long)point_1);
    /* a first view opens a batch; wait for it to be due, so that the views below start a new one */
    view(point_page);
    sleep(3);
    view("/portal");
    int64_t point_before = metric_this_year(admin, point_1, "portal_views");
    int64_t root_before = metric_this_year(admin, root, "portal_views");
    for (int i = 0; i < 5; i++) view(point_page);
    view("/portal/notices");
    /* pending: nothing written yet */
    assert_int_equal(metric_this_year(admin, point_1, "portal_views"), point_before);
    sleep(3);
    view("/portal");   /* the batch is due: this view writes it, itself included */
    assert_int_equal(metric_this_year(admin, point_1, "portal_views"), point_before + 5);
    assert_int_equal(metric_this_year(admin, dist_a, "portal_views"), point_before + 5);
    assert_int_equal(metric_this_year(admin, root, "portal_views"), root_before + 5 + 2);
    /* "10 million views a year" is a target like any other: its progress is the metric's */
    char year[8];
    time_t now = time(NULL) + 8 * 3600;
    strftime(year, sizeof year, "%Y", gmtime(&now));
    json_t *j = NULL;
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)root, "title", "门户年浏览一千万人次",
                            "metric", "portal_views", "period", year, "goal", 10000000), &j), j, 201);
    int64_t target = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress", (long long)target), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "actual"), metric_this_year(admin, root, "portal_views"));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views_are_batched),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
