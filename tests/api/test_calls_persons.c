/* test_calls_persons.c - issue 15, package J: calls for persons (a pool teacher entered by its
 * unit or its district, one standing entry per person), the excellent_teacher title carrying a
 * filed teacher into the city pool (by finalize and by a grant by hand), 推荐上报 of a contest's
 * top N (ties at the boundary), and the entry printed as a multi-page PDF.
 *
 *   root(city) ─┬─ A(district) ─┬─ Pa(point)
 *               │               └─ Pa2(point)
 *               ├─ B(district) ─── Pb(point)
 *               ├─ C(district)   (a reviewer)
 *               └─ a city staff member (a reviewer whose scope covers every entry) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *pa_staff, *a_admin, *b_admin, *rev_tok[2];
static int64_t root, dist_a, dist_b, dist_c, pa, pa2, pb, rev_user[2];
static int seq;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "人员甲区");
    dist_b = create_org(admin, root, "district", "人员乙区");
    dist_c = create_org(admin, root, "district", "人员丙区");
    pa = create_org(admin, dist_a, "point", "人员甲区教学点");
    pa2 = create_org(admin, dist_a, "point", "人员甲区二点");
    pb = create_org(admin, dist_b, "point", "人员乙区教学点");
    create_user(admin, "j_pa", pa, "staff", "org", 0);
    create_user(admin, "j_a", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "j_b", dist_b, "org_admin", "subtree", 0);
    rev_user[0] = create_user(admin, "j_rev_c", dist_c, "staff", "org", 0);
    rev_user[1] = create_user(admin, "j_rev_city", root, "staff", "subtree", 0);
    pa_staff = login("j_pa", USER_PASSWORD), a_admin = login("j_a", USER_PASSWORD), b_admin = login("j_b", USER_PASSWORD);
    rev_tok[0] = login("j_rev_c", USER_PASSWORD), rev_tok[1] = login("j_rev_city", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(pa_staff), free(a_admin), free(b_admin), free(rev_tok[0]), free(rev_tok[1]);
    return server_stop(state);
}

static void teacher_step(int64_t id, const char *token, const char *action)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/teachers/%lld/%s", (long long)id, action), token, NULL, &j), j, 200);
    json_decref(j);
}

enum { DRAFT, CERTIFIED, FILED, CITY_POOL };

/* A teacher of org at a status of the chain (proposed by the city, certified by the district). */
static int64_t teacher(int64_t org, const char *name, int level)
{
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", name, "unit", "重庆某医院", "id_number",
                            test_id_number(9000 + seq, seq), "phone", "13800001234"), &j), j, 201);
    seq++;
    int64_t id = jint(j, "id");
    json_decref(j);
    if (level >= CERTIFIED) teacher_step(id, admin, "propose"), teacher_step(id, org == pb ? b_admin : a_admin, "certify");
    if (level >= FILED) teacher_step(id, admin, "file");
    if (level >= CITY_POOL) teacher_step(id, admin, "city-pool");
    return id;
}

static const char *teacher_status(int64_t id)
{
    json_t *j = NULL;
    static char status[32];
    expect_status(api("GET", P("/teachers/%lld", (long long)id), admin, NULL, &j), j, 200);
    snprintf(status, sizeof status, "%s", jstr(j, "status"));
    json_decref(j);
    return status;
}


/* An opened call for teachers, from the builtin excellent_teacher template. */
static int64_t teacher_call(const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s, s:s, s:s}", "template_id", (json_int_t)call_template_id(admin, "excellent_teacher"),
                            "org_id", (json_int_t)root, "year", 2026, "title", title, "deadline", "2099-12-31", "eligible", "persons",
                            "person_kind", "teacher"), &j), j, 201);
    assert_string_equal(jstr(j, "eligible"), "persons");
    assert_string_equal(jstr(j, "person_kind"), "teacher");
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)id), admin, NULL, &j), j, 200);
    json_decref(j);
    return id;
}

static json_t *nominate(int64_t t, int64_t org)
{
    json_t *b = jpack("{s:s, s:{s:{s:I}, s:s}}", "title", "优秀教师推荐", "values", "teacher", "id", (json_int_t)t, "deeds", "长期授课");
    if (org) json_object_set_new(b, "org_id", json_integer(org));
    return b;
}

static int64_t entry_for(const char *token, int64_t call, int64_t t, int64_t want_org)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), token, nominate(t, 0), &j), j, 201);
    assert_int_equal(jint(j, "org_id"), want_org);
    assert_string_equal(jstr(j, "subject_kind"), "teacher");
    assert_int_equal(jint(j, "subject_id"), t);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void act(const char *token, int64_t entry, const char *action)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/entries/%lld/%s", (long long)entry, action), token, NULL, &j), j, 200);
    json_decref(j);
}

