/* test_volunteer_stats.c - what volunteer service moves in the statistics, over HTTP: presence,
 * the credit share and hours corrections moving a district's volunteers and hours; people served
 * rolled up with a project's status; a confirmation of more than a thousand sign-ups; `kepu stats
 * verify` clean afterwards. Split from test_volunteer_projects.c; the fixture is vp_fixture.h. */
#include "vp_fixture.h"

static const char *quarter_at(int minutes)
{
    time_t t = time(NULL) + (time_t)minutes * 60 + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    return P("%dQ%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
}

/* volunteers and volunteer_hours of a district over the quarter of the project below. */
static void district_hours(int64_t org, int64_t *volunteers, int64_t *hours)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=volunteers,volunteer_hours", (long long)org,
                               quarter_at(-130)), admin, NULL, &j), j, 200);
    *volunteers = json_integer_value(json_object_get(jget(j, "values"), "volunteers"));
    *hours = json_integer_value(json_object_get(jget(j, "values"), "volunteer_hours"));
    json_decref(j);
}

static void expect_district_hours(int64_t org, int64_t volunteers, int64_t hours)
{
    int64_t v, h;
    district_hours(org, &v, &h);
    if (v != volunteers || h != hours)
        fail_msg("statistics: volunteers %lld, volunteer_hours %lld; want %lld, %lld", (long long)v, (long long)h,
                 (long long)volunteers, (long long)hours);
}

static int64_t staff_signup(int64_t project_id, int64_t volunteer, int64_t position, int in, int out)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/volunteer-projects/%lld/signups", (long long)project_id), admin,
                      jpack("{s:I, s:I}", "volunteer_id", (json_int_t)volunteer, "position_id", (json_int_t)position),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("PUT", P("/volunteer-signups/%lld/attendance", (long long)id), admin,
                      jpack("{s:s, s:s}", "checkin_at", at(in), "checkout_at", at(out)), &j), j, 200);
    json_decref(j);
    return id;
}

static void correct_hours(int64_t signup, int minutes)
{
    json_t *j = NULL;
    expect_status(api("PATCH", P("/volunteer-signups/%lld/hours", (long long)signup), admin,
                      jpack("{s:i, s:s}", "minutes", minutes, "reason", "按现场签到表更正"), &j), j, 200);
    assert_int_equal(jint(j, "minutes"), minutes);
    assert_int_equal(json_is_true(jget(j, "credited")), minutes > 0);
    json_decref(j);
}

/* The 60 % rule and corrections, in a district of their own so that its figures are exactly
 * this project's. A window of 120 minutes: 120 minutes present is credited (2 h), 72 (60 %, the
 * boundary) is credited (1 h), 60 (50 %) and 71 are not (0 minutes, not in the statistics nor the
 * service record). Correcting credited hours takes the old hours out of the statistics before it
 * adds the new ones; correcting to 0 takes the volunteer out; correcting an uncredited sign-up
 * to minutes > 0 puts it in. */
