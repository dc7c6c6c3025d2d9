/* test_calls_templates.c - the builtin call templates (issue 15, package E; migration 024) over
 * HTTP: all nine are listed to staff as builtin (never changed in place); each one's config passes
 * the template input's checks (call_form_check_def, stages, members) when saved as a copy; each
 * copies into a call that opens, and a unit of its eligible type enters a valid entry and submits
 * it. Two whole cycles: the lecture collection without review (3 lectures of a society, counted
 * under call_entries.lecture_collection, decided, 公示, final) and the demo point (points of two
 * districts, recommended by the district, two reviewers of other districts, ranking, decision,
 * 公示, finalize -> a demo_point title on the point for 2 years). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *const codes[] = {"demo_point", "lecture_collection", "key_project", "base", "youth_contest",
                                    "excellent_teacher", "rural_top10", "excellent_work", "recertification", NULL};
#define NCODES 9

enum { U_POINT_A, U_POINT_B, U_SOCIETY, U_BASE, U_UNIT, U_DISTRICT, NUNITS };
static char *admin, *unit_tok[NUNITS], *rev_tok[2];
static int64_t root, dist[4], unit_org[NUNITS], rev_user[2];

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    const char *dn[] = {"模板甲区", "模板乙区", "模板丙区", "模板丁区"};
    for (int i = 0; i < 4; i++) dist[i] = create_org(admin, root, "district", dn[i]);
    unit_org[U_POINT_A] = create_org(admin, dist[0], "point", "甲区教学点");
    unit_org[U_POINT_B] = create_org(admin, dist[1], "point", "乙区教学点");
    unit_org[U_SOCIETY] = create_org(admin, dist[0], "society", "甲区科普学会");
    unit_org[U_BASE] = create_org(admin, dist[0], "base", "甲区科普基地");
    unit_org[U_UNIT] = create_org(admin, dist[0], "unit", "甲区一中");
    unit_org[U_DISTRICT] = dist[0];
    for (int i = 0; i < NUNITS; i++) {
        create_user(admin, P("tpl_u%d", i), unit_org[i], "staff", "org", 0);
        unit_tok[i] = login(P("tpl_u%d", i), USER_PASSWORD);
    }
    for (int i = 0; i < 2; i++) {   /* reviewers of districts C and D: neither entrant's */
        rev_user[i] = create_user(admin, P("tpl_r%d", i), dist[2 + i], "staff", "org", 0);
        rev_tok[i] = login(P("tpl_r%d", i), USER_PASSWORD);
    }
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    for (int i = 0; i < NUNITS; i++) free(unit_tok[i]);
    for (int i = 0; i < 2; i++) free(rev_tok[i]);
    return server_stop(state);
}

/* The builtin template of code (the caller decrefs). */
static json_t *builtin(const char *code)
{
    json_t *j = NULL, *it, *out = NULL;
    size_t i;
    expect_status(api("GET", "/call-templates?page_size=100", unit_tok[U_POINT_A], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) out = json_incref(it);
    json_decref(j);
    assert_non_null(out);
    return out;
}

/* The unit that enters a call of the template: one of its first eligible type. */
static int entrant_of(const char *code)
{
    json_t *t = builtin(code);
    const char *type = json_string_value(json_array_get(json_object_get(jget(t, "config"), "eligible_types"), 0));
    static const char *const types[NUNITS] = {"point", "point", "society", "base", "unit", "district"};
    int who = U_UNIT;   /* no types: any unit */
    for (int i = NUNITS - 1; type && i >= 0; i--) if (!strcmp(types[i], type)) who = i;
    json_decref(t);
    return who;
}

/* A draft call of the builtin template (its form and stages copied), opened. */
static int64_t opened_call(const char *code, const char *deadline)
{
    json_t *t = builtin(code), *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root,
                            "year", 2026, "title", P("2026年%s", jstr(t, "name")), "deadline", deadline), &j), j, 201);
    int64_t id = jint(j, "id");
    assert_string_equal(jstr(j, "template_code"), code);
    assert_true(json_equal(jget(j, "form"), json_object_get(jget(t, "config"), "form")));
    assert_true(json_equal(jget(j, "stages"), json_object_get(jget(t, "config"), "stages")));
    assert_int_equal(jint(j, "max_per_unit"), json_integer_value(json_object_get(jget(t, "config"), "max_per_unit")));
    assert_true(json_equal(jget(j, "review"), json_object_get(jget(t, "config"), "review")) ||
                !json_object_get(jget(t, "config"), "review"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "open");
    json_decref(j);
    json_decref(t);
    return id;
}

