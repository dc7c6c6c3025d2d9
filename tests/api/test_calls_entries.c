/* test_calls_entries.c - the calls engine's core over HTTP (issue 15, package A): a city copies a
 * template into a call (points enter, districts recommend one each upward), opens it; a point
 * saves a draft (hidden from its district), fixes bad input (422 naming the field, nothing
 * changed), attaches evidence and submits (figures snapshotted, the district holds it); the
 * district returns it with a reason, the point resubmits; the unit's maximum refuses a third
 * submission (a withdrawal frees a place); the district recommends within its stage's quota; the
 * deadline refuses or flags late entries by the call's policy; every move is audited and in the
 * entry's history. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

static char *admin, *a_admin, *b_admin, *p1, *p2;
static int64_t root, dist_a, dist_b, point_a1, point_a2, point_b1, template_id, call_id, entry1, named_call;

static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "征集甲区");
    dist_b = create_org(admin, root, "district", "征集乙区");
    point_a1 = create_org(admin, dist_a, "point", "甲区一号教学点");
    point_a2 = create_org(admin, dist_a, "point", "甲区二号教学点");
    point_b1 = create_org(admin, dist_b, "point", "乙区一号教学点");
    create_user(admin, "ce_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "ce_b_admin", dist_b, "org_admin", "subtree", 0);
    create_user(admin, "ce_p1", point_a1, "staff", "org", 0);
    create_user(admin, "ce_p2", point_a2, "staff", "org", 0);
    a_admin = login("ce_a_admin", USER_PASSWORD);
    b_admin = login("ce_b_admin", USER_PASSWORD);
    p1 = login("ce_p1", USER_PASSWORD);
    p2 = login("ce_p2", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(b_admin), free(p1), free(p2);
    return server_stop(state);
}

static const char FORM[] =
    "[{\"key\":\"name\",\"label\":\"教学点名称\",\"type\":\"text\",\"required\":true},"
    "{\"key\":\"courses\",\"label\":\"年授课次数\",\"type\":\"number\",\"min\":0,\"max\":500},"
    "{\"key\":\"std\",\"label\":\"四化\",\"type\":\"checklist\",\"items\":[{\"key\":\"venue\",\"label\":\"场地固定化\",\"evidence\":true}]},"
    "{\"key\":\"held\",\"label\":\"开展活动\",\"type\":\"figure\",\"metric\":\"activities\"}]";

static json_t *template_body(const char *code, const char *form)
{
    json_t *f = json_loads(form, 0, NULL);
    assert_non_null(f);
    return jpack("{s:s, s:s, s:s, s:{s:o, s:[{s:s, s:i}], s:s, s:[s], s:i, s:i, s:s}}", "code", code, "name", "示范教学点申报",
                 "kind", "nomination", "config", "form", f, "stages", "org_type", "district", "max_recommend", 1,
                 "eligible", "types", "eligible_types", "point", "min_per_unit", 1, "max_per_unit", 2, "late_policy", "refuse");
}

static int64_t new_entry(const char *token, int64_t org, const char *title, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call_id), token,
                      jpack("{s:I, s:s, s:{s:s, s:i}}", "org_id", (json_int_t)org, "title", title, "values", "name", title,
                            "courses", 30), &j), j, want);
    int64_t id = want == 201 ? jint(j, "id") : 0;
    json_decref(j);
    return id;
}

static json_t *act(const char *token, int64_t entry, const char *action, const char *reason, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/entries/%lld/%s", (long long)entry, action), token,
                      reason ? jpack("{s:s}", "reason", reason) : NULL, &j), j, want);
    return j;
}

/* The entry's status as its unit sees it (a draft is its unit's alone). */
static const char *entry_status(const char *token, int64_t entry)
{
    static char status[32];
    json_t *j = NULL;
    expect_status(api("GET", P("/entries/%lld", (long long)entry), token, NULL, &j), j, 200);
    snprintf(status, sizeof status, "%s", jstr(j, "status"));
    json_decref(j);
    return status;
}

