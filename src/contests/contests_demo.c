/* contests_demo.c - the contests' part of the demo city (demo/demo.h): one open city contest (the
 * public, students and volunteers) with three dozen public players spread over the districts who
 * finished their papers (some better than others), and one self-assessment questionnaire, both
 * published, drawn from the question bank's literacy dimensions (the quiz module's demo step runs
 * first; with an empty bank the papers are left out). Written through the module's own writers,
 * with fixed seeds so that every run draws the same papers. */
#include "contests/contests_internal.h"
#include "core/timeutil.h"
#include "db/query.h"
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

/* The answer to question no of an attempt, right or wrong on purpose: the key read back and put
 * in the person's shown labels (a new reference; NULL on error). */
static json_t *demo_answer(db *c, int64_t attempt, int no, bool right)
{
    qb q;
    qb_init(&q, "SELECT qq.type, v.answer, p.option_order FROM contest_papers p JOIN question_versions v ON v.question_id = "
                "p.question_id AND v.version = p.version JOIN questions qq ON qq.id = p.question_id WHERE p.attempt_id = ? "
                "AND p.no = ?");
    qb_int(&q, attempt), qb_int(&q, no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s || db_step(s) != DB_ROW) { if (s) db_finish(s); return NULL; }
    const char *type = db_col_text(s, 0);
    json_t *key = json_loads(db_col_text(s, 1), JSON_DECODE_ANY, NULL), *order = json_loads(db_col_text(s, 2) ? db_col_text(s, 2) : "[]", 0, NULL);
    json_t *out = NULL;
    if (!strcmp(type, "true_false")) {
        out = json_boolean(json_is_true(key) == right);
    } else if (!strcmp(type, "fill_in")) {
        out = right ? json_incref(json_array_get(key, 0)) : json_string("不知道");
    } else {
        /* choices: the shown label of each stored label of the key (a wrong one shifted by one) */
        json_t *labels = json_is_array(key) ? json_incref(key) : json_pack("[O]", key);
        out = json_array();
        size_t n = json_array_size(order), i, k;
        for (i = 0; i < json_array_size(labels); i++) {
            int stored = json_string_value(json_array_get(labels, i))[0] - 'A';
            for (k = 0; k < n; k++)
                if (json_integer_value(json_array_get(order, k)) == stored) break;
            char l[2] = {(char)('A' + (right ? k : (k + 1) % (n ? n : 1))), 0};
            json_array_append_new(out, json_string(l));
        }
        json_decref(labels);
        if (!strcmp(type, "single")) { json_t *one = json_incref(json_array_get(out, 0)); json_decref(out); out = one; }
    }
    json_decref(key), json_decref(order);
    db_finish(s);
    return out;
}

/* One player: registered, one paper started (seed fixed), answered with skill in 10, submitted. */
static int demo_player(db *c, arena *a, const contest *ct, int i, int64_t district)
{
    static const char *const names[] = {"陈思远", "刘佳怡", "张浩然", "王梓涵", "李俊杰", "赵雨桐", "黄子轩", "周欣妍", "吴宇航"};
    int64_t id;
    const char *dname, *key;
    actor who = actor_system();
    int rc = contest_player_register_unscoped(c, a, who, ct, names[i % 9], arena_printf(a, "137%08d", 52000000 + i),
                                              district, &id, &dname, &key);
    if (rc != DB_OK) return rc;
    contest_person pp = {.kind = "player", .id = id};
    jw w;
    jw_init(&w);
    rc = attempts_start_seeded(c, a, who, ct, &pp, (uint64_t)(i + 1) * 7919, &w, NULL);
    json_t *paper = rc == DB_OK ? jw_to_json(&w) : NULL;
    jw_free(&w);
    if (rc != DB_OK) return rc;
    int64_t attempt = json_integer_value(json_object_get(paper, "attempt_id"));
    const char *token = arena_strdup(a, json_string_value(json_object_get(paper, "attempt_token")));
    int n = (int)json_array_size(json_object_get(paper, "questions"));
    json_decref(paper);
    for (int no = 1; rc == DB_OK && no <= n; no++) {
        json_t *ans = demo_answer(c, attempt, no, (i * 7 + no * 3) % 10 < 3 + i % 7);
        rc = ans ? attempts_answer(c, a, ct->id, attempt, token, no, ans) : DB_ERR;
        json_decref(ans);
    }
    jw_init(&w);
    if (rc == DB_OK) rc = attempts_submit(c, a, who, ct->id, attempt, token, &w);
    jw_free(&w);
    return rc;
}

static int demo_players(db *c, arena *a, const contest *ct)
{
    int64_t districts[41];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'district' ORDER BY id", 0, districts, 41);
    if (n <= 0) return DB_OK;
    for (int i = 0; i < 36; i++) {
        int rc = demo_player(c, a, ct, i, districts[(i * 7) % (n < 12 ? n : 12)]);   /* three or so in each of 12 */
        if (rc == CT_NO_QUESTIONS) return DB_OK;   /* no bank to draw from: the contest stays empty */
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
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
    if (rc == DB_OK) rc = demo_players(c, &a, &out);
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
