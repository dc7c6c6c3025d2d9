/* contests.c - the contest record (see contests.h): its field table and scope rule (the org
 * subtree of the contest's owner), the checks of its audience and rules, create / update /
 * delete of a draft, publish and close. */
#include "contests/contests.h"
#include "audit/audit.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "orgs/orgs.h"
#include "teaching/teaching.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const contest_kinds[] = {"contest", "self_assessment", NULL};
const char *const contest_statuses[] = {"draft", "published", "closed", NULL};
const char *const contest_scorings[] = {"points", "literacy_national", NULL};
const char *const contest_audiences[] = {"public", "student", "volunteer", "staff", NULL};

/* A time in RFC 3339 normalised to Shanghai time, so that times compare as text. */
static const char *check_time(arena *a, const char **v)
{
    time_t t;
    if (!course_time_parse(*v, &t)) return "时间格式应为 RFC 3339，如 2026-05-18T09:30:00+08:00 / time must be RFC 3339";
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(t, buf);
    *v = buf;
    return NULL;
}

static const char *dump(arena *a, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT);
    const char *kept = text ? arena_strdup(a, text) : NULL;
    free(text);
    return kept;
}

/* ["public", "student", ...]: at least one, each once, each a known kind. */
static const char *check_audience(arena *a, json_t *v, const char **out)
{
    static const char *msg = "参与对象应为 public、student、volunteer、staff 中的一项或多项 / audience: one or more of public, student, volunteer, staff";
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 4) return msg;
    size_t i, j;
    json_t *x;
    json_array_foreach(v, i, x) {
        bool known = false;
        for (j = 0; json_is_string(x) && contest_audiences[j]; j++) known |= !strcmp(json_string_value(x), contest_audiences[j]);
        if (!known) return msg;
        for (j = 0; j < i; j++)
            if (json_equal(x, json_array_get(v, j))) return msg;
    }
    *out = dump(a, v);
    return *out ? NULL : msg;
}

/* [{category, difficulty 0..5, count 1..100, points 1..100}], 1..20 rules, 200 questions at most. */
static const char *check_rules(arena *a, json_t *v, const char **out)
{
    static const char *msg = "组卷规则应为 [{category, difficulty 0–5, count 1–100, points 1–100}]，共不超过 200 题 / "
                             "rules: [{category, difficulty 0-5, count 1-100, points 1-100}], 200 questions at most";
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 20) return msg;
    size_t i;
    json_t *x;
    json_int_t total = 0;
    json_array_foreach(v, i, x) {
        json_t *cat = json_object_get(x, "category"), *d = json_object_get(x, "difficulty");
        json_t *n = json_object_get(x, "count"), *pts = json_object_get(x, "points");
        if (!json_is_object(x) || json_object_size(x) > 4 || !json_is_string(cat) || !json_string_length(cat) ||
            json_string_length(cat) > 40 || (d && !json_is_integer(d)) || !json_is_integer(n) || !json_is_integer(pts))
            return msg;
        json_int_t dv = d ? json_integer_value(d) : 0, nv = json_integer_value(n), pv = json_integer_value(pts);
        if (dv < 0 || dv > 5 || nv < 1 || nv > 100 || pv < 1 || pv > 100) return msg;
        total += nv;
    }
    if (total > 200) return msg;
    *out = dump(a, v);
    return *out ? NULL : msg;
}

/* The number of questions and the most points of the rules (a read's derived members). */
static void contest_on_read(void *rec, arena *a)
{
    (void)a;
    contest *ct = rec;
    json_t *rules = json_loads(ct->rules ? ct->rules : "[]", 0, NULL);
    size_t i;
    json_t *x;
    ct->question_count = ct->max_score = 0;
    json_array_foreach(rules, i, x) {
        json_int_t n = json_integer_value(json_object_get(x, "count"));
        ct->question_count += n;
        ct->max_score += n * json_integer_value(json_object_get(x, "points"));
    }
    json_decref(rules);
}

