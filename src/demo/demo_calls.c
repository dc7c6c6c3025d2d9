/* demo_calls.c - the demo city's calls (issue 15): each builtin template run to a stage that
 * follows the demo's today, written through the calls module's own functions (their checks,
 * counters, history and audit) with demo_principal_unscoped(); a reviewer scores as itself (the
 * demo principal with that account's id, since a sheet is reachable by its reviewer only).
 * Y0 of a template with a fixed deadline is the latest year whose deadline has passed, Y1 the next.
 *   lecture_collection: Y0 final (3-5 lectures a society), Y1 open (60% done, 20% behind);
 *   demo_point: Y0 in review (districts nominate up to 3 points, 2 sheets an entry, one missing);
 *   key_project: this year's in review (blind, 5 reviewers, partly scored); last year's decided,
 *     funded, final and paid (60% to every project, the rest to three);
 *   base: final this year, 7 titles named; youth_contest: final with awards by share and
 *     certificates (40 entries); excellent_teacher: at the district stage (some recommended);
 *   rural_top10: in 公示 with one objection; excellent_work: in review, half the sheets scored.
 * The checklist items are answered without evidence files (uploads are left out of the demo), so
 * they are not claimed. A call that ran before its deadline is entered first and given its real
 * deadline afterwards (entries count on the day the demo runs). tests/demo_city.sh checks the
 * stages by the same date rule. */
#include "demo/demo.h"
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "calls/reviews_internal.h"
#include "core/period.h"
#include "db/query.h"
#include "targets/targets.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REVIEWERS 12
#define MAX_ENTRIES 128

typedef struct dc {
    db *c;
    arena *a;
    principal p;
    const demo_context *x;
    int64_t rev_ids[REVIEWERS];
    int nrev;
} dc;

/* The year of the latest mm-dd deadline that has passed by today. */
static int passed_year(const demo_context *x, const char *mmdd)
{
    return strcmp(x->today + 5, mmdd) > 0 ? x->year : x->year - 1;
}

static const char *day_from_today(dc *d, int days)
{
    char *out = arena_alloc(d->a, 11);
    day_add(d->x->today, days, out);
    return out;
}

/* ---- the call --------------------------------------------------------------------------------- */

static const char *member_text(dc *d, json_t *cfg, const char *name)
{
    json_t *v = json_object_get(cfg, name);
    if (!v) return NULL;
    if (json_is_string(v)) return arena_strdup(d->a, json_string_value(v));
    char *s = json_dumps(v, JSON_COMPACT);
    const char *out = s ? arena_strdup(d->a, s) : NULL;
    free(s);
    return out;
}

/* A call of the builtin template code, owned by the city, opened; its deadline (a day) in the
 * future at first when deadline is already past (set_deadline() then gives it the real one). */
static int open_call(dc *d, const char *code, int year, const char *title, const char *deadline, call_rec *out)
{
    qb q;
    qb_init(&q, "SELECT config FROM call_templates WHERE code = ? AND builtin = 1");
    qb_text(&q, code);
    db_stmt *s = qb_prepare(&q, d->c);
    if (!s) return DB_ERR;
    json_t *cfg = db_step(s) == DB_ROW ? json_loads(db_col_text(s, 0), 0, NULL) : NULL;
    db_finish(s);
    if (!cfg) return DB_ERR;
    char dl[32];
    const char *first = strcmp(deadline, d->x->today) < 0 ? day_from_today(d, 30) : deadline;
    calls_deadline_normalise(first, dl);
    call_rec in = {.template_code = code, .org_id = d->x->city_id, .year = year, .title = title,
                   .form = member_text(d, cfg, "form"), .stages = member_text(d, cfg, "stages"),
                   .review = member_text(d, cfg, "review"), .awards = member_text(d, cfg, "awards"),
                   .designation = member_text(d, cfg, "designation"), .eligible = member_text(d, cfg, "eligible"),
                   .eligible_types = member_text(d, cfg, "eligible_types"), .late_policy = member_text(d, cfg, "late_policy"),
                   .person_kind = member_text(d, cfg, "person_kind"),
                   .min_per_unit = json_integer_value(json_object_get(cfg, "min_per_unit")),
                   .max_per_unit = json_integer_value(json_object_get(cfg, "max_per_unit")),
                   .resubmit_days = json_integer_value(json_object_get(cfg, "resubmit_days")),
                   .deadline = arena_strdup(d->a, dl)};
    if (!in.eligible) in.eligible = "types";
    if (!in.late_policy) in.late_policy = "refuse";
    if (!in.stages) in.stages = "[]";
    json_decref(cfg);
    call_rec made;
    int rc = calls_create(d->c, &d->p, d->a, &in, &made);
    return rc == DB_OK ? calls_move(d->c, &d->p, d->a, made.id, "open", out) : rc;
}

