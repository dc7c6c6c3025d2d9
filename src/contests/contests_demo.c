/* contests_demo.c - the contests' part of the demo city (demo/demo.h): one open city contest (the
 * public, students and volunteers) and one self-assessment questionnaire, both published, drawn
 * from the question bank's literacy dimensions. Written through the module's own writers. */
#include "contests/contests.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "teaching/teaching.h"
#include <stdio.h>
#include <string.h>

/* today + days at hh:00, Shanghai time, RFC 3339 (in the arena). */
static const char *demo_at(arena *a, const char *today, int days, int hh)
{
    time_t t = 0;
    course_time_parse(arena_printf(a, "%sT%02d:00:00+08:00", today, hh), &t);
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(t + (time_t)days * 86400, buf);
    return buf;
}

int demo_step_contests(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    contest in = {.org_id = x->city_id, .title = "全市公民科学素质知识竞赛", .kind = "contest",
                  .description = "面向全市市民、科普大学学员和志愿者，每人每天可答 3 次，取最好成绩。",
                  .opens_at = demo_at(&a, x->today, -7, 0), .closes_at = demo_at(&a, x->today, 30, 0),
                  .audience = "[\"public\",\"student\",\"volunteer\"]",
                  .rules = "[{\"category\":\"lit_knowledge\",\"difficulty\":0,\"count\":4,\"points\":5},"
                           "{\"category\":\"lit_method\",\"difficulty\":0,\"count\":3,\"points\":5},"
                           "{\"category\":\"lit_society\",\"difficulty\":0,\"count\":3,\"points\":5}]",
                  .shuffle_questions = true, .shuffle_options = true, .time_limit_s = 600, .attempts_per_day = 3,
                  .certificate_top = 10},
            out;
    int rc = contest_entity.create(c, &demo, &a, &in, &out);
    if (rc == DB_OK) rc = contests_publish(c, &demo, &a, out.id, &out);
    contest self = in;
    self.title = "公民科学素质自测";
    self.kind = "self_assessment";
    self.description = "按全国公民科学素质调查的测评方法计分，满 70 分即具备科学素质。";
    self.audience = "[\"public\",\"student\",\"volunteer\",\"staff\"]";
    self.attempts_per_day = 0, self.certificate_top = 0, self.time_limit_s = 900;
    if (rc == DB_OK) rc = contest_entity.create(c, &demo, &a, &self, &out);
    if (rc == DB_OK) rc = contests_publish(c, &demo, &a, out.id, &out);
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