static void test_template_and_call(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin, template_body("t_demo_point", FORM), &j), j, 201);
    template_id = jint(j, "id");
    assert_false(json_is_true(jget(j, "builtin")));
    json_decref(j);
    expect_api_error("POST", "/call-templates", admin, template_body("t_demo_point", FORM), 409, "duplicate", "code");
    /* a bad form names its place inside the config */
    expect_api_error("POST", "/call-templates", admin,
                     template_body("t_bad", "[{\"key\":\"x\",\"label\":\"x\",\"type\":\"colour\"}]"), 422, "invalid_field",
                     "config.form.0.type");
    /* a call copies its template; the deadline day is its end in Shanghai */
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2026, "title", "2026年示范教学点申报", "deadline", "2099-10-31"), &j), j, 201);
    call_id = jint(j, "id");
    assert_string_equal(jstr(j, "status"), "draft");
    assert_string_equal(jstr(j, "template_code"), "t_demo_point");
    assert_string_equal(jstr(j, "deadline"), "2099-10-31T23:59:59+08:00");
    assert_int_equal(jint(j, "max_per_unit"), 2);
    assert_int_equal(json_array_size(jget(j, "form")), 4);
    assert_string_equal(jstr(j, "stages.0.org_type"), "district");
    json_decref(j);
    expect_api_error("POST", "/calls", admin,
                     jpack("{s:I, s:I, s:i, s:s, s:s, s:i, s:i}", "template_id", (json_int_t)template_id, "org_id",
                           (json_int_t)root, "year", 2026, "title", "x", "deadline", "2099-10-31", "min_per_unit", 5,
                           "max_per_unit", 3), 422, "invalid_field", "max_per_unit");
    expect_api_error("POST", "/calls", admin,
                     jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                           "year", 2026, "title", "x", "deadline", "2099-10-31T12:00:00Z"), 422, "invalid_field", "deadline");
    expect_api_error("POST", "/calls", admin,
                     jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)999999, "org_id", (json_int_t)root,
                           "year", 2026, "title", "x", "deadline", "2099-10-31"), 404, "not_found", "template_id");
    /* a draft call is its owner's alone */
    expect_api_error("GET", P("/calls/%lld", (long long)call_id), p1, NULL, 404, "not_found", NULL);
    assert_int_equal(list_total(p1, "/calls?mine=1"), 0);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "open");
    assert_string_equal(jstr(j, "phase"), "collecting");
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, 409, "call_state", NULL);
    /* points may enter it; a district (not an eligible type) does not list it as its own */
    expect_status(api("GET", "/calls?mine=1", p1, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), call_id));
    json_decref(j);
    expect_status(api("GET", "/calls?mine=1", a_admin, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), call_id));
    json_decref(j);
    /* the district sees it, but does not manage it */
    expect_status(api("GET", P("/calls/%lld", (long long)call_id), a_admin, NULL, NULL), NULL, 200);
    expect_api_error("PATCH", P("/calls/%lld", (long long)call_id), a_admin, jpack("{s:s}", "title", "改"), 404, "not_found", NULL);
    expect_api_error("POST", P("/calls/%lld/cancel", (long long)call_id), a_admin, NULL, 404, "not_found", NULL);
}

static int64_t upload(const char *token, int64_t entry)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", "X-File-Name: venue.png", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/entries/%lld/files", (long long)entry), headers, (const char *)png, sizeof png, &resp);
    expect_status(st, resp.json, 201);
    int64_t id = jint(resp.json, "id");
    http_resp_free(&resp);
    return id;
}