/* A scalar value for a definition (rows' columns too). */
static json_t *scalar(json_t *d)
{
    const char *t = json_string_value(json_object_get(d, "type"));
    if (!strcmp(t, "number")) return json_integer(12);
    if (!strcmp(t, "money")) return json_integer(5000);
    if (!strcmp(t, "date")) return json_string("2026-05-01");
    if (!strcmp(t, "choice")) return json_incref(json_array_get(json_object_get(d, "options"), 0));
    return json_string("测试内容");
}

/* Values every field of the form accepts: checklist items answered (not claimed: no evidence
 * files needed), one row, a typed person; files and figures left out (none is required). */
static json_t *valid_values(json_t *form)
{
    json_t *values = json_object(), *d, *x;
    size_t i, k;
    json_array_foreach(form, i, d) {
        const char *t = json_string_value(json_object_get(d, "type")), *key = json_string_value(json_object_get(d, "key"));
        json_t *v = NULL;
        if (!strcmp(t, "figure") || !strcmp(t, "file") || !strcmp(t, "photo") || !strcmp(t, "node")) {
            assert_false(json_is_true(json_object_get(d, "required")));
        } else if (!strcmp(t, "person")) {
            v = json_pack("{s:s}", "name", "张三");
        } else if (!strcmp(t, "checklist")) {
            v = json_object();
            json_array_foreach(json_object_get(d, "items"), k, x)
                json_object_set_new(v, json_string_value(json_object_get(x, "key")), json_pack("{s:b}", "ok", 0));
        } else if (!strcmp(t, "rows")) {
            json_t *row = json_object();
            json_array_foreach(json_object_get(d, "columns"), k, x)
                json_object_set_new(row, json_string_value(json_object_get(x, "key")), scalar(x));
            v = json_pack("[o]", row);
        } else {
            v = scalar(d);
        }
        if (v) json_object_set_new(values, key, v);
    }
    return values;
}

/* A draft of unit u in call with valid values; returns its id. */
static int64_t draft(int64_t call, int u, const char *title)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld", (long long)call), unit_tok[u], NULL, &j), j, 200);
    json_t *values = valid_values(jget(j, "form"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), unit_tok[u],
                      jpack("{s:s, s:o}", "title", title, "values", values), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* A submitted entry of unit u in call; returns its id. */
static int64_t submitted(int64_t call, int u, const char *title)
{
    json_t *j = NULL;
    int64_t id = draft(call, u, title);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)id), unit_tok[u], NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    json_decref(j);
    return id;
}

static void test_builtin_listed(void **state)
{
    (void)state;
    json_t *j = NULL, *it;
    size_t i;
    int seen = 0;
    expect_status(api("GET", "/call-templates?page_size=100", unit_tok[U_SOCIETY], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) {
        for (int k = 0; codes[k]; k++) if (!strcmp(jstr(it, "code"), codes[k])) seen |= 1 << k;
        assert_true(json_is_true(jget(it, "builtin")));
        assert_true(json_is_null(jget(it, "org_id")));
    }
    assert_int_equal(seen, (1 << NCODES) - 1);
    assert_int_equal(jint(j, "total"), NCODES);
    json_decref(j);
    /* never changed in place: an admin copies it */
    json_t *t = builtin("demo_point");
    expect_api_error("PATCH", P("/call-templates/%lld", (long long)jint(t, "id")), admin, jpack("{s:s}", "name", "改名"), 409,
                     "call_state", NULL);
    json_decref(t);
}

/* Each config saved as a template of its own passes the input's checks, unchanged. */
static void test_configs_pass_checks(void **state)
{
    (void)state;
    for (int k = 0; codes[k]; k++) {
        json_t *t = builtin(codes[k]), *j = NULL;
        expect_status(api("POST", "/call-templates", admin,
                          jpack("{s:s, s:s, s:s, s:O}", "code", P("copy_%s", codes[k]), "name", jstr(t, "name"), "kind",
                                jstr(t, "kind"), "config", jget(t, "config")), &j), j, 201);
        assert_true(json_equal(jget(j, "config"), jget(t, "config")));
        assert_false(json_is_true(jget(j, "builtin")));
        json_decref(j), json_decref(t);
    }
}

/* The re-certification template reviews the holders of 示范教学点 (issue 15, package G; migration
 * 025 made it eligible = holders): opening it gives the holder its entry, submitted with its
 * figures; a point without the title may not enter. */
static void holders_take_their_entries(void)
{
    json_t *j = NULL;
    int64_t holder = create_org(admin, dist[2], "point", "丙区示范教学点");
    expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)holder), &j),
                  j, 201);
    json_decref(j);
    int64_t call = opened_call("recertification", "2099-12-31");
    expect_status(api("GET", P("/calls/%lld/entries", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.org_id"), holder);
    assert_string_equal(jstr(j, "items.0.status"), "submitted");
    assert_non_null(jget(j, "items.0.figures.as_of"));
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), unit_tok[U_POINT_B],
                     jpack("{s:s, s:{}}", "title", "未命名的点", "values"), 403, "not_eligible", "org_id");
}

