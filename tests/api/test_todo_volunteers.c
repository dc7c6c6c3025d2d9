/* test_todo_volunteers.c - the volunteers' to-do sources over HTTP (issue 16 D): a volunteer's
 * sign-up from the phone waits for approval on the to-do of the team's district staff (due: the
 * project's start; not on another district's), and clears once accepted; the worker reminds the
 * district's staff of it before the start (a tick a second); a project that has ended waits for
 * its hours to be confirmed and clears once confirmed. */
#include "vp_fixture.h"
#include <unistd.h>

static json_t *group_of(const char *token, const char *kind)
{
    json_t *j = NULL, *g, *out = NULL;
    expect_status(api("GET", "/todo?limit=20", token, NULL, &j), j, 200);
    size_t i;
    json_array_foreach(json_object_get(j, "groups"), i, g) if (!strcmp(jstr(g, "kind"), kind)) out = json_incref(g);
    json_decref(j);
    return out;
}

static bool lists(json_t *g, int64_t id)
{
    size_t i;
    json_t *it;
    if (g) json_array_foreach(json_object_get(g, "items"), i, it) if (jint(it, "id") == id) return true;
    return false;
}

static int todo_setup(void **state)
{
    setenv("KEPU_REMINDER_TICK", "1", 1);
    return setup(state);
}

static void test_volunteer_approve(void **state)
{
    (void)state;
    char k1[80];
    register_volunteer(k1, NULL, NULL);
    int64_t pos;
    int64_t id = project(a_staff, team_a, 2 * 24 * 60, 2 * 24 * 60 + 90, "public", 5, &pos);
    json_t *j = NULL;
    expect_status(pub("POST", "/public/volunteer/signups", k1,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 201);
    int64_t signup = jint(j, "id");
    json_decref(j);
    json_t *g = group_of(a_staff, "volunteer_approve");
    assert_true(lists(g, id));
    assert_int_equal(jint(g, "count"), 1);
    assert_memory_equal(jstr(json_array_get(jget(g, "items"), 0), "due"), at(2 * 24 * 60), 16);
    assert_string_equal(jstr(json_array_get(jget(g, "items"), 0), "link"), P("/volunteer-projects/%lld", (long long)id));
    json_decref(g);
    g = group_of(b_staff, "volunteer_approve");
    assert_null(g);
    /* the worker tells the district's staff before the start (2 days left: the 3-day lead) */
    int64_t notes = 0;
    for (int i = 0; i < 50 && !notes; i++) {
        expect_status(api("GET", "/notifications", a_staff, NULL, &j), j, 200);
        notes = jint(j, "total");
        if (notes) {
            assert_string_equal(jstr(j, "items.0.kind"), "volunteer_approve");
            assert_int_equal(jint(j, "items.0.ref_id"), id);
        }
        json_decref(j);
        if (!notes) nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    assert_int_equal(notes, 1);
    expect_status(api("GET", "/notifications", b_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    expect_status(api("POST", P("/volunteer-signups/%lld/accept", (long long)signup), a_staff, NULL, &j), j, 200);
    json_decref(j);
    g = group_of(a_staff, "volunteer_approve");
    assert_false(lists(g, id));
    json_decref(g);
}

static void test_hours_confirm(void **state)
{
    (void)state;
    int64_t id = project(a_staff, team_a, -180, -60, "team", 5, NULL);
    int64_t later = project(a_staff, team_a, 60, 120, "team", 5, NULL);
    json_t *g = group_of(a_staff, "hours_confirm");
    assert_true(lists(g, id));
    assert_false(lists(g, later));   /* not ended yet */
    json_decref(g);
    g = group_of(b_staff, "hours_confirm");
    assert_null(g);
    json_t *j = NULL;
    expect_status(api("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), a_staff, NULL, &j), j, 200);
    json_decref(j);
    g = group_of(a_staff, "hours_confirm");
    assert_false(lists(g, id));
    json_decref(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volunteer_approve),
        cmocka_unit_test(test_hours_confirm),
    };
    return run_api_tests(tests, todo_setup, teardown);
}