/* Persons as entrants: the unit or its district enters a pool teacher; the entry is the
 * teacher's unit's; one standing entry per person; the pool and the scope are checked. */
static void test_person_entries(void **state)
{
    (void)state;
    expect_api_error("POST", "/calls", admin,
                     jpack("{s:I, s:I, s:i, s:s, s:s, s:s}", "template_id", (json_int_t)call_template_id(admin, "excellent_work"), "org_id",
                           (json_int_t)root, "year", 2026, "title", "缺类别", "deadline", "2099-12-31", "eligible", "persons"),
                     422, "required", "person_kind");   /* a template without person_kind */
    int64_t call = teacher_call("2026年优秀教师（人员）");
    int64_t t1 = teacher(pa, "教师甲", FILED), t2 = teacher(pa, "教师乙", DRAFT), t3 = teacher(pb, "教师丙", CERTIFIED);
    int64_t t4 = teacher(pa2, "教师丁", FILED);
    json_t *j = NULL;
    int64_t e1 = entry_for(pa_staff, call, t1, pa);
    expect_status(api("GET", P("/entries/%lld", (long long)e1), pa_staff, NULL, &j), j, 200);   /* a draft: its unit's */
    assert_string_equal(jstr(j, "subject_name"), "教师甲");
    json_decref(j);
    /* one standing entry per person, whoever enters it */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), pa_staff, nominate(t1, 0), 409, "person_entered", "values");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), a_admin, nominate(t1, 0), 409, "person_entered", "values");
    /* not of the pool (a draft), outside the caller's scope, no pool person at all */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), pa_staff, nominate(t2, 0), 422, "invalid_field", "values");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), pa_staff, nominate(t3, 0), 422, "invalid_field", "values");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), pa_staff,
                     jpack("{s:s, s:{s:s}}", "title", "无人", "values", "deeds", "x"), 422, "required", "values");
    /* the district enters for its subtree: the entry is the teacher's unit's, not the district's */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), a_admin, nominate(t4, pa), 422, "invalid_field", "org_id");
    int64_t e4 = entry_for(a_admin, call, t4, pa2);
    act(a_admin, e4, "submit");
    /* a withdrawn entry frees the person */
    act(pa_staff, e1, "submit");
    act(pa_staff, e1, "withdraw");
    entry_for(pa_staff, call, t1, pa);
    /* a certified teacher is of the pool; district B enters its own */
    entry_for(b_admin, call, t3, pb);
    assert_int_equal(list_total(pa_staff, P("/calls/%lld/entries?status=draft", (long long)call)), 1);
    assert_int_equal(list_total(admin, P("/calls/%lld/entries", (long long)call)), 2);   /* t4's submitted, t1's withdrawn */
}

static void decide(int64_t entry, const char *level)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/entries/%lld/decide", (long long)entry), admin,
                      jpack("{s:s, s:s, s:s}", "outcome", "selected", "award_level", level, "reason", "综合评定"), &j), j, 200);
    json_decref(j);
}

/* Ends the 公示 of call at once (with a reason) and finalizes it. */
static void publicize_and_finalize(int64_t call) { call_publicize_and_finalize(admin, call); }

static int64_t audits(int64_t teacher_id)
{
    return list_total(admin, P("/audit?entity=teacher&entity_id=%lld&action=city_pool", (long long)teacher_id));
}

/* The excellent_teacher title carries a filed teacher into the city pool through the chain's own
 * step (audited as that step), by finalize and by a grant by hand; a teacher already in the pool
 * stays, a certified one is not filed by it, a district's grant leaves the pool to the city. */
