/* test_calls_experts.c - the reviewer role and the expert pool (issue 15, package H): an org
 * admin grants the role reviewer; a reviewer-role account sees its own sheets and profile and
 * nothing of the tree (orgs, statistics, calls, entries: 403); the pool's create, duplicate,
 * membership rule (a reviewer anywhere, else an account in the caller's scope), the exact
 * specialty filter, paging, scope by the keeping unit, deactivation; a call's reviewers taken
 * from the pool keep B's conflict rule (no reviewer of the entry's own district). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *ent, *rv_a, *rv_b;
static int64_t root, dist_a, dist_b, point_a, u_rv_a, u_rv_b, u_staff_a, u_staff_b, ex_a, ex_b, call_id, entry_id;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "专家甲区");
    dist_b = create_org(admin, root, "district", "专家乙区");
    point_a = create_org(admin, dist_a, "point", "专家甲区一点");
    create_user(admin, "ex_a_admin", dist_a, "org_admin", "subtree", 0);
    a_admin = login("ex_a_admin", USER_PASSWORD);
    create_user(admin, "ex_ent", point_a, "staff", "org", 0);
    ent = login("ex_ent", USER_PASSWORD);
    u_staff_a = create_user(admin, "ex_staff_a", dist_a, "staff", "org", 0);
    u_staff_b = create_user(admin, "ex_staff_b", dist_b, "staff", "org", 0);
    u_rv_b = create_user(admin, "ex_rv_b", dist_b, "reviewer", "self", 0);
    rv_b = login("ex_rv_b", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(ent), free(rv_a), free(rv_b);
    return server_stop(state);
}

/* An org admin grants the role within its subtree; the role's user signs in. */
static void test_role_granted(void **state)
{
    (void)state;
    json_t *j = NULL;
    u_rv_a = create_user(a_admin, "ex_rv_a", dist_a, "reviewer", "self", 0);
    rv_a = login("ex_rv_a", USER_PASSWORD);
    expect_status(api("GET", "/me", rv_a, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "role"), "reviewer");
    json_decref(j);
    expect_status(api("GET", P("/users?role=reviewer&org_id=%lld", (long long)dist_a), a_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    json_decref(j);
}

/* The reviewer sees nothing of the tree: every read of it is refused for the role. */
static void test_role_sees_nothing(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *refused[] = {"/orgs", "/orgs/tree", P("/orgs/%lld", (long long)dist_b), "/stats", "/calls", "/activities",
                             "/teachers", "/designations", "/targets", "/users", "/experts"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        expect_api_error("GET", refused[i], rv_b, NULL, 403, "forbidden", NULL);
    expect_status(api("GET", "/reviews", rv_b, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    expect_status(api("PATCH", "/me", rv_b, jpack("{s:s}", "name", "乙区评审专家"), &j), j, 200);
    json_decref(j);
}

/* A PDF uploaded as evidence of entry_id by token; its file id. */
static int64_t upload_pdf(const char *token, int64_t entry, const char *name)
{
    static const char pdf[] = "%PDF-1.4 evidence";
    char auth[256], fname[96];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(fname, sizeof fname, "X-File-Name: %s", name);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", fname, NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/entries/%lld/files", (long long)entry), headers, pdf, sizeof pdf - 1, &resp);
    expect_status(st, resp.json, 201);
    int64_t id = jint(resp.json, "id");
    http_resp_free(&resp);
    return id;
}

static int64_t add_expert(const char *token, json_t *body, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", "/experts", token, body, &j), j, want);
    int64_t id = want == 201 ? jint(j, "id") : 0;
    json_decref(j);
    return id;
}

static void test_pool(void **state)
{
    (void)state;
    json_t *j = NULL;
    ex_b = add_expert(admin, jpack("{s:I, s:s, s:[s, s], s:s}", "user_id", (json_int_t)u_rv_b, "name", "李教授", "specialties",
                                   "物理", "科学教育", "affiliation", "重庆大学"), 201);
    ex_a = add_expert(admin, jpack("{s:I, s:s, s:[s]}", "user_id", (json_int_t)u_rv_a, "name", "王研究员", "specialties", "生物"),
                      201);
    expect_api_error("POST", "/experts", admin, jpack("{s:I, s:s}", "user_id", (json_int_t)u_rv_b, "name", "重复"), 409,
                     "duplicate", "user_id");
    expect_api_error("POST", "/experts", admin, jpack("{s:s}", "name", "无账号"), 422, "*", "user_id");
    /* a district: a reviewer of another district may join its pool, a staff member there may not */
    int64_t a_rv_b = add_expert(a_admin, jpack("{s:I, s:s, s:[s]}", "user_id", (json_int_t)u_rv_b, "name", "李教授",
                                               "specialties", "物理"), 201);
    expect_api_error("POST", "/experts", a_admin, jpack("{s:I, s:s}", "user_id", (json_int_t)u_staff_b, "name", "乙区职员"),
                     404, "not_found", "user_id");
    add_expert(a_admin, jpack("{s:I, s:s, s:[s]}", "user_id", (json_int_t)u_staff_a, "name", "甲区职员", "specialties", "化学"),
               201);
    expect_api_error("POST", "/experts", a_admin,
                     jpack("{s:I, s:I, s:s}", "org_id", (json_int_t)root, "user_id", (json_int_t)u_rv_a, "name", "越权"), 404,
                     "not_found", "org_id");
    /* the exact specialty: 物理 twice (the city's and the district's), 物 none */
    expect_status(api("GET", "/experts?specialty=%E7%89%A9%E7%90%86", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    json_decref(j);
    assert_int_equal(list_total(admin, "/experts?specialty=%E7%89%A9"), 0);
    assert_int_equal(list_total(admin, "/experts"), 4);
    expect_status(api("GET", "/experts?page_size=1&page=2", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "total"), 4);
    json_decref(j);
    /* scope by the keeping unit: the district sees its two, not the city's */
    assert_int_equal(list_total(a_admin, "/experts"), 2);
    expect_api_error("GET", P("/experts/%lld", (long long)ex_b), a_admin, NULL, 404, "not_found", NULL);
    expect_api_error("PATCH", P("/experts/%lld", (long long)ex_b), a_admin, jpack("{s:b}", "active", 0), 404, "not_found", NULL);
    expect_api_error("GET", "/experts", ent, NULL, 403, "forbidden", NULL);
    expect_status(api("GET", P("/experts/%lld", (long long)ex_b), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "username"), "ex_rv_b");
    assert_string_equal(jstr(j, "user_role"), "reviewer");
    assert_string_equal(jstr(j, "specialties.1"), "科学教育");
    json_decref(j);
    expect_status(api("PATCH", P("/experts/%lld", (long long)a_rv_b), a_admin,
                      jpack("{s:b, s:[s, s]}", "active", 0, "specialties", "物理", "天文"), &j), j, 200);
    assert_false(json_is_true(jget(j, "active")));
    assert_string_equal(jstr(j, "specialties.1"), "天文");
    json_decref(j);
    assert_int_equal(list_total(a_admin, "/experts?active=false"), 1);
    assert_true(list_total(admin, "/audit?entity=expert") >= 5);
}

/* A call's reviewers from the pool: the conflict rule holds; the reviewer sees its sheet only. */
static void test_pool_reviewers(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:b}], s:[], s:s, s:[s], s:{s:i, s:[{s:s, s:s, s:i}]}}}",
                            "code", "t_experts", "name", "专家模板", "kind", "contest", "config", "form", "key", "name", "label",
                            "名称", "type", "text", "required", 1, "stages", "eligible", "types", "eligible_types", "point",
                            "review", "per_entry", 1, "criteria", "key", "q", "label", "质量", "max", 10), &j), j, 201);
    int64_t template_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2026, "title", "专家库评审", "deadline", "2099-10-31"), &j), j, 201);
    call_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call_id), ent,
                      jpack("{s:s, s:{s:s}}", "title", "甲区作品", "values", "name", "甲区作品"), &j), j, 201);
    entry_id = jint(j, "id");
    json_decref(j);
    upload_pdf(ent, entry_id, "first.pdf");
    int64_t evidence = upload_pdf(ent, entry_id, "zhangsan-school.pdf");
    expect_status(api("POST", P("/entries/%lld/submit", (long long)entry_id), ent, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/calls/%lld/close", (long long)call_id), admin, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call_id), admin, jpack("{s:I}", "expert_id", (json_int_t)ex_a),
                      &j), j, 201);
    assert_int_equal(jint(j, "user_id"), u_rv_a);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call_id), admin, jpack("{s:I}", "expert_id", (json_int_t)ex_b),
                      NULL), NULL, 201);
    expect_api_error("POST", P("/calls/%lld/reviewers", (long long)call_id), admin, jpack("{s:I}", "expert_id", (json_int_t)999999),
                     404, "not_found", "expert_id");
    /* the expert of the entry's own district is refused by hand */
    expect_api_error("POST", P("/calls/%lld/assignments", (long long)call_id), admin,
                     jpack("{s:I, s:I}", "entry_id", (json_int_t)entry_id, "user_id", (json_int_t)u_rv_a), 409,
                     "reviewer_conflict", "user_id");
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call_id), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    assert_int_equal(jint(j, "assigned"), 1);
    json_decref(j);
    expect_status(api("GET", "/reviews", rv_b, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    int64_t sheet = jint(j, "items.0.id");
    json_decref(j);
    assert_int_equal(list_total(rv_a, "/reviews"), 0);
    expect_status(api("GET", P("/reviews/%lld", (long long)sheet), rv_b, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "entry.title"), "甲区作品");
    assert_int_equal(json_array_size(jget(j, "files")), 2);
    assert_int_equal(jint(j, "files.1.id"), evidence);
    assert_string_equal(jstr(j, "files.1.name"), "附件2");
    json_decref(j);
    expect_api_error("GET", P("/reviews/%lld", (long long)sheet), rv_a, NULL, 404, "not_found", NULL);
    /* the evidence: the sheet's reviewer reads it under 附件N, nobody else through this route */
    http_resp resp;
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", rv_b);
    const char *headers[] = {auth, NULL};
    assert_int_equal(http("GET", P(API_BASE "/reviews/%lld/files/%lld", (long long)sheet, (long long)evidence), headers, NULL, 0,
                          &resp), 200);
    assert_string_equal(resp.body, "%PDF-1.4 evidence");
    char *disp = resp_header(&resp, "Content-Disposition");
    assert_non_null(disp);
    assert_null(strstr(disp, "zhangsan"));
    assert_non_null(strstr(disp, ".pdf"));
    free(disp);
    http_resp_free(&resp);
    expect_api_error("GET", P("/reviews/%lld/files/%lld", (long long)sheet, (long long)evidence), rv_a, NULL, 404, "not_found",
                     NULL);
    expect_api_error("GET", P("/reviews/%lld/files/%lld", (long long)sheet, (long long)999999), rv_b, NULL, 404, "not_found",
                     NULL);
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet), rv_b,
                      jpack("{s:{s:{s:i}}}", "scores", "q", "score", 80), &j), j, 200);
    assert_int_equal(jint(j, "total"), 8000);
    json_decref(j);
    /* and still nothing of the call itself */
    expect_api_error("GET", P("/calls/%lld", (long long)call_id), rv_b, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", P("/calls/%lld/entries", (long long)call_id), rv_b, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", P("/entries/%lld", (long long)entry_id), rv_b, NULL, 403, "forbidden", NULL);
    /* a deactivated pool member is no longer taken */
    expect_status(api("PATCH", P("/experts/%lld", (long long)ex_b), admin, jpack("{s:b}", "active", 0), NULL), NULL, 200);
    expect_api_error("POST", P("/calls/%lld/reviewers", (long long)call_id), admin, jpack("{s:I}", "expert_id", (json_int_t)ex_b),
                     404, "not_found", "expert_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_granted),
        cmocka_unit_test(test_role_sees_nothing),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_pool_reviewers),
    };
    return run_api_tests(tests, setup, teardown);
}
