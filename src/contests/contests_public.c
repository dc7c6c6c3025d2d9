/* contests_public.c - the phone side of contests, without login (docs/api.md "Contests"): the open
 * contests, one contest's page (with its districts and the holder's attempts left), a public
 * player's registration (name, phone, district -> a person key), starting an attempt with a
 * person key (player, student or volunteer), resuming it, answering, submitting, and the top of
 * the ranking. An unknown contest and an unpublished one get the same 404.
 *
 * Limits (auth/limiter.h), every attempt counted before any work: reads per address; a
 * registration per address, per contest and per phone (so the "cannot register" answer cannot
 * be used to test many phones); starts per address and per contest; answers, resumes and submits
 * per address (a whole school behind one address answers at once: the default is high,
 * KEPU_CONTEST_ANSWER_LIMIT) and per attempt (KEPU_CONTEST_ANSWER_ATTEMPT_LIMIT). */
#include "contests/contests_internal.h"
#include "auth/limiter.h"
#include "audit/audit.h"
#include "checkin/checkin.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdio.h>
#include <string.h>

static const limit_rule read_ip = {"contest.read.ip", 600, 60, "KEPU_CONTEST_READ_LIMIT"};
static const limit_rule reg_ip = {"contest.reg.ip", 30, 600, "KEPU_CONTEST_REGISTER_LIMIT"};
static const limit_rule reg_contest = {"contest.reg.contest", 5000, 600, "KEPU_CONTEST_REGISTER_CONTEST_LIMIT"};
static const limit_rule reg_phone = {"contest.reg.phone", 3, 600, "KEPU_CONTEST_REGISTER_PHONE_LIMIT"};
static const limit_rule start_ip = {"contest.start.ip", 120, 600, "KEPU_CONTEST_START_LIMIT"};
static const limit_rule start_contest = {"contest.start.contest", 100000, 600, "KEPU_CONTEST_START_CONTEST_LIMIT"};
static const limit_rule answer_ip = {"contest.answer.ip", 6000, 60, "KEPU_CONTEST_ANSWER_LIMIT"};
static const limit_rule answer_attempt = {"contest.answer.attempt", 1000, 600, "KEPU_CONTEST_ANSWER_ATTEMPT_LIMIT"};

#define TOO_OFTEN "操作过于频繁，请稍后再试 / too many requests, retry later"

static bool take(request *r, const limit_rule *rule, const char *key)
{
    return limit_take_or_reply(r, rule, key, TOO_OFTEN);
}

static void reply_rc(request *r, int rc)
{
    reply_error_row(r, contest_errors, rc);
}

/* The published (or closed) contest of the path's first id; replies 404 (the same for unknown and
 * unpublished) and returns false otherwise. */
static bool load_contest(request *r, db **c, contest *ct)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? contests_get_public_unscoped(*c, &r->arena, id, ct) : DB_ERR;
    if (rc != DB_OK) { reply_rc(r, rc); return false; }
    return true;
}

static void write_summary(jw *w, const contest *ct)
{
    jw_key(w, "id"), jw_int(w, ct->id);
    jw_key(w, "title"), jw_str(w, ct->title);
    jw_key(w, "kind"), jw_str(w, ct->kind);
    jw_key(w, "org_name"), jw_str(w, ct->org_name);
    jw_key(w, "description"), jw_str(w, ct->description);
    jw_key(w, "opens_at"), jw_str(w, ct->opens_at);
    jw_key(w, "closes_at"), jw_str(w, ct->closes_at);
    jw_key(w, "status"), jw_str(w, ct->status);
    jw_key(w, "audience"), jw_raw(w, ct->audience);
    jw_key(w, "question_count"), jw_int(w, ct->question_count);
    jw_key(w, "max_score"), jw_int(w, ct->max_score);
    jw_key(w, "time_limit_s"), jw_int(w, ct->time_limit_s);
    jw_key(w, "question_time_s"), jw_int(w, ct->question_time_s);
    jw_key(w, "attempts_per_day"), jw_int(w, ct->attempts_per_day);
    jw_key(w, "attempts_total"), jw_int(w, ct->attempts_total);
}

static int list_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    jw *w = cls;
    jw_obj(w);
    write_summary(w, rec);
    jw_obj_end(w);
    return DB_OK;
}