static void test_excellent_teacher_city_pool(void **state)
{
    (void)state;
    int64_t call = teacher_call("2026年优秀教师（入库）");
    int64_t t5 = teacher(pa, "教师戊", FILED), t6 = teacher(pb, "教师己", CITY_POOL), t7 = teacher(pa2, "教师庚", CERTIFIED);
    int64_t e5 = entry_for(pa_staff, call, t5, pa), e6 = entry_for(b_admin, call, t6, pb), e7 = entry_for(a_admin, call, t7, pa2);
    act(pa_staff, e5, "submit"), act(b_admin, e6, "submit"), act(a_admin, e7, "submit");
    /* the template's district stage: each district recommends its teachers upward (at most 2) */
    act(a_admin, e5, "recommend"), act(b_admin, e6, "recommend"), act(a_admin, e7, "recommend");
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    decide(e5, "优秀教师"), decide(e6, "优秀教师"), decide(e7, "优秀教师");
    assert_int_equal(audits(t6), 1);   /* its own step by hand */
    publicize_and_finalize(call);
    assert_string_equal(teacher_status(t5), "city_pool");
    assert_string_equal(teacher_status(t6), "city_pool");
    assert_string_equal(teacher_status(t7), "certified");
    assert_int_equal(audits(t5), 1);
    assert_int_equal(audits(t6), 1);
    expect_status(api("GET", P("/designations?kind=excellent_teacher&org_id=%lld", (long long)pa), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.subject_kind"), "teacher");
    assert_int_equal(jint(j, "items.0.subject_id"), t5);
    json_decref(j);
    expect_status(api("GET", P("/teachers/%lld", (long long)t5), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "pool_level"), "city");
    json_decref(j);
    /* a grant by hand: the person must be under the holder unit; once held, 409, the teacher stays */
    int64_t t8 = teacher(pb, "教师辛", FILED);
    json_t *grant = jpack("{s:s, s:I, s:s, s:I}", "kind", "excellent_teacher", "org_id", (json_int_t)pa, "subject_kind", "teacher",
                          "subject_id", (json_int_t)t8);
    expect_api_error("POST", "/designations", admin, grant, 422, "invalid_field", "subject_id");
    assert_string_equal(teacher_status(t8), "filed");
    /* a node's title by hand is its holder's own */
    expect_api_error("POST", "/designations", admin,
                     jpack("{s:s, s:I, s:I}", "kind", "base", "org_id", (json_int_t)pa, "subject_id", (json_int_t)pb), 422,
                     "invalid_field", "subject_id");
    expect_status(api("POST", "/designations", admin,
                      jpack("{s:s, s:I, s:s, s:I}", "kind", "excellent_teacher", "org_id", (json_int_t)pb, "subject_kind", "teacher",
                            "subject_id", (json_int_t)t8), &j), j, 201);
    assert_int_equal(jint(j, "subject_id"), t8);
    json_decref(j);
    assert_string_equal(teacher_status(t8), "city_pool");
    expect_api_error("POST", "/designations", admin,
                     jpack("{s:s, s:I, s:s, s:I}", "kind", "excellent_teacher", "org_id", (json_int_t)pb, "subject_kind", "teacher",
                           "subject_id", (json_int_t)t8), 409, "title_held", NULL);
    assert_string_equal(teacher_status(t8), "city_pool");
    assert_int_equal(audits(t8), 1);
    /* a district's grant gives the title; the city pool stays the city's step */
    int64_t t9 = teacher(pb, "教师壬", FILED);
    expect_status(api("POST", "/designations", b_admin,
                      jpack("{s:s, s:I, s:s, s:I}", "kind", "excellent_teacher", "org_id", (json_int_t)pb, "subject_kind", "teacher",
                            "subject_id", (json_int_t)t9), &j), j, 201);
    json_decref(j);
    assert_string_equal(teacher_status(t9), "filed");
    assert_int_equal(audits(t9), 0);
}

/* ---- 推荐上报 ---- */

static int64_t contest, entries[6];

static int64_t sheet_of(int64_t call, int64_t entry, int *who)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call, (long long)entry), admin, NULL, &j), j, 200);
    int64_t id = jint(j, "items.0.id");
    *who = jint(j, "items.0.user_id") == rev_user[0] ? 0 : 1;
    json_decref(j);
    return id;
}

