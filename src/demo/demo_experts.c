/* demo_experts.c - the demo's expert pool and last year's funded projects (issue 15, package H;
 * the module row "experts" in app_modules.c): twenty reviewer-role accounts expert01..expert20
 * across the districts (password DEMO_PASSWORD) in the city's expert pool; last year's
 * 重点科普项目资助 call (the calls step's, demo_calls.c, or else one of our own copied from the
 * builtin template key_project: four city units apply, three are funded): three funded projects
 * hand in their mid-term reports, and a performance round (绩效评价) of three
 * experts a report scores and grades them. Everything goes through the modules' functions (their
 * checks and audit) as demo_principal_unscoped(); each expert scores its own sheets as itself. */
#include "demo/demo.h"
#include "accounts/accounts.h"
#include "calls/results.h"
#include "calls/reviews_internal.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPERTS 20

static const char *const names[EXPERTS] = {
    "张明远", "李文华", "王建国", "刘晓燕", "陈志强", "杨丽君", "赵海峰", "黄秀英", "周国平", "吴雪梅",
    "徐永胜", "孙静怡", "胡德林", "朱红霞", "高振宇", "林慧敏", "何立新", "郭玉兰", "马骏驰", "罗晓东",
};
static const char *const specialties[] = {
    "[\"物理\",\"科学教育\"]", "[\"医学\",\"健康科普\"]", "[\"农学\"]", "[\"气象\",\"防灾减灾\"]", "[\"营养学\"]",
    "[\"信息技术\",\"人工智能\"]", "[\"生物\",\"生态\"]", "[\"科普创作\"]", "[\"工程\",\"科技馆\"]", "[\"财务\",\"项目管理\"]",
};

/* The pool: expert01..expert20 at the districts in turn, each in the city's pool. */
static int pool(db *c, arena *a, const principal *p, int64_t city, int64_t *users)
{
    int64_t districts[64];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'district' ORDER BY id", 0, districts, 64);
    if (n <= 0) return n < 0 ? DB_ERR : DB_OK;
    int rc = DB_OK;
    for (int k = 0; rc == DB_OK && k < EXPERTS; k++) {
        user u;
        char username[16];
        snprintf(username, sizeof username, "expert%02d", k + 1);
        user_input in = {.username = username, .name = names[k], .org_id = districts[(k * 3) % n], .role = "reviewer",
                         .data_scope = "self", .password = DEMO_PASSWORD};
        int64_t id;
        rc = accounts_create_system(c, a, &in, &u);
        if (rc == DB_OK)
            rc = experts_add(c, p, a, city, u.id, names[k], specialties[k % 10], k % 2 ? "重庆大学" : "西南大学", &id);
        users[k] = u.id;
    }
    return rc;
}

/* Last year's key_project call as the builtin template configures it, open. */
static int make_call(db *c, arena *a, const principal *p, const demo_context *x, call_rec *call)
{
    db_stmt *s = db_prepare(c, "SELECT config FROM call_templates WHERE code = 'key_project'");
    json_t *cfg = NULL;
    if (s && db_step(s) == DB_ROW) cfg = json_loads(db_col_text(s, 0), 0, NULL);
    if (s) db_finish(s);
    if (!cfg) return DB_ERR;
    char *form = json_dumps(json_object_get(cfg, "form"), JSON_COMPACT), *rv = json_dumps(json_object_get(cfg, "review"), JSON_COMPACT);
    char *awards = json_dumps(json_object_get(cfg, "awards"), JSON_COMPACT);
    char *types = json_dumps(json_object_get(cfg, "eligible_types"), JSON_COMPACT);
    call_rec in = {.template_code = "key_project", .org_id = x->city_id, .year = x->year - 1,
                   .title = arena_printf(a, "%d年度重点科普项目资助", x->year - 1), .eligible = "types",
                   .eligible_types = arena_strdup(a, types), .form = arena_strdup(a, form), .stages = "[]",
                   .max_per_unit = 2, .late_policy = "refuse", .review = arena_strdup(a, rv),
                   .awards = arena_strdup(a, awards), .deadline = arena_printf(a, "%d-12-31T23:59:59+08:00", x->year)};
    free(form), free(rv), free(awards), free(types);
    json_decref(cfg);
    call_rec made;
    int rc = calls_create(c, p, a, &in, &made);
    return rc == DB_OK ? calls_move(c, p, a, made.id, "open", call) : rc;
}

/* An application of unit org_id, submitted; *id gets it. */
static int apply(db *c, arena *a, const principal *p, const call_rec *call, int64_t org_id, int k, int64_t *id)
{
    static const char *const themes[] = {"社区科普大篷车进百村", "青少年人工智能科普营", "老年人健康科普讲堂", "气象防灾科普进校园"};
    json_t *v = json_pack("{s:s, s:s, s:[{s:s, s:i}, {s:s, s:i}], s:i}", "theme", themes[k], "plan",
                          "分季度开展活动，覆盖主城及周边区县，形成可复制的科普模式。", "budget", "item", "活动组织", "amount", 30000,
                          "item", "物料制作", "amount", 20000, "amount", 50000);
    entry_rec e, out;
    int rc = v ? entries_create(c, p, a, call, org_id, themes[k], v, &e) : DB_ERR;
    json_decref(v);
    if (rc == DB_OK) rc = entries_act(c, p, a, e.id, ENTRY_SUBMIT, NULL, &out);
    *id = rc == DB_OK ? e.id : 0;
    return rc;
}