static void test_draft_submit_return_resubmit(void **state)
{
    (void)state;
    json_t *j = NULL;
    entry1 = new_entry(p1, point_a1, "甲区一号教学点申报", 201);
    assert_string_equal(entry_status(p1, entry1), "draft");
    /* a draft stays with its unit: the district does not see it yet */
    expect_api_error("GET", P("/entries/%lld", (long long)entry1), a_admin, NULL, 404, "not_found", NULL);
    assert_int_equal(list_total(a_admin, P("/calls/%lld/entries", (long long)call_id)), 0);
    /* bad values name their field and change nothing */
    expect_api_error("PATCH", P("/entries/%lld", (long long)entry1), p1, jpack("{s:{s:i}}", "values", "courses", 501), 422,
                     "invalid_field", "values.courses");
    expect_api_error("PATCH", P("/entries/%lld", (long long)entry1), p1, jpack("{s:{s:i}}", "values", "held", 99), 422,
                     "invalid_field", "values.held");
    expect_api_error("PATCH", P("/entries/%lld", (long long)entry1), p1, jpack("{s:{s:i}}", "values", "colour", 1), 422,
                     "unknown_field", "values.colour");
    expect_status(api("GET", P("/entries/%lld", (long long)entry1), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "values.courses"), 30);
    json_decref(j);
    /* autosave: a checked item without its evidence is a draft's right, not a submission's */
    expect_status(api("PATCH", P("/entries/%lld", (long long)entry1), p1,
                      jpack("{s:{s:s, s:i, s:{s:{s:b}}}}", "values", "name", "一号点", "courses", 31, "std", "venue", "ok", 1),
                      &j), j, 200);
    assert_int_equal(jint(j, "values.courses"), 31);
    json_decref(j);
    expect_api_error("POST", P("/entries/%lld/submit", (long long)entry1), p1, NULL, 422, "invalid_field", "values.std.venue");
    assert_string_equal(entry_status(p1, entry1), "draft");
    /* a file that is not the entry's own is refused */
    expect_api_error("PATCH", P("/entries/%lld", (long long)entry1), p1,
                     jpack("{s:{s:s, s:{s:{s:b, s:[i]}}}}", "values", "name", "一号点", "std", "venue", "ok", 1, "files", 0), 422,
                     "invalid_field", "values.std.venue");
    expect_status(api("PATCH", P("/entries/%lld", (long long)entry1), p1,
                      jpack("{s:{s:s, s:i, s:{s:{s:b, s:[i]}}}}", "values", "name", "一号点", "courses", 31, "std", "venue",
                            "ok", 1, "files", 987654), NULL), NULL, 200);
    expect_api_error("POST", P("/entries/%lld/submit", (long long)entry1), p1, NULL, 422, "invalid_field", "values");
    int64_t fid = upload(p1, entry1);
    expect_status(api("PATCH", P("/entries/%lld", (long long)entry1), p1,
                      jpack("{s:{s:s, s:i, s:{s:{s:b, s:[I]}}}}", "values", "name", "一号点", "courses", 31, "std", "venue",
                            "ok", 1, "files", (json_int_t)fid), NULL), NULL, 200);
    /* another unit cannot submit it */
    expect_api_error("POST", P("/entries/%lld/submit", (long long)entry1), p2, NULL, 404, "not_found", NULL);
    j = act(p1, entry1, "submit", NULL, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    assert_int_equal(jint(j, "stage_org_id"), dist_a);        /* the district holds it */
    assert_int_equal(jint(j, "stage_no"), 0);
    assert_false(json_is_true(jget(j, "late")));
    assert_true(json_is_integer(jget(j, "figures.held")));    /* the figure snapshotted */
    assert_non_null(jstr(j, "figures.as_of"));
    json_decref(j);
    expect_api_error("PATCH", P("/entries/%lld", (long long)entry1), p1, jpack("{s:s}", "title", "改"), 409, "entry_state", NULL);
    /* submitted: the district sees it; another district does not */
    expect_status(api("GET", P("/entries/%lld", (long long)entry1), a_admin, NULL, NULL), NULL, 200);
    expect_api_error("GET", P("/entries/%lld", (long long)entry1), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("POST", P("/entries/%lld/return", (long long)entry1), b_admin, jpack("{s:s}", "reason", "x"), 404,
                     "not_found", NULL);
    /* the district returns it with a reason; the point fixes and resubmits */
    expect_api_error("POST", P("/entries/%lld/return", (long long)entry1), a_admin, NULL, 422, "required", "reason");
    j = act(a_admin, entry1, "return", "场地照片不清晰", 200);
    assert_string_equal(jstr(j, "status"), "returned");
    assert_string_equal(jstr(j, "returned_reason"), "场地照片不清晰");
    json_decref(j);
    expect_status(api("PATCH", P("/entries/%lld", (long long)entry1), p1, jpack("{s:s}", "title", "甲区一号点（补充）"), &j), j, 200);
    json_decref(j);
    j = act(p1, entry1, "submit", NULL, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    assert_string_equal(jstr(j, "title"), "甲区一号点（补充）");
    json_decref(j);
    /* the history, and the audit of every move */
    expect_status(api("GET", P("/entries/%lld/history", (long long)entry1), p1, NULL, &j), j, 200);
    static const char *const steps[] = {"create", "submit", "return", "submit"};
    assert_int_equal(json_array_size(jget(j, "items")), 4);
    for (int i = 0; i < 4; i++) assert_string_equal(jstr(jget(j, "items"), P("%d.action", i)), steps[i]);
    assert_string_equal(jstr(j, "items.2.reason"), "场地照片不清晰");
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=call_entry&entity_id=%lld", (long long)entry1)), 8);
    assert_int_equal(list_total(admin, P("/audit?entity=call_entry&entity_id=%lld&action=return", (long long)entry1)), 1);
}

static void test_quota_and_recommend(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t second = new_entry(p1, point_a1, "一号点第二份", 201), third = new_entry(p1, point_a1, "一号点第三份", 201);
    json_decref(act(p1, second, "submit", NULL, 200));
    /* the unit's maximum is 2: the third is refused and stays a draft */
    j = act(p1, third, "submit", NULL, 409);
    assert_string_equal(err_code(j), "quota_full");
    json_decref(j);
    assert_string_equal(entry_status(p1, third), "draft");
    /* a withdrawal frees a place */
    json_decref(act(p1, second, "withdraw", NULL, 200));
    assert_string_equal(entry_status(p1, second), "withdrawn");
    json_decref(act(p1, third, "submit", NULL, 200));
    json_decref(act(p1, second, "withdraw", NULL, 409));
    /* a district is not eligible; another district's unit is outside the scope */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call_id), a_admin,
                     jpack("{s:I, s:s}", "org_id", (json_int_t)dist_a, "title", "区"), 403, "not_eligible", "org_id");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call_id), b_admin,
                     jpack("{s:I, s:s}", "org_id", (json_int_t)point_a1, "title", "越权"), 404, "not_found", "org_id");
    /* the district recommends one (its stage's maximum); the point cannot recommend */
    int64_t other = new_entry(p2, point_a2, "二号点", 201);
    json_decref(act(p2, other, "submit", NULL, 200));
    expect_api_error("POST", P("/entries/%lld/recommend", (long long)entry1), b_admin, NULL, 404, "not_found", NULL);
    j = act(a_admin, entry1, "recommend", NULL, 200);
    assert_string_equal(jstr(j, "status"), "recommended");
    assert_int_equal(jint(j, "stage_org_id"), root);
    assert_int_equal(jint(j, "stage_no"), 1);
    json_decref(j);
    j = act(a_admin, other, "recommend", NULL, 409);
    assert_string_equal(err_code(j), "recommend_quota_full");
    json_decref(j);
    assert_string_equal(entry_status(p2, other), "submitted");
    json_decref(act(a_admin, other, "not-recommend", NULL, 200));
    assert_string_equal(entry_status(p2, other), "not_recommended");
    /* at the owner: nothing more to recommend; the district cannot act for the city */
    j = act(admin, entry1, "recommend", NULL, 409);
    assert_string_equal(err_code(j), "last_stage");
    json_decref(j);
    j = act(a_admin, entry1, "not-recommend", NULL, 403);
    assert_string_equal(err_code(j), "forbidden");
    json_decref(j);
    /* the call counts its entries past draft (entry1, third, other) */
    expect_status(api("GET", P("/calls/%lld", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "entries_total"), 3);
    json_decref(j);
    /* a district sees its subtree's entries (not the drafts) */
    assert_int_equal(list_total(a_admin, P("/calls/%lld/entries", (long long)call_id)), 4);
    assert_int_equal(list_total(b_admin, P("/calls/%lld/entries", (long long)call_id)), 0);
}

