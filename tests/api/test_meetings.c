/* test_meetings.c - meetings (issue 16 B) over HTTP: the city calls a meeting for its districts
 * (targeting resolved at publish, every unit's users told), a district registers up to its quota
 * (a third refused, a phone twice refused, forgiving phone input, masked answers), registration
 * after the deadline refused to a unit but not to the organizer, a change of place tells the
 * units, check-in at the door through the public check-in routes (a registered participant in, a
 * stranger refused), the attendance per unit and its workbook, cancel with a reason, and bad
 * input answered 422 with nothing changed. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *city, *a_staff, *b_staff;
static int64_t root, dist_a, dist_b, meeting, late, part1;

static int64_t create_meeting(const char *token, long start, long deadline, json_t *targeting)
{
    json_t *j = NULL;
    expect_status(api("POST", "/meetings", token,
                      jpack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s}", "title", "2026年科普工作推进会", "kind", "report",
                            "starts_at", shanghai_at(start), "ends_at", shanghai_at(start + 7200), "place", "市科协三楼会议室",
                            "registration_deadline", shanghai_at(deadline), "default_quota", (json_int_t)2, "targeting",
                            targeting, "agenda", "一、传达文件\n二、部署工作"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "draft");
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "会议甲区");
    dist_b = create_org(admin, root, "district", "会议乙区");
    create_user(admin, "mtg_city", root, "staff", "subtree", 0);
    create_user(admin, "mtg_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "mtg_b", dist_b, "staff", "subtree", 0);
    city = login("mtg_city", USER_PASSWORD);
    a_staff = login("mtg_a", USER_PASSWORD);
    b_staff = login("mtg_b", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff), free(b_staff);
    return server_stop(state);
}

static void test_publish(void **state)
{
    (void)state;
    json_t *j = NULL;
    meeting = create_meeting(city, 1800, 1200, jpack("{s:[s]}", "org_types", "district"));
    /* a draft is the organizer's alone */
    expect_api_error("GET", P("/meetings/%lld", (long long)meeting), a_staff, NULL, 404, "not_found", "*");
    expect_status(api("POST", P("/meetings/%lld/publish", (long long)meeting), city, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "published");
    assert_int_equal(jint(j, "units"), 2);
    assert_int_equal(jint(j, "notified"), 2);   /* one staff user in each district */
    json_decref(j);
    expect_api_error("POST", P("/meetings/%lld/publish", (long long)meeting), city, NULL, 409, "meeting_state", "status");
    expect_status(api("GET", P("/meetings/%lld", (long long)meeting), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "my_quota"), 2);
    assert_int_equal(jint(j, "my_registered"), 0);
    json_decref(j);
    expect_status(api("GET", P("/meetings/%lld/units", (long long)meeting), city, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    assert_int_equal(list_total(a_staff, "/meetings?side=invited"), 1);
    assert_int_equal(list_total(a_staff, "/meetings?side=organized"), 0);
    assert_int_equal(list_total(city, "/meetings?kind=report&status=published"), 1);
}

static void test_quota_and_masking(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *path = P("/meetings/%lld/participants", (long long)meeting);
    expect_status(api("POST", path, a_staff, jpack("{s:s, s:s, s:s}", "name", "王建华", "position", "科普部部长", "phone",
                                                 "139 1234-0001"), &j), j, 201);
    assert_string_equal(jstr(j, "phone"), "139****0001");
    assert_int_equal(jint(j, "org_id"), dist_a);
    part1 = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", path, a_staff, jpack("{s:s, s:s}", "name", "李秀兰", "phone", "+8613912340002"), &j), j, 201);
    json_decref(j);
    expect_api_error("POST", path, a_staff, jpack("{s:s, s:s}", "name", "赵六", "phone", "13912340003"), 409, "quota_full",
                     "quota");
    /* one phone once per meeting, whichever unit */
    expect_api_error("POST", path, b_staff, jpack("{s:s, s:s}", "name", "王建华", "phone", "13912340001"), 409, "duplicate",
                     "phone");
    expect_status(api("GET", P("/meetings/%lld", (long long)meeting), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "my_registered"), 2);
    json_decref(j);
    /* a withdrawal frees a place until the deadline */
    expect_status(api("POST", path, b_staff, jpack("{s:s, s:s}", "name", "周敏", "phone", "13812340009"), &j), j, 201);
    int64_t b1 = jint(j, "id");
    json_decref(j);
    expect_status(api("DELETE", P("/meeting-participants/%lld", (long long)b1), b_staff, NULL, NULL), NULL, 204);
    expect_status(api("GET", path, b_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    http_resp r;
    api_full("GET", path, city, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "13912340001"));
    http_resp_free(&r);
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *path = P("/meetings/%lld/participants", (long long)meeting);
    expect_api_error("POST", path, b_staff, jpack("{s:s}", "phone", "13912340010"), 422, "required", "name");
    expect_api_error("POST", path, b_staff, jpack("{s:s, s:s}", "name", "张三", "phone", "12345"), 422, "invalid_field",
                     "phone");
    expect_status(api("GET", path, city, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    int64_t before = list_total(city, "/meetings");
    expect_api_error("POST", "/meetings", city,
                     jpack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "title", "倒着的会", "kind", "work", "starts_at",
                           shanghai_at(7200), "ends_at", shanghai_at(3600), "place", "会议室", "registration_deadline",
                           shanghai_at(600), "default_quota", (json_int_t)2), 422, "invalid_field", "ends_at");
    expect_api_error("POST", "/meetings", city,
                     jpack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "title", "会", "kind", "party", "starts_at",
                           shanghai_at(3600), "ends_at", shanghai_at(7200), "place", "会议室", "registration_deadline",
                           shanghai_at(600), "default_quota", (json_int_t)2), 422, "*", "kind");
    expect_api_error("POST", "/meetings", city,
                     jpack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:{s:[s]}}", "title", "会", "kind", "work", "starts_at",
                           shanghai_at(3600), "ends_at", shanghai_at(7200), "place", "会议室", "registration_deadline",
                           shanghai_at(600), "default_quota", (json_int_t)2, "targeting", "org_types", "galaxy"),
                     422, "*", "targeting");
    assert_int_equal(list_total(city, "/meetings"), before);
    /* a targeting naming no unit leaves the draft a draft */
    int64_t empty = create_meeting(city, 86400, 3600, jpack("{s:[s]}", "org_types", "point"));
    expect_api_error("POST", P("/meetings/%lld/publish", (long long)empty), city, NULL, 422, "invalid_field", "targeting");
    expect_status(api("GET", P("/meetings/%lld", (long long)empty), city, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "draft");
    json_decref(j);
    expect_status(api("DELETE", P("/meetings/%lld", (long long)empty), city, NULL, NULL), NULL, 204);
    expect_api_error("GET", P("/meetings/%lld", (long long)empty), city, NULL, 404, "not_found", "*");
}

static void test_deadline(void **state)
{
    (void)state;
    json_t *j = NULL;
    late = create_meeting(city, 86400, -60, jpack("{s:[I]}", "org_ids", (json_int_t)dist_a));
    expect_status(api("POST", P("/meetings/%lld/publish", (long long)late), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units"), 1);
    json_decref(j);
    const char *path = P("/meetings/%lld/participants", (long long)late);
    expect_api_error("POST", path, a_staff, jpack("{s:s, s:s}", "name", "迟到者", "phone", "13912340020"), 409,
                     "deadline_passed", "registration_deadline");
    /* the organizer may still add one for the unit */
    expect_status(api("POST", path, city, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "补报者", "phone",
                                              "13912340021"), &j), j, 201);
    int64_t id = jint(j, "id");
    assert_int_equal(jint(j, "org_id"), dist_a);
    json_decref(j);
    /* the unit can no longer change or withdraw it */
    expect_api_error("PATCH", P("/meeting-participants/%lld", (long long)id), a_staff, jpack("{s:s}", "position", "干事"),
                     409, "deadline_passed", "*");
    expect_api_error("DELETE", P("/meeting-participants/%lld", (long long)id), a_staff, NULL, 409, "deadline_passed", "*");
}

static void test_change_tells_units(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_api_error("POST", P("/meetings/%lld/change", (long long)meeting), a_staff, jpack("{s:s}", "place", "别处"), 404,
                     "not_found", "*");
    expect_api_error("POST", P("/meetings/%lld/change", (long long)meeting), city, jpack("{}"), 422, "required", "*");
    expect_api_error("PATCH", P("/meetings/%lld", (long long)meeting), city, jpack("{s:s}", "title", "新名"), 409,
                     "meeting_state", "*");
    expect_status(api("POST", P("/meetings/%lld/change", (long long)meeting), city, jpack("{s:s}", "place", "市科技馆报告厅"),
                      &j), j, 200);
    assert_string_equal(jstr(j, "status"), "changed");
    assert_string_equal(jstr(j, "place"), "市科技馆报告厅");
    assert_int_equal(jint(j, "notified"), 2);
    assert_int_equal(json_array_size(jget(j, "changes")), 1);
    json_decref(j);
    assert_true(list_total(admin, P("/audit?entity=meeting&entity_id=%lld", (long long)meeting)) >= 3);
}

static void test_checkin_at_the_door(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", city, jpack("{s:s, s:I}", "kind", "meeting", "owner_id", (json_int_t)meeting),
                      &j), j, 200);
    int64_t session = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), city, NULL, &j), j, 200);
    char *t = strdup(jstr(j, "token"));
    json_decref(j);
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)session, t), NULL, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s, s:s}", "token", t, "name", "王建华", "phone", "13912340001"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "checked_in");
    json_decref(j);
    /* a stranger is not admitted, and nobody is enrolled */
    expect_api_error("POST", P("/public/checkin/%lld", (long long)session), NULL,
                     jpack("{s:s, s:s, s:s}", "token", t, "name", "陌生人", "phone", "13700000000"), 409, "not_admitted", "*");
    /* a cancelled registration does not check in either */
    free(t);
    expect_status(api("GET", P("/meetings/%lld/attendance", (long long)meeting), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "registered"), 2);
    assert_int_equal(jint(j, "checked_in"), 1);
    assert_int_equal(jint(j, "absent"), 1);
    json_t *units = jget(j, "units");
    bool seen = false;
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        if (jint(u, "org_id") != dist_a) continue;
        seen = true;
        assert_int_equal(jint(u, "quota"), 2);
        assert_int_equal(jint(u, "registered"), 2);
        assert_int_equal(jint(u, "checked_in"), 1);
        assert_int_equal(json_array_size(jget(u, "absent")), 1);
        assert_string_equal(jstr(u, "absent.0"), "李秀兰");
    }
    assert_true(seen);
    json_decref(j);
    expect_status(api("GET", P("/meetings/%lld/participants?org_id=%lld", (long long)meeting, (long long)dist_a), a_staff,
                      NULL, &j), j, 200);
    assert_non_null(jstr(j, "items.0.checked_in_at"));
    json_decref(j);
    http_resp r;
    api_full("GET", P("/meetings/%lld/attendance.xlsx", (long long)meeting), city, NULL, &r);
    assert_int_equal(r.status, 200);
    char *xml = xlsx_sheet_xml(&r);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "李秀兰"));
    assert_non_null(strstr(xml, "缺席"));
    assert_null(strstr(xml, "13912340001"));
    free(xml);
    http_resp_free(&r);
    api_full("GET", "/meetings/export?status=changed", city, NULL, &r);
    assert_int_equal(r.status, 200);
    xml = xlsx_sheet_xml(&r);
    assert_non_null(strstr(xml, "2026年科普工作推进会"));
    free(xml);
    http_resp_free(&r);
}