/* A blind contest of 6 points' entries scored 90, 80, 70, 70, 60, 50 (one reviewer each). */
static void contest_ranked(void)
{
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:b, s:i}], s:[], s:s, s:[s], s:{s:i, s:b, s:s, s:[{s:s, s:s, s:i, s:i}]},"
                            " s:[{s:s, s:i}], s:i}}",
                            "code", "j_contest", "name", "小小发明家", "kind", "contest", "config", "form", "key", "work", "label", "作品",
                            "type", "text", "required", 1, "max", 100, "stages", "eligible", "types", "eligible_types", "point",
                            "review", "per_entry", 1, "blind", 1, "aggregate", "mean", "criteria", "key", "q", "label", "质量", "max",
                            100, "weight", 1, "awards", "level", "一等奖", "count", 1, "recommend_up", 3), &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id", (json_int_t)root, "year", 2026,
                            "title", "2026年小小发明家", "deadline", "2099-12-31"), &j), j, 201);
    contest = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)contest), admin, NULL, &j), j, 200);
    json_decref(j);
    const int64_t orgs[] = {pa, pa2, pb, pa, pa2, pb};
    for (int i = 0; i < 6; i++) {
        expect_status(api("POST", P("/calls/%lld/entries", (long long)contest), admin,
                          jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)orgs[i], "title", P("作品%d", i), "values", "work",
                                P("发明%d", i)), &j), j, 201);
        entries[i] = jint(j, "id");
        json_decref(j);
        act(admin, entries[i], "submit");
    }
    expect_api_error("POST", P("/calls/%lld/recommend-up", (long long)contest), admin, NULL, 409, "call_state", NULL);
    expect_status(api("POST", P("/calls/%lld/close", (long long)contest), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int r = 0; r < 2; r++)
        expect_status(api("POST", P("/calls/%lld/reviewers", (long long)contest), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[r]),
                          NULL), NULL, 201);
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)contest), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    json_decref(j);
    const int score[] = {90, 80, 70, 70, 60, 50};
    for (int i = 0; i < 6; i++) {
        int who;
        int64_t sheet = sheet_of(contest, entries[i], &who);
        expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet), rev_tok[who],
                          jpack("{s:{s:{s:i}}}", "scores", "q", "score", score[i]), &j), j, 200);
        json_decref(j);
    }
    expect_status(api("POST", P("/calls/%lld/rounds/1/close", (long long)contest), admin, NULL, &j), j, 200);
    json_decref(j);
}