static int64_t entries_metric(int64_t org)
{
    char year[5];
    json_t *j = NULL;
    memcpy(year, shanghai_at(0), 4), year[4] = 0;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=call_entries.t_demo_point", (long long)org, year), admin,
                      NULL, &j), j, 200);
    int64_t n = json_integer_value(json_object_get(jget(j, "values"), "call_entries.t_demo_point"));
    json_decref(j);
    return n;
}

/* Standing entries count under call_entries.<template> at their unit and its ancestors: not the
 * drafts, the returned nor the withdrawn ones (stats_verify_test recomputes them at the end). */
static void test_entries_count_in_statistics(void **state)
{
    (void)state;
    assert_int_equal(entries_metric(point_a1), 2);     /* entry1 (recommended), third; second withdrawn */
    assert_int_equal(entries_metric(point_a2), 1);     /* not recommended still stands */
    assert_int_equal(entries_metric(dist_a), 3);
    assert_int_equal(entries_metric(dist_b), 0);
    int64_t fresh = new_entry(p2, point_a2, "统计", 201);
    assert_int_equal(entries_metric(point_a2), 1);     /* a draft counts nowhere */
    json_decref(act(p2, fresh, "submit", NULL, 200));
    assert_int_equal(entries_metric(point_a2), 2);
    json_decref(act(a_admin, fresh, "return", "补充材料", 200));
    assert_int_equal(entries_metric(point_a2), 1);     /* returned: out again */
    json_decref(act(p2, fresh, "withdraw", NULL, 200));
    assert_int_equal(entries_metric(root), 3);
}