#define M(member) offsetof(contest, member)
static const field contest_fields[] = {
    {"id", "ct.id", FT_ID, M(id), .flags = 0},
    {"org_id", "ct.org_id", FT_ID, M(org_id), .flags = FF_CREATE, .doc = "the organizer (default: the caller's org)"},
    {"org_path", "ct.org_path", FT_TEXT, M(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, M(org_name), .flags = 0},
    {"title", "ct.title", FT_TEXT, M(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 100,
     .example = "\"2026年全市科普知识竞赛\""},
    {"kind", "ct.kind", FT_ENUM, M(kind), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = contest_kinds,
     .doc = "contest 知识竞赛, self_assessment 科学素质自测"},
    {"description", "ct.description", FT_MULTILINE, M(description), .flags = FF_WRITE, .max = 4000},
    {"opens_at", "ct.opens_at", FT_TIME, M(opens_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"closes_at", "ct.closes_at", FT_TIME, M(closes_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"audience", "ct.audience", FT_JSON, M(audience), .flags = FF_WRITE | FF_REQUIRED, .check_json = check_audience,
     .example = "[\"public\", \"student\"]", .doc = "who takes part: public, student, volunteer, staff"},
    {"rules", "ct.rules", FT_JSON, M(rules), .flags = FF_WRITE | FF_REQUIRED, .check_json = check_rules,
     .example = "[{\"category\": \"lit_knowledge\", \"difficulty\": 0, \"count\": 10, \"points\": 5}]",
     .doc = "the paper: per rule, count questions of a category (difficulty 0: any) worth points each"},
    {"shuffle_questions", "ct.shuffle_questions", FT_BOOL, M(shuffle_questions), .flags = FF_WRITE},
    {"shuffle_options", "ct.shuffle_options", FT_BOOL, M(shuffle_options), .flags = FF_WRITE},
    {"time_limit_s", "ct.time_limit_s", FT_INT, M(time_limit_s), .flags = FF_WRITE | FF_REQUIRED, .min = 10, .max = 14400,
     .doc = "seconds per paper"},
    {"question_time_s", "ct.question_time_s", FT_INT, M(question_time_s), .flags = FF_WRITE, .min = 0, .max = 3600,
     .doc = "seconds per question (0: none)"},
    {"attempts_per_day", "ct.attempts_per_day", FT_INT, M(attempts_per_day), .flags = FF_WRITE, .min = 0, .max = 100,
     .doc = "0: no daily limit"},
    {"attempts_total", "ct.attempts_total", FT_INT, M(attempts_total), .flags = FF_WRITE, .min = 0, .max = 1000,
     .doc = "0: no limit"},
    {"certificate_top", "ct.certificate_top", FT_INT, M(certificate_top), .flags = FF_WRITE, .min = 0, .max = 10000,
     .doc = "certificates for the best N persons"},
    {"scoring", "ct.scoring", FT_ENUM, M(scoring), .flags = FF_WRITE, .choices = contest_scorings,
     .doc = "points; literacy_national for a self-assessment (default by kind)"},
    {"status", "ct.status", FT_ENUM, M(status), .flags = FF_FILTER, .choices = contest_statuses},
    {"question_count", NULL, FT_INT, M(question_count), .flags = FF_NO_SELECT},
    {"max_score", NULL, FT_INT, M(max_score), .flags = FF_NO_SELECT},
    {"published_at", "ct.published_at", FT_TIME, M(published_at), .flags = 0},
    {"created_by", "ct.created_by", FT_INT_NULL, M(created_by), .flags = 0},
    {"created_at", "ct.created_at", FT_TIME, M(created_at), .flags = 0},
    {"updated_at", "ct.updated_at", FT_TIME, M(updated_at), .flags = 0},
    {0},
};
#undef M

const error_row contest_errors[] = {
    {CT_NOT_FOUND, 404, "not_found", NULL, "竞赛不存在 / contest not found"},
    {CT_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {CT_STATE, 409, "contest_state", "status", "竞赛当前状态不允许此操作 / the contest's status does not allow this"},
    {CT_BAD_TIMES, 422, "invalid_field", "closes_at", "结束时间应晚于开始时间 / it must close after it opens"},
    {CT_NOT_OPEN, 409, "contest_not_open", NULL, "不在答题时间内 / the contest is not open now"},
    {CT_AUDIENCE, 403, "not_in_audience", "person_kind", "本竞赛不面向此类参与者 / this contest is not open to you"},
    {CT_BAD_KEY, 403, "invalid_key", "person_key", "身份凭证无效，请重新登记 / the person key is not valid; register again"},
    {CT_ATTEMPT_ACTIVE, 409, "attempt_active", NULL, "您有一份未交的答卷，请继续作答 / you have an attempt in progress; resume it"},
    {CT_EXHAUSTED_TODAY, 409, "attempts_exhausted_today", NULL, "今天的答题次数已用完 / no attempts left today"},
    {CT_EXHAUSTED, 409, "attempts_exhausted", NULL, "答题次数已用完 / no attempts left"},
    {CT_ATTEMPT_NOT_FOUND, 404, "not_found", NULL, "答卷不存在 / attempt not found"},
    {CT_ATTEMPT_OVER, 409, "attempt_over", NULL, "答题时间已到或答卷已交 / the attempt is over"},
    {CT_QUESTION_NOT_FOUND, 404, "not_found", "no", "试卷中没有该题 / no such question in the paper"},
    {CT_QUESTION_LATE, 409, "question_over", "no", "本题作答时间已到 / the time for this question is over"},
    {CT_NO_QUESTIONS, 409, "not_enough_questions", "rules",
     "题库中已审核的题目不足以按规则组卷 / too few reviewed questions in the bank for the rules"},
    {CT_DISTRICT_NOT_FOUND, 422, "invalid_field", "district_id", "请选择本竞赛范围内的区县 / choose a district of this contest"},
    {CT_PHONE_TAKEN, 409, "cannot_register",  "phone",
     "无法用此手机号登记；如已登记，请获取短信验证码找回 / cannot register this phone; if it registered, get an SMS code to continue"},
    {CT_BAD_ANSWER, 422, "invalid_field", "answer", "答案格式不符合题型 / the answer does not fit the question's type"},
    {CT_NOT_SELF, 409, "contest_state", "kind", "自测问卷没有排名和证书 / a self-assessment has no ranking or certificates"},
    {0},
};

int contests_get(db *c, const principal *p, arena *a, int64_t id, contest *out)
{
    return entity_get(c, &contest_entity, &p->scope, a, id, out);
}

int contests_get_public_unscoped(db *c, arena *a, int64_t id, contest *out)
{
    /* the public side: no user, the contest itself is public once published */
    int rc = entity_get_unscoped(c, &contest_entity, a, id, out);
    if (rc == DB_OK && !strcmp(out->status, "draft")) return CT_NOT_FOUND;
    return rc;
}

int contests_get_to_take(db *c, const principal *p, arena *a, int64_t id, contest *out)
{
    /* Taking part is not managing: a published contest is open to everyone of its org's subtree,
     * whatever their data scope, so the rule is the caller's home org inside the contest's. */
    int rc = contests_get_public_unscoped(c, a, id, out);
    if (rc == DB_OK && (!p->org_path || strncmp(p->org_path, out->org_path, strlen(out->org_path)))) return CT_NOT_FOUND;
    return rc;
}

bool contest_has_audience(const contest *ct, const char *kind)
{
    json_t *v = json_loads(ct->audience ? ct->audience : "[]", 0, NULL);
    size_t i;
    json_t *x;
    bool found = false;
    json_array_foreach(v, i, x) found |= json_is_string(x) && !strcmp(json_string_value(x), kind);
    json_decref(v);
    return found;
}

bool contest_window(const contest *ct, time_t *opens, time_t *closes)
{
    return course_time_parse(ct->opens_at, opens) && course_time_parse(ct->closes_at, closes);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const contest *in;
    contest *out;
};

static int check_input(contest *in)
{
    if (strcmp(in->closes_at, in->opens_at) <= 0) return CT_BAD_TIMES;
    if (!in->scoring) in->scoring = !strcmp(in->kind, "self_assessment") ? "literacy_national" : "points";
    return DB_OK;
}

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    contest in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return CT_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    if ((rc = check_input(&in)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"status", .text = "draft"},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &contest_entity, "contests", 0, &in, more, w->a, &id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &contest_entity, w->a, id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &contest_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

static int contests_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, create_cb, &(struct write_args){p, a, 0, in, out});
}

/* A draft changes freely; a published contest keeps its paper's rules (attempts were drawn by
 * them) but may change its text, window and limits. */
static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    contest before, in = *w->in;
    int rc = contests_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "closed")) return CT_STATE;
    if (strcmp(before.status, "draft") && (strcmp(before.rules, in.rules) || strcmp(before.kind, in.kind)))
        return CT_STATE;
    if ((rc = check_input(&in)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};   /* scoring (defaulted) is a field of in */
    rc = entity_store(c, &contest_entity, "contests", w->id, &in, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &contest_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &contest_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int contests_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, out});
}

static int remove_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    contest before;
    int rc = contests_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft")) return CT_STATE;   /* a published one is closed, not deleted */
    qb q;
    qb_init(&q, "DELETE FROM contests WHERE id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &contest_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, NULL);
}

static int contests_remove(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, remove_cb, &(struct write_args){p, a, id, NULL, NULL});
}