static void test_recommend_up(void **state)
{
    (void)state;
    json_t *j = NULL, *it;
    size_t i;
    /* the youth contest's default: the top 75 */
    expect_status(api("GET", "/call-templates?page_size=100", admin, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it)
        if (!strcmp(jstr(it, "code"), "youth_contest")) assert_int_equal(jint(it, "config.recommend_up"), 75);
    json_decref(j);
    contest_ranked();
    /* no count: the template's 3; the 3rd and 4th share 70 and both go up (并列) */
    expect_status(api("POST", P("/calls/%lld/recommend-up", (long long)contest), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "count"), 3);
    assert_int_equal(jint(j, "marked"), 4);
    assert_true(json_is_true(jget(j, "tied_at_boundary")));
    assert_int_equal(jint(j, "items.0.entry_id"), entries[0]);
    assert_int_equal(jint(j, "items.2.place"), 3);
    assert_int_equal(jint(j, "items.3.place"), 3);
    assert_true(json_is_true(jget(j, "items.3.tied")));
    json_decref(j);
    expect_status(api("GET", P("/calls/%lld/recommended-up", (long long)contest), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 4);
    json_decref(j);
    expect_status(api("GET", P("/entries/%lld", (long long)entries[3]), admin, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "recommended_up")));
    json_decref(j);
    /* marking again replaces the marks */
    expect_status(api("POST", P("/calls/%lld/recommend-up", (long long)contest), admin, jpack("{s:i}", "count", 2), &j), j, 200);
    assert_int_equal(jint(j, "marked"), 2);
    assert_false(json_is_true(jget(j, "tied_at_boundary")));
    json_decref(j);
    expect_status(api("GET", P("/entries/%lld", (long long)entries[3]), admin, NULL, &j), j, 200);
    assert_false(json_is_true(jget(j, "recommended_up")));
    json_decref(j);
    assert_int_equal(list_total(admin, P("/calls/%lld/recommended-up", (long long)contest)), 2);
    expect_api_error("POST", P("/calls/%lld/recommend-up", (long long)contest), admin, jpack("{s:i}", "count", 0), 422, "invalid_field", "count");
    expect_api_error("POST", P("/calls/%lld/recommend-up", (long long)contest), a_admin, jpack("{s:i}", "count", 2), 404, "not_found", NULL);
    expect_api_error("POST", P("/calls/%lld/recommend-up", (long long)contest), pa_staff, jpack("{s:i}", "count", 2), 403, "forbidden", NULL);
    assert_int_equal(list_total(admin, P("/audit?entity=call&entity_id=%lld&action=recommend_up", (long long)contest)), 2);
    /* the collected table's last column */
    http_resp resp;
    assert_int_equal(api_full("GET", P("/calls/%lld/export.xlsx", (long long)contest), admin, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "推荐上报"));
    free(xml);
    http_resp_free(&resp);
    /* the public results say it */
    decide(entries[0], "一等奖");
    publicize_and_finalize(contest);
    expect_status(api("GET", P("/public/calls/%lld/results", (long long)contest), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_true(json_is_true(jget(j, "items.0.recommended_up")));
    json_decref(j);
}

/* ---- the entry PDF ---- */

static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    while (out && n + 1 < cap && !feof(f)) n += fread(out + n, 1, cap - 1 - n, f);
    out[n] = 0;
    pclose(f);
    return out;
}

static void test_entry_pdf(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:b, s:i}, {s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]},"
                            " {s:s, s:s, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}, {s:s, s:s, s:s, s:s, s:s}],"
                            " s:[], s:s, s:[s]}}",
                            "code", "j_print", "name", "打印测试", "kind", "selection", "config", "form",
                            "key", "name", "label", "名称", "type", "text", "required", 1, "max", 100,
                            "key", "story", "label", "主要事迹", "type", "long_text", "max", 5000,
                            "key", "conditions", "label", "认定条件", "type", "checklist", "items", "key", "venue", "label", "有固定场所", "key",
                            "staff", "label", "有专职人员",
                            "key", "team", "label", "人员名单", "type", "rows", "columns", "key", "name", "label", "姓名", "type", "text",
                            "key", "duty", "label", "岗位", "type", "text",
                            "key", "courses", "label", "年度课程", "type", "figure", "metric", "courses", "period", "call_year",
                            "stages", "eligible", "types", "eligible_types", "point"), &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id", (json_int_t)root, "year", 2026,
                            "title", "2026年打印测试认定", "deadline", "2099-12-31"), &j), j, 201);
    int64_t call = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    /* a long entry: 3,750 characters of deeds (45 bytes a sentence) and 40 rows */
    char story[250 * 45 + 1] = "";
    for (int i = 0; i < 250; i++) strcat(story, "社区科普大学长期开展健康讲座。");
    json_t *rows = json_array();
    for (int i = 0; i < 40; i++) json_array_append_new(rows, jpack("{s:s, s:s}", "name", P("成员%d", i), "duty", "讲师"));
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), pa_staff,
                      jpack("{s:s, s:{s:s, s:s, s:{s:{s:b}, s:{s:b}}, s:o}}", "title", "人员甲区教学点认定申报", "values", "name", "甲区点",
                            "story", story, "conditions", "venue", "ok", 1, "staff", "ok", 0, "team", rows), &j), j, 201);
    int64_t e = jint(j, "id");
    json_decref(j);
    act(pa_staff, e, "submit");
    http_resp resp;
    assert_int_equal(api_full("GET", P("/entries/%lld/entry.pdf", (long long)e), pa_staff, NULL, &resp), 200);
    assert_true(resp.body_len > 1000);
    assert_memory_equal(resp.body, "%PDF", 4);
    char path[] = "/tmp/kepu-entry-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, resp.body, resp.body_len), (ssize_t)resp.body_len);
    close(fd);
    http_resp_free(&resp);
    char *info = run(P("pdfinfo %s 2>/dev/null", path));
    char *pages = strstr(info, "Pages:");
    assert_non_null(pages);
    int n = atoi(pages + 6);
    assert_true(n > 1);
    free(info);
    char *text = run(P("pdftotext %s - 2>/dev/null", path));
    assert_non_null(strstr(text, "人员甲区教学点"));              /* the unit */
    assert_non_null(strstr(text, "2026年打印测试认定"));          /* the call */
    assert_non_null(strstr(text, P("第1页/共%d页", n)));          /* page numbers (pdftotext drops the spaces) */
    assert_non_null(strstr(text, P("第%d页/共%d页", n, n)));
    assert_non_null(strstr(text, "✓ 有固定场所"));                /* the checklist */
    assert_non_null(strstr(text, "✗ 有专职人员"));
    assert_non_null(strstr(text, "成员39"));                      /* the last row of the table */
    assert_non_null(strstr(text, "截至"));                        /* the figure's snapshot day */
    assert_non_null(strstr(text, "办理记录"));                    /* the history */
    free(text);
    unlink(path);
    /* scoped as GET /entries/:id */
    assert_int_equal(api_full("GET", P("/entries/%lld/entry.pdf", (long long)e), a_admin, NULL, &resp), 200);
    http_resp_free(&resp);
    expect_api_error("GET", P("/entries/%lld/entry.pdf", (long long)e), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/entries/999999/entry.pdf", admin, NULL, 404, "not_found", NULL);
    /* a reviewer of the blind contest whose scope covers the entry never gets it printed */
    expect_api_error("GET", P("/entries/%lld/entry.pdf", (long long)entries[0]), rev_tok[1], NULL, 404, "not_found", NULL);
    assert_int_equal(api_full("GET", P("/entries/%lld/entry.pdf", (long long)e), rev_tok[1], NULL, &resp), 200);
    http_resp_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_entries),
        cmocka_unit_test(test_excellent_teacher_city_pool),
        cmocka_unit_test(test_recommend_up),
        cmocka_unit_test(test_entry_pdf),
    };
    return run_api_tests(tests, setup, teardown);
}