/* Every template copies into a call that opens and takes a valid entry of an eligible unit (the
 * holders' call: theirs, made on opening). */
static void test_each_takes_an_entry(void **state)
{
    (void)state;
    for (int k = 0; codes[k]; k++) {
        if (!strcmp(codes[k], "recertification")) { holders_take_their_entries(); continue; }
        int64_t call = opened_call(codes[k], "2099-12-31");
        int u = entrant_of(codes[k]);
        int64_t e = submitted(call, u, P("%s 申报", codes[k]));
        json_t *j = NULL;
        expect_status(api("GET", P("/entries/%lld", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "org_id"), unit_org[u]);
        assert_int_equal(jint(j, "call_id"), call);
        /* the figures snapshotted on submit: the nominated teacher typed by name has no courses */
        if (!strcmp(codes[k], "excellent_teacher")) assert_int_equal(jint(j, "figures.courses"), 0);
        if (!strcmp(codes[k], "demo_point")) assert_non_null(jget(j, "figures.as_of"));
        json_decref(j);
    }
}

/* Ends the open 公示 of call now (with a reason), then finalizes it. */
static void publicize_and_finalize(int64_t call)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), admin, jpack("{s:s}", "ends_at", "2099-12-31"), &j), j,
                  200);
    json_decref(j);
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call), NULL, NULL, &j), j, 200);
    char starts[40];
    snprintf(starts, sizeof starts, "%s", jstr(j, "publicity.starts_at"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), admin,
                      jpack("{s:s, s:s}", "ends_at", starts, "reason", "按期结束"), &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/finalize", (long long)call), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "final");
    json_decref(j);
}

static void decide(int64_t entry, const char *outcome, const char *level)
{
    json_t *j = NULL;
    json_t *body = level ? jpack("{s:s, s:s, s:s}", "outcome", outcome, "award_level", level, "reason", "综合评定")
                         : jpack("{s:s, s:s}", "outcome", outcome, "reason", "采用");
    expect_status(api("POST", P("/entries/%lld/decide", (long long)entry), admin, body, &j), j, 200);
    assert_string_equal(jstr(j, "outcome"), outcome);
    json_decref(j);
}

static int64_t metric(int64_t org, const char *name)
{
    char year[5];
    json_t *j = NULL;
    memcpy(year, shanghai_at(0), 4), year[4] = 0;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, year, name), admin, NULL, &j), j, 200);
    int64_t n = json_integer_value(json_object_get(jget(j, "values"), name));
    json_decref(j);
    return n;
}

/* 科普大讲堂: a society's 3 lectures, late ones flagged not refused, counted, adopted, final. */
static void test_lecture_collection_cycle(void **state)
{
    (void)state;
    int64_t before = metric(unit_org[U_SOCIETY], "call_entries.lecture_collection");
    int64_t call = opened_call("lecture_collection", "2099-02-28");
    int64_t e[4];
    for (int i = 0; i < 3; i++) e[i] = submitted(call, U_SOCIETY, P("讲座%d", i));
    assert_int_equal(metric(unit_org[U_SOCIETY], "call_entries.lecture_collection"), before + 3);
    /* after the deadline a fourth is taken, flagged late (late_policy flag) */
    json_t *j = NULL;
    expect_status(api("PATCH", P("/calls/%lld", (long long)call), admin, jpack("{s:s}", "deadline", "2020-02-28"), &j), j, 200);
    json_decref(j);
    e[3] = submitted(call, U_SOCIETY, "讲座3");
    expect_status(api("GET", P("/entries/%lld", (long long)e[3]), admin, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "late")));
    json_decref(j);
    /* no review: the city adopts entries while closing, then the 公示 and final */
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int i = 0; i < 3; i++) decide(e[i], "selected", NULL);
    decide(e[3], "rejected", NULL);
    publicize_and_finalize(call);
    expect_status(api("GET", P("/public/calls/%lld/results", (long long)call), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 3);
    json_decref(j);
}