/* The call's real deadline (a day), once its entries are in. */
static int set_deadline(dc *d, call_rec *call, const char *day)
{
    char dl[32];
    call_rec now;
    int rc = calls_get_managed(d->c, &d->p, d->a, call->id, &now);
    if (rc != DB_OK || !calls_deadline_normalise(day, dl)) return rc != DB_OK ? rc : DB_ERR;
    now.deadline = arena_strdup(d->a, dl);
    return calls_update(d->c, &d->p, d->a, call->id, &now, call);
}

static int move(dc *d, call_rec *call, const char *action)
{
    return calls_move(d->c, &d->p, d->a, call->id, action, call);
}

/* ---- entries ---------------------------------------------------------------------------------- */

static json_t *scalar(json_t *def, int k)
{
    const char *t = json_string_value(json_object_get(def, "type"));
    int64_t max = json_integer_value(json_object_get(def, "max"));
    if (!strcmp(t, "number")) return json_integer(max ? (20 + 7 * k) % max : 100 + 37 * k);
    if (!strcmp(t, "money")) return json_integer(10000 + 5000 * (k % 9));
    if (!strcmp(t, "date")) return json_string("2026-05-20");
    if (!strcmp(t, "choice")) {
        json_t *o = json_object_get(def, "options");
        return json_incref(json_array_get(o, (size_t)k % json_array_size(o)));
    }
    static const char *const shorts[] = {"王小明", "初二年级", "科普专员", "李老师"};
    if (max && max <= 50) return json_string(shorts[k % 4]);   /* within a short field's max */
    static const char *const texts[] = {"面向青少年的科学实践，结合本地特色持续开展", "依托社区与学校，常态化组织科普活动",
                                        "整合专家资源，线上线下同步推进", "聚焦应急与健康主题，群众参与度高"};
    return json_string(texts[k % 4]);
}

/* Values every field of the form accepts: checklist items answered but not claimed (no evidence
 * files in the demo), one or two rows, a person typed by name; files and figures left out. */
static json_t *values_for(const char *form_text, int k)
{
    json_t *form = json_loads(form_text, 0, NULL), *values = json_object(), *def, *x;
    size_t i, j;
    json_array_foreach(form, i, def) {
        const char *t = json_string_value(json_object_get(def, "type"));
        const char *key = json_string_value(json_object_get(def, "key"));
        json_t *v = NULL;
        if (!strcmp(t, "person")) {
            static const char *const names[] = {"王建国", "李雪梅", "张志刚", "陈思雨", "刘海燕", "杨文博"};
            v = json_pack("{s:s}", "name", names[k % 6]);
        } else if (!strcmp(t, "checklist")) {
            v = json_object();
            json_array_foreach(json_object_get(def, "items"), j, x)
                json_object_set_new(v, json_string_value(json_object_get(x, "key")), json_pack("{s:b}", "ok", 0));
        } else if (!strcmp(t, "rows")) {
            v = json_array();
            for (int r = 0; r < 1 + k % 2; r++) {
                json_t *row = json_object();
                json_array_foreach(json_object_get(def, "columns"), j, x)
                    json_object_set_new(row, json_string_value(json_object_get(x, "key")), scalar(x, k + r));
                json_array_append_new(v, row);
            }
        } else if (strcmp(t, "figure") && strcmp(t, "file") && strcmp(t, "photo") && strcmp(t, "node")) {
            v = scalar(def, k);
        }
        if (v) json_object_set_new(values, key, v);
    }
    json_decref(form);
    return values;
}

/* An entry of unit org_id, submitted; *id its id. */
static int enter(dc *d, const call_rec *call, int64_t org_id, const char *title, int k, int64_t *id)
{
    json_t *values = values_for(call->form, k);
    entry_rec e;
    int rc = entries_create(d->c, &d->p, d->a, call, org_id, title, values, &e);
    json_decref(values);
    if (rc == DB_OK) rc = entries_act(d->c, &d->p, d->a, e.id, ENTRY_SUBMIT, NULL, &e);
    if (id) *id = e.id;
    return rc;
}

