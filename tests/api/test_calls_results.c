/* test_calls_results.c - results and titles of the calls engine over HTTP (issue 15, package C):
 * a city's call without review takes entries straight to the owner, who decides them (a district
 * that sees an entry may not; a reason is required), opens the 公示 (only once closed to entries,
 * with something decided); the public reads the page and objects (phone checked, stored masked,
 * only within the window); finalize waits for the window's end and every objection's answer,
 * then names each selected entry (level by award) and issues its certificate (PDF, public
 * verification). Titles by hand: only a level above grants, never twice at once, levels of the
 * kind; revocation needs a reason and revokes the certificate; expired reads from valid_to. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static char *admin, *a_admin, *p1, *p2, *pb;
static int64_t root, dist_a, dist_b, pa1, pa2, pb1, call_id, e1, e2, e3, other_entry;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "结果甲区");
    dist_b = create_org(admin, root, "district", "结果乙区");
    pa1 = create_org(admin, dist_a, "point", "甲区一号基地");
    pa2 = create_org(admin, dist_a, "point", "甲区二号基地");
    pb1 = create_org(admin, dist_b, "point", "乙区一号基地");
    create_user(admin, "cr_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "cr_p1", pa1, "staff", "org", 0);
    create_user(admin, "cr_p2", pa2, "staff", "org", 0);
    create_user(admin, "cr_pb", pb1, "staff", "org", 0);
    a_admin = login("cr_a_admin", USER_PASSWORD);
    p1 = login("cr_p1", USER_PASSWORD);
    p2 = login("cr_p2", USER_PASSWORD);
    pb = login("cr_pb", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(p1), free(p2), free(pb);
    return server_stop(state);
}

/* A call of a template without stages or review, naming "base" titles by award level. */
static int64_t new_call(const char *code)
{
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:b}], s:[], s:s, s:[s], s:{s:s, s:{s:s, s:s}}}}", "code", code,
                            "name", "科普教育基地认定", "kind", "selection", "config", "form", "key", "name", "label", "名称",
                            "type", "text", "required", 1, "stages", "eligible", "types", "eligible_types", "point",
                            "designation", "kind", "base", "level_by_award", "一等", "A", "二等", "B"), &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id", (json_int_t)root, "year", 2026,
                            "title", "2026年科普教育基地认定", "deadline", "2099-10-31"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)id), admin, NULL, &j), j, 200);
    json_decref(j);
    return id;
}

static int64_t submitted_entry(const char *token, int64_t call, int64_t org, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), token,
                      jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)org, "title", title, "values", "name", title), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)id), token, NULL, &j), j, 200);
    assert_int_equal(jint(j, "stage_org_id"), root);   /* no stages: straight to the owner */
    json_decref(j);
    return id;
}

static json_t *decide(const char *token, int64_t entry, const char *outcome, const char *level, int want)
{
    json_t *j = NULL;
    json_t *body = level ? jpack("{s:s, s:s, s:s}", "outcome", outcome, "award_level", level, "reason", "综合评定")
                         : jpack("{s:s, s:s}", "outcome", outcome, "reason", "未达条件");
    expect_status(api("POST", P("/entries/%lld/decide", (long long)entry), token, body, &j), j, want);
    return j;
}

static json_t *object(int64_t call, int64_t entry, const char *phone, int want)
{
    json_t *j = NULL;
    json_t *body = entry ? jpack("{s:I, s:s, s:s, s:s}", "entry_id", (json_int_t)entry, "name", "王某", "phone", phone, "body", "材料不实")
                         : jpack("{s:s, s:s, s:s}", "name", "王某", "phone", phone, "body", "材料不实");
    expect_status(api("POST", P("/public/calls/%lld/objections", (long long)call), NULL, body, &j), j, want);
    return j;
}