static void handle_list(request *r)
{
    if (!take(r, &read_ip, r->ip)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    char now[40];
    time_now_rfc3339(now);
    qb q;
    /* nobody is signed in: published contests are public, whoever owns them */
    qb_init(&q, " WHERE ct.status = 'published' AND ct.closes_at > ? ORDER BY ct.closes_at, ct.id LIMIT 200");
    qb_text(&q, now);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items"), jw_arr(&w);
    int rc = entity_each(c, &contest_entity, NULL, &q, list_row, &w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 200, &w);
}

/* The districts a player may register under: type district in the contest's subtree. */
static int write_districts(db *c, arena *a, const contest *ct, jw *w)
{
    qb q;
    qb_init(&q, "SELECT id, name FROM orgs WHERE type = 'district'");
    qb_subtree(&q, a, "path", ct->org_path);
    qb_sql(&q, " ORDER BY path");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_key(w, "districts"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The key and its kind: the body's person_key/person_kind, else X-Person-Key / ?person_kind. */
static const char *person_kind_of(request *r, const char **key)
{
    const char *kind = NULL;
    json_t *k = r->json ? json_object_get(r->json, "person_key") : NULL, *pk = r->json ? json_object_get(r->json, "person_kind") : NULL;
    *key = json_is_string(k) ? json_string_value(k) : req_header(r, "X-Person-Key");
    kind = json_is_string(pk) ? json_string_value(pk) : req_query(r, "person_kind");
    return kind ? kind : "player";
}

static const char *audience_of(const char *kind)
{
    return !strcmp(kind, "player") ? "public" : kind;
}

static bool kind_valid(const char *kind)
{
    return !strcmp(kind, "player") || !strcmp(kind, "student") || !strcmp(kind, "volunteer");
}

static void handle_get(request *r)
{
    if (!take(r, &read_ip, r->ip)) return;
    db *c;
    contest ct;
    if (!load_contest(r, &c, &ct)) return;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    write_summary(&w, &ct);
    int rc = write_districts(c, &r->arena, &ct, &w);
    const char *key, *kind = person_kind_of(r, &key);
    int64_t person = 0, today = 0, total = 0;
    if (rc == DB_OK && key && kind_valid(kind) && contest_person_of_key(c, &r->arena, kind, key, &person) == DB_OK &&
        (rc = attempts_counts(c, ct.id, kind, person, &today, &total)) == DB_OK) {
        jw_key(&w, "attempts_left_today");
        ct.attempts_per_day ? jw_int(&w, ct.attempts_per_day > today ? ct.attempts_per_day - today : 0) : jw_null(&w);
        jw_key(&w, "attempts_left");
        ct.attempts_total ? jw_int(&w, ct.attempts_total > total ? ct.attempts_total - total : 0) : jw_null(&w);
    }
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 200, &w);
}

struct reg_args {
    arena *a;
    actor who;
    const contest *ct;
    const char *name, *phone;
    int64_t district_id, id;
    const char *district, *key;
};

static int register_cb(db *c, void *cls)
{
    struct reg_args *w = cls;
    arena *a = w->a;
    qb q;
    qb_init(&q, "SELECT path, name FROM orgs WHERE id = ? AND type = 'district'");
    qb_int(&q, w->district_id);
    qb_subtree(&q, a, "path", w->ct->org_path);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    const char *path = rc == DB_ROW ? arena_strdup(a, db_col_text(s, 0)) : NULL;
    if (rc == DB_ROW) w->district = arena_strdup(a, db_col_text(s, 1));
    db_finish(s);
    if (rc != DB_ROW) return rc == DB_DONE ? CT_DISTRICT_NOT_FOUND : rc;
    char now[40];
    time_now_rfc3339(now);
    qb_init(&q, "INSERT INTO contest_players (contest_id, org_id, org_path, name, phone_enc, phone_blind, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    qb_int(&q, w->ct->id), qb_int(&q, w->district_id), qb_text(&q, path), qb_text(&q, w->name);
    qb_text(&q, pii_encrypt(a, w->phone)), qb_text(&q, pii_blind(a, "phone", w->phone)), qb_text(&q, now);
    rc = qb_exec(c, &q, &w->id);
    if (rc == DB_UNIQUE) return CT_PHONE_TAKEN;
    if (rc == DB_OK) rc = checkin_issue_key(c, a, "contest_player", w->id, &w->key);
    if (rc != DB_OK) return rc;
    json_t *after = json_pack("{s:I, s:s, s:I}", "contest_id", (json_int_t)w->ct->id, "name", w->name, "org_id",
                              (json_int_t)w->district_id);
    rc = audit_record(c, w->who, path, "contest_player", w->id, "register", NULL, after);
    json_decref(after);
    return rc;
}

int contest_player_register_unscoped(db *c, arena *a, actor who, const contest *ct, const char *name, const char *phone,
                                     int64_t district_id, int64_t *id, const char **district, const char **key)
{
    struct reg_args w = {a, who, ct, name, phone, district_id, 0, NULL, NULL};
    int rc = db_transaction(c, register_cb, &w);
    if (rc == DB_OK) *id = w.id, *district = w.district, *key = w.key;
    return rc;
}

/* {name, phone, district_id} -> 201 {person_key, person_kind: "player", name, district}. */
static void handle_register(request *r)
{
    static const char *const allowed[] = {"name", "phone", "district_id", NULL};
    if (!take(r, &reg_ip, r->ip)) return;
    db *c;
    contest ct;
    if (!load_contest(r, &c, &ct)) return;
    const char *name = NULL, *phone = NULL;
    int64_t district = 0;
    if (!body_allow_fields(r, allowed, NULL) || !body_name(r, "name", true, 50, &name) ||
        !body_string(r, "phone", true, &phone) || !body_int(r, "district_id", true, &district, NULL))
        return;
    if (!valid_phone(phone)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return;
    }
    char contest_key[32];
    snprintf(contest_key, sizeof contest_key, "%lld", (long long)ct.id);
    if (!take(r, &reg_contest, contest_key) || !take(r, &reg_phone, phone)) return;
    time_t opens, closes, now = time(NULL);
    if (!contest_has_audience(&ct, "public")) { reply_rc(r, CT_AUDIENCE); return; }
    if (strcmp(ct.status, "published") || !contest_window(&ct, &opens, &closes) || now > closes) {
        reply_rc(r, CT_NOT_OPEN);
        return;
    }
    int64_t id;
    const char *dname, *key;
    int rc = contest_player_register_unscoped(c, &r->arena, actor_key(ACTOR_STUDENT_KEY, "contest_player", r->request_id, r->ip),
                                              &ct, name, phone, district, &id, &dname, &key);
    if (rc != DB_OK) { reply_rc(r, rc); return; }
    reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:s}", "person_key", key, "person_kind", "player", "name", name,
                                 "district", dname));
}