static int64_t sheet_of(int64_t call, int64_t entry, int r)
{
    json_t *j = NULL, *it;
    size_t k;
    int64_t id = 0;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call, (long long)entry), admin, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), k, it) if (jint(it, "user_id") == rev_user[r]) id = jint(it, "id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

/* A sheet of the 12 criteria (四化 and 八有), each scored s of 10. */
static void score(int64_t call, int64_t entry, int r, int s)
{
    json_t *t = builtin("demo_point"), *c, *scores = json_object(), *j = NULL;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(jget(t, "config"), "review"), "criteria"), i, c)
        json_object_set_new(scores, json_string_value(json_object_get(c, "key")), json_pack("{s:i}", "score", s));
    assert_int_equal(json_object_size(scores), 12);
    json_decref(t);
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet_of(call, entry, r)), rev_tok[r],
                      jpack("{s:o}", "scores", scores), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    json_decref(j);
}

/* 示范教学点: a point of each of two districts enters, its district recommends it (at most 3),
 * the deadline refuses late entries; two reviewers of other districts score; the ranking; the
 * decision; the 公示; finalize names the point demo_point for 2 years. */
static void test_demo_point_cycle(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t call = opened_call("demo_point", "2099-10-31");
    int64_t ea = submitted(call, U_POINT_A, "甲区教学点申报"), eb = submitted(call, U_POINT_B, "乙区教学点申报");
    /* one entry per point */
    expect_api_error("POST", P("/entries/%lld/submit", (long long)draft(call, U_POINT_A, "再报")), unit_tok[U_POINT_A], NULL, 409,
                     "quota_full", NULL);
    for (int i = 0; i < 2; i++) {
        int64_t e = i ? eb : ea;
        expect_status(api("GET", P("/entries/%lld", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "stage_org_id"), dist[i]);   /* held by its district */
        json_decref(j);
        expect_status(api("POST", P("/entries/%lld/recommend", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "stage_org_id"), root);
        json_decref(j);
    }
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int r = 0; r < 2; r++)
        expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[r]),
                          NULL), NULL, 201);
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    json_decref(j);
    score(call, ea, 0, 9), score(call, ea, 1, 8);
    score(call, eb, 0, 6), score(call, eb, 1, 7);
    expect_status(api("POST", P("/calls/%lld/rounds/1/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("GET", P("/calls/%lld/ranking", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "items.0.id"), ea);
    assert_int_equal(jint(j, "items.1.id"), eb);
    json_decref(j);
    decide(ea, "selected", "示范教学点");
    decide(eb, "rejected", NULL);
    publicize_and_finalize(call);
    expect_status(api("GET", P("/designations?kind=demo_point&org_id=%lld", (long long)unit_org[U_POINT_A]), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.entry_id"), ea);
    assert_string_equal(jstr(j, "items.0.status"), "active");
    assert_int_equal(atoi(jstr(j, "items.0.valid_to")), atoi(jstr(j, "items.0.valid_from")) + 2);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/designations?kind=demo_point&org_id=%lld", (long long)unit_org[U_POINT_B])), 0);
    /* the deadline refuses (late_policy refuse) */
    int64_t late = opened_call("demo_point", "2099-10-31");
    expect_status(api("PATCH", P("/calls/%lld", (long long)late), admin, jpack("{s:s}", "deadline", "2020-10-31"), &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)late), unit_tok[U_POINT_B], jpack("{s:s, s:{}}", "title", "迟报",
                     "values"), 409, "deadline_passed", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_listed),
        cmocka_unit_test(test_configs_pass_checks),
        cmocka_unit_test(test_each_takes_an_entry),
        cmocka_unit_test(test_lecture_collection_cycle),
        cmocka_unit_test(test_demo_point_cycle),
    };
    return run_api_tests(tests, setup, teardown);
}
