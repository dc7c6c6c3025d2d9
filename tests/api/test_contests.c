/* test_contests.c - contests (issue 17 B) over HTTP: a draft made, checked (422s change nothing),
 * published and no longer deletable; the phone flow of a public player: registration (a phone
 * twice refused without saying more), a paper with no answer key in it, one active attempt (a
 * second start, also two at once, refused with the active one's id), answers saved once however
 * often resent, a question not in the paper 404, a wrong token 404, the daily limit, a late answer
 * refused by the server's clock and the expired attempt scored with what was saved; submit scores
 * on the server and is idempotent; the rankings of persons and districts equal a recount of the
 * answers this test sent; a staff member's own attempt; a self-assessment's literacy result.
 *
 *   root(city) ─┬─ A(district, 100,000 residents)
 *               └─ B(district, 40,000 residents) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <cmocka.h>
#include "contest_fixture.h"

static char *admin, *city;
static int64_t root, dist_a, dist_b;

static void set_population(int64_t org, long n)
{
    json_t *j = NULL;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)org), admin, jpack("{s:I}", "population", (json_int_t)n), &j), j,
                  200);
    /* main's orgs_update does not store population yet (package C's org form adds it) */
    bool stored = jint(j, "population") == n;
    json_decref(j);
    if (!stored) fx_sql(P("UPDATE orgs SET population = %ld WHERE id = %lld", n, (long long)org));
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "竞赛甲区");
    dist_b = create_org(admin, root, "district", "竞赛乙区");
    set_population(dist_a, 100000);
    set_population(dist_b, 40000);
    create_user(admin, "ct_city", root, "staff", "subtree", 0);
    city = login("ct_city", USER_PASSWORD);
    for (int i = 1; i <= 8; i++) fx_question(admin, root, "lit_knowledge", i);
    for (int i = 1; i <= 3; i++) fx_question(admin, root, "lit_method", i);
    for (int i = 1; i <= 3; i++) fx_question(admin, root, "lit_society", i);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city);
    return server_stop(state);
}

static void test_draft_rules(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *bad_rules = "{\"title\":\"坏规则\",\"kind\":\"contest\",\"opens_at\":\"2026-01-01T00:00:00+08:00\","
                            "\"closes_at\":\"2026-02-01T00:00:00+08:00\",\"audience\":[\"public\"],\"time_limit_s\":60,"
                            "\"rules\":[{\"category\":\"lit_knowledge\",\"count\":0,\"points\":5}]}";
    int64_t before = list_total(city, "/contests");
    expect_error(api_text("POST", "/contests", city, bad_rules, &j), j, 422, "invalid_field", "rules");
    json_decref(j);
    expect_api_error("POST", "/contests", city,
                     jpack("{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:i, s:i}], s:i}", "title", "倒置时间", "kind", "contest",
                           "opens_at", shanghai_at(3600), "closes_at", shanghai_at(60), "audience", "public", "rules",
                           "category", "lit_knowledge", "count", 2, "points", 5, "time_limit_s", 60),
                     422, "invalid_field", "closes_at");
    expect_api_error("POST", "/contests", city,
                     jpack("{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:i, s:i}], s:i}", "title", "坏对象", "kind", "contest",
                           "opens_at", shanghai_at(60), "closes_at", shanghai_at(3600), "audience", "everyone", "rules",
                           "category", "lit_knowledge", "count", 2, "points", 5, "time_limit_s", 60),
                     422, "invalid_field", "audience");
    assert_int_equal(list_total(city, "/contests"), before);   /* refused: nothing written */
    int64_t id = fx_contest(city, root, "草稿到发布", NULL);
    expect_status(api("GET", P("/contests/%lld", (long long)id), city, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "published");
    assert_int_equal(jint(j, "question_count"), 4);
    assert_int_equal(jint(j, "max_score"), 20);
    assert_string_equal(jstr(j, "scoring"), "points");
    json_decref(j);
    expect_api_error("DELETE", P("/contests/%lld", (long long)id), city, NULL, 409, "contest_state", "status");
    expect_api_error("POST", P("/contests/%lld/publish", (long long)id), city, NULL, 409, "contest_state", "status");
    expect_status(api("POST", P("/contests/%lld/close", (long long)id), city, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "closed");
    json_decref(j);
}

/* The list as an Excel sheet: the filters and the caller's scope apply, the labels are Chinese. */
static void test_list_export(void **state)
{
    (void)state;
    fx_contest(admin, dist_a, "甲区导出竞赛", NULL);
    fx_contest(admin, dist_b, "乙区导出竞赛", jpack("{s:s}", "kind", "self_assessment"));
    create_user(admin, "ct_a_staff", dist_a, "staff", "subtree", 0);
    char *a_staff = login("ct_a_staff", USER_PASSWORD);
    http_resp resp;
    assert_int_equal(api_full("GET", "/contests?format=xlsx", a_staff, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "甲区导出竞赛"));
    assert_non_null(strstr(xml, "知识竞赛"));
    assert_non_null(strstr(xml, "进行中"));
    assert_null(strstr(xml, "乙区导出竞赛"));   /* another district's */
    free(xml);
    http_resp_free(&resp);
    assert_int_equal(api_full("GET", "/contests?format=xlsx&kind=self_assessment", city, NULL, &resp), 200);
    xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "乙区导出竞赛"));
    assert_non_null(strstr(xml, "科学素质自测"));
    assert_null(strstr(xml, "甲区导出竞赛"));   /* filtered out by kind */
    free(xml);
    http_resp_free(&resp);
    expect_api_error("GET", "/contests?format=pdf", city, NULL, 422, "invalid_field", "format");
    free(a_staff);
}