static void test_deadline_refused_or_flagged(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t late = new_entry(p2, point_a2, "迟交", 201);
    /* the deadline moves (audited); the call refuses late entries */
    expect_status(api("PATCH", P("/calls/%lld", (long long)call_id), admin, jpack("{s:s}", "deadline", "2020-01-01"), &j), j, 200);
    assert_string_equal(jstr(j, "phase"), "closed_for_entries");
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=call&entity_id=%lld&action=update", (long long)call_id)), 1);
    j = act(p2, late, "submit", NULL, 409);
    assert_string_equal(err_code(j), "deadline_passed");
    json_decref(j);
    assert_string_equal(entry_status(p2, late), "draft");
    new_entry(p2, point_a2, "更迟", 409);
    /* flagged instead: accepted and marked late */
    expect_status(api("PATCH", P("/calls/%lld", (long long)call_id), admin, jpack("{s:s}", "late_policy", "flag"), NULL), NULL, 200);
    j = act(p2, late, "submit", NULL, 200);
    assert_true(json_is_true(jget(j, "late")));
    json_decref(j);
    assert_int_equal(list_total(a_admin, P("/calls/%lld/entries?late=true", (long long)call_id)), 1);
    /* once entries exist, the form only grows */
    expect_api_error("PATCH", P("/calls/%lld", (long long)call_id), admin,
                     jpack("{s:[{s:s, s:s, s:s}]}", "form", "key", "name", "label", "名称", "type", "text"), 409,
                     "form_locked", "form");
    /* closed, then cancelled: no more entries, no more cancelling */
    expect_status(api("POST", P("/calls/%lld/close", (long long)call_id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "reviewing");
    json_decref(j);
    new_entry(p2, point_a2, "关闭后", 409);
    expect_status(api("POST", P("/calls/%lld/cancel", (long long)call_id), admin, NULL, NULL), NULL, 200);
    expect_api_error("POST", P("/calls/%lld/cancel", (long long)call_id), admin, NULL, 409, "call_state", NULL);
}

/* A call for named units only, with per-unit overrides of the quotas (call_units). */
static void test_named_units_and_quota_overrides(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2027, "title", "点名申报", "deadline", "2099-10-31", "eligible", "named"), &j), j, 201);
    int64_t named = named_call = jint(j, "id");
    json_decref(j);
    char quotas[64];
    snprintf(quotas, sizeof quotas, "/calls/%lld/quotas", (long long)named);
    /* bad items name themselves; a unit outside the caller's scope is 404 on its org_id */
    expect_api_error("PUT", quotas, admin, jpack("{s:[{s:I, s:i, s:i}]}", "units", "org_id", (json_int_t)point_b1,
                                                 "min_entries", 3, "max_entries", 1), 422, "invalid_field", "units.0");
    expect_api_error("PUT", quotas, admin, jpack("{s:[{s:I}, {s:I}]}", "units", "org_id", (json_int_t)point_b1, "org_id",
                                                 (json_int_t)point_b1), 422, "invalid_field", "units.1");
    expect_api_error("PUT", quotas, a_admin, jpack("{s:[{s:I}]}", "units", "org_id", (json_int_t)point_a1), 404, "not_found", NULL);
    expect_status(api("PUT", quotas, admin,
                      jpack("{s:[{s:I, s:i, s:i}, {s:I, s:i, s:i}]}", "units", "org_id", (json_int_t)point_b1, "stage_no", 0,
                            "max_entries", 3, "org_id", (json_int_t)dist_b, "stage_no", 1, "max_entries", 2), &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=call&entity_id=%lld&action=set_quotas", (long long)named)), 1);
    /* open: each sees the rows of its scope; only the named unit enters, within its own maximum
     * (3, not the call's 2) */
    expect_status(api("POST", P("/calls/%lld/open", (long long)named), admin, NULL, NULL), NULL, 200);
    expect_status(api("GET", quotas, a_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_status(api("GET", quotas, b_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_int_equal(jint(j, "items.1.org_id"), dist_b);
    assert_int_equal(jint(j, "items.0.org_id"), point_b1);
    assert_int_equal(jint(j, "items.0.max_entries"), 3);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)named), p1,
                     jpack("{s:I, s:s}", "org_id", (json_int_t)point_a1, "title", "未点名"), 403, "not_eligible", "org_id");
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        expect_status(api("POST", P("/calls/%lld/entries", (long long)named), b_admin,
                          jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)point_b1, "title", "点名点", "values", "name", "乙"),
                          &j), j, 201);
        ids[i] = jint(j, "id");
        json_decref(j);
    }
    for (int i = 0; i < 3; i++) json_decref(act(b_admin, ids[i], "submit", NULL, 200));
    j = act(b_admin, ids[3], "submit", NULL, 409);
    assert_string_equal(err_code(j), "quota_full");
    json_decref(j);
    /* the district's stage override (2) in place of the stage's max_recommend (1) */
    json_decref(act(b_admin, ids[0], "recommend", NULL, 200));
    json_decref(act(b_admin, ids[1], "recommend", NULL, 200));
    j = act(b_admin, ids[2], "recommend", NULL, 409);
    assert_string_equal(err_code(j), "recommend_quota_full");
    json_decref(j);
}