static void test_presence_share_and_corrections_move_the_statistics(void **state)
{
    (void)state;
    int64_t dist = create_org(admin, root, "district", "项目丙区"), pos;
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-teams", admin,
                      jpack("{s:I, s:s}", "org_id", (json_int_t)dist, "category", "district"), &j), j, 201);
    int64_t team = jint(j, "id");
    json_decref(j);
    int64_t v[4];
    for (int i = 0; i < 4; i++) {
        char ph[16];
        snprintf(ph, sizeof ph, "137%08d", serial++);
        expect_status(api("POST", "/volunteers", admin,
                          jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)dist, "name", "丙区志愿者", "id_number",
                                id_number(), "phone", ph), &j), j, 201);
        v[i] = jint(j, "id");
        json_decref(j);
    }
    int64_t id = project(admin, team, -130, -10, "public", 10, &pos);
    int64_t full = staff_signup(id, v[0], pos, -135, -5);     /* 120 of 120 minutes */
    int64_t edge = staff_signup(id, v[1], pos, -130, -58);    /* 72: exactly 60 % */
    int64_t half = staff_signup(id, v[2], pos, -130, -70);    /* 60: 50 % */
    int64_t under = staff_signup(id, v[3], pos, -130, -59);   /* 71: just under 60 % */
    expect_district_hours(dist, 0, 0);
    expect_status(api("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "present"), 4);
    assert_int_equal(jint(j, "credited"), 2);
    json_decref(j);
    const struct { int64_t signup, volunteer; int minutes; bool credited; const char *hours; } want[] = {
        {full, v[0], 120, true, "2.0"}, {edge, v[1], 72, true, "1.2"}, {half, v[2], 0, false, "0.0"},
        {under, v[3], 0, false, "0.0"}};
    for (size_t i = 0; i < 4; i++) {
        json_t *row = NULL;
        assert_int_equal(signup_of_as(admin, id, want[i].volunteer, &row), want[i].signup);
        if (jint(row, "minutes") != want[i].minutes || json_is_true(jget(row, "credited")) != want[i].credited)
            fail_msg("sign-up %zu: minutes %lld credited %d; want %d, %d", i, (long long)jint(row, "minutes"),
                     json_is_true(jget(row, "credited")), want[i].minutes, want[i].credited);
        assert_string_equal(jstr(row, "hours"), want[i].hours);   /* one decimal, cut (not rounded) */
        json_decref(row);
        expect_status(api("GET", P("/volunteers/%lld/service", (long long)want[i].volunteer), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "total_minutes"), want[i].minutes);
        assert_int_equal(jint(j, "activities"), want[i].credited);
        json_decref(j);
    }
    expect_district_hours(dist, 2, 2 + 1);
    correct_hours(full, 200);   /* 2 h become 3 h: the old 2 must leave */
    expect_district_hours(dist, 2, 3 + 1);
    correct_hours(edge, 0);     /* no longer credited */
    expect_district_hours(dist, 1, 3);
    correct_hours(half, 90);    /* credited now: 2 h */
    expect_district_hours(dist, 2, 3 + 2);
    correct_hours(full, 100);   /* 3 h become 2 h */
    expect_district_hours(dist, 2, 2 + 2);
    expect_status(api("GET", P("/volunteer-projects/%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "credited"), 2);
    json_decref(j);
    assert_stats_verify();
}

/* The people served by the projects of dist_b (the metric people_served) over this quarter. */
static int64_t people_served(int64_t org)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=people_served", (long long)org, quarter()), admin,
                      NULL, &j),
                  j, 200);
    int64_t n = json_integer_value(json_object_get(jget(j, "values"), "people_served"));
    json_decref(j);
    return n;
}

/* Issue 14 item 20: a project records the people it served (受益群众人次); a published or finished
 * project's count rolls up to its team's owner and every ancestor on each write, and
 * `kepu stats verify` recomputes the same. */
static void test_people_served_rolls_up(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t before_b = people_served(dist_b), before_root = people_served(root);
    int64_t id = project(b_staff, team_b, 60, 120, "public", 2, NULL);
    expect_status(api("GET", P("/volunteer-projects/%lld", (long long)id), b_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "people_served"), 0);
    json_decref(j);
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff, jpack("{s:i}", "people_served", 120),
                      &j), j, 200);
    assert_int_equal(jint(j, "people_served"), 120);
    json_decref(j);
    assert_int_equal(people_served(dist_b), before_b + 120);
    assert_int_equal(people_served(root), before_root + 120);
    assert_int_equal(people_served(dist_a), 0);
    /* changed: the old count leaves, the new one counts */
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff, jpack("{s:i}", "people_served", 150),
                      &j), j, 200);
    json_decref(j);
    assert_int_equal(people_served(dist_b), before_b + 150);
    /* a draft or cancelled project served nobody yet */
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff, jpack("{s:s}", "status", "draft"),
                      &j), j, 200);
    json_decref(j);
    assert_int_equal(people_served(dist_b), before_b);
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff,
                      jpack("{s:s}", "status", "published"), &j), j, 200);
    assert_int_equal(jint(j, "people_served"), 150);
    json_decref(j);
    assert_int_equal(people_served(dist_b), before_b + 150);
    /* created with a count: it counts at once */
    expect_status(api("POST", "/volunteer-projects", b_staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:[{s:s, s:i}]}", "team_id", (json_int_t)team_b, "title",
                            "科普进社区", "starts_at", at(30), "ends_at", at(90), "status", "published", "people_served",
                            45, "positions", "name", "讲解员", "headcount", 1), &j),
                  j, 201);
    json_decref(j);
    assert_int_equal(people_served(dist_b), before_b + 195);
    assert_int_equal(people_served(root), before_root + 195);
    expect_api_error("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff, jpack("{s:i}", "people_served", -1),
                     422, "invalid_field", "people_served");
    assert_int_equal(people_served(dist_b), before_b + 195);
    assert_stats_verify();
}

/* Confirmation covers every accepted sign-up, not the first 1,000 (a position may take 10,000):
 * 1,001 sign-ups, of which only the last (highest id) was present for the whole window. It must be
 * credited, and every sign-up confirmed. */
static void test_confirmation_covers_more_than_a_thousand_signups(void **state)
{
    (void)state;
    int64_t dist = create_org(admin, root, "district", "项目丁区"), pos;
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-teams", admin,
                      jpack("{s:I, s:s}", "org_id", (json_int_t)dist, "category", "district"), &j), j, 201);
    int64_t team = jint(j, "id");
    json_decref(j);
    int64_t id = project(admin, team, -130, -10, "public", 2000, &pos), last = 0, lastv = 0;
    for (int i = 0; i < 1001; i++) {
        char ph[16];
        snprintf(ph, sizeof ph, "135%08d", serial++);
        expect_status(api("POST", "/volunteers", admin,
                          jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)dist, "name", "丁区志愿者", "id_number",
                                id_number(), "phone", ph), &j), j, 201);
        int64_t v = jint(j, "id");
        json_decref(j);
        if (i < 1000) {
            expect_status(api("POST", P("/volunteer-projects/%lld/signups", (long long)id), admin,
                              jpack("{s:I, s:I}", "volunteer_id", (json_int_t)v, "position_id", (json_int_t)pos), &j),
                          j, 201);
            json_decref(j);
        } else {
            last = staff_signup(id, v, pos, -135, -5), lastv = v;
        }
    }
    expect_status(api("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "accepted"), 1001);
    assert_int_equal(jint(j, "present"), 1);
    assert_int_equal(jint(j, "credited"), 1);
    json_decref(j);
    assert_int_equal(signup_of_as(admin, id, lastv, &j), last);
    assert_string_equal(jstr(j, "hours_status"), "confirmed");
    assert_int_equal(jint(j, "minutes"), 120);
    json_decref(j);
    expect_district_hours(dist, 1, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presence_share_and_corrections_move_the_statistics),
        cmocka_unit_test(test_confirmation_covers_more_than_a_thousand_signups),
        cmocka_unit_test(test_people_served_rolls_up),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