static void test_public_404s(void **state)
{
    (void)state;
    json_t *j = NULL, *k = NULL;
    expect_status(api("POST", "/contests", city,
                      jpack("{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:i, s:i}], s:i}", "title", "未发布", "kind", "contest",
                            "opens_at", shanghai_at(-60), "closes_at", shanghai_at(3600), "audience", "public", "rules",
                            "category", "lit_knowledge", "count", 2, "points", 5, "time_limit_s", 60), &j), j, 201);
    int64_t draft = jint(j, "id");
    assert_true(json_is_true(jget(j, "shuffle_questions")) && json_is_true(jget(j, "shuffle_options")));   /* the default */
    json_decref(j);
    int a = api("GET", P("/public/contests/%lld", (long long)draft), NULL, NULL, &j);
    int b = api("GET", P("/public/contests/%lld", 99999999LL), NULL, NULL, &k);
    assert_int_equal(a, 404);
    assert_int_equal(b, 404);
    assert_true(json_equal(j, k));   /* the same answer: nothing tells a draft from nothing */
    json_decref(j), json_decref(k);
    expect_api_error("POST", P("/public/contests/%lld/players", (long long)draft), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "张三", "phone", "13800000001", "district_id", (json_int_t)dist_a),
                     404, "not_found", NULL);
}

