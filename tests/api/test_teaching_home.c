/* test_teaching_home.c - GET /teaching/home over HTTP: a point sees its term's plan with items
 * planned and held, its next scheduled courses, the year's held courses against 24 when it holds
 * the 示范教学点 title (issue 15: a point without it has no goal, 0 and status "none"; or the
 * goal of the nearest target that applies to it, named; a target with each_title binds the
 * holders only, in the home and in its progress), its last held courses and the
 * check-ins of the last 7 days, all equal to what the test created; a district sees the
 * submitted plans of its points (oldest first, not another district's) and each point's
 * completion worst first, paged; a unit outside scope is 404; bad input is 422 naming the
 * field; reading writes nothing to the audit log. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static char *admin, *a_admin, *p_admin, *teacher, *b_admin;
static int64_t root, dist_a, dist_b, point_a, point_a2, point_b;
static char today[16], term_from[16];
static int term_year;
static const char *term;

/* A Shanghai time offset seconds from now, RFC 3339. */
static const char *shanghai(long offset)
{
    static char buf[4][32];
    static int k;
    time_t t = time(NULL) + offset + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char *b = buf[k++ % 4];
    strftime(b, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return b;
}

/* The term the server calls current (teaching_home.c): January is last year's autumn,
 * February to July spring, August to December autumn. */
static void current_term(void)
{
    snprintf(today, sizeof today, "%.10s", shanghai(0));
    int y = atoi(today), m = atoi(today + 5);
    term_year = m == 1 ? y - 1 : y;
    term = m >= 2 && m <= 7 ? "spring" : "autumn";
    term_year %= 10000;
    if (!strcmp(term, "spring")) snprintf(term_from, sizeof term_from, "%04d-03-01", term_year);
    else snprintf(term_from, sizeof term_from, "%04d-09-01", term_year);
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    current_term();
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "首页甲区");
    dist_b = create_org(admin, root, "district", "首页乙区");
    int64_t street = create_org(admin, dist_a, "street", "首页甲区和平街道");
    point_a = create_org(admin, street, "point", "和平社区教学点");
    point_a2 = create_org(admin, dist_a, "point", "幸福社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区光明社区教学点");
    create_user(admin, "home_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "home_p_admin", point_a, "org_admin", "subtree", 0);
    create_user(admin, "home_teacher", point_a, "teacher", "org", 0);
    create_user(admin, "home_b_admin", dist_b, "org_admin", "subtree", 0);
    a_admin = login("home_a_admin", USER_PASSWORD);
    p_admin = login("home_p_admin", USER_PASSWORD);
    teacher = login("home_teacher", USER_PASSWORD);
    b_admin = login("home_b_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(p_admin), free(teacher), free(b_admin);
    return server_stop(state);
}

/* A submitted plan of the current term with n items on its first day; *items gets their ids. */
static int64_t submitted_plan(const char *token, int64_t org, int n, int64_t *items)
{
    json_t *list = json_array(), *j = NULL;
    for (int i = 0; i < n; i++)
        json_array_append_new(list, jpack("{s:s, s:s, s:s}", "topic", "识别电信诈骗", "category", "anti_fraud",
                                          "planned_date", term_from));
    expect_status(api("POST", "/plans", token, jpack("{s:I, s:i, s:s, s:s, s:o}", "org_id", (json_int_t)org, "year",
                                                     term_year, "term", term, "title", "本学期教学计划", "items", list),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    for (int i = 0; items && i < n; i++) items[i] = jint(json_array_get(jget(j, "items"), (size_t)i), "id");
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/submit", (long long)id), token, NULL, NULL), NULL, 200);
    return id;
}

static int64_t add_course(int64_t org, int64_t item, long starts, const char *title)
{
    json_t *j = NULL, *body = jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "title", title,
                                    "category", "digital", "starts_at", shanghai(starts), "ends_at", shanghai(starts + 3600));
    if (item) json_object_set_new(body, "plan_item_id", json_integer(item));
    expect_status(api("POST", "/courses", p_admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void hold(int64_t id, int attendance)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/courses/%lld/hold", (long long)id), p_admin,
                      jpack("{s:s, s:i}", "record", "讲解结合案例。", "attendance", attendance), &j), j, 200);
    json_decref(j);
}

static json_t *home(const char *token, const char *query)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/teaching/home%s", query), token, NULL, &j), j, 200);
    return j;
}

static void test_point_home_shows_what_the_point_did(void **state)
{
    (void)state;
    int64_t items[3];
    int64_t plan = submitted_plan(p_admin, point_a, 3, items);
    /* before review: the plan is submitted, nothing held, no course yet */
    json_t *j = home(p_admin, "");
    assert_string_equal(jstr(j, "view"), "point");
    assert_int_equal(jint(j, "org.id"), point_a);
    assert_string_equal(jstr(j, "term.term"), term);
    assert_int_equal(jint(j, "plan.id"), plan);
    assert_string_equal(jstr(j, "plan.status"), "submitted");
    assert_int_equal(jint(j, "plan.planned"), 3);
    assert_int_equal(jint(j, "courses.held"), 0);
    /* not a 示范教学点 (yet): no goal of 24, nothing to be a percent of (changed by issue 15) */
    assert_int_equal(jint(j, "courses.goal"), 0);
    assert_string_equal(jstr(j, "courses.goal_source"), "none");
    assert_string_equal(jstr(j, "courses.status"), "none");
    assert_true(json_is_null(jget(j, "courses.percent")));
    assert_true(json_is_null(jget(j, "courses.target")));
    json_decref(j);
    /* titled: the 24 of a 示范教学点 applies */
    expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_a),
                      NULL), NULL, 201);
    j = home(p_admin, "");
    assert_int_equal(jint(j, "courses.goal"), 24);
    assert_string_equal(jstr(j, "courses.goal_source"), "default");
    assert_true(json_is_null(jget(j, "courses.target")));
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/approve", (long long)plan), a_admin, NULL, NULL), NULL, 200);

    /* one item held with 12, one ad hoc course held with 5, two scheduled ahead, one cancelled */
    int64_t c1 = add_course(point_a, items[0], -120, "计划课程");
    hold(c1, 12);
    int64_t c2 = add_course(point_a, 0, -60, "临时课程");
    hold(c2, 5);
    int64_t up1 = add_course(point_a, items[1], 3 * 86400, "三天后");
    add_course(point_a, 0, 2 * 86400, "两天后");
    int64_t gone = add_course(point_a, 0, 4 * 86400, "取消的课");
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)gone), p_admin, jpack("{s:s}", "reason", "停课"), NULL),
                  NULL, 200);
    /* a student checks in at the first course (marked by staff): a check-in today */
    json_t *s = NULL;
    expect_status(api("POST", "/students", p_admin, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "王秀英",
                                                          "phone", "13712345601"), &s), s, 201);
    int64_t student = jint(s, "id");
    json_decref(s);
    expect_status(api("POST", P("/courses/%lld/attendance", (long long)c1), p_admin,
                      jpack("{s:[I]}", "student_ids", (json_int_t)student), NULL), NULL, 200);

    int64_t audit_before = list_total(admin, "/audit");
    j = home(teacher, "");      /* a member of the point sees the same */
    assert_string_equal(jstr(j, "plan.status"), "approved");
    assert_int_equal(jint(j, "plan.planned"), 3);
    assert_int_equal(jint(j, "plan.held"), 1);
    /* upcoming: the scheduled ones, soonest first; the cancelled one is not there */
    assert_int_equal(jint(j, "upcoming.total"), 2);
    assert_string_equal(jstr(j, "upcoming.items.0.title"), "两天后");
    assert_int_equal(jint(j, "upcoming.items.1.id"), up1);
    /* the year's held courses against 24, and the pace due by today */
    assert_int_equal(jint(j, "courses.held"), 2);
    assert_int_equal(jint(j, "courses.goal"), 24);
    assert_int_equal(jint(j, "courses.percent"), 2 * 100 / 24);
    assert_true(jint(j, "courses.expected") >= 0 && jint(j, "courses.expected") <= 24);
    /* recent: the held courses, latest first, with their attendance (12 + the marked one) */
    assert_int_equal(jint(j, "recent.total"), 2);
    assert_int_equal(jint(j, "recent.items.0.id"), c2);
    assert_int_equal(jint(j, "recent.items.0.attendance"), 5);
    assert_int_equal(jint(j, "recent.items.1.attendance"), 13);
    /* check-ins of the last 7 days, today last */
    assert_int_equal(jint(j, "checkins.total"), 1);
    assert_int_equal(json_array_size(jget(j, "checkins.days")), 7);
    assert_string_equal(jstr(j, "checkins.days.6.day"), today);
    assert_int_equal(jint(j, "checkins.days.6.checkins"), 1);
    json_decref(j);
    /* reading changes nothing */
    assert_int_equal(list_total(admin, "/audit"), audit_before);
}