static void test_decide_and_publicize(void **state)
{
    (void)state;
    json_t *j;
    call_id = new_call("t_res_base");
    e1 = submitted_entry(p1, call_id, pa1, "甲区一号基地");
    e2 = submitted_entry(pb, call_id, pb1, "乙区一号基地");
    e3 = submitted_entry(p2, call_id, pa2, "甲区二号基地");
    int64_t other = new_call("t_res_other");
    other_entry = submitted_entry(p1, other, pa1, "另一个");
    /* only the owner decides: the district sees the entry but is refused; a member has no rank */
    json_decref(decide(a_admin, e1, "selected", "一等", 403));
    json_decref(decide(p1, e1, "selected", "一等", 403));
    expect_api_error("POST", P("/entries/%lld/decide", (long long)e1), admin, jpack("{s:s, s:s}", "outcome", "maybe", "reason", "x"),
                     422, "invalid_field", "outcome");
    expect_api_error("POST", P("/entries/%lld/decide", (long long)e1), admin, jpack("{s:s}", "outcome", "selected"), 422,
                     "required", "reason");
    j = decide(admin, e1, "selected", "二等", 200);
    assert_string_equal(jstr(j, "status"), "decided");
    json_decref(j);
    /* changed before the 公示: the latest decision stands, each audited */
    j = decide(admin, e1, "selected", "一等", 200);
    assert_string_equal(jstr(j, "outcome"), "selected");
    assert_string_equal(jstr(j, "award_level"), "一等");
    assert_string_equal(jstr(j, "decision_reason"), "综合评定");
    json_decref(j);
    json_decref(decide(admin, e2, "selected", "二等", 200));
    j = decide(admin, e3, "rejected", NULL, 200);
    assert_true(json_is_null(jget(j, "award_level")));
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=entry_decision&entity_id=%lld&action=decide", (long long)e1)), 2);
    assert_int_equal(list_total(admin, P("/calls/%lld/decisions?outcome=selected", (long long)call_id)), 2);
    assert_int_equal(list_total(admin, P("/calls/%lld/decisions?outcome=rejected", (long long)call_id)), 1);
    expect_api_error("GET", P("/calls/%lld/decisions", (long long)call_id), a_admin, NULL, 404, "not_found", NULL);
    /* the 公示 waits until the call is closed to entries, and needs something decided */
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)call_id), admin, jpack("{s:s}", "ends_at", "2099-12-31"), 409,
                     "call_state", NULL);
    expect_status(api("POST", P("/calls/%lld/close", (long long)other), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)other), admin, jpack("{s:s}", "ends_at", "2099-12-31"), 409,
                     "nothing_decided", NULL);
    expect_status(api("POST", P("/calls/%lld/close", (long long)call_id), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)call_id), admin, jpack("{s:s}", "ends_at", "soon"), 422,
                     "invalid_field", "ends_at");
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)call_id), a_admin, jpack("{s:s}", "ends_at", "2099-12-31"), 404,
                     "not_found", NULL);
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call_id), admin,
                      jpack("{s:s, s:s}", "ends_at", "2099-12-31", "body", "公示期内如有异议请提出"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "open");
    assert_string_equal(jstr(j, "ends_at"), "2099-12-31T23:59:59+08:00");
    json_decref(j);
    expect_status(api("GET", P("/calls/%lld", (long long)call_id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "publicizing");
    json_decref(j);
    /* decisions are fixed during the 公示 */
    json_decref(decide(admin, e3, "selected", "二等", 409));
    /* the public page: the selected entries with their units and levels */
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call_id), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_string_equal(jstr(j, "publicity.status"), "open");
    assert_null(jget(j, "items.0.phone"));
    json_decref(j);
    expect_api_error("GET", P("/public/calls/%lld/results", (long long)call_id), NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/public/calls/%lld/publicity", (long long)other), NULL, NULL, 404, "not_found", NULL);
}

static void test_objections_and_finalize(void **state)
{
    (void)state;
    json_t *j;
    json_decref(object(call_id, e1, "12345", 422));
    json_decref(object(call_id, other_entry, "13812345678", 404));
    j = object(call_id, e1, "13812345678", 201);
    assert_string_equal(jstr(j, "status"), "received");
    assert_null(jget(j, "phone"));
    int64_t obj = jint(j, "id");
    json_decref(j);
    /* the owner reads it with the phone masked */
    expect_status(api("GET", P("/calls/%lld/objections", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.phone"), "138****5678");
    assert_int_equal(jint(j, "items.0.entry_id"), e1);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/finalize", (long long)call_id), admin, NULL, 409, "publicity_open", NULL);
    /* the window ends early only with a reason (an end at its start ends it now) */
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call_id), NULL, NULL, &j), j, 200);
    char starts[40];
    snprintf(starts, sizeof starts, "%s", jstr(j, "publicity.starts_at"));
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)call_id), admin, jpack("{s:s}", "ends_at", starts), 422,
                     "required", "reason");
    expect_api_error("POST", P("/calls/%lld/publicity", (long long)call_id), admin,
                     jpack("{s:s, s:s}", "ends_at", "2020-01-01", "reason", "x"), 422, "invalid_field", "ends_at");
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call_id), admin,
                      jpack("{s:s, s:s}", "ends_at", starts, "reason", "按期结束"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "ended");
    json_decref(j);
    json_decref(object(call_id, e1, "13812345678", 409));
    expect_api_error("GET", P("/public/calls/%lld/publicity", (long long)call_id), NULL, NULL, 404, "not_found", NULL);
    /* every objection answered first, once */
    expect_api_error("POST", P("/calls/%lld/finalize", (long long)call_id), admin, NULL, 409, "objections_pending", NULL);
    expect_api_error("POST", P("/objections/%lld/respond", (long long)obj), a_admin,
                     jpack("{s:s, s:s}", "decision", "dismissed", "response", "经核实材料属实"), 404, "not_found", NULL);
    expect_status(api("POST", P("/objections/%lld/respond", (long long)obj), admin,
                      jpack("{s:s, s:s}", "decision", "dismissed", "response", "经核实材料属实"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "dismissed");
    json_decref(j);
    expect_api_error("POST", P("/objections/%lld/respond", (long long)obj), admin,
                     jpack("{s:s, s:s}", "decision", "upheld", "response", "x"), 409, "objection_state", NULL);
    expect_status(api("POST", P("/calls/%lld/finalize", (long long)call_id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "final");
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/finalize", (long long)call_id), admin, NULL, 409, "call_state", NULL);
    /* each selected entry named, its level by its award; the rejected one not */
    expect_status(api("GET", P("/designations?kind=base&org_id=%lld", (long long)pa1), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.level"), "A");
    assert_string_equal(jstr(j, "items.0.status"), "active");
    assert_int_equal(jint(j, "items.0.entry_id"), e1);
    /* a term of 3 years (the kind's) from today */
    const char *from = jstr(j, "items.0.valid_from"), *to = jstr(j, "items.0.valid_to");
    assert_int_equal(atoi(to), atoi(from) + 3);
    json_decref(j);
    expect_status(api("GET", P("/orgs/%lld/titles", (long long)pb1), pb, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.level"), "B");
    assert_string_equal(jstr(j, "items.0.kind_name"), "科普教育基地");
    json_decref(j);
    expect_status(api("GET", P("/orgs/%lld/titles", (long long)pa2), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_api_error("GET", P("/orgs/%lld/titles", (long long)pb1), p1, NULL, 404, "not_found", NULL);
    /* the public results and titles */
    expect_status(api("GET", P("/public/calls/%lld/results", (long long)call_id), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    json_decref(j);
    expect_status(api("GET", "/public/designations?kind=base", NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    assert_null(jget(j, "items.0.org_path"));
    json_decref(j);
}

static void test_certificates(void **state)
{
    (void)state;
    json_t *j;
    expect_status(api("GET", P("/calls/%lld/certificates", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    int64_t cert = jint(j, "items.0.id");
    assert_int_equal(jint(j, "items.0.entry_id"), e1);
    char code[40];
    snprintf(code, sizeof code, "%s", jstr(j, "items.0.code"));
    assert_int_equal(strlen(code), 32);
    assert_string_equal(jstr(j, "items.0.level"), "一等");
    assert_non_null(strstr(jstr(j, "items.0.serial"), "KP2026-"));
    json_decref(j);
    http_resp resp;
    assert_int_equal(api_full("GET", P("/award-certificates/%lld/certificate.pdf", (long long)cert), p1, NULL, &resp), 200);
    assert_true(resp.body_len > 1000 && !memcmp(resp.body, "%PDF-", 5));
    http_resp_free(&resp);
    expect_api_error("GET", P("/award-certificates/%lld/certificate.pdf", (long long)cert), pb, NULL, 404, "not_found", NULL);
    expect_status(api("GET", P("/public/award-certificates/%s", code), NULL, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "genuine")));
    assert_string_equal(jstr(j, "holder_name"), "甲区一号基地");
    assert_string_equal(jstr(j, "status"), "valid");
    json_decref(j);
    expect_api_error("GET", "/public/award-certificates/00000000000000000000000000000000", NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/public/award-certificates/xyz", NULL, NULL, 404, "not_found", NULL);
    /* revoking the title revokes its certificate */
    expect_status(api("GET", P("/designations?kind=base&org_id=%lld", (long long)pa1), admin, NULL, &j), j, 200);
    int64_t des = jint(j, "items.0.id");
    json_decref(j);
    expect_api_error("POST", P("/designations/%lld/revoke", (long long)des), admin, jpack("{}"), 422, "required", "reason");
    expect_api_error("POST", P("/designations/%lld/revoke", (long long)des), p1, jpack("{s:s}", "reason", "x"), 403, "forbidden", NULL);
    expect_status(api("POST", P("/designations/%lld/revoke", (long long)des), admin, jpack("{s:s}", "reason", "复核不合格"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "revoked");
    assert_string_equal(jstr(j, "revoke_reason"), "复核不合格");
    json_decref(j);
    expect_api_error("POST", P("/designations/%lld/revoke", (long long)des), admin, jpack("{s:s}", "reason", "x"), 409,
                     "designation_state", NULL);
    expect_status(api("GET", P("/public/award-certificates/%s", code), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "revoked");
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=designation&entity_id=%lld&action=revoke", (long long)des)), 1);
    expect_status(api("GET", "/public/designations?kind=base", NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    json_decref(j);
}

static void test_titles_by_hand(void **state)
{
    (void)state;
    json_t *j;
    expect_status(api("POST", "/designations", a_admin, jpack("{s:s, s:I, s:s}", "kind", "base", "org_id", (json_int_t)pa2, "level", "B"),
                      &j), j, 201);
    int64_t des = jint(j, "id");
    assert_string_equal(jstr(j, "name"), "甲区二号基地");
    assert_string_equal(jstr(j, "status"), "active");
    json_decref(j);
    expect_api_error("POST", "/designations", a_admin, jpack("{s:s, s:I}", "kind", "base", "org_id", (json_int_t)pa2), 409,
                     "title_held", NULL);
    expect_api_error("POST", "/designations", a_admin, jpack("{s:s, s:I}", "kind", "base", "org_id", (json_int_t)dist_a), 403,
                     "forbidden", NULL);
    expect_api_error("POST", "/designations", a_admin, jpack("{s:s, s:I}", "kind", "base", "org_id", (json_int_t)pb1), 404,
                     "not_found", "org_id");
    expect_api_error("POST", "/designations", a_admin, jpack("{s:s, s:I}", "kind", "nobel", "org_id", (json_int_t)pa1), 422,
                     "invalid_field", "kind");
    expect_api_error("POST", "/designations", a_admin, jpack("{s:s, s:I, s:s}", "kind", "base", "org_id", (json_int_t)pa1, "level", "Z"),
                     422, "invalid_field", "level");
    /* scope by the holder: its own unit and those above see it */
    expect_status(api("GET", P("/designations/%lld", (long long)des), p2, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("GET", P("/designations/%lld", (long long)des), p1, NULL, 404, "not_found", NULL);
    /* a term in the past reads as expired */
    expect_status(api("POST", "/designations", a_admin,
                      jpack("{s:s, s:I, s:s, s:s}", "kind", "demo_point", "org_id", (json_int_t)pa2, "valid_from", "2020-01-01",
                            "valid_to", "2021-12-31"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "expired");
    json_decref(j);
    assert_int_equal(list_total(a_admin, "/designations?status=expired"), 1);
    assert_int_equal(list_total(a_admin, "/designations?status=active"), 1);
    expect_api_error("GET", "/designations?status=gone", a_admin, NULL, 422, "invalid_field", "status");
    assert_int_equal(list_total(a_admin, "/designation-kinds"), 7);
    assert_int_equal(list_total(admin, P("/audit?entity=designation&entity_id=%lld&action=grant", (long long)des)), 1);
}

static int64_t metric(int64_t org, const char *name) { return metric_this_year(admin, org, name); }

/* New titles count under titles.<kind> at the holder on their first day (an extension or an
 * expired grant dated 2020 not this year), revocations under titles_revoked.<kind>. */
static void test_titles_in_statistics(void **state)
{
    (void)state;
    assert_int_equal(metric(pa1, "titles.base"), 1);        /* named by the call (then revoked) */
    assert_int_equal(metric(pa2, "titles.base"), 1);        /* granted by hand */
    assert_int_equal(metric(dist_a, "titles.base"), 2);
    assert_int_equal(metric(root, "titles.base"), 3);       /* with B's */
    assert_int_equal(metric(root, "titles.demo_point"), 0); /* valid from 2020 */
    assert_int_equal(metric(pa1, "titles_revoked.base"), 1);
    assert_int_equal(metric(root, "titles_revoked.base"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide_and_publicize),
        cmocka_unit_test(test_objections_and_finalize),
        cmocka_unit_test(test_certificates),
        cmocka_unit_test(test_titles_by_hand),
        cmocka_unit_test(test_titles_in_statistics),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