static void test_phone_flow(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "手机答题", jpack("{s:i}", "attempts_per_day", 2));
    char *key = fx_player(ct, "王小明", "13800138001", dist_a);
    /* the same phone again: no second key, and no word on whether it exists */
    json_t *j = NULL;
    expect_error(api("POST", P("/public/contests/%lld/players", (long long)ct), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "王小明", "phone", "13800138001", "district_id", (json_int_t)dist_a), &j),
                 j, 409, "cannot_register", "phone");
    char *dump = json_dumps(j, 0);
    assert_null(strstr(dump, "13800138001"));
    free(dump);
    json_decref(j);
    expect_api_error("POST", P("/public/contests/%lld/players", (long long)ct), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "李四", "phone", "13800138002", "district_id", (json_int_t)root),
                     422, "invalid_field", "district_id");
    /* the paper: no key */
    http_resp raw;
    assert_int_equal(api_full("POST", P("/public/contests/%lld/attempts", (long long)ct), NULL,
                              jpack("{s:s, s:s}", "person_key", key, "person_kind", "player"), &raw), 201);
    json_t *paper = json_incref(raw.json);
    assert_null(strstr(raw.body, "\"answer\""));
    assert_null(strstr(raw.body, "explanation"));
    assert_null(strstr(raw.body, "correct"));
    http_resp_free(&raw);
    assert_int_equal(json_array_size(json_object_get(paper, "questions")), 4);
    /* one active attempt */
    expect_error(fx_start(ct, key, "player", &j), j, 409, "attempt_active", "attempt_id");
    assert_string_equal(json_string_value(json_array_get(jget(j, "error.params"), 0)),
                        P("%lld", (long long)jint(paper, "attempt_id")));
    json_decref(j);
    /* answers: right, right resent 3 times, wrong; a number not in the paper; a wrong token */
    assert_int_equal(fx_answer(ct, paper, 1, true, NULL), 200);
    for (int i = 0; i < 3; i++) assert_int_equal(fx_answer(ct, paper, 2, true, NULL), 200);
    assert_int_equal(fx_answer(ct, paper, 3, false, NULL), 200);
    assert_int_equal(fx_answer(ct, paper, 5, true, "A"), 404);
    json_t *forged = json_deep_copy(paper);
    json_object_set_new(forged, "attempt_token", json_string("forged-token"));
    assert_int_equal(fx_answer(ct, forged, 1, true, NULL), 404);
    json_decref(forged);
    /* a changed answer replaces the earlier one: question 4 wrong, then right */
    assert_int_equal(fx_answer(ct, paper, 4, false, NULL), 200);
    assert_int_equal(fx_answer(ct, paper, 4, true, NULL), 200);
    json_t *res = NULL;
    expect_status(fx_submit(ct, paper, &res), res, 200);
    assert_int_equal(jint(res, "score"), 15);
    assert_int_equal(jint(res, "correct"), 3);
    assert_int_equal(jint(res, "total"), 4);
    assert_int_equal(jint(res, "max_score"), 20);
    assert_int_equal(jint(res, "rank"), 1);
    json_decref(res);
    expect_status(fx_submit(ct, paper, &res), res, 200);   /* idempotent */
    assert_int_equal(jint(res, "score"), 15);
    json_decref(res);
    assert_int_equal(fx_answer(ct, paper, 1, false, NULL), 409);   /* over */
    json_decref(paper);
    /* the day's limit: 2 */
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    expect_status(fx_submit(ct, paper, &res), res, 200);
    json_decref(res), json_decref(paper);
    expect_error(fx_start(ct, key, "player", &j), j, 409, "attempts_exhausted_today", NULL);
    json_decref(j);
    expect_error(fx_start(ct, "no-such-key", "player", &j), j, 403, "invalid_key", "person_key");
    json_decref(j);
    free(key);
}

static void test_late_answer(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "限时", jpack("{s:i}", "time_limit_s", 10));
    char *key = fx_player(ct, "赵限时", "13800138010", dist_b);
    json_t *paper = NULL, *res = NULL;
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    assert_int_equal(fx_answer(ct, paper, 1, true, NULL), 200);
    sleep(13);   /* 10 s of paper and the 2 s of grace */
    assert_int_equal(fx_answer(ct, paper, 2, true, NULL), 409);
    /* nobody submits: the ranking's sweep collects the paper with what was saved */
    expect_status(api("GET", P("/contests/%lld/ranking/persons", (long long)ct), city, NULL, &res), res, 200);
    assert_int_equal(jint(res, "total"), 1);
    assert_int_equal(jint(res, "items.0.score"), 5);
    json_decref(res);
    expect_status(api("GET", P("/contests/%lld/attempts", (long long)ct), city, NULL, &res), res, 200);
    assert_string_equal(jstr(res, "items.0.status"), "expired");
    json_decref(res);
    expect_status(fx_submit(ct, paper, &res), res, 200);
    assert_string_equal(jstr(res, "status"), "expired");
    assert_int_equal(jint(res, "score"), 5);   /* what was saved in time */
    json_decref(res), json_decref(paper);
    free(key);
}