static int recommend(dc *d, int64_t id)
{
    entry_rec e;
    return entries_act(d->c, &d->p, d->a, id, ENTRY_RECOMMEND, NULL, &e);
}

/* The entries of the call at the owner's stage, best first (score, then id). */
static int held_by_owner(dc *d, const call_rec *call, int64_t *ids, int max)
{
    return demo_rows(d->c, arena_printf(d->a, "SELECT id FROM call_entries WHERE call_id = ? AND stage_org_id = %lld "
                                              "AND status IN ('submitted', 'recommended', 'under_review') "
                                              "ORDER BY score_agg DESC, id", (long long)call->org_id),
                     call->id, 1, ids, max);
}

/* ---- review ----------------------------------------------------------------------------------- */

/* n reviewers of the call (the demo's district staff, from many districts), each sheet assigned
 * automatically (per_entry an entry, never of the entry's own district); then the sheets scored
 * in turn up to permille of them, less leave. */
static int score_sheets(dc *d, const call_rec *call, int n, int per_entry, int permille, int leave)
{
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n && i < d->nrev; i++) {
        void *out = arena_alloc(d->a, call_reviewer_entity.size);
        rc = reviewers_add(d->c, &d->p, d->a, call->id, d->rev_ids[(i * 5 + (int)call->id) % d->nrev], 0, out);
    }
    int64_t assigned = 0;
    if (rc == DB_OK) rc = reviews_assign_auto(d->c, &d->p, d->a, call->id, per_entry, &assigned);
    int64_t sheets[MAX_ENTRIES * 5][2];
    int ns = rc == DB_OK ? demo_rows(d->c, "SELECT id, user_id FROM call_reviews WHERE call_id = ? ORDER BY entry_id, id",
                                     call->id, 2, &sheets[0][0], MAX_ENTRIES * 5) : 0;
    review_cfg cfg;
    if (rc == DB_OK && (ns < 0 || review_cfg_read(call->review, d->a, &cfg) != DB_OK)) rc = DB_ERR;
    for (int i = 0; rc == DB_OK && i < ns; i++) {
        if ((int64_t)(i + leave) * 1000 >= (int64_t)permille * ns) break;
        json_t *scores = json_object();
        for (int k = 0; k < cfg.n; k++)
            json_object_set_new(scores, cfg.keys[k], json_pack("{s:I}", "score", (json_int_t)(cfg.max[k] * demo_range(55, 100) / 100)));
        principal r = d->p;
        r.user_id = r.scope.user_id = sheets[i][1];
        r.username = "reviewer";
        void *out = arena_alloc(d->a, call_review_entity.size);
        rc = reviews_save(d->c, &r, d->a, sheets[i][0], scores, "材料翔实，特色明显", true, out);
        json_decref(scores);
    }
    return rc;
}

/* Decides the held entries in rank order: levels[i] for the next counts[i] of them (amount each
 * when given), the rest rejected. */
static int decide_ranked(dc *d, const call_rec *call, const char *const *levels, const int *counts, int nlevels,
                         int64_t amount)
{
    int64_t ids[MAX_ENTRIES];
    int n = held_by_owner(d, call, ids, MAX_ENTRIES), rc = n < 0 ? DB_ERR : DB_OK, at = 0;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        while (at < nlevels && i >= counts[at]) at++;
        entry_decision out;
        bool chosen = at < nlevels;
        rc = results_decide(d->c, &d->p, d->a, ids[i], chosen ? "selected" : "rejected", chosen ? levels[at] : NULL,
                            chosen ? amount : 0, chosen ? "综合评审择优" : "未入选", &out);
    }
    return rc;
}

/* The 公示 until ends_day; ended at once (with its reason) when ends_day is NULL. */
static int publicize(dc *d, const call_rec *call, const char *ends_day)
{
    publicity out;
    int rc = results_publicize(d->c, &d->p, d->a, call->id, ends_day ? ends_day : day_from_today(d, 7),
                               "经评审，拟定结果如下，现予公示。", NULL, &out);
    if (rc == DB_OK && !ends_day) rc = results_publicize(d->c, &d->p, d->a, call->id, out.starts_at, NULL, "公示期满", &out);
    return rc;
}