struct state_args {
    const principal *p;
    arena *a;
    int64_t id;
    const char *from, *to, *action;
    contest *out;
};

static int state_cb(db *c, void *cls)
{
    struct state_args *w = cls;
    contest before;
    int rc = contests_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, w->from)) return CT_STATE;
    char now[40];
    time_now_rfc3339(now);
    bool publishing = !strcmp(w->to, "published");
    entity_value more[] = {{"status", .text = w->to}, {"updated_at", .text = now},
                           {publishing ? "published_at" : NULL, .text = now}, {0}};
    rc = entity_store(c, &contest_entity, "contests", w->id, NULL, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &contest_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &contest_entity, actor_of(w->p), before.org_path, w->id, w->action, &before, w->out);
}

int contests_publish(db *c, const principal *p, arena *a, int64_t id, contest *out)
{
    return db_transaction(c, state_cb, &(struct state_args){p, a, id, "draft", "published", "publish", out});
}

int contests_close(db *c, const principal *p, arena *a, int64_t id, contest *out)
{
    return db_transaction(c, state_cb, &(struct state_args){p, a, id, "published", "closed", "close", out});
}

/* Shuffling is the default: a create that does not say otherwise shuffles questions and options. */
static bool contest_input(request *r, void *rec, bool creating)
{
    contest *ct = rec;
    if (creating && !body_has(r, "shuffle_questions")) ct->shuffle_questions = true;
    if (creating && !body_has(r, "shuffle_options")) ct->shuffle_options = true;
    return true;
}

entity contest_entity = {
    .name = "contest", .doc = "A knowledge contest or a self-assessment (知识竞赛 / 科学素质自测)",
    .from = " FROM contests ct JOIN orgs o ON o.id = ct.org_id", .id_column = "ct.id", .path_column = "ct.org_path",
    .order = " ORDER BY ct.opens_at DESC, ct.id DESC", .size = sizeof(contest), .fields = contest_fields,
    .not_found = CT_NOT_FOUND, .org_not_found = CT_ORG_NOT_FOUND, .errors = contest_errors,
    .create = contests_create, .update = contests_update, .remove = contests_remove, .on_read = contest_on_read,
    .input = contest_input,
};