struct racer {
    int64_t ct;
    const char *key;
    int status;
};

static void *race(void *cls)
{
    struct racer *r = cls;
    char path[96], body[160];
    snprintf(path, sizeof path, "/api/v1/public/contests/%lld/attempts", (long long)r->ct);
    snprintf(body, sizeof body, "{\"person_key\": \"%s\", \"person_kind\": \"player\"}", r->key);
    const char *headers[] = {"Content-Type: application/json", NULL};
    http_resp resp;
    r->status = http("POST", path, headers, body, strlen(body), &resp);
    http_resp_free(&resp);
    return NULL;
}

static void test_concurrent_start(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "并发", NULL);
    char *key = fx_player(ct, "钱并发", "13800138020", dist_a);
    struct racer r[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) r[i] = (struct racer){ct, key, 0}, pthread_create(&t[i], NULL, race, &r[i]);
    int created = 0, refused = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        created += r[i].status == 201, refused += r[i].status == 409;
    }
    assert_int_equal(created, 1);
    assert_int_equal(refused, 3);
    free(key);
}

/* Players answer k of 4 right; the rankings must equal this recount. */
static void test_rankings(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "排名", NULL);
    static const struct { const char *name, *phone; int district, right; } who[] = {
        {"孙一", "13900000001", 0, 4}, {"周二", "13900000002", 0, 2}, {"吴三", "13900000003", 1, 3},
        {"郑四", "13900000004", 1, 1}, {"冯五", "13900000005", 0, 0},
    };
    int n = 5, score[5];
    int64_t part[2] = {0, 0}, sum[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        int64_t d = who[i].district ? dist_b : dist_a;
        char *key = fx_player(ct, who[i].name, who[i].phone, d);
        json_t *paper = NULL, *res = NULL;
        expect_status(fx_start(ct, key, "player", &paper), paper, 201);
        for (int q = 1; q <= 4; q++) assert_int_equal(fx_answer(ct, paper, q, q <= who[i].right, NULL), 200);
        expect_status(fx_submit(ct, paper, &res), res, 200);
        score[i] = who[i].right * 5;
        assert_int_equal(jint(res, "score"), score[i]);
        part[who[i].district]++, sum[who[i].district] += score[i];
        json_decref(res), json_decref(paper);
        free(key);
    }
    json_t *j = NULL;
    expect_status(api("GET", P("/contests/%lld/ranking/persons", (long long)ct), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), n);
    /* by score: 孙一 20, 吴三 15, 周二 10, 郑四 5, 冯五 0 */
    static const int order[] = {0, 2, 1, 3, 4};
    for (int i = 0; i < n; i++) {
        json_t *it = json_array_get(jget(j, "items"), (size_t)i);
        assert_int_equal(jint(it, "rank"), i + 1);
        assert_int_equal(jint(it, "score"), score[order[i]]);
        assert_string_equal(jstr(it, "name"), P("%.3s*", who[order[i]].name));   /* masked */
    }
    json_decref(j);
    expect_status(api("GET", P("/contests/%lld/ranking/districts", (long long)ct), city, NULL, &j), j, 200);
    json_t *items = jget(j, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        int k = jint(it, "org_id") == dist_a ? 0 : jint(it, "org_id") == dist_b ? 1 : -1;
        if (k < 0) continue;
        long pop = k ? 40000 : 100000;
        assert_int_equal(jint(it, "participants"), part[k]);
        double per = json_number_value(json_object_get(it, "per_10k")), avg = json_number_value(json_object_get(it, "avg_score"));
        assert_true(per > (double)part[k] * 10000 / pop - 0.011 && per < (double)part[k] * 10000 / pop + 0.011);
        assert_true(avg > (double)sum[k] / part[k] - 0.011 && avg < (double)sum[k] / part[k] + 0.011);
    }
    json_decref(j);
    /* the export of both */
    http_resp resp;
    assert_int_equal(api_full("GET", P("/contests/%lld/ranking/persons?format=xlsx", (long long)ct), city, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "竞赛甲区"));
    free(xml);
    http_resp_free(&resp);
    assert_int_equal(api_full("GET", P("/contests/%lld/ranking/districts?format=xlsx", (long long)ct), city, NULL, &resp), 200);
    http_resp_free(&resp);
    expect_status(api("GET", P("/public/contests/%lld/ranking", (long long)ct), NULL, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "persons.items")), (size_t)n);
    json_decref(j);
}