static int64_t add_target_of(int64_t org, int goal, const char *title)
{
    json_t *j = NULL;
    char year[5];
    snprintf(year, sizeof year, "%.4s", today);
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "org_id", (json_int_t)org, "title", "示范教学点全年开课",
                         "metric", "courses", "period", year, "goal", goal, "applies", "each", "each_type", "point");
    if (title) json_object_set_new(body, "each_title", json_string(title));
    expect_status(api("POST", "/targets", admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t add_target(int64_t org, int goal) { return add_target_of(org, goal, NULL); }

/* issue 15: a target with each_title binds the holders of the title only: in the home and in its
 * progress (point_a holds 示范教学点 since the first test; point_a2 and point_b do not). */
static void test_each_title_target_counts_holders_only(void **state)
{
    (void)state;
    int64_t t = add_target_of(root, 30, "demo_point");
    json_t *j = home(p_admin, "");
    assert_int_equal(jint(j, "courses.goal"), 30);
    assert_string_equal(jstr(j, "courses.goal_source"), "target");
    json_decref(j);
    /* the untitled point: neither the target nor the default */
    j = home(a_admin, P("?org_id=%lld", (long long)point_a2));
    assert_int_equal(jint(j, "courses.goal"), 0);
    assert_string_equal(jstr(j, "courses.goal_source"), "none");
    json_decref(j);
    /* its progress lists the holder alone, with its 2 held courses against 30 */
    expect_status(api("GET", P("/targets/%lld/progress", (long long)t), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "target.each_title"), "demo_point");
    assert_int_equal(jint(j, "units_total"), 1);
    assert_int_equal(jint(j, "units.0.org_id"), point_a);
    assert_int_equal(jint(j, "units.0.actual"), 2);
    assert_int_equal(jint(j, "units.0.goal"), 30);
    json_decref(j);
    /* a kind of title that does not exist: 422 naming it */
    char year[5];
    snprintf(year, sizeof year, "%.4s", today);
    expect_api_error("POST", "/targets", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "org_id", (json_int_t)root, "title", "x", "metric",
                           "courses", "period", year, "goal", 3, "applies", "each", "each_type", "point", "each_title", "nope"),
                     422, "invalid_field", "each_title");
    /* revoked, the holder is bound by neither any more */
    json_t *d = NULL;
    expect_status(api("GET", P("/designations?org_id=%lld&kind=demo_point", (long long)point_a), admin, NULL, &d), d, 200);
    int64_t des = jint(d, "items.0.id");
    json_decref(d);
    expect_status(api("POST", P("/designations/%lld/revoke", (long long)des), admin, jpack("{s:s}", "reason", "测试撤销"), NULL),
                  NULL, 200);
    j = home(p_admin, "");
    assert_int_equal(jint(j, "courses.goal"), 0);
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress", (long long)t), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 0);
    json_decref(j);
    /* titled again for the tests after this one */
    expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_a),
                      NULL), NULL, 201);
    expect_status(api("DELETE", P("/targets/%lld", (long long)t), admin, NULL, NULL), NULL, 204);
}

