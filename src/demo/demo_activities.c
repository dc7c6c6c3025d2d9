/* demo_activities.c - a year of activities for the demo city, written through the activity
 * register so that every roll-up is exactly what the records say. The figures follow the rhythm
 * of the work: more in May (科技活动周) and September (全国科普日), lectures and trainings at
 * the teaching points, publicity and contests at district level. */
#include "demo/demo.h"
#include "activities/activities.h"
#include "targets/targets.h"
#include "stats/windows.h"
#include "forms/forms.h"
#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *kind, *title; int lo, hi; } templates[] = {
    {"lecture", "防范电信网络诈骗讲座", 40, 160}, {"lecture", "老年人健康养生讲座", 30, 120},
    {"training", "智能手机使用培训", 20, 60}, {"training", "应急救护培训", 20, 80},
    {"publicity", "食品安全宣传", 80, 400}, {"publicity", "防灾减灾科普宣传", 100, 500},
    {"exhibition", "科普展览进社区", 150, 800}, {"contest", "科学知识竞赛", 50, 300},
    {"volunteer", "科技志愿服务活动", 30, 200}, {"community", "科普进社区", 60, 300},
    {"campus", "科普进校园", 100, 600}, {"rural", "科技下乡", 80, 400},
    {"live", "线上科普直播", 200, 3000}, {"video", "科普短视频", 0, 0},
};
static const char *const audiences[] = {"elderly", "youth", "public", "farmers", "workers"};
static const char *const tags[] = {"[\"防诈骗\"]", "[\"健康\"]", "[\"应急\"]", "[\"衣食住行用\"]",
                                   "[\"生长老病死\"]", "[\"数字技能\"]"};

/* The demo writes as a system admin that sees everything (audit entries name "demo"). */

/* Months weighted to the year's peaks: May and September count three times. */
static int random_month(void)
{
    static const int weights[12] = {1, 1, 2, 2, 3, 2, 1, 1, 3, 2, 2, 1};
    int total = 0, pick;
    for (int i = 0; i < 12; i++) total += weights[i];
    pick = rand() % total;
    for (int i = 0; i < 12; i++)
        if ((pick -= weights[i]) < 0) return i + 1;
    return 12;
}

/* How busy a district is, in percent of the base rate, so the demo city looks like a real one
 * (issue 14 item 24): the urban core and the new areas work most, the mountain counties least;
 * the rest of the urban ring near 100, the counties near 55. Each district then moves by up to
 * ±15 of its own (by its id), so no two look alike. */
static const struct { const char *code; int percent; } busy[] = {
    {"500103", 210}, {"500112", 190}, {"500105", 170}, {"500107", 165}, {"500106", 150},
    {"500108", 140}, {"500101", 135}, {"LJXQ", 160}, {"GXQ", 125}, {"500102", 115},
    {"500109", 110}, {"500113", 105}, {"500104", 70}, {"500229", 30}, {"500238", 35},
    {"500237", 40}, {"500242", 45}, {"500243", 45}, {"500240", 50}, {"WSJKQ", 60},
};

/* The SQL of the orgs that hold activities: id, whether a teaching point, and the percent of its
 * district (100 above districts: societies and bases), in id order; in the arena. */
static const char *busy_sql(arena *a)
{
    const char *cases = "";
    for (size_t i = 0; i < sizeof busy / sizeof *busy; i++)
        cases = arena_printf(a, "%s WHEN '%s' THEN %d", cases, busy[i].code, busy[i].percent);   /* constants above */
    return arena_printf(a, "SELECT o.id, CASE WHEN o.type = 'point' THEN 1 ELSE 0 END, COALESCE((SELECT "
                           "CASE d.code%s ELSE CASE WHEN d.code LIKE '5002%%' THEN 55 ELSE 100 END END "
                           "+ (d.id * 37) %% 31 - 15 FROM orgs d WHERE d.type = 'district' AND "
                           "substr(o.path, 1, length(d.path)) = d.path), 100) FROM orgs o "
                           "WHERE o.type IN ('point', 'district', 'society', 'base') ORDER BY o.id", cases);
}

/* A year of activities: per_point at each teaching point, twice that at districts, societies and
 * bases, scaled by the district's percent, none after until (the last day, or NULL). */
static int fill_activities(db *c, int year, int per_point, const char *until)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    srand((unsigned)year);
    static int64_t orgs[4096][3];   /* id, whether a teaching point, the district's percent */
    int n = demo_rows(c, busy_sql(&a), 0, 3, orgs[0], 4096);
    arena_free(&a), arena_init(&a);
    int created = 0, rc = n >= 0 ? DB_OK : DB_ERR;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t percent = orgs[i][2];
        int count = (int)(((orgs[i][1] ? per_point : per_point * 2) * percent + 50) / 100);
        for (int k = 0; rc == DB_OK && k < count; k++) {
            int t = orgs[i][1] ? rand() % 4 : 4 + rand() % 10;
            char day[11];
            /* nothing after today: the current year's records stop at its last day so far */
            for (int tries = 0; tries == 0 || (until && strcmp(day, until) > 0 && tries < 50); tries++)
                snprintf(day, sizeof day, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)random_month() % 100u,
                         (unsigned)demo_range(1, 28) % 100u);
            if (until && strcmp(day, until) > 0) snprintf(day, sizeof day, "%s", until);
            activity x = {.org_id = orgs[i][0], .kind = templates[t].kind, .title = templates[t].title,
                          .start_date = day, .end_date = day}, out;
            x.audience = audiences[rand() % 5];
            x.tags = tags[rand() % 6];
            /* busier districts also draw bigger crowds (halfway to their percent) */
            x.counts.v[M_PARTICIPANTS] = demo_range(templates[t].lo, templates[t].hi) * (100 + percent) / 200;
            x.counts.v[M_MATERIALS] = x.counts.v[M_PARTICIPANTS] * demo_range(0, 3);
            x.counts.v[M_VIDEOS] = !strcmp(x.kind, "video") ? demo_range(1, 5) : rand() % 10 == 0;
            x.counts.v[M_VIEWS] = !strcmp(x.kind, "live") || !strcmp(x.kind, "video") ? demo_range(500, 20000) : 0;
            x.counts.v[M_VOLUNTEERS] = demo_range(0, 12);
            x.counts.v[M_VOLUNTEER_HOURS] = x.counts.v[M_VOLUNTEERS] * demo_range(2, 4);
            x.counts.v[M_FUNDS] = demo_range(0, 20) * 100;
            /* one in five on the portal's calendar, its live ones with a room (no draw of rand():
             * the rest of the demo stays as it was) */
            x.is_public = created % 5 == 0;
            if (x.is_public && !strcmp(x.kind, "live"))
                x.stream_url = arena_printf(&a, "https://live.example.cn/kepu/%d", created);
            rc = activities_create(c, &demo, &a, &x, &out);
            created++;
            if (created % 200 == 0) arena_free(&a), arena_init(&a);
        }
    }
    arena_free(&a);
    if (rc != DB_OK) return -1;
    printf("demo activities: %d in %d\n", created, year);
    return 0;
}