static void test_staff_and_self_assessment(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "素质自测",
                            json_pack("{s:s, s:[{s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}]}", "kind",
                                      "self_assessment", "rules", "category", "lit_knowledge", "count", 2, "points", 10,
                                      "category", "lit_method", "count", 2, "points", 10, "category", "lit_society",
                                      "count", 2, "points", 10));
    json_t *paper = NULL, *res = NULL;
    expect_status(api("POST", P("/contests/%lld/my-attempts", (long long)ct), city, NULL, &paper), paper, 201);
    /* every question right but the first two knowledge ones: knowledge 0%, method and society 100% */
    json_t *qs = json_object_get(paper, "questions");
    for (size_t i = 0; i < json_array_size(qs); i++) {
        const char *stem = json_string_value(json_object_get(json_array_get(qs, i), "stem"));
        bool knowledge = strstr(stem, "lit_knowledge") != NULL;
        assert_int_equal(fx_answer(ct, paper, (int)i + 1, !knowledge, NULL), 200);
    }
    expect_status(fx_submit(ct, paper, &res), res, 200);
    assert_int_equal(jint(res, "score"), 40);
    /* 20 method x 100% + 40 society x 100% + 40 knowledge x 0% = 60: not literate */
    assert_int_equal(jint(res, "literacy.total_score"), 60);
    assert_false(json_is_true(jget(res, "literacy.literate")));
    assert_string_equal(jstr(res, "literacy.level"), "basic");
    assert_int_equal(jint(res, "literacy.dimensions.knowledge"), 0);
    assert_int_equal(jint(res, "literacy.dimensions.method"), 100);
    json_decref(res), json_decref(paper);
    expect_api_error("GET", P("/contests/%lld/ranking/persons", (long long)ct), city, NULL, 409, "contest_state", "kind");
}

/* Certificates for the top 2 of a closed contest: idempotent, verified by code (masked, and one
 * 404 for any unknown code), the holder's PDF; the staff preview carries the keys. */