/* {person_key, person_kind} -> 201 the paper (contests.h attempts_start). */
static void handle_start(request *r)
{
    static const char *const allowed[] = {"person_key", "person_kind", NULL};
    static const char *const kinds[] = {"player", "student", "volunteer", NULL};
    if (!take(r, &start_ip, r->ip)) return;
    db *c;
    contest ct;
    if (!load_contest(r, &c, &ct)) return;
    const char *key = NULL, *kind = NULL;
    if (!body_allow_fields(r, allowed, NULL) || !body_string(r, "person_key", true, &key) ||
        !body_enum(r, "person_kind", false, kinds, &kind))
        return;
    if (!kind) kind = "player";
    char contest_key[24];
    snprintf(contest_key, sizeof contest_key, "%lld", (long long)ct.id);
    if (!take(r, &start_contest, contest_key)) return;
    if (!contest_has_audience(&ct, audience_of(kind))) { reply_rc(r, CT_AUDIENCE); return; }
    contest_person pp = {.kind = kind};
    int rc = contest_person_of_key(c, &r->arena, kind, key, &pp.id);
    if (rc != DB_OK) { reply_rc(r, rc); return; }
    enum actor_kind ak = !strcmp(kind, "volunteer") ? ACTOR_VOLUNTEER_KEY : ACTOR_STUDENT_KEY;
    jw w;
    jw_init(&w);
    int64_t active = 0;
    rc = attempts_start(c, &r->arena, actor_key(ak, "contest", r->request_id, r->ip), &ct, &pp, &w, &active);
    if (rc == CT_ATTEMPT_ACTIVE && active) {
        jw_free(&w);
        contests_reply_active(r, active);
        return;
    }
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 201, &w);
}

/* The contest and attempt ids of the path, and the attempt's token header; the attempt's own
 * limit counted (a paper has at most 200 questions: a thousand requests in 10 minutes is abuse),
 * keyed by id and token, so that requests with a forged token cannot use up the holder's. */