#define RACERS 8
static char race_path[RACERS][64];

static void *race_submit(void *arg)
{
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p2);
    const char *headers[] = {auth, NULL};
    http_resp r;
    int st = http("POST", race_path[(intptr_t)arg], headers, NULL, 0, &r);
    http_resp_free(&r);
    return (void *)(intptr_t)st;
}

/* Eight clerks of one unit submit at once against a maximum of one: exactly one gets in (the
 * guarded UPDATE of call_unit_counts; SQLite serializes writers, PostgreSQL re-checks the row). */
static void test_quota_guard_under_concurrent_submits(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s, s:i}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2028, "title", "并发名额", "deadline", "2099-10-31", "max_per_unit", 1), &j), j, 201);
    int64_t race = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)race), admin, NULL, NULL), NULL, 200);
    for (int i = 0; i < RACERS; i++) {
        expect_status(api("POST", P("/calls/%lld/entries", (long long)race), p2,
                          jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)point_a2, "title", "并发", "values", "name", "丙"),
                          &j), j, 201);
        snprintf(race_path[i], sizeof race_path[i], API_BASE "/entries/%lld/submit", (long long)jint(j, "id"));
        json_decref(j);
    }
    pthread_t t[RACERS];
    int ok = 0, full = 0;
    for (intptr_t i = 0; i < RACERS; i++) assert_int_equal(pthread_create(&t[i], NULL, race_submit, (void *)i), 0);
    for (int i = 0; i < RACERS; i++) {
        void *st;
        pthread_join(t[i], &st);
        ok += (intptr_t)st == 200;
        full += (intptr_t)st == 409;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(full, RACERS - 1);
    expect_status(api("GET", P("/calls/%lld", (long long)race), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "entries_total"), 1);
    json_decref(j);
    assert_int_equal(list_total(p2, P("/calls/%lld/entries?status=draft", (long long)race)), RACERS - 1);
}