static void test_certificates_and_preview(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "证书", jpack("{s:i}", "certificate_top", 2));
    json_t *j = NULL, *papers[3];
    static const char *const phones[] = {"13700000001", "13700000002", "13700000003"};
    for (int i = 0; i < 3; i++) {
        char *key = fx_player(ct, i ? "钱二" : "孙冠军", phones[i], dist_a);
        expect_status(fx_start(ct, key, "player", &papers[i]), papers[i], 201);
        for (int q = 1; q <= 4 - i; q++) assert_int_equal(fx_answer(ct, papers[i], q, true, NULL), 200);
        expect_status(fx_submit(ct, papers[i], &j), j, 200);
        json_decref(j);
        free(key);
    }
    expect_api_error("POST", P("/contests/%lld/certificates", (long long)ct), city, NULL, 409, "contest_state", "status");
    expect_status(api("POST", P("/contests/%lld/close", (long long)ct), city, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/contests/%lld/certificates", (long long)ct), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "issued"), 2);
    json_decref(j);
    expect_status(api("POST", P("/contests/%lld/certificates", (long long)ct), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "issued"), 0);   /* idempotent */
    assert_int_equal(jint(j, "total"), 2);
    json_decref(j);
    /* the winner's code through the resume of its attempt; the third has none */
    char header[160];
    snprintf(header, sizeof header, "X-Attempt-Token: %s", jstr(papers[0], "attempt_token"));
    const char *headers[] = {header, NULL};
    http_resp r;
    assert_int_equal(http("GET", P("/api/v1/public/contests/%lld/attempts/%lld", (long long)ct,
                                   (long long)jint(papers[0], "attempt_id")), headers, NULL, 0, &r), 200);
    char *code = strdup(jstr(r.json, "certificate_code"));
    assert_int_equal(jint(r.json, "score"), 20);
    http_resp_free(&r);
    expect_status(api("GET", P("/public/contest-certificates/%s", code), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "name"), "孙**");
    assert_int_equal(jint(j, "rank"), 1);
    json_decref(j);
    json_t *k = NULL;
    assert_int_equal(api("GET", "/public/contest-certificates/ABCDEFGHJKMN", NULL, NULL, &j), 404);
    assert_int_equal(api("GET", "/public/contest-certificates/x", NULL, NULL, &k), 404);
    assert_true(json_equal(j, k));
    json_decref(j), json_decref(k);
    assert_int_equal(http("GET", P("/api/v1/public/contests/%lld/attempts/%lld/certificate", (long long)ct,
                                   (long long)jint(papers[0], "attempt_id")), headers, NULL, 0, &r), 200);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "%PDF", 4));
    http_resp_free(&r);
    snprintf(header, sizeof header, "X-Attempt-Token: %s", jstr(papers[2], "attempt_token"));
    assert_int_equal(http("GET", P("/api/v1/public/contests/%lld/attempts/%lld/certificate", (long long)ct,
                                   (long long)jint(papers[2], "attempt_id")), headers, NULL, 0, &r), 404);
    http_resp_free(&r);
    for (int i = 0; i < 3; i++) json_decref(papers[i]);
    free(code);
    /* the preview: each question's key is the shown label of its right option */
    expect_status(api("GET", P("/contests/%lld/preview", (long long)ct), city, NULL, &j), j, 200);
    json_t *qs = jget(j, "questions");
    assert_int_equal(json_array_size(qs), 4);
    for (size_t i = 0; i < json_array_size(qs); i++) {
        json_t *q = json_array_get(qs, i);
        assert_string_equal(jstr(q, "answer"), fx_label(json_object_get(q, "paper"), true));
    }
    json_decref(j);
}

/* Two nodes on one database: an attempt active through node 1 refuses a start through node 2 (the
 * partial unique index, not a node's memory, holds the rule). Last: the second node stays up. */
static void test_two_nodes_one_active(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "两节点", NULL);
    char *key = fx_player(ct, "两节点", "13800138030", dist_a);
    assert_int_equal(second_node_start(), 0);
    json_t *paper = NULL, *j = NULL;
    use_node(1);
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    use_node(2);
    expect_error(fx_start(ct, key, "player", &j), j, 409, "attempt_active", "attempt_id");
    json_decref(j);
    /* answers through either node land in the one paper */
    assert_int_equal(fx_answer(ct, paper, 1, true, NULL), 200);
    use_node(1);
    assert_int_equal(fx_answer(ct, paper, 2, true, NULL), 200);
    use_node(2);
    expect_status(fx_submit(ct, paper, &j), j, 200);
    assert_int_equal(jint(j, "score"), 10);
    json_decref(j), json_decref(paper);
    use_node(1);
    free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_rules),
        cmocka_unit_test(test_public_404s),
        cmocka_unit_test(test_list_export),
        cmocka_unit_test(test_phone_flow),
        cmocka_unit_test(test_concurrent_start),
        cmocka_unit_test(test_rankings),
        cmocka_unit_test(test_staff_and_self_assessment),
        cmocka_unit_test(test_certificates_and_preview),
        cmocka_unit_test(test_late_answer),
        cmocka_unit_test(test_two_nodes_one_active),
    };
    return run_api_tests(tests, setup, teardown);
}