static void test_goal_comes_from_the_nearest_target(void **state)
{
    (void)state;
    /* a city target for each point: the point's goal, though the city is outside its scope */
    int64_t city = add_target(root, 30);
    json_t *j = home(p_admin, "");
    assert_int_equal(jint(j, "courses.goal"), 30);
    assert_string_equal(jstr(j, "courses.goal_source"), "target");
    assert_int_equal(jint(j, "courses.target.id"), city);
    json_decref(j);
    /* the district's own target is nearer; another district's does not apply */
    int64_t mine = add_target(dist_a, 12);
    add_target(dist_b, 2);
    j = home(p_admin, "");
    assert_int_equal(jint(j, "courses.goal"), 12);
    assert_int_equal(jint(j, "courses.target.id"), mine);
    json_decref(j);
    expect_status(api("DELETE", P("/targets/%lld", (long long)mine), admin, NULL, NULL), NULL, 204);
    expect_status(api("DELETE", P("/targets/%lld", (long long)city), admin, NULL, NULL), NULL, 204);
}

static void test_district_sees_its_review_queue_and_points_worst_first(void **state)
{
    (void)state;
    int64_t a2 = submitted_plan(a_admin, point_a2, 2, NULL);
    int64_t b = submitted_plan(b_admin, point_b, 1, NULL);
    json_t *j = home(a_admin, "");
    assert_string_equal(jstr(j, "view"), "district");
    assert_int_equal(jint(j, "org.id"), dist_a);
    /* the queue: its own point's submitted plan with the point's name and time; not district B's */
    assert_true(items_have_id(jget(j, "awaiting.items"), a2));
    assert_false(items_have_id(jget(j, "awaiting.items"), b));
    assert_int_equal(jint(j, "awaiting.total"), 1);
    assert_string_equal(jstr(j, "awaiting.items.0.org_name"), "幸福社区教学点");
    assert_non_null(jstr(j, "awaiting.items.0.submitted_at"));
    /* points: the one without an approved plan first, then point A with 1 of 3 held */
    assert_int_equal(jint(j, "points.total"), 2);
    assert_int_equal(jint(j, "points.items.0.org_id"), point_a2);
    assert_true(json_is_null(jget(j, "points.items.0.rate")));
    /* not titled: no goal, neither behind nor achieved (issue 15) */
    assert_int_equal(jint(j, "points.items.0.courses.goal"), 0);
    assert_string_equal(jstr(j, "points.items.0.courses.status"), "none");
    assert_int_equal(jint(j, "points.items.1.org_id"), point_a);
    assert_int_equal(jint(j, "points.items.1.planned"), 3);
    assert_int_equal(jint(j, "points.items.1.held"), 1);
    assert_int_equal(jint(j, "points.items.1.courses.held"), 2);
    assert_int_equal(jint(j, "points.items.1.courses.goal"), 24);
    assert_int_equal(jint(j, "points.courses_held"), 2);
    assert_int_equal(jint(j, "points.without_plan"), 1);
    json_decref(j);
    /* paged: the second page holds the better point */
    j = home(a_admin, "?page=2&page_size=1");
    assert_int_equal(json_array_size(jget(j, "points.items")), 1);
    assert_int_equal(jint(j, "points.items.0.org_id"), point_a);
    assert_int_equal(jint(j, "points.total"), 2);
    json_decref(j);
    /* the city sees both districts' plans waiting, oldest first */
    j = home(admin, "");
    assert_int_equal(jint(j, "awaiting.total"), 2);
    assert_int_equal(jint(j, "awaiting.items.0.id"), a2);
    assert_int_equal(jint(j, "awaiting.items.1.id"), b);
    assert_int_equal(jint(j, "points.total"), 3);
    json_decref(j);
    /* the district looks at one of its points: the point's view */
    j = home(a_admin, P("?org_id=%lld", (long long)point_a));
    assert_string_equal(jstr(j, "view"), "point");
    json_decref(j);
}