static bool attempt_params(request *r, int64_t *id, int64_t *aid, const char **token)
{
    if (!param_id(r, 0, id) || !param_id(r, 1, aid)) return false;
    *token = req_header(r, "X-Attempt-Token");
    const char *key = arena_printf(&r->arena, "%lld:%.64s", (long long)*aid, *token ? *token : "");
    return take(r, &answer_attempt, key);
}

static void handle_resume(request *r)
{
    int64_t id, aid;
    const char *token;
    if (!take(r, &answer_ip, r->ip) || !attempt_params(r, &id, &aid, &token)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? attempts_resume(c, &r->arena, id, aid, token, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 200, &w);
}

/* {answer} -> {no, saved: true}. */
static void handle_answer(request *r)
{
    static const char *const allowed[] = {"answer", NULL};
    int64_t id, aid, no;
    const char *token;
    if (!take(r, &answer_ip, r->ip) || !attempt_params(r, &id, &aid, &token) || !param_id(r, 2, &no) ||
        !body_allow_fields(r, allowed, NULL))
        return;
    json_t *answer = r->json ? json_object_get(r->json, "answer") : NULL;
    if (!answer || json_is_null(answer)) { reply_error(r, 422, "required", "answer", "请作答 / answer is required"); return; }
    db *c = db_thread();
    int rc = c ? attempts_answer(c, &r->arena, id, aid, token, no > 1000 ? 1001 : (int)no, answer) : DB_ERR;
    if (rc != DB_OK) { reply_rc(r, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:b}", "no", (json_int_t)no, "saved", 1));
}

static void handle_submit(request *r)
{
    int64_t id, aid;
    const char *token;
    if (!take(r, &answer_ip, r->ip) || !attempt_params(r, &id, &aid, &token)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? attempts_submit(c, &r->arena, actor_key(ACTOR_STUDENT_KEY, "contest", r->request_id, r->ip), id, aid,
                                 token, &w)
               : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 200, &w);
}

/* {"persons": top 20, "districts": [...]} after the sweep of attempts past their deadline. */
static void handle_ranking(request *r)
{
    if (!take(r, &read_ip, r->ip)) return;
    db *c;
    contest ct;
    if (!load_contest(r, &c, &ct)) return;
    if (!strcmp(ct.kind, "self_assessment")) { reply_rc(r, CT_NOT_SELF); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    int rc = attempts_sweep(c, &r->arena, ct.id, 64);
    if (rc == DB_OK) jw_key(&w, "persons"), rc = ranking_persons(c, &r->arena, &ct, 20, 0, &w);
    if (rc == DB_OK) jw_key(&w, "districts"), rc = ranking_districts(c, &r->arena, &ct, &w);
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_rc(r, rc); return; }
    reply_jw(r, 200, &w);
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/contests", handle_list, ROUTE_PUBLIC, 0, .summary = "Open contests (published, not yet closed)", .entity = &contest_entity},
    {"GET", "/api/v1/public/contests/:id", handle_get, ROUTE_PUBLIC, 0, .summary = "A contest's page: rules summary, districts, attempts left for X-Person-Key", .entity = &contest_entity},
    {"POST", "/api/v1/public/contests/:id/players", handle_register, ROUTE_PUBLIC, 0, .summary = "Register a public player (name, phone, district): a person key"},
    {"POST", "/api/v1/public/contests/:id/attempts", handle_start, ROUTE_PUBLIC, 0, .summary = "Start an attempt with a person key: the paper (no answers)"},
    {"GET", "/api/v1/public/contests/:id/attempts/:aid", handle_resume, ROUTE_PUBLIC, 0, .summary = "Resume an attempt (X-Attempt-Token): the paper, saved answers, seconds left"},
    {"PUT", "/api/v1/public/contests/:id/attempts/:aid/answers/:no", handle_answer, ROUTE_PUBLIC, 0, .summary = "Save one answer (X-Attempt-Token); a resend counts once"},
    {"POST", "/api/v1/public/contests/:id/attempts/:aid/submit", handle_submit, ROUTE_PUBLIC, 0, .summary = "Submit (idempotent): score, rank, literacy result of a self-assessment"},
    {"GET", "/api/v1/public/contests/:id/ranking", handle_ranking, ROUTE_PUBLIC, 0, .summary = "The top 20 persons (masked) and the districts"},
    {0},
};

void contests_public_register_routes(void) { router_add_table(public_routes); }
