/* test_volunteer_projects.c - volunteer projects over HTTP: projects with positions (422 naming
 * the field, scope 404 for another district, role 403, audit), the phone's volunteer key (from
 * public registration and "find me" by phone and full ID number; the last 4 characters are
 * refused), sign-up with headcount (409 full), team-only projects (409), decisions, reminders; check-in and check-out by the rotating QR (check-out before check-in,
 * strangers, pending sign-ups and forged tokens refused with nothing recorded, a project outside
 * its window refused); the organizer marking presence, confirming hours (locked after), correcting
 * them only with a reason (audited before/after); the service record, the hours export, the
 * quarterly duty turning from behind to done, and `kepu stats verify` clean afterwards. */
#include "vp_fixture.h"

static void test_projects_input_scope_role_audit(void **state)
{
    (void)state;
    json_t *b = jpack("{s:I, s:s, s:s, s:[{s:s, s:i}]}", "team_id", (json_int_t)team_a, "starts_at", at(60), "ends_at",
                      at(120), "positions", "name", "讲解员", "headcount", 2);
    expect_api_error("POST", "/volunteer-projects", a_staff, b, 422, "required", "title");
    expect_api_error("POST", "/volunteer-projects", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:[{s:s, s:i}]}", "team_id", (json_int_t)team_a, "title", "x",
                           "starts_at", at(120), "ends_at", at(60), "positions", "name", "a", "headcount", 1),
                     422, "invalid_field", "ends_at");
    expect_api_error("POST", "/volunteer-projects", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:i}]}", "team_id", (json_int_t)team_a, "title", "x",
                           "starts_at", at(60), "ends_at", at(120), "credit_share", 0, "positions", "name", "a",
                           "headcount", 1),
                     422, "invalid_field", "credit_share");
    expect_api_error("POST", "/volunteer-projects", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:[]}", "team_id", (json_int_t)team_a, "title", "x", "starts_at",
                           at(60), "ends_at", "tomorrow", "positions"),
                     422, "invalid_field", "ends_at");
    expect_api_error("POST", "/volunteer-projects", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:[]}", "team_id", (json_int_t)team_a, "title", "x", "starts_at",
                           at(60), "ends_at", at(90), "positions"),
                     422, "invalid_field", "positions");
    /* a team of another district does not exist for a_staff */
    expect_api_error("POST", "/volunteer-projects", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:[{s:s, s:i}]}", "team_id", (json_int_t)team_b, "title", "x",
                           "starts_at", at(60), "ends_at", at(90), "positions", "name", "a", "headcount", 1),
                     404, "not_found", "team_id");
    assert_int_equal(list_total(admin, "/audit?entity=volunteer_project"), 0);
    int64_t id = project(a_staff, team_a, 60, 180, "public", 3, NULL);
    json_t *j = NULL;
    expect_status(api("GET", P("/volunteer-projects/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "lat"), "29.560000");
    assert_int_equal(jint(j, "headcount"), 3);
    json_decref(j);
    expect_api_error("GET", P("/volunteer-projects/%lld", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("PATCH", P("/volunteer-projects/%lld", (long long)id), b_staff, jpack("{s:s}", "title", "y"), 404,
                     "not_found", "*");
    expect_api_error("GET", P("/volunteer-projects/%lld", (long long)id), a_teacher, NULL, 403, "forbidden", "*");
    expect_api_error("POST", "/volunteer-projects", a_teacher, jpack("{s:s}", "title", "y"), 403, "forbidden", "*");
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), a_staff,
                      jpack("{s:s, s:i}", "title", "社区科普讲解(改)", "credit_share", 50), &j), j, 200);
    assert_string_equal(jstr(j, "title"), "社区科普讲解(改)");
    json_decref(j);
    assert_true(list_total(a_staff, P("/volunteer-projects?team_id=%lld", (long long)team_a)) >= 1);
    assert_int_equal(list_total(b_staff, P("/volunteer-projects?team_id=%lld", (long long)team_a)), 0);
    /* a list narrowed to a node outside the caller's scope is a 404, not an empty page */
    expect_api_error("GET", P("/volunteer-projects?org_id=%lld", (long long)dist_a), b_staff, NULL, 404, "not_found",
                     "org_id");
    expect_api_error("GET", P("/volunteer-hours/export?org_id=%lld&period=2026", (long long)dist_a), b_staff, NULL, 404,
                     "not_found", "org_id");
    assert_true(list_total(a_staff, P("/volunteer-projects?org_id=%lld&status=published&q=%%E6%%94%%B9", (long long)dist_a)) >= 1);
    assert_int_equal(list_total(a_staff, P("/volunteer-projects?org_id=%lld&status=draft", (long long)dist_a)), 0);
    expect_api_error("GET", "/volunteer-projects?status=open", a_staff, NULL, 422, "invalid_field", "status");
    expect_status(api("GET", P("/audit?entity=volunteer_project&entity_id=%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    json_decref(j);
    /* a PATCH keeps what it leaves out (it once wrote a null title: 503; audience and status
     * fell back to public and draft) */
    expect_status(api("PATCH", P("/volunteer-projects/%lld", (long long)id), a_staff, jpack("{s:s}", "place", "社区礼堂"),
                      &j), j, 200);
    assert_string_equal(jstr(j, "place"), "社区礼堂");
    assert_string_equal(jstr(j, "title"), "社区科普讲解(改)");
    assert_string_equal(jstr(j, "status"), "published");
    assert_string_equal(jstr(j, "audience"), "public");
    assert_int_equal(jint(j, "credit_share"), 50);
    json_decref(j);
}

static void test_signup_headcount_team_only_reminders(void **state)
{
    (void)state;
    char k1[80], k2[80], ph[16], idn[24];
    int64_t v1 = register_volunteer(k1, ph, idn), v2 = register_volunteer(k2, NULL, NULL), pos = 0, tpos = 0;
    int64_t id = project(a_staff, team_a, 60, 180, "public", 1, &pos);
    int64_t team_only = project(a_staff, team_a, 60, 180, "team", 5, &tpos);
    json_t *j = NULL;
    /* "find me" gives a key for phone + the full ID number, never for a wrong pair; the last
     * 4 characters (printed on public certificates) are no longer accepted */
    expect_status(pub("POST", "/public/volunteer/find", NULL, jpack("{s:s, s:s}", "phone", ph, "id_number", idn), &j),
                  j, 200);
    assert_true(strlen(jstr(j, "volunteer_key")) >= 40);
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/find", NULL, jpack("{s:s, s:s}", "phone", ph, "id_number",
                                                                     id_number()), &j), j, 404);
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/find", NULL, jpack("{s:s, s:s}", "phone", ph, "id_last4", idn + 14), &j),
                  j, 422);
    assert_string_equal(err_field(j), "id_last4");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/find", NULL, jpack("{s:s, s:s}", "phone", ph, "id_number", "12"), &j),
                  j, 422);
    assert_string_equal(err_field(j), "id_number");
    json_decref(j);
    expect_status(pub("GET", "/public/volunteer/projects", "not-a-key-not-a-key-not-a-key", NULL, &j), j, 401);
    json_decref(j);
    expect_status(pub("GET", "/public/volunteer/projects", k1, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), id));
    assert_false(items_have_id(jget(j, "items"), team_only));   /* not a member */
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k1, jpack("{s:I}", "project_id", (json_int_t)id), &j), j, 422);
    assert_string_equal(err_field(j), "position_id");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k1,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 201);
    int64_t s1 = jint(j, "id");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k1,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 409);
    assert_string_equal(err_code(j), "already_signed_up");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k2,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 201);
    int64_t s2 = jint(j, "id");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k1,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)team_only, "position_id", (json_int_t)tpos), &j),
                  j, 409);
    assert_string_equal(err_code(j), "team_only");
    json_decref(j);
    /* the organizer accepts the first; the headcount of 1 refuses the second */
    expect_api_error("POST", P("/volunteer-signups/%lld/accept", (long long)s1), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("POST", P("/volunteer-signups/%lld/accept", (long long)s1), a_teacher, NULL, 403, "forbidden", "*");
    expect_status(api("POST", P("/volunteer-signups/%lld/accept", (long long)s1), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "accepted");
    assert_non_null(strstr(jstr(j, "phone"), "****"));
    json_decref(j);
    expect_api_error("POST", P("/volunteer-signups/%lld/accept", (long long)s2), a_staff, NULL, 409, "full", "position_id");
    expect_status(api("POST", P("/volunteer-signups/%lld/decline", (long long)s2), a_staff, NULL, &j), j, 200);
    json_decref(j);
    /* a third volunteer cannot even sign up: full */
    char k3[80];
    register_volunteer(k3, NULL, NULL);
    expect_status(pub("POST", "/public/volunteer/signups", k3,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 409);
    assert_string_equal(err_code(j), "full");
    json_decref(j);
    /* staff sign a member up for the team-only project after joining the team */
    expect_api_error("POST", P("/volunteer-projects/%lld/signups", (long long)team_only), a_staff,
                     jpack("{s:I, s:I}", "volunteer_id", (json_int_t)v2, "position_id", (json_int_t)tpos), 409,
                     "team_only", "volunteer_id");
    expect_status(api("POST", P("/volunteer-teams/%lld/members", (long long)team_a), a_staff,
                      jpack("{s:I, s:s}", "volunteer_id", (json_int_t)v2, "how", "add"), &j), j, 201);
    json_decref(j);
    expect_status(api("POST", P("/volunteer-projects/%lld/signups", (long long)team_only), a_staff,
                      jpack("{s:I, s:I}", "volunteer_id", (json_int_t)v2, "position_id", (json_int_t)tpos), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "accepted");
    json_decref(j);
    /* my sign-ups, reminders (starts within 48 h), cancel */
    expect_status(pub("GET", "/public/volunteer/signups", k1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.status"), "accepted");
    json_decref(j);
    expect_status(pub("GET", "/public/volunteer/reminders", k1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    json_decref(j);
    expect_status(api("GET", "/volunteer-reminders?hours=48", a_staff, NULL, &j), j, 200);
    assert_true(json_array_size(jget(j, "items")) >= 2);
    json_decref(j);
    expect_status(api("GET", "/volunteer-reminders?hours=48", b_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", (long long)s1), k2, NULL, &j), j, 404);
    json_decref(j);
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", (long long)s1), k1, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("GET", P("/audit?entity=volunteer_signup&entity_id=%lld", (long long)s1), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 3);   /* create, accept, cancel */
    json_decref(j);
    (void)v1;
}

static int64_t open_session(int64_t project_id, char *token)
{
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", a_staff,
                      jpack("{s:s, s:I}", "kind", "volunteer_activity", "owner_id", (json_int_t)project_id), &j), j, 200);
    int64_t sid = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)sid), a_staff, NULL, &j), j, 200);
    strcpy(token, jstr(j, "token"));
    json_decref(j);
    return sid;
}

static int checkin(int64_t sid, const char *token, const char *key, const char *direction, json_t **j)
{
    json_t *b = jpack("{s:s, s:s}", "token", token, "direction", direction);
    if (key) json_object_set_new(b, "person_key", json_string(key));
    else json_object_set_new(b, "name", json_string("路人")), json_object_set_new(b, "phone", json_string("13900001111"));
    return api("POST", P("/public/checkin/%lld", (long long)sid), NULL, b, j);
}

/* The volunteer's sign-up for the project as listed to tok: its id, *row its object. */
static int64_t signup_of(int64_t project_id, int64_t volunteer, json_t **row)
{
    return signup_of_as(a_staff, project_id, volunteer, row);
}

static void test_checkin_checkout_hours_duty(void **state)
{
    (void)state;
    char k1[80], k2[80], token[64];
    int64_t v1 = register_volunteer(k1, NULL, NULL), v2 = register_volunteer(k2, NULL, NULL), pos, pos2;
    /* a fresh team: behind this quarter until its first project's hours are confirmed */
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-teams", a_staff,
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "category", "youth", "name", "项目甲区青少年队"),
                      &j), j, 201);
    int64_t team = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/volunteer-duty?org_id=%lld&quarter=%s", (long long)dist_a, quarter()), a_staff, NULL, &j),
                  j, 200);
    size_t i;
    json_t *e;
    const char *status = NULL;
    json_array_foreach(jget(j, "items"), i, e) if (jint(e, "team_id") == team) status = jstr(e, "status");
    assert_non_null(status);
    assert_string_equal(status, "behind");
    json_decref(j);
    expect_api_error("GET", P("/volunteer-duty?org_id=%lld&quarter=%s", (long long)dist_a, quarter()), b_staff, NULL, 404,
                     "not_found", "*");
    expect_api_error("GET", P("/volunteer-duty?org_id=%lld&quarter=2026-05", (long long)dist_a), a_staff, NULL, 422,
                     "invalid_field", "quarter");

    int64_t id = project(a_staff, team, -10, 60, "public", 5, &pos);
    int64_t later = project(a_staff, team, 24 * 60, 25 * 60, "public", 5, &pos2);
    int64_t s1, s2;
    expect_status(pub("POST", "/public/volunteer/signups", k1,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 201);
    s1 = jint(j, "id");
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", k2,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)id, "position_id", (json_int_t)pos), &j), j, 201);
    s2 = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/volunteer-signups/%lld/accept", (long long)s1), a_staff, NULL, &j), j, 200);
    json_decref(j);
    int64_t sid = open_session(id, token);
    /* check-out before check-in: refused, nothing recorded */
    expect_status(checkin(sid, token, k1, "out", &j), j, 409);
    assert_string_equal(err_code(j), "not_checked_in");
    json_decref(j);
    /* a stranger and a pending sign-up are refused; a forged token too */
    expect_status(checkin(sid, token, NULL, "in", &j), j, 409);
    assert_string_equal(err_code(j), "not_admitted");
    json_decref(j);
    expect_status(checkin(sid, token, k2, "in", &j), j, 409);
    assert_string_equal(err_code(j), "not_admitted");
    json_decref(j);
    expect_status(checkin(sid, "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", k1, "in", &j), j, 403);
    assert_string_equal(err_code(j), "token_invalid");
    json_decref(j);
    expect_status(api("GET", P("/checkin/sessions/%lld", (long long)sid), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "checked_in"), 0);
    json_decref(j);
    expect_status(checkin(sid, token, k1, "in", &j), j, 201);
    assert_string_equal(jstr(j, "status"), "checked_in");
    json_decref(j);
    expect_status(checkin(sid, token, k1, "out", &j), j, 201);
    assert_string_equal(jstr(j, "status"), "checked_out");
    json_decref(j);
    expect_status(checkin(sid, token, k1, "out", &j), j, 200);
    assert_string_equal(jstr(j, "status"), "already_checked_out");
    json_decref(j);
    json_t *row = NULL;
    assert_int_equal(signup_of(id, v1, &row), s1);
    assert_non_null(jstr(row, "checkin_at"));
    assert_non_null(jstr(row, "checkout_at"));
    assert_string_equal(jstr(row, "attendance"), "qr");
    json_decref(row);
    /* a project tomorrow: outside the window */
    char token2[64];
    int64_t sid2 = open_session(later, token2);
    expect_status(checkin(sid2, token2, k1, "in", &j), j, 409);
    assert_string_equal(err_code(j), "window_closed");
    json_decref(j);

    /* the organizer marks v2 present for the whole window (after accepting), then confirms */
    expect_status(api("POST", P("/volunteer-signups/%lld/accept", (long long)s2), a_staff, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("PUT", P("/volunteer-signups/%lld/attendance", (long long)s2), a_staff,
                     jpack("{s:s, s:s}", "checkin_at", at(30), "checkout_at", at(0)), 422, "invalid_field", "checkout_at");
    expect_status(api("PUT", P("/volunteer-signups/%lld/attendance", (long long)s2), a_staff,
                      jpack("{s:s, s:s}", "checkin_at", at(-20), "checkout_at", at(70)), &j), j, 200);
    assert_string_equal(jstr(j, "attendance"), "staff");
    json_decref(j);
    expect_api_error("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)later), a_staff, NULL, 409,
                     "not_started", NULL);
    expect_api_error("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), a_teacher, NULL, 403, "forbidden", "*");
    expect_status(api("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), a_staff, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "hours_confirmed")));
    assert_string_equal(jstr(j, "status"), "finished");
    assert_int_equal(jint(j, "present"), 2);
    assert_int_equal(jint(j, "credited"), 1);   /* v1 stayed seconds: under 60 % of 70 minutes */
    json_decref(j);
    assert_int_equal(signup_of(id, v2, &row), s2);
    assert_int_equal(jint(row, "minutes"), 70);
    assert_true(json_is_true(jget(row, "credited")));
    assert_string_equal(jstr(row, "hours_status"), "confirmed");
    json_decref(row);
    /* locked: no second confirmation, no marking; a correction needs a reason */
    expect_api_error("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), a_staff, NULL, 409,
                     "hours_locked", NULL);
    expect_api_error("PUT", P("/volunteer-signups/%lld/attendance", (long long)s2), a_staff,
                     jpack("{s:s, s:s}", "checkin_at", at(-20), "checkout_at", at(0)), 409, "hours_locked", NULL);
    expect_api_error("PATCH", P("/volunteer-signups/%lld/hours", (long long)s1), a_staff, jpack("{s:i}", "minutes", 65),
                     422, "required", "reason");
    expect_api_error("PATCH", P("/volunteer-signups/%lld/hours", (long long)s1), a_staff,
                     jpack("{s:i, s:s}", "minutes", -5, "reason", "x"), 422, "invalid_field", "minutes");
    expect_api_error("PATCH", P("/volunteer-signups/%lld/hours", (long long)s1), b_staff,
                     jpack("{s:i, s:s}", "minutes", 65, "reason", "补录"), 404, "not_found", "*");
    expect_status(api("PATCH", P("/volunteer-signups/%lld/hours", (long long)s1), a_staff,
                      jpack("{s:i, s:s}", "minutes", 65, "reason", "扫码签退过早，按现场签到表补录"), &j), j, 200);
    assert_int_equal(jint(j, "minutes"), 65);
    assert_true(json_is_true(jget(j, "credited")));
    json_decref(j);
    expect_status(api("GET", P("/audit?entity=volunteer_signup&entity_id=%lld&action=correct_hours", (long long)s1),
                      admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.changes.minutes.before"), 0);
    assert_int_equal(jint(j, "items.0.changes.minutes.after"), 65);
    assert_string_equal(jstr(j, "items.0.changes.reason.after"), "扫码签退过早，按现场签到表补录");
    json_decref(j);
    /* the service record */
    expect_status(api("GET", P("/volunteers/%lld/service", (long long)v2), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total_minutes"), 70);
    assert_int_equal(jint(j, "activities"), 1);
    json_decref(j);
    expect_api_error("GET", P("/volunteers/%lld/service", (long long)v2), b_staff, NULL, 404, "not_found", "*");
    expect_status(pub("GET", "/public/volunteer/service", k1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total_minutes"), 65);
    json_decref(j);
    /* the quarter turned to done; the statistics count both volunteers and 1 + 1 hours */
    expect_status(api("GET", P("/volunteer-duty?org_id=%lld&quarter=%s", (long long)dist_a, quarter()), a_staff, NULL, &j),
                  j, 200);
    json_array_foreach(jget(j, "items"), i, e) if (jint(e, "team_id") == team) status = jstr(e, "status");
    assert_string_equal(status, "done");
    json_decref(j);
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=volunteers,volunteer_hours,volunteer_activities",
                               (long long)dist_a, quarter()), admin, NULL, &j), j, 200);
    assert_int_equal(json_integer_value(json_object_get(jget(j, "values"), "volunteers")), 2);
    assert_int_equal(json_integer_value(json_object_get(jget(j, "values"), "volunteer_hours")), 2);
    assert_int_equal(json_integer_value(json_object_get(jget(j, "values"), "volunteer_activities")), 1);
    json_decref(j);
    /* the export of hours by team */
    http_resp resp;
    expect_status(api_full("GET", P("/volunteer-hours/export?period=%s", quarter()), a_staff, NULL, &resp), resp.json, 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "项目甲区青少年队"));
    /* the hours are numbers (SUM() works on them), the 合计 row carries their sum: no "2.0" text */
    const char *hours = strstr(xml, "<c r=\"F3\"");
    assert_non_null(hours);
    assert_true(strstr(hours, "inlineStr") == NULL || strstr(hours, "inlineStr") > strstr(hours, "</c>"));
    assert_non_null(strstr(xml, "<f>SUM(F3:"));
    assert_null(strstr(xml, ">2.0<"));
    free(xml);
    http_resp_free(&resp);
    expect_api_error("GET", "/volunteer-hours/export", a_staff, NULL, 422, "required", "period");
}


static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0, got;
    char *out = calloc(1, cap);
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) n += got;
    pclose(p);
    return out;
}

/* Certificates: staff issue one for the volunteer credited in the hours test (found by phone),
 * the PDF's text and QR code, the public verification page, the phone's own download. */
static void test_certificates(void **state)
{
    (void)state;
    char key[80], idn[24], ph[16];
    int64_t v = register_volunteer(key, ph, idn), pos;
    json_t *j = NULL;
    expect_api_error("POST", P("/volunteers/%lld/certificates", (long long)v), a_staff, jpack("{}"), 409, "no_hours", NULL);
    int64_t id = project(a_staff, team_a, -120, -60, "public", 5, &pos);
    expect_status(api("POST", P("/volunteer-projects/%lld/signups", (long long)id), a_staff,
                      jpack("{s:I, s:I}", "volunteer_id", (json_int_t)v, "position_id", (json_int_t)pos), &j), j, 201);
    int64_t sid = jint(j, "id");
    json_decref(j);
    expect_status(api("PUT", P("/volunteer-signups/%lld/attendance", (long long)sid), a_staff,
                      jpack("{s:s, s:s}", "checkin_at", at(-125), "checkout_at", at(-60)), &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/volunteer-projects/%lld/confirm-hours", (long long)id), a_staff, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/volunteers/%lld/certificates", (long long)v), b_staff, jpack("{}"), 404, "not_found", "*");
    expect_api_error("POST", P("/volunteers/%lld/certificates", (long long)v), a_teacher, jpack("{}"), 403, "forbidden", "*");
    /* staff whose scope is their own records issue for the volunteers they may list, no others */
    create_user(admin, "vp_a_self", dist_a, "staff", "self", 0);
    char *a_self = login("vp_a_self", USER_PASSWORD);
    expect_api_error("GET", P("/volunteers/%lld/certificates", (long long)v), a_self, NULL, 404, "not_found", "*");
    expect_api_error("POST", P("/volunteers/%lld/certificates", (long long)v), a_self, jpack("{}"), 404, "not_found", "*");
    free(a_self);
    expect_api_error("POST", P("/volunteers/%lld/certificates", (long long)v), a_staff, jpack("{s:i}", "year", 1900), 422,
                     "invalid_field", "year");
    expect_status(api("POST", P("/volunteers/%lld/certificates", (long long)v), a_staff, jpack("{}"), &j), j, 201);
    char no[40], url[200];
    snprintf(no, sizeof no, "%s", jstr(j, "cert_no"));
    snprintf(url, sizeof url, "%s", jstr(j, "verify_url"));
    int64_t cid = jint(j, "id");
    assert_int_equal(strlen(no), 12);
    assert_true(!strncmp(no, "VC", 2));
    /* no KEPU_PUBLIC_URL: the address the request was served from (http/public_url.h) */
    const char *served = P("http://127.0.0.1:%d/v/cert/", server_port());
    if (strncmp(url, served, strlen(served)) != 0) fail_msg("verify_url %s, want %s...", url, served);
    assert_int_equal(jint(j, "minutes"), 60);
    assert_string_equal(jstr(j, "id_number"), P("%.4s**********%s", idn, idn + 14));
    assert_string_equal(jstr(j, "hours"), "1.0");
    assert_null(jget(j, "code"));   /* the verification secret shows only inside verify_url */
    json_decref(j);
    /* the same figures: the same certificate */
    expect_status(api("POST", P("/volunteers/%lld/certificates", (long long)v), a_staff, jpack("{}"), &j), j, 201);
    assert_int_equal(jint(j, "id"), cid);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=volunteer_certificate&entity_id=%lld", (long long)cid)), 1);
    http_resp resp;
    assert_int_equal(api_full("GET", P("/volunteer-certificates/%lld/pdf", (long long)cid), a_staff, NULL, &resp), 200);
    assert_memory_equal(resp.body, "%PDF", 4);
    char path[300];
    snprintf(path, sizeof path, "%s/cert.pdf", server_dir());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(resp.body, 1, resp.body_len, f), resp.body_len);
    fclose(f);
    http_resp_free(&resp);
    expect_api_error("GET", P("/volunteer-certificates/%lld/pdf", (long long)cid), b_staff, NULL, 404, "not_found", "*");
    char *text = run(P("pdftotext -enc UTF-8 '%s' - 2>/dev/null", path));
    if (!strstr(text, "志愿服务时长证明") || !strstr(text, no) || !strstr(text, "李志愿") || !strstr(text, "项目甲区") ||
        !strstr(text, "1.0小时"))
        fail_msg("pdftotext: %s", text);
    assert_null(strstr(text, idn));
    free(text);
    char *qr = run(P("pdftoppm -png -r 150 -singlefile '%s' '%s/cert' && zbarimg -q --raw '%s/cert.png' 2>/dev/null", path,
                     server_dir(), server_dir()));
    if (strncmp(qr, url, strlen(url)) != 0) fail_msg("QR code says \"%s\", want \"%s\"", qr, url);
    free(qr);
    /* the public verification page: genuine, masked; a made-up code is not */
    const char *code = strrchr(url, '/') + 1;
    expect_status(api("GET", P("/public/volunteer-certificates/%s", code), NULL, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "genuine")));
    assert_string_equal(jstr(j, "certificate.cert_no"), no);
    assert_string_equal(jstr(j, "certificate.id_number"), P("%.4s**********%s", idn, idn + 14));
    assert_null(jget(j, "certificate.verify_url"));
    assert_null(jget(j, "certificate.code"));
    json_decref(j);
    expect_api_error("GET", "/public/volunteer-certificates/0123456789abcdef0123456789abcdef", NULL, NULL, 404,
                     "not_found", NULL);
    /* the phone downloads its own certificate with its key */
    const char *headers[] = {P("X-Volunteer-Key: %s", key), NULL};
    assert_int_equal(http("GET", "/api/v1/public/volunteer/certificate.pdf", headers, NULL, 0, &resp), 200);
    assert_memory_equal(resp.body, "%PDF", 4);
    http_resp_free(&resp);
    assert_int_equal(http("GET", "/api/v1/public/volunteer/certificate.pdf", NULL, NULL, 0, &resp), 401);
    http_resp_free(&resp);
    (void)ph;
}

/* The quarter (Asia/Shanghai) of the time minutes from now. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projects_input_scope_role_audit),
        cmocka_unit_test(test_signup_headcount_team_only_reminders),
        cmocka_unit_test(test_checkin_checkout_hours_duty),
        cmocka_unit_test(test_certificates),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