/* A funded entry's mid-term report, filled and submitted. */
static int midterm(db *c, arena *a, const principal *p, int64_t entry_id, const demo_context *x)
{
    void *r = arena_alloc(a, call_report_entity.size);
    int rc = r ? reports_create(c, p, a, entry_id, "midterm", arena_printf(a, "%d-06-30", x->year), r) : DB_ERR;
    if (rc != DB_OK) return rc;
    int64_t id = *(const int64_t *)r;   /* a record's first member is its id */
    json_t *v = json_pack("{s:s, s:s, s:s}", "progress", "已完成年度计划的六成，开展活动24场。", "spending",
                          "已支出资助经费的55%，用于活动组织和物料。", "effect", "直接受众约1.2万人次，媒体报道5次。");
    entry_rec e;
    rc = v ? entries_save(c, p, a, id, NULL, v, &e) : DB_ERR;
    json_decref(v);
    return rc == DB_OK ? entries_act(c, p, a, id, ENTRY_SUBMIT, NULL, &e) : rc;
}

/* Every sheet of the round submitted by its own expert. */
static int score_all(db *c, arena *a, int64_t call_id, int64_t round_no)
{
    int64_t rows[64 * 2];
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id, user_id FROM call_reviews WHERE round_no = %lld AND call_id = ? ORDER BY id",
             (long long)round_no);
    int n = demo_rows(c, sql, call_id, 2, rows, 64), rc = n < 0 ? DB_ERR : DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        /* the expert scores as itself: its own sheets are all a reviewer's principal reaches */
        principal q = demo_principal_unscoped();
        q.user_id = q.scope.user_id = rows[2 * i + 1], q.rank = RANK_REVIEWER, q.username = "expert";
        json_t *sc = json_pack("{s:{s:i}, s:{s:i}, s:{s:i}}", "completion", "score", demo_range(280, 395), "funds", "score",
                               demo_range(200, 295), "effect", "score", demo_range(190, 295));
        void *out = arena_alloc(a, call_review_entity.size);
        rc = sc && out ? reviews_save(c, &q, a, rows[2 * i], sc, "按计划推进，建议加强过程记录。", true, out) : DB_ERR;
        json_decref(sc);
    }
    return rc;
}

/* Last year's call of our own: four units apply, three are funded (when the calls step did not
 * run; entry gets the four entries, the funded first). */
static int funded_call(db *c, arena *a, const principal *p, const demo_context *x, const int64_t *units, call_rec *call,
                       int64_t *entry)
{
    int rc = make_call(c, a, p, x, call);
    for (int k = 0; rc == DB_OK && k < 4; k++) rc = apply(c, a, p, call, units[k], k, &entry[k]);
    if (rc == DB_OK) rc = calls_move(c, p, a, call->id, "close", call);
    static const int amounts[4] = {50000, 40000, 30000, 0};
    for (int k = 0; rc == DB_OK && k < 4; k++) {
        entry_decision d;
        rc = results_decide(c, p, a, entry[k], amounts[k] ? "selected" : "rejected", amounts[k] ? "资助" : NULL, amounts[k],
                            amounts[k] ? "择优资助" : "预算有限，未予资助", &d);
    }
    return rc;
}

int demo_step_experts(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal p = demo_principal_unscoped();
    int64_t users[EXPERTS], units[4], entry[4], round_no = 0, reports = 0, assigned = 0;
    call_rec call;
    int rc = pool(c, &a, &p, x->city_id, users);
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type IN ('society', 'unit', 'base') AND parent_id = ? ORDER BY id", x->city_id,
                     units, 4);
    if (rc == DB_OK && n < 4) rc = DB_ERR;
    /* last year's funded projects: the calls step's (demo_calls.c) when it ran, else our own */
    int64_t funded[2] = {0};
    if (rc == DB_OK && demo_rows(c, "SELECT c.id, COUNT(*) FROM calls c JOIN call_entries e ON e.call_id = c.id "
                                    "WHERE c.template_code = 'key_project' AND c.year = ? AND e.outcome = 'selected' "
                                    "AND e.award_amount > 0 GROUP BY c.id ORDER BY c.id", x->year - 1, 2, funded, 1) == 1 &&
        funded[1] >= 3) {
        rc = entity_get_unscoped(c, &call_entity, &a, funded[0], &call);   /* the system's own, just listed */
        n = rc == DB_OK ? demo_ids(c, "SELECT id FROM call_entries WHERE call_id = ? AND outcome = 'selected' AND "
                                      "award_amount > 0 ORDER BY id", call.id, entry, 3) : 0;
        if (rc == DB_OK && n < 3) rc = DB_ERR;
    } else if (rc == DB_OK) {
        rc = funded_call(c, &a, &p, x, units, &call, entry);
    }
    for (int k = 0; rc == DB_OK && k < 3; k++) rc = midterm(c, &a, &p, entry[k], x);
    if (rc == DB_OK) rc = reports_open_performance(c, &p, &a, call.id, 3, &round_no, &reports);
    for (int k = 0; rc == DB_OK && k < 6; k++) {
        void *out = arena_alloc(&a, call_reviewer_entity.size);
        rc = out ? reviewers_add(c, &p, &a, call.id, users[k], 0, out) : DB_ERR;
    }
    if (rc == DB_OK) rc = reviews_assign_auto(c, &p, &a, call.id, 3, &assigned);
    if (rc == DB_OK) rc = score_all(c, &a, call.id, round_no);
    if (rc == DB_OK) rc = reviews_close_round(c, &p, &a, call.id, round_no);
    if (rc != DB_OK) fprintf(stderr, "kepu demo: experts and funded projects: error %d\n", rc);
    arena_free(&a);
    return rc == DB_OK ? 0 : 1;
}
