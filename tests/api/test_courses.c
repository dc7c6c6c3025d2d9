/* test_courses.c - courses over HTTP and the statistics they feed: holding a course raises the
 * point's, district's and city's courses, attendance and teaching_hours by exactly its figures;
 * editing, cancelling and deleting bring them back; a subtree move carries them; courses from
 * approved plans' items make the completion figures; bad input is 422 naming the field; scope
 * (404) and roles (403) hold; photos go through the file store; targets take the courses
 * metric; and `kepu stats verify` finds no difference after the workload. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

static char *admin, *a_admin, *a_staff, *b_staff, *teacher;
static int64_t root, dist_a, dist_b, point_a, point_b, plan_id, item1, item2;

static int64_t create_plan_approved(int64_t org)
{
    json_t *j = NULL;
    expect_status(api("POST", "/plans", a_staff,
                      jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "org_id", (json_int_t)org,
                            "year", 2025, "term", "spring", "title", "2025年春季教学计划", "items",
                            "topic", "防范养老诈骗", "category", "anti_fraud", "teacher_name", "王警官",
                            "planned_date", "2025-03-20", "topic", "春季养生", "category", "health",
                            "planned_date", "2025-04-15"), &j), j, 201);
    int64_t id = jint(j, "id");
    item1 = jint(j, "items.0.id");
    item2 = jint(j, "items.1.id");
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/submit", (long long)id), a_staff, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/plans/%lld/approve", (long long)id), a_admin, NULL, NULL), NULL, 200);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "课程甲区");
    dist_b = create_org(admin, root, "district", "课程乙区");
    point_a = create_org(admin, dist_a, "point", "甲区光明社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区团结社区教学点");
    create_user(admin, "course_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "course_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "course_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "course_teacher", point_a, "teacher", "org", 0);
    a_admin = login("course_a_admin", USER_PASSWORD);
    a_staff = login("course_a_staff", USER_PASSWORD);
    b_staff = login("course_b_staff", USER_PASSWORD);
    teacher = login("course_teacher", USER_PASSWORD);
    plan_id = create_plan_approved(point_a);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(a_staff), free(b_staff), free(teacher);
    return server_stop(state);
}

static int64_t stat(int64_t org, const char *period, const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=courses,attendance,teaching_hours",
                               (long long)org, period), admin, NULL, &j), j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), metric));
    json_decref(j);
    return v;
}

/* The three figures of a node over a period. */
typedef struct figures { int64_t courses, attendance, hours; } figures;
static figures figs(int64_t org, const char *period)
{
    return (figures){stat(org, period, "courses"), stat(org, period, "attendance"), stat(org, period, "teaching_hours")};
}
#define assert_figs(f, c, a, h) do { figures f_ = (f); assert_int_equal(f_.courses, c); \
    assert_int_equal(f_.attendance, a); assert_int_equal(f_.hours, h); } while (0)

static int64_t add_course(const char *token, int64_t org, const char *starts, const char *ends)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)org, "title", "智能手机防诈骗",
                            "category", "digital", "starts_at", starts, "ends_at", ends, "place", "社区会议室",
                            "capacity", 60, "teachers", "name", "赵老师"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "scheduled");
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void hold(const char *token, int64_t id, int attendance)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/courses/%lld/hold", (long long)id), token,
                      jpack("{s:s, s:i}", "record", "讲解了常见诈骗手法。\n学员踊跃提问。", "attendance", attendance), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "held");
    assert_int_equal(jint(j, "attendance"), attendance);
    json_decref(j);
}

static void test_held_course_counts_at_every_level(void **state)
{
    (void)state;
    int64_t id = add_course(a_staff, point_a, "2024-04-10T09:00:00+08:00", "2024-04-10T10:30:00+08:00");
    /* scheduled: counts nowhere yet */
    assert_figs(figs(root, "2024"), 0, 0, 0);
    hold(a_staff, id, 42);
    /* 90 minutes are 2 whole hours (half up) */
    assert_figs(figs(point_a, "2024"), 1, 42, 2);
    assert_figs(figs(dist_a, "2024"), 1, 42, 2);
    assert_figs(figs(root, "2024"), 1, 42, 2);
    assert_figs(figs(root, "2024-04-10"), 1, 42, 2);
    assert_figs(figs(dist_b, "2024"), 0, 0, 0);
    assert_figs(figs(root, "2024-05"), 0, 0, 0);
    /* held once only */
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), a_staff, jpack("{s:i}", "attendance", 1), 409,
                     "invalid_state", "status");
    assert_int_equal(list_total(admin, P("/audit?entity=course&entity_id=%lld", (long long)id)), 2);
}