static int decide_and_finalize(dc *d, call_rec *call, const char *const *levels, const int *counts, int nlevels,
                               int64_t amount)
{
    int rc = decide_ranked(d, call, levels, counts, nlevels, amount);
    if (rc == DB_OK) rc = publicize(d, call, NULL);
    return rc == DB_OK ? results_finalize(d->c, &d->p, d->a, call->id, call) : rc;
}

static int close_round(dc *d, const call_rec *call)
{
    return reviews_close_round(d->c, &d->p, d->a, call->id, REVIEW_ROUND);
}

/* ---- the templates ---------------------------------------------------------------------------- */

#define ORGS_OF(type) "SELECT id FROM orgs WHERE type = '" type "' ORDER BY id"
#define POINTS_OF "SELECT p.id FROM orgs p JOIN orgs t ON substr(p.path, 1, length(t.path)) = t.path " \
                  "WHERE t.id = ? AND p.type = 'point' ORDER BY p.id"

/* 科普大讲堂: Y0 final with 3-5 lectures a society, all adopted; Y1 open, 60% of the societies
 * done (3 lectures), 20% behind (1), the rest not started. */
static int lectures(dc *d)
{
    int64_t soc[16];
    int n = demo_ids(d->c, ORGS_OF("society"), 0, soc, 16), y0 = passed_year(d->x, "02-28");
    if (n <= 0) return DB_ERR;
    call_rec call;
    int rc = open_call(d, "lecture_collection", y0, arena_printf(d->a, "%d年科普大讲堂讲座征集", y0),
                       arena_printf(d->a, "%d-02-28", y0), &call);
    for (int i = 0; rc == DB_OK && i < n; i++)
        for (int k = 0; rc == DB_OK && k < 3 + (i * 7) % 3; k++)
            rc = enter(d, &call, soc[i], arena_printf(d->a, "科普讲座%d-%d", i + 1, k + 1), i + k, NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, arena_printf(d->a, "%d-02-28", y0));
    if (rc == DB_OK) rc = move(d, &call, "close");
    static const char *const adopt[] = {NULL};
    static const int all[] = {MAX_ENTRIES};
    if (rc == DB_OK) rc = decide_and_finalize(d, &call, adopt, all, 1, 0);
    if (rc == DB_OK)
        rc = open_call(d, "lecture_collection", y0 + 1, arena_printf(d->a, "%d年科普大讲堂讲座征集", y0 + 1),
                       arena_printf(d->a, "%d-02-28", y0 + 1), &call);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int lectures = i * 10 < 6 * n ? 3 : i * 10 < 8 * n ? 1 : 0;
        for (int k = 0; rc == DB_OK && k < lectures; k++)
            rc = enter(d, &call, soc[i], arena_printf(d->a, "%d年讲座%d-%d", y0 + 1, i + 1, k + 1), i + k + 1, NULL);
    }
    return rc;
}

/* 示范教学点: Y0's nominations (1-3 points in each of 12 districts, each recommended by its
 * district), closed, 2 sheets an entry by reviewers of other districts, one sheet still missing. */
static int demo_points(dc *d)
{
    int64_t dist[64], pts[3];
    int nd = demo_ids(d->c, ORGS_OF("district"), 0, dist, 64), y0 = passed_year(d->x, "10-31");
    if (nd < 12) return DB_ERR;
    call_rec call;
    int rc = open_call(d, "demo_point", y0, arena_printf(d->a, "%d年示范教学点申报", y0), arena_printf(d->a, "%d-10-31", y0),
                       &call);
    for (int i = 0; rc == DB_OK && i < 12; i++) {
        int np = demo_ids(d->c, POINTS_OF, dist[i], pts, 1 + i % 3);
        for (int k = 0; rc == DB_OK && k < np; k++) {
            int64_t id = 0;
            rc = enter(d, &call, pts[k], arena_printf(d->a, "示范教学点申报%d-%d", i + 1, k + 1), i + k, &id);
            if (rc == DB_OK) rc = recommend(d, id);
        }
    }
    if (rc == DB_OK) rc = set_deadline(d, &call, arena_printf(d->a, "%d-10-31", y0));
    if (rc == DB_OK) rc = move(d, &call, "close");
    return rc == DB_OK ? score_sheets(d, &call, 6, 2, 1000, 1) : rc;
}

