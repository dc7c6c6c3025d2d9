/* meetings_demo.c - the meetings' part of the demo city (demo/demo.h): the city's report meeting
 * in ten days for every district (2 places each), published, with participants registered by the
 * first districts, and a work meeting still in draft. Written through the module's own writers. */
#include "meetings/meetings.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "teaching/teaching.h"
#include <stdio.h>
#include <string.h>

/* today + days at hh:mm, Shanghai time, RFC 3339 (in the arena). */
static const char *demo_at(arena *a, const char *today, int days, int hh, int mm)
{
    time_t t = 0;
    course_time_parse(arena_printf(a, "%sT%02d:%02d:00+08:00", today, hh, mm), &t);
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(t + (time_t)days * 86400, buf);
    return buf;
}

static int demo_register(db *c, const principal *p, arena *a, int64_t meeting_id, const int64_t *units, int n)
{
    static const char *const names[] = {"陈志远", "刘雅琴", "张海涛", "王丽娟", "李建国", "赵敏", "黄晓东", "周婷"};
    static const char *const positions[] = {"科普部部长", "办公室主任", "科普部干事", "副主席"};
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        for (int k = 0; rc == DB_OK && k < 2 - (i % 2); k++) {
            int64_t id;
            meeting_participant in = {.name = names[(i * 2 + k) % 8], .position = positions[(i + k) % 4],
                                      .phone = arena_printf(a, "139%08d", 23000000 + i * 10 + k)};
            rc = participants_add(c, p, a, meeting_id, units[i], &in, &id);
        }
    }
    return rc;
}

int demo_step_meetings(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    meeting in = {.org_id = x->city_id, .title = "全市科普工作推进会暨全国科普日动员部署会", .kind = "report",
                  .starts_at = demo_at(&a, x->today, 10, 9, 0), .ends_at = demo_at(&a, x->today, 10, 11, 30),
                  .place = "市科技馆一楼报告厅", .agenda = "一、通报上半年全市科普工作情况\n二、部署全国科普日活动\n三、区县交流发言",
                  .contact = "市科协科普部 023-63800000", .registration_deadline = demo_at(&a, x->today, 7, 18, 0),
                  .default_quota = 2, .targeting = "{\"org_types\":[\"district\"]}"}, out;
    int rc = meeting_entity.create(c, &demo, &a, &in, &out);
    if (rc == DB_OK) rc = meetings_publish(c, &demo, &a, out.id, &out);
    int64_t units[6];
    int n = rc == DB_OK ? demo_ids(c, "SELECT org_id FROM meeting_units WHERE meeting_id = ? ORDER BY id", out.id, units, 6) : 0;
    if (rc == DB_OK && n > 0) rc = demo_register(c, &demo, &a, out.id, units, n);
    meeting draft = {.org_id = x->city_id, .title = "科普大学教学点负责人培训会", .kind = "training",
                     .starts_at = demo_at(&a, x->today, 21, 14, 0), .ends_at = demo_at(&a, x->today, 21, 17, 0),
                     .place = "市科协三楼会议室", .registration_deadline = demo_at(&a, x->today, 18, 18, 0),
                     .default_quota = 1, .targeting = "{\"org_types\":[\"district\"]}"};
    if (rc == DB_OK) rc = meeting_entity.create(c, &demo, &a, &draft, &out);
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