static void test_edit_cancel_delete_bring_figures_back(void **state)
{
    (void)state;
    figures base = figs(root, "2023");
    int64_t id = add_course(a_staff, point_a, "2023-10-08T14:00:00+08:00", "2023-10-08T14:50:00+08:00");
    hold(a_staff, id, 30);
    assert_figs(figs(dist_a, "2023"), base.courses + 1, base.attendance + 30, base.hours + 1);
    /* edit the held course: old figures out, new in (2.5 hours -> 3), and another day */
    json_t *j = NULL;
    expect_status(api("PATCH", P("/courses/%lld", (long long)id), a_staff,
                      jpack("{s:i, s:s, s:s}", "attendance", 25, "starts_at", "2023-11-02T09:00:00+08:00",
                            "ends_at", "2023-11-02T11:30:00+08:00"), &j), j, 200);
    assert_int_equal(jint(j, "teaching_hours"), 3);
    assert_string_equal(jstr(j, "day"), "2023-11-02");
    json_decref(j);
    assert_figs(figs(root, "2023-10"), 0, 0, 0);
    assert_figs(figs(root, "2023-11"), 1, 25, 3);
    assert_figs(figs(point_a, "2023"), base.courses + 1, base.attendance + 25, base.hours + 3);
    /* cancel: back to where it was */
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)id), a_staff, jpack("{s:s}", "reason", "暴雨停课"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "cancelled");
    json_decref(j);
    assert_figs(figs(root, "2023"), base.courses, base.attendance, base.hours);
    expect_api_error("POST", P("/courses/%lld/cancel", (long long)id), a_staff, NULL, 409, "invalid_state", "status");
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), a_staff, jpack("{s:i}", "attendance", 3), 409,
                     "invalid_state", "status");
    expect_api_error("PATCH", P("/courses/%lld", (long long)id), a_staff, jpack("{s:i}", "capacity", 3), 409,
                     "invalid_state", "status");
    /* delete a held course: its figures leave too */
    int64_t other = add_course(a_staff, point_a, "2023-12-01T09:00:00+08:00", "2023-12-01T10:00:00+08:00");
    hold(a_staff, other, 18);
    assert_figs(figs(dist_a, "2023-12"), 1, 18, 1);
    expect_status(api("DELETE", P("/courses/%lld", (long long)other), a_staff, NULL, NULL), NULL, 204);
    assert_figs(figs(dist_a, "2023-12"), 0, 0, 0);
    expect_status(api("GET", P("/courses/%lld", (long long)other), a_staff, NULL, NULL), NULL, 404);
    assert_int_equal(list_total(admin, P("/audit?entity=course&entity_id=%lld", (long long)id)), 4);
    assert_int_equal(list_total(admin, P("/audit?entity=course&entity_id=%lld&action=delete", (long long)other)), 1);
}

static void test_subtree_move_carries_figures(void **state)
{
    (void)state;
    int64_t street = create_org(admin, dist_a, "street", "甲区东街道");
    int64_t point_c = create_org(admin, street, "point", "东街道新华社区教学点");
    int64_t id = add_course(a_staff, point_c, "2022-06-01T19:00:00+08:00", "2022-06-01T21:00:00+08:00");
    hold(a_staff, id, 50);
    assert_figs(figs(dist_a, "2022"), 1, 50, 2);
    assert_figs(figs(dist_b, "2022"), 0, 0, 0);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)street), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_b),
                      NULL), NULL, 200);
    assert_figs(figs(dist_a, "2022"), 0, 0, 0);
    assert_figs(figs(dist_b, "2022"), 1, 50, 2);
    assert_figs(figs(root, "2022"), 1, 50, 2);
    /* the course went with its point: district b's staff sees it, district a's no longer */
    expect_status(api("GET", P("/courses/%lld", (long long)id), b_staff, NULL, NULL), NULL, 200);
    expect_status(api("GET", P("/courses/%lld", (long long)id), a_staff, NULL, NULL), NULL, 404);
}

