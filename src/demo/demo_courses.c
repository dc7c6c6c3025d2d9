/* demo_courses.c - the demo city's teaching year, written through the teaching module so that
 * plans, steps, courses, roll-ups and audit entries are what real use would leave: every point
 * plans its spring and autumn terms, the spring plans are approved, most autumn plans too (some
 * still await review, a few were returned); courses follow the approved items, held with
 * attendance up to today (a few cancelled), scheduled after it. Items name certified teachers of
 * the point's district from the pool (the city pool where the district has none), so that the
 * teachers' pages count true courses. A target asks each point for 24
 * courses a year (示范教学点), so completion and progress show true figures. */
#include "demo/demo.h"
#include "teaching/teaching.h"
#include "targets/targets.h"
#include "core/arena.h"
#include "core/period.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *category, *topic; } topics[] = {
    {"anti_fraud", "识别电信网络诈骗"}, {"anti_fraud", "警惕保健品骗局"}, {"health", "高血压的日常管理"},
    {"health", "糖尿病饮食指导"}, {"food", "食品安全与合理膳食"}, {"food", "老年人营养搭配"},
    {"emergency", "家庭火灾逃生"}, {"emergency", "心肺复苏与AED使用"}, {"digital", "智能手机使用入门"},
    {"digital", "手机挂号与线上缴费"}, {"ageing", "防跌倒与居家适老化"}, {"illness", "常见慢病用药常识"},
    {"housing", "家庭用电安全"}, {"travel", "老年人出行安全"}, {"daily_use", "家用电器节能"},
    {"clothing", "四季穿衣与健康"}, {"growth", "隔代教育与儿童成长"}, {"environment", "垃圾分类进社区"},
    {"birth", "优生优育知识"}, {"death", "生前预嘱与安宁疗护"},
};
static const char *const teachers[] = {"王建国", "李秀英", "张志强", "刘芳", "陈医生", "杨警官", "赵工程师", "黄老师"};

/* Teachers a point may invite: certified ones of its district, or of the city pool. */
typedef struct pool {
    int n;
    int64_t ids[8];
    const char *names[8];
} pool;

static int pool_of_point(db *c, arena *a, int64_t point, pool *out)
{
    static const char *const sqls[] = {
        "SELECT t.id, t.name FROM orgs pt JOIN orgs d ON d.type = 'district' AND pt.path >= d.path "
        "AND pt.path < substr(d.path, 1, length(d.path) - 1) || '0' JOIN teachers t ON t.org_path >= d.path "
        "AND t.org_path < substr(d.path, 1, length(d.path) - 1) || '0' "
        "WHERE pt.id = ? AND t.status IN ('certified', 'filed', 'city_pool') ORDER BY t.id",
        "SELECT id, name FROM teachers WHERE status = 'city_pool' ORDER BY id",
    };
    out->n = 0;
    for (int k = 0; k < 2 && !out->n; k++) {
        db_stmt *s = db_prepare(c, sqls[k]);
        if (!s) return DB_ERR;
        if (k == 0) db_bind_int(s, 1, point);
        while (db_step(s) == DB_ROW && out->n < 8) {
            out->ids[out->n] = db_col_int(s, 0);
            out->names[out->n++] = arena_strdup(a, db_col_text(s, 1));
        }
        db_finish(s);
    }
    return DB_OK;
}
static const char *const records[] = {"讲解结合案例，学员积极提问。", "现场演示并分组练习，效果良好。",
                                      "发放科普资料，课后答疑半小时。", "学员反映内容实用，希望增加课时。"};

/* n items spread evenly over the term's days (from..to), in date order. */
static void make_items(arena *a, int year, const char *term, int n, const pool *pl, plan_item *items)
{
    char from[11], to[11];
    teaching_term_range(year, term, from, to);
    int span = !strcmp(term, "spring") ? 150 : 140;   /* days usable in the term */
    for (int i = 0; i < n; i++) {
        int t = rand() % (int)(sizeof topics / sizeof *topics);
        char *day = arena_alloc(a, 11);
        day_add(from, i * span / n + rand() % 4, day);
        if (strcmp(day, to) > 0) memcpy(day, to, 11);
        int k = rand() % 8;
        items[i] = (plan_item){.topic = topics[t].topic, .category = topics[t].category,
                               .teacher_name = pl->n ? pl->names[k % pl->n] : teachers[k],
                               .teacher_id = pl->n ? pl->ids[k % pl->n] : 0, .planned_date = day, .place = "社区活动室"};
    }
}