static void test_cancel(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_api_error("POST", P("/meetings/%lld/cancel", (long long)late), city, jpack("{}"), 422, "required", "reason");
    expect_status(api("POST", P("/meetings/%lld/cancel", (long long)late), city, jpack("{s:s}", "reason", "因故延期"), &j),
                  j, 200);
    assert_string_equal(jstr(j, "status"), "cancelled");
    assert_string_equal(jstr(j, "cancel_reason"), "因故延期");
    assert_int_equal(jint(j, "notified"), 1);
    json_decref(j);
    expect_api_error("POST", P("/meetings/%lld/participants", (long long)late), city,
                     jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "又一人", "phone", "13912340030"), 409,
                     "meeting_state", "*");
    expect_api_error("POST", "/checkin/sessions", city, jpack("{s:s, s:I}", "kind", "meeting", "owner_id", (json_int_t)late),
                     409, "*", "*");
}

/* The shared target units (orgs/org_targets.h): `under` alone invites its subtree below the
 * organizer; a unit not below the organizer, named or as `under`, is 404 org_id and nothing is
 * invited; more than 8 org types is refused. */
static void test_shared_targeting(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t sub = create_meeting(city, 172800, 86400, jpack("{s:I}", "under", (json_int_t)dist_a));
    expect_status(api("POST", P("/meetings/%lld/publish", (long long)sub), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units"), 1);      /* 会议甲区 alone, not 会议乙区 */
    json_decref(j);
    expect_status(api("GET", P("/meetings/%lld", (long long)sub), b_staff, NULL, &j), j, 404);
    json_decref(j);
    int64_t side = create_meeting(a_staff, 172800, 86400, jpack("{s:[I]}", "org_ids", (json_int_t)dist_b));
    expect_api_error("POST", P("/meetings/%lld/publish", (long long)side), a_staff, NULL, 404, "not_found", "org_id");
    int64_t up = create_meeting(a_staff, 172800, 86400, jpack("{s:I}", "under", (json_int_t)root));
    expect_api_error("POST", P("/meetings/%lld/publish", (long long)up), a_staff, NULL, 404, "not_found", "org_id");
    expect_status(api("GET", P("/meetings/%lld/units", (long long)side), a_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_api_error("PATCH", P("/meetings/%lld", (long long)side), a_staff,
                     jpack("{s:{s:[s,s,s,s,s,s,s,s,s]}}", "targeting", "org_types", "district", "district", "district",
                           "district", "district", "district", "district", "district", "district"),
                     422, "invalid_field", "targeting");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish),
        cmocka_unit_test(test_quota_and_masking),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_change_tells_units),
        cmocka_unit_test(test_checkin_at_the_door),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_shared_targeting),
    };
    return run_api_tests(tests, setup, teardown);
}