static void test_courses_from_plan_items_make_completion(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/courses", a_staff,
                      jpack("{s:I, s:s, s:s}", "plan_item_id", (json_int_t)item1, "starts_at", "2025-03-20T09:00:00+08:00",
                            "ends_at", "2025-03-20T10:00:00+08:00"), &j), j, 201);
    int64_t id = jint(j, "id");
    /* filled from the item */
    assert_int_equal(jint(j, "org_id"), point_a);
    assert_int_equal(jint(j, "plan_id"), plan_id);
    assert_string_equal(jstr(j, "title"), "防范养老诈骗");
    assert_string_equal(jstr(j, "category"), "anti_fraud");
    assert_string_equal(jstr(j, "teachers.0.name"), "王警官");
    json_decref(j);
    /* an ad hoc course in the term, held too */
    int64_t adhoc = add_course(a_staff, point_a, "2025-05-06T09:00:00+08:00", "2025-05-06T10:00:00+08:00");
    hold(a_staff, adhoc, 20);
    expect_status(api("GET", P("/teaching/completion?org_id=%lld&year=2025&term=spring", (long long)dist_a), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "org.planned"), 2);
    assert_int_equal(jint(j, "org.held"), 0);
    json_decref(j);
    hold(a_staff, id, 33);
    expect_status(api("GET", P("/teaching/completion?org_id=%lld&year=2025&term=spring", (long long)dist_a), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "org.planned"), 2);
    assert_int_equal(jint(j, "org.held"), 1);
    assert_int_equal(jint(j, "org.held_total"), 2);
    assert_true(json_real_value(jget(j, "org.rate")) > 0.49 && json_real_value(jget(j, "org.rate")) < 0.51);
    /* the district's children: the point with the same figures */
    bool seen = false;
    size_t i;
    json_t *e;
    json_array_foreach(jget(j, "items"), i, e) if (jint(e, "org_id") == point_a) {
        seen = true;
        assert_int_equal(jint(e, "planned"), 2);
        assert_int_equal(jint(e, "held"), 1);
    }
    assert_true(seen);
    json_decref(j);
    /* the city rolls up its points; district b has nothing planned */
    expect_status(api("GET", "/teaching/completion?year=2025&by=point", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "org.planned"), 2);
    assert_int_equal(jint(j, "org.held"), 1);
    json_array_foreach(jget(j, "items"), i, e) {
        if (jint(e, "org_id") == point_b) assert_true(json_is_null(jget(e, "rate")));
        assert_string_equal(jstr(e, "type"), "point");
    }
    json_decref(j);
    expect_status(api("GET", P("/plans/%lld", (long long)plan_id), teacher, NULL, &j), j, 200);
    assert_int_equal(jint(j, "completion.held"), 1);
    assert_true(json_is_true(jget(j, "items.0.held")));
    json_decref(j);
    expect_api_error("GET", P("/teaching/completion?org_id=%lld&year=2025", (long long)dist_a), b_staff, NULL, 404,
                     "not_found", "org_id");
    expect_api_error("GET", "/teaching/completion?year=20x5", admin, NULL, 422, "invalid_field", "year");
    /* a list filtered to a unit outside the caller's scope is 404 naming org_id, not an empty page */
    expect_api_error("GET", P("/courses?org_id=%lld", (long long)dist_a), b_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/plans?org_id=%lld&status=approved", (long long)point_a), b_staff, NULL, 404,
                     "not_found", "org_id");
    /* not from a plan that is not approved, nor for another point */
    expect_status(api("POST", "/plans", admin,
                      jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)point_b, "year", 2025,
                            "term", "spring", "title", "草稿", "items", "topic", "x", "category", "food",
                            "planned_date", "2025-04-01"), &j), j, 201);
    int64_t draft_item = jint(j, "items.0.id");
    json_decref(j);
    expect_api_error("POST", "/courses", admin,
                     jpack("{s:I, s:s, s:s}", "plan_item_id", (json_int_t)draft_item, "starts_at",
                           "2025-04-01T09:00:00+08:00", "ends_at", "2025-04-01T10:00:00+08:00"), 409,
                     "plan_not_approved", "plan_item_id");
    expect_api_error("POST", "/courses", admin,
                     jpack("{s:I, s:I, s:s, s:s}", "plan_item_id", (json_int_t)item2, "org_id", (json_int_t)point_b,
                           "starts_at", "2025-04-01T09:00:00+08:00", "ends_at", "2025-04-01T10:00:00+08:00"), 422,
                     "invalid_field", "org_id");
    expect_api_error("POST", "/courses", b_staff,
                     jpack("{s:I, s:s, s:s}", "plan_item_id", (json_int_t)item2, "starts_at", "2025-04-01T09:00:00+08:00",
                           "ends_at", "2025-04-01T10:00:00+08:00"), 404, "not_found", "plan_item_id");
}