/* Entries of the orgs of sql (at most max), submitted; the ids into out when given. */
static int enter_all(dc *d, const call_rec *call, const char *sql, int max, const char *title, int *n)
{
    int64_t ids[MAX_ENTRIES];
    int k = demo_ids(d->c, sql, 0, ids, max < MAX_ENTRIES ? max : MAX_ENTRIES), rc = k < 0 ? DB_ERR : DB_OK;
    for (int i = 0; rc == DB_OK && i < k; i++) rc = enter(d, call, ids[i], arena_printf(d->a, "%s%d", title, i + 1), i, NULL);
    if (n) *n = k;
    return rc;
}

/* Each funded project of the call paid in two parts: 60% on 1 July of year, the rest on 1 December
 * for the first three (the others still wait for their final report). */
static int pay(dc *d, const call_rec *call, int year)
{
    int64_t ids[MAX_ENTRIES];
    int n = demo_ids(d->c, "SELECT id FROM call_entries WHERE call_id = ? AND award_amount > 0 ORDER BY id", call->id, ids,
                     MAX_ENTRIES), rc = n < 0 ? DB_ERR : DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        entry_rec e;
        void *out = arena_alloc(d->a, fund_disbursement_entity.size);
        rc = entity_get_unscoped(d->c, &call_entry_entity, d->a, ids[i], &e);   /* the demo's own entry */
        if (rc == DB_OK) rc = funds_disburse(d->c, &d->p, d->a, &e, 60000, arena_printf(d->a, "%d-07-01", year), "首期拨付", out);
        if (rc == DB_OK && i < 3)
            rc = funds_disburse(d->c, &d->p, d->a, &e, 40000, arena_printf(d->a, "%d-12-01", year), "尾款拨付", out);
    }
    return rc;
}

#define APPLICANTS "SELECT id FROM orgs WHERE type IN ('base', 'unit', 'society', 'district') ORDER BY type, id"

/* 重点科普项目: last year's funded (5 of 10 at 100,000 yuan), final and paid; this year's closed and
 * in blind review, 5 reviewers an entry, 60% of the sheets scored. */
static int key_projects(dc *d)
{
    call_rec call;
    int y = d->x->year;
    int rc = open_call(d, "key_project", y - 1, arena_printf(d->a, "%d年重点科普项目资助", y - 1),
                       arena_printf(d->a, "%d-04-30", y - 1), &call);
    if (rc == DB_OK) rc = enter_all(d, &call, APPLICANTS, 10, "重点科普项目", NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, arena_printf(d->a, "%d-04-30", y - 1));
    if (rc == DB_OK) rc = move(d, &call, "close");
    if (rc == DB_OK) rc = score_sheets(d, &call, 8, 5, 1000, 0);
    if (rc == DB_OK) rc = close_round(d, &call);
    static const char *const funded[] = {"资助"};
    static const int five[] = {5};
    if (rc == DB_OK) rc = decide_and_finalize(d, &call, funded, five, 1, 100000);
    if (rc == DB_OK) rc = pay(d, &call, y - 1);
    if (rc == DB_OK)
        rc = open_call(d, "key_project", y, arena_printf(d->a, "%d年重点科普项目资助", y), day_from_today(d, -7), &call);
    if (rc == DB_OK) rc = enter_all(d, &call, APPLICANTS " LIMIT 40 OFFSET 3", 12, "重点科普项目申报", NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, day_from_today(d, -7));
    if (rc == DB_OK) rc = move(d, &call, "close");
    return rc == DB_OK ? score_sheets(d, &call, 8, 5, 600, 0) : rc;
}

/* The year's targets the calls feed: the city names 10 new bases (titles.base), every society
 * hands in at least 3 lectures (call_entries.lecture_collection). */
static int call_targets(dc *d)
{
    static const struct { const char *title, *metric, *applies, *each; int64_t goal; } list[] = {
        {"全年新认定科普教育基地不少于10个", "titles.base", "subtree", NULL, 10},
        {"每个学会向科普大讲堂征集报送讲座不少于3场", "call_entries.lecture_collection", "each", "society", 3},
    };
    int rc = DB_OK, y = d->x->year % 10000;
    for (size_t i = 0; rc == DB_OK && i < sizeof list / sizeof *list; i++) {
        target t = {.org_id = d->x->city_id, .title = list[i].title, .metric = list[i].metric,
                    .period = arena_printf(d->a, "%04d", y), .period_from = arena_printf(d->a, "%04d-01-01", y),
                    .period_to = arena_printf(d->a, "%04d-12-31", y), .goal = list[i].goal, .applies = list[i].applies,
                    .each_type = list[i].each}, out;
        rc = targets_save(d->c, &d->p, d->a, 0, &t, &out);
    }
    return rc;
}