/* Last year whole, this year up to today: "this year against last year" is true. */
int demo_step_activities(db *c, const demo_context *x)
{
    int rc = fill_activities(c, x->year - 1, 10, NULL);
    return rc == 0 ? fill_activities(c, x->year, 12, x->today) : rc;
}

/* Science Week (科技活动周, May) and Science Day (全国科普日, September) of the demo years. */
int demo_step_stats(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    static const struct { const char *code, *name, *from, *to; } windows[] = {
        {"science_week", "科技活动周", "05-17", "05-23"}, {"science_day", "全国科普日", "09-15", "09-21"}};
    int rc = DB_OK;
    for (int y = x->year - 1; rc == DB_OK && y <= x->year; y++)
        for (size_t i = 0; rc == DB_OK && i < sizeof windows / sizeof *windows; i++) {
            stat_window in = {.code = windows[i].code, .name = windows[i].name, .year = y,
                              .from = arena_printf(&a, "%04d-%s", y % 10000, windows[i].from),
                              .to = arena_printf(&a, "%04d-%s", y % 10000, windows[i].to)}, out;
            rc = windows_create(c, &demo, &a, &in, &out);
        }
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}

/* The year's targets of the demo city, so that the progress views have something true to show. */
int demo_step_targets(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    /* window: what follows the year in the period; from and to: month and day in the year */
    static const struct { const char *title, *metric, *window, *from, *to, *applies, *each; int64_t goal; } list[] = {
        {"科技活动周全市活动不少于2000场", "activities", ":science_week", "05-17", "05-23", "subtree", NULL, 2000},
        {"全年参与人次", "participants", "", "01-01", "12-31", "subtree", NULL, 500000},
        {"每个教学点全年活动不少于12场", "activities", "", "01-01", "12-31", "each", "point", 12},
        {"每个学会全年科普讲座不少于3场", "kind.lecture", "", "01-01", "12-31", "each", "society", 3},
    };
    int rc = DB_OK, y = x->year % 10000;
    for (size_t i = 0; rc == DB_OK && i < sizeof list / sizeof *list; i++) {
        target t = {.org_id = x->city_id, .title = list[i].title, .metric = list[i].metric,
                    .period = arena_printf(&a, "%04d%s", y, list[i].window),
                    .period_from = arena_printf(&a, "%04d-%s", y, list[i].from),
                    .period_to = arena_printf(&a, "%04d-%s", y, list[i].to), .goal = list[i].goal,
                    .applies = list[i].applies, .each_type = list[i].each}, out;
        rc = targets_save(c, &demo, &a, 0, &t, &out);
    }
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}

/* A monthly form of the city filled by its districts, January to the last month ended: most on time, some
 * late, some missing, one returned for correction; so completeness views show a real picture. */
int demo_step_forms(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    form in = {.org_id = x->city_id, .title = "区县科普经费与作品月报", .period_type = "month", .filler_type = "district",
               .deadline_days = 10,
               .fields = "[{\"key\":\"funds\",\"label\":\"科普经费(元)\",\"metric\":\"funds\"},"
                         "{\"key\":\"videos\",\"label\":\"原创短视频\",\"metric\":\"videos\"}]"}, f;
    int rc = forms_create(c, &demo, &a, &in, &f);
    int64_t ids[64];
    int n = rc == DB_OK ? demo_ids(c, "SELECT id FROM orgs WHERE type = 'district' ORDER BY id", 0, ids, 64) : 0;
    srand(99);
    for (int month = 1; rc == DB_OK && month <= x->month - 1; month++) {
        char period_text[8], day[11];
        snprintf(period_text, sizeof period_text, "%04u-%02u", (unsigned)x->year % 10000u, (unsigned)month % 100u);
        snprintf(day, sizeof day, "%s-01", period_text);
        for (int i = 0; rc == DB_OK && i < n; i++) {
            if (rand() % 10 == 0) continue;                       /* missing */
            json_t *values = json_pack("{s:i, s:i}", "funds", 5000 + rand() % 50000, "videos", rand() % 6);
            jw w;
            jw_init(&w);
            rc = forms_save_report(c, &demo, &a, &f, ids[i], period_text, day, values, true, &w);
            jw_free(&w);
            json_decref(values);
        }
    }
    arena_free(&a);   /* kept to the end: the form read above lives in it */
    return rc == DB_OK ? 0 : -1;
}