static void test_bad_input_names_the_field(void **state)
{
    (void)state;
    struct { const char *starts, *ends, *category, *field; int64_t org; } cases[] = {
        {"2025-04-01 09:00", "2025-04-01T10:00:00+08:00", "food", "starts_at", 0},
        {"2025-04-01T09:00:00+08:00", "2025-04-01T08:00:00+08:00", "food", "ends_at", 0},
        {"2025-04-01T09:00:00+08:00", "2025-04-03T09:00:00+08:00", "food", "ends_at", 0},
        {"2025-02-30T09:00:00+08:00", "2025-02-30T10:00:00+08:00", "food", "starts_at", 0},
        {"2025-04-01T09:00:00+08:00", "2025-04-01T10:00:00+08:00", "alchemy", "category", 0},
        {"2025-04-01T09:00:00+08:00", "2025-04-01T10:00:00+08:00", "food", "org_id", 1},
    };
    int64_t before = list_total(admin, "/courses");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_api_error("POST", "/courses", a_staff,
                         jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)(cases[i].org ? dist_a : point_a),
                               "title", "x", "category", cases[i].category, "starts_at", cases[i].starts,
                               "ends_at", cases[i].ends), 422, "invalid_field", cases[i].field);
    expect_api_error("POST", "/courses", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:[i]}", "org_id", (json_int_t)point_a, "title", "x", "category",
                           "food", "starts_at", "2025-04-01T09:00:00Z", "ends_at", "2025-04-01T10:00:00Z", "teachers", 5),
                     422, "invalid_field", "teachers");
    expect_api_error("POST", "/courses", a_staff,
                     jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "category", "food", "starts_at",
                           "2025-04-01T09:00:00Z", "ends_at", "2025-04-01T10:00:00Z"), 422, "required", "title");
    assert_int_equal(list_total(admin, "/courses"), before);
    /* UTC in, Shanghai out */
    json_t *j = NULL;
    expect_status(api("POST", "/courses", a_staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "title", "夜间观星", "category",
                            "other", "starts_at", "2025-04-01T23:30:00Z", "ends_at", "2025-04-02T01:00:00Z"), &j), j, 201);
    assert_string_equal(jstr(j, "starts_at"), "2025-04-02T07:30:00+08:00");
    assert_string_equal(jstr(j, "day"), "2025-04-02");
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), a_staff, jpack("{s:s}", "record", "x"), 422,
                     "required", "attendance");
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), a_staff, jpack("{s:i}", "attendance", -1), 422,
                     "invalid_field", "attendance");
    /* not held before it starts */
    int64_t future = add_course(a_staff, point_a, "2099-04-01T09:00:00+08:00", "2099-04-01T10:00:00+08:00");
    expect_api_error("POST", P("/courses/%lld/hold", (long long)future), a_staff, jpack("{s:i}", "attendance", 5), 409,
                     "not_started", "starts_at");
    expect_api_error("GET", "/courses?status=lost", a_staff, NULL, 422, "invalid_field", "status");
    expect_status(api("GET", P("/courses?from=2099-01-01&order=asc&org_id=%lld", (long long)dist_a), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.id"), future);
    json_decref(j);
}

static void test_scope_and_roles(void **state)
{
    (void)state;
    int64_t id = add_course(a_staff, point_a, "2021-03-01T09:00:00+08:00", "2021-03-01T10:00:00+08:00");
    expect_api_error("GET", P("/courses/%lld", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("PATCH", P("/courses/%lld", (long long)id), b_staff, jpack("{s:i}", "capacity", 1), 404, "not_found", "*");
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), b_staff, jpack("{s:i}", "attendance", 1), 404, "not_found", "*");
    expect_api_error("POST", P("/courses/%lld/cancel", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("DELETE", P("/courses/%lld", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("POST", "/courses", b_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "title", "x", "category", "food",
                           "starts_at", "2021-03-01T09:00:00+08:00", "ends_at", "2021-03-01T10:00:00+08:00"),
                     404, "not_found", "org_id");
    json_t *j = NULL;
    expect_status(api("GET", "/courses?page_size=500", b_staff, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), id));
    json_decref(j);
    /* a teacher reads its point's courses but does not write them */
    expect_status(api("GET", P("/courses/%lld", (long long)id), teacher, NULL, NULL), NULL, 200);
    expect_api_error("POST", P("/courses/%lld/hold", (long long)id), teacher, jpack("{s:i}", "attendance", 1), 403,
                     "forbidden", NULL);
    expect_api_error("POST", "/courses", teacher,
                     jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "title", "x", "category", "food",
                           "starts_at", "2021-03-01T09:00:00+08:00", "ends_at", "2021-03-01T10:00:00+08:00"),
                     403, "forbidden", NULL);
}

static void test_photos_through_the_file_store(void **state)
{
    (void)state;
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                        0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
    int64_t id = add_course(a_staff, point_a, "2021-05-01T09:00:00+08:00", "2021-05-01T10:00:00+08:00");
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", a_staff);
    const char *headers[] = {auth, "X-File-Name: 课堂照片.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P("/api/v1/courses/%lld/files", (long long)id), headers, (const char *)png, sizeof png, &resp), 201);
    assert_string_equal(jstr(resp.json, "mime"), "image/png");
    int64_t fid = jint(resp.json, "id");
    http_resp_free(&resp);
    /* an unsupported type is refused */
    assert_int_equal(http("POST", P("/api/v1/courses/%lld/files", (long long)id), headers, "just text", 9, &resp), 415);
    http_resp_free(&resp);
    json_t *j = NULL;
    expect_status(api("GET", P("/courses/%lld/files", (long long)id), teacher, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    json_decref(j);
    assert_int_equal(api_full("GET", P("/courses/%lld/files/%lld", (long long)id, (long long)fid), a_staff, NULL, &resp), 200);
    assert_int_equal(resp.body_len, sizeof png);
    assert_memory_equal(resp.body, png, sizeof png);
    http_resp_free(&resp);
    expect_api_error("GET", P("/courses/%lld/files/%lld", (long long)id, (long long)fid), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("DELETE", P("/courses/%lld/files/%lld", (long long)id, (long long)fid), teacher, NULL, 403, "forbidden", NULL);
    expect_status(api("DELETE", P("/courses/%lld/files/%lld", (long long)id, (long long)fid), a_staff, NULL, NULL), NULL, 204);
    assert_int_equal(list_total(admin, P("/audit?entity=course_file&entity_id=%lld", (long long)fid)), 2);
}

static void test_targets_take_the_courses_metric(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "org_id", (json_int_t)root, "title",
                            "示范教学点全年课程不少于24次", "metric", "courses", "period", "2024", "goal", 24, "applies",
                            "each", "each_type", "point"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_achieved"), 0);
    assert_true(jint(j, "units_total") >= 2);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_course_counts_at_every_level),
        cmocka_unit_test(test_edit_cancel_delete_bring_figures_back),
        cmocka_unit_test(test_subtree_move_carries_figures),
        cmocka_unit_test(test_courses_from_plan_items_make_completion),
        cmocka_unit_test(test_bad_input_names_the_field),
        cmocka_unit_test(test_scope_and_roles),
        cmocka_unit_test(test_photos_through_the_file_store),
        cmocka_unit_test(test_targets_take_the_courses_metric),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