/* 科普教育基地认定: final this year, 7 bases and units named (3 at level A, 4 at B), against the
 * city's target of 10 a year. */
static int bases(dc *d)
{
    call_rec call;
    int rc = call_targets(d);
    if (rc == DB_OK) rc = open_call(d, "base", d->x->year, arena_printf(d->a, "%d年科普教育基地认定", d->x->year), day_from_today(d, -7),
                       &call);
    if (rc == DB_OK) rc = enter_all(d, &call, "SELECT id FROM orgs WHERE type IN ('base', 'unit') ORDER BY id", 7,
                                    "科普教育基地申报", NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, day_from_today(d, -7));
    if (rc == DB_OK) rc = move(d, &call, "close");
    if (rc == DB_OK) rc = score_sheets(d, &call, 6, 3, 1000, 0);
    if (rc == DB_OK) rc = close_round(d, &call);
    static const char *const levels[] = {"A", "B"};
    static const int counts[] = {3, 7};
    return rc == DB_OK ? decide_and_finalize(d, &call, levels, counts, 2, 0) : rc;
}

/* 青少年科技创新大赛: 40 works of teaching points in 20 districts, each recommended by its
 * district, 5 blind sheets each, awards by share (10/20/40%), final with certificates. */
static int youth_contest(dc *d)
{
    int64_t dist[64], pts[2];
    int nd = demo_ids(d->c, ORGS_OF("district"), 0, dist, 64);
    call_rec call;
    int rc = nd >= 20 ? open_call(d, "youth_contest", d->x->year, arena_printf(d->a, "%d年青少年科技创新大赛", d->x->year),
                                  day_from_today(d, -14), &call) : DB_ERR;
    for (int i = 0; rc == DB_OK && i < 20; i++) {
        int np = demo_ids(d->c, POINTS_OF, dist[nd - 1 - i], pts, 2);
        for (int k = 0; rc == DB_OK && k < np; k++) {
            int64_t id = 0;
            rc = enter(d, &call, pts[k], arena_printf(d->a, "青少年科创作品%d-%d", i + 1, k + 1), i * 2 + k, &id);
            if (rc == DB_OK) rc = recommend(d, id);
        }
    }
    if (rc == DB_OK) rc = set_deadline(d, &call, day_from_today(d, -14));
    if (rc == DB_OK) rc = move(d, &call, "close");
    if (rc == DB_OK) rc = score_sheets(d, &call, 10, 5, 1000, 0);
    if (rc == DB_OK) rc = close_round(d, &call);
    /* by share of the 40: 10% 一等奖, 20% 二等奖, 40% 三等奖 (cumulative counts) */
    static const char *const levels[] = {"一等奖", "二等奖", "三等奖"};
    static const int counts[] = {4, 12, 28};
    return rc == DB_OK ? decide_and_finalize(d, &call, levels, counts, 3, 0) : rc;
}

/* 优秀教师: the pool's teachers (certified, filed or in the city pool) nominated by their units,
 * one or two at the points of several districts; each district has recommended its first upward
 * (at most two a district), the rest still wait at the district; a few nominations are drafts. */
static int excellent_teachers(dc *d)
{
    int64_t rows[24][2];
    int n = demo_rows(d->c, "SELECT id, org_id FROM teachers WHERE status IN ('certified', 'filed', 'city_pool') ORDER BY id",
                      0, 2, &rows[0][0], 24);
    call_rec call;
    int rc = n >= 6 ? open_call(d, "excellent_teacher", d->x->year, arena_printf(d->a, "%d年优秀科普教师评选", d->x->year),
                                day_from_today(d, 30), &call) : DB_ERR;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        json_t *values = values_for(call.form, i);
        json_object_set_new(values, "teacher", json_pack("{s:I}", "id", (json_int_t)rows[i][0]));
        entry_rec e;
        rc = entries_create(d->c, &d->p, d->a, &call, rows[i][1], arena_printf(d->a, "优秀教师推荐%d", i + 1), values, &e);
        json_decref(values);
        if (rc == DB_OK && i % 5 != 4) rc = entries_act(d->c, &d->p, d->a, e.id, ENTRY_SUBMIT, NULL, &e);
    }
    int64_t first[24];
    int nf = rc == DB_OK ? demo_ids(d->c, "SELECT MIN(id) FROM call_entries WHERE call_id = ? AND status = 'submitted' "
                                          "GROUP BY branch_path ORDER BY MIN(id)", call.id, first, 24) : -1;
    if (nf < 0) rc = DB_ERR;
    for (int i = 0; rc == DB_OK && i < nf - 1; i++) rc = recommend(d, first[i]);   /* the last district still deciding */
    return rc;
}