/* A unit moved to another district takes its entries and quota rows along (their org_path
 * copies are rewritten in the move's transaction): the new district sees them, the old no more. */
static void test_moving_a_unit_moves_its_entries(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *entries = P("/calls/%lld/entries?org_id=%lld", (long long)named_call, (long long)point_b1);
    assert_int_equal(list_total(b_admin, entries), 4);   /* 3 submitted, and its own draft */
    expect_status(api("PATCH", P("/orgs/%lld", (long long)point_b1), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_a), &j),
                  j, 200);
    json_decref(j);
    entries = P("/calls/%lld/entries", (long long)named_call);
    assert_int_equal(list_total(a_admin, entries), 3);   /* not the draft: its author's and its unit's */
    assert_int_equal(list_total(b_admin, entries), 0);   /* outside its scope now, even its own draft */
    expect_status(api("GET", P("/calls/%lld/quotas", (long long)named_call), a_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.org_id"), point_b1);
    json_decref(j);
}

/* Node and person values name real records: a node below the call's owner of the field's types,
 * a teacher of the pool. */
static void test_node_and_person_values_checked(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      template_body("t_refs", "[{\"key\":\"site\",\"label\":\"推荐点\",\"type\":\"node\",\"org_types\":[\"point\"]},"
                                              "{\"key\":\"lead\",\"label\":\"负责人\",\"type\":\"person\",\"person_kind\":\"teacher\"}]"),
                      &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id", (json_int_t)root, "year", 2026,
                            "title", "引用检查", "deadline", "2099-10-31"), &j), j, 201);
    int64_t refs = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)refs), admin, NULL, NULL), NULL, 200);
    const char *entries = P("/calls/%lld/entries", (long long)refs);
    static const struct { const char *values, *field; } bad[] = {
        {"{\"site\": %lld}", "values.site"},                 /* a district: not of the field's types */
        {"{\"site\": 99999999}", "values.site"},             /* no such unit */
        {"{\"lead\": {\"id\": 99999999}}", "values.lead"}, /* no such teacher */
    };
    for (size_t i = 0; i < 3; i++) {
        char body[200], values[120];
        snprintf(values, sizeof values, bad[i].values, (long long)dist_b);
        snprintf(body, sizeof body, "{\"org_id\": %lld, \"title\": \"引用\", \"values\": %s}", (long long)point_a2, values);
        expect_status(api_text("POST", entries, p2, body, &j), j, 422);
        assert_string_equal(err_field(j), bad[i].field);
        json_decref(j);
    }
    expect_status(api("POST", entries, p2,
                      jpack("{s:I, s:s, s:{s:I, s:{s:s}}}", "org_id", (json_int_t)point_a2, "title", "引用", "values", "site",
                            (json_int_t)point_a1, "lead", "name", "张老师"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    /* the autosave checks them too, and changes nothing when they fail */
    expect_api_error("PATCH", P("/entries/%lld", (long long)id), p2, jpack("{s:{s:I}}", "values", "site", (json_int_t)root), 422,
                     "invalid_field", "values.site");
    expect_status(api("GET", P("/entries/%lld", (long long)id), p2, NULL, &j), j, 200);
    assert_int_equal(jint(j, "values.site"), point_a1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_and_call),
        cmocka_unit_test(test_draft_submit_return_resubmit),
        cmocka_unit_test(test_quota_and_recommend),
        cmocka_unit_test(test_entries_count_in_statistics),
        cmocka_unit_test(test_deadline_refused_or_flagged),
        cmocka_unit_test(test_named_units_and_quota_overrides),
        cmocka_unit_test(test_quota_guard_under_concurrent_submits),
        cmocka_unit_test(test_node_and_person_values_checked),
        cmocka_unit_test(test_moving_a_unit_moves_its_entries),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
