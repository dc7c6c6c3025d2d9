/* test_targets.c - target progress: actual against goal and the pace expected by a day, for a
 * subtree total and for each descendant of a type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "activities/activities.h"
#include "orgs/orgs.h"
#include "targets/targets.h"
#include <string.h>

static principal admin(void)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.username = "t";
    p.rank = RANK_ADMIN;
    p.scope.level = SCOPE_ALL;
    return p;
}

static void add_activity(db *c, arena *a, int64_t org_id, const char *day, int64_t participants)
{
    principal p = admin();
    activity x = {.org_id = org_id, .kind = "lecture", .title = "讲座", .start_date = day, .end_date = day}, out;
    x.counts.v[M_PARTICIPANTS] = participants;
    assert_int_equal(activities_create(c, &p, a, &x, &out), DB_OK);
}

static json_t *progress(db *c, arena *a, const target *t, const char *today)
{
    principal p = admin();
    jw w;
    jw_init(&w);
    assert_int_equal(targets_progress(c, &p, a, t, today, &w), DB_OK);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static void test_progress_against_pace(void **state)
{
    (void)state;
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    org city, d, p1, p2;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "区", NULL, &d);
    orgs_create_system(c, &a, d.id, "point", "点1", NULL, &p1);
    orgs_create_system(c, &a, d.id, "point", "点2", NULL, &p2);
    for (int i = 0; i < 6; i++) add_activity(c, &a, p1.id, "2026-02-10", 10);
    add_activity(c, &a, p2.id, "2026-03-01", 10);
    principal p = admin();
    target t = {.org_id = city.id, .title = "全年12场", .metric = "activities", .period = "2026",
                .period_from = "2026-01-01", .period_to = "2026-12-31", .goal = 12, .applies = "subtree"}, saved;
    assert_int_equal(targets_save(c, &p, &a, 0, &t, &saved), DB_OK);
    json_t *j = progress(c, &a, &saved, "2026-03-31");        /* a quarter gone: 2 due, 7 done */
    assert_int_equal(json_integer_value(json_object_get(j, "actual")), 7);
    assert_int_equal(json_integer_value(json_object_get(j, "expected")), 2);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "on_track");
    json_decref(j);
    j = progress(c, &a, &saved, "2026-12-31");                /* the year over, 7 of 12 */
    assert_string_equal(json_string_value(json_object_get(j, "status")), "behind");
    json_decref(j);
    target each = t;
    each.applies = "each";
    each.each_type = "point";
    each.goal = 6;
    assert_int_equal(targets_save(c, &p, &a, 0, &each, &saved), DB_OK);
    j = progress(c, &a, &saved, "2026-06-30");
    assert_int_equal(json_integer_value(json_object_get(j, "units_total")), 2);
    assert_int_equal(json_integer_value(json_object_get(j, "units_achieved")), 1);   /* 点1: 6 of 6 */
    assert_int_equal(json_integer_value(json_object_get(j, "units_behind")), 1);     /* 点2: 1 of 6, 2 due */
    json_decref(j);
    db_close(c);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_against_pace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