static void test_scope_role_and_bad_input(void **state)
{
    (void)state;
    /* another district's point, and the point's own district from below: 404 */
    expect_api_error("GET", P("/teaching/home?org_id=%lld", (long long)point_a), b_admin, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/teaching/home?org_id=%lld", (long long)dist_a), p_admin, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", "/teaching/home?org_id=999999", admin, NULL, 404, "not_found", "org_id");
    /* no session: 401 (members are the lowest role, and they may read) */
    expect_api_error("GET", "/teaching/home", NULL, NULL, 401, "*", "*");
    expect_api_error("GET", "/teaching/home?org_id=abc", admin, NULL, 422, "invalid_field", "org_id");
    expect_api_error("GET", "/teaching/home?page_size=0", a_admin, NULL, 422, "invalid_field", "page_size");
    /* a society has no teaching of its own: the generic home */
    int64_t society = create_org(admin, root, "society", "首页测试学会");
    json_t *j = home(admin, P("?org_id=%lld", (long long)society));
    assert_string_equal(jstr(j, "view"), "none");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_home_shows_what_the_point_did),
        cmocka_unit_test(test_goal_comes_from_the_nearest_target),
        cmocka_unit_test(test_each_title_target_counts_holders_only),
        cmocka_unit_test(test_district_sees_its_review_queue_and_points_worst_first),
        cmocka_unit_test(test_scope_role_and_bad_input),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