/* 十强农技协: the societies' entries scored (3 sheets each), 4 selected, in 公示 for a week with
 * one objection waiting for its answer. */
static int rural_top10(dc *d)
{
    call_rec call;
    int64_t first = 0;
    int rc = open_call(d, "rural_top10", d->x->year, arena_printf(d->a, "%d年十强农技协评选", d->x->year),
                       day_from_today(d, -21), &call);
    if (rc == DB_OK) rc = enter_all(d, &call, ORGS_OF("society"), 8, "农技协申报", NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, day_from_today(d, -21));
    if (rc == DB_OK) rc = move(d, &call, "close");
    if (rc == DB_OK) rc = score_sheets(d, &call, 6, 3, 1000, 0);
    if (rc == DB_OK) rc = close_round(d, &call);
    static const char *const levels[] = {"十强"};
    static const int counts[] = {4};
    if (rc == DB_OK) rc = decide_ranked(d, &call, levels, counts, 1, 0);
    if (rc == DB_OK) rc = publicize(d, &call, day_from_today(d, 5));
    if (rc == DB_OK && demo_ids(d->c, "SELECT id FROM call_entries WHERE call_id = ? AND outcome = 'selected' ORDER BY id",
                                call.id, &first, 1) != 1)
        rc = DB_ERR;
    objection o;
    if (rc == DB_OK)
        rc = results_object_unscoped(d->c, d->a, call.id, first, "刘先生", "13800138000",
                                     "该协会年度活动场次与申报材料不符，请核实。", "127.0.0.1", "demo", &o);
    return rc;
}

/* 优秀科普作品: 12 works in blind review, 3 sheets each, half of them scored. */
static int excellent_works(dc *d)
{
    call_rec call;
    int rc = open_call(d, "excellent_work", d->x->year, arena_printf(d->a, "%d年优秀科普作品和典型案例", d->x->year),
                       day_from_today(d, -10), &call);
    if (rc == DB_OK)
        rc = enter_all(d, &call, "SELECT id FROM orgs WHERE type IN ('point', 'society', 'base') ORDER BY type DESC, id", 12,
                       "优秀科普作品", NULL);
    if (rc == DB_OK) rc = set_deadline(d, &call, day_from_today(d, -10));
    if (rc == DB_OK) rc = move(d, &call, "close");
    return rc == DB_OK ? score_sheets(d, &call, 6, 3, 500, 0) : rc;
}

int demo_step_calls(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    dc d = {.c = c, .a = &a, .p = demo_principal_unscoped(), .x = x};
    d.nrev = demo_ids(c, "SELECT id FROM users WHERE role = 'staff' AND username LIKE 'd%' ORDER BY id", 0, d.rev_ids,
                      REVIEWERS);
    int (*const steps[])(dc *) = {lectures, demo_points, key_projects, bases, youth_contest, excellent_teachers,
                                  rural_top10, excellent_works};
    int rc = d.nrev == REVIEWERS ? DB_OK : DB_ERR;
    for (size_t i = 0; rc == DB_OK && i < sizeof steps / sizeof *steps; i++) {
        if ((rc = steps[i](&d)) != DB_OK) fprintf(stderr, "kepu demo: calls step %zu failed (%d)\n", i, rc);
        arena_free(&a);
        arena_init(&a);
    }
    arena_free(&a);
    int64_t n[2] = {0, 0};
    if (rc == DB_OK && demo_rows(c, "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM call_entries)", 0, 2, n, 1) == 1)
        printf("demo calls: %lld calls of the 8 builtin templates at today's stages, %lld entries\n", (long long)n[0],
               (long long)n[1]);
    return rc == DB_OK ? 0 : 1;
}