/* A course from each item: held if its day has passed (a few cancelled), scheduled after. */
static int courses_from_plan(db *c, const principal *p, arena *a, const plan *x, const char *today)
{
    plan_item *items;
    int n, rc = plans_items(c, a, x, &items, &n);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        bool morning = rand() % 2;
        course in = {.org_id = x->org_id, .plan_item_id = items[i].id, .capacity = 60,
                     .starts_at = arena_printf(a, "%sT%s+08:00", items[i].planned_date, morning ? "09:00:00" : "14:30:00"),
                     .ends_at = arena_printf(a, "%sT%s+08:00", items[i].planned_date, morning ? "10:30:00" : "16:00:00"),
                     .day = items[i].planned_date, .audience = "社区居民"}, out;
        rc = courses_create(c, p, a, &in, &out);
        if (rc != DB_OK || strcmp(items[i].planned_date, today) >= 0) continue;
        if (rand() % 25 == 0) rc = courses_cancel(c, p, a, out.id, "天气原因停课", &out);
        else rc = courses_hold(c, p, a, out.id, records[rand() % 4], demo_range(18, 58), &out);
    }
    return rc;
}

/* One point's year: both terms planned and reviewed, courses after the approved items. */
static int point_year(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *today, int k)
{
    static const char *const terms[] = {"spring", "autumn"};
    pool pl;
    int rc = pool_of_point(c, a, org_id, &pl);
    for (int t = 0; rc == DB_OK && t < 2; t++) {
        plan_item items[16];
        plan in = {.org_id = org_id, .year = year, .term = terms[t], .items = items, .nitems = 10 + rand() % 4,
                   .title = arena_printf(a, "%d年%s教学计划", year, t ? "秋季" : "春季")}, out;
        make_items(a, year, terms[t], in.nitems, &pl, items);
        rc = plans_create(c, p, a, &in, &out);
        if (rc == DB_OK) rc = plans_transition(c, p, a, out.id, "submit", NULL, &out);
        /* autumn: every tenth point still awaits review, every twentieth was returned */
        if (rc != DB_OK || (t == 1 && k % 10 == 3)) continue;
        if (t == 1 && k % 20 == 7) {
            rc = plans_transition(c, p, a, out.id, "return", "请补充应急安全类课程并注明授课教师", &out);
            continue;
        }
        rc = plans_transition(c, p, a, out.id, "approve", NULL, &out);
        if (rc == DB_OK) rc = courses_from_plan(c, p, a, &out, today);
    }
    return rc;
}

int demo_step_teaching(db *c, const demo_context *x)
{
    int year = x->year;
    principal demo = demo_principal_unscoped();
    srand((unsigned)year * 7u);
    int64_t ids[4096];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'point' ORDER BY id", 0, ids, 4096);
    int rc = n >= 0 ? DB_OK : DB_ERR;
    arena a;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        arena_init(&a);
        rc = point_year(c, &demo, &a, ids[i], year, x->today, i);
        arena_free(&a);
    }
    arena_init(&a);
    target t = {.org_id = x->city_id, .title = "示范教学点全年开课不少于24次", .metric = "courses",
                .period = arena_printf(&a, "%d", year), .period_from = arena_printf(&a, "%d-01-01", year),
                .period_to = arena_printf(&a, "%d-12-31", year), .goal = 24, .applies = "each", .each_type = "point",
                .each_title = "demo_point"}, out;
    if (rc == DB_OK) rc = targets_save(c, &demo, &a, 0, &t, &out);
    arena_free(&a);
    if (rc != DB_OK) return -1;
    printf("demo teaching: plans and courses at %d points in %d\n", n, year);
    return 0;
}
