/* attempts.c - an attempt's life until submit (see contests.h): who the person is and which
 * district they count for, the paper drawn by the rules (seeded, questions and options shuffled
 * per person, the versions stored), the start under the one-active and daily/total limits, the
 * resume and the answer upsert. Scoring and the end of an attempt are in attempt_finish.c. */
#include "contests/contests_internal.h"
#include "audit/audit.h"
#include "checkin/checkin.h"
#include "core/timeutil.h"
#include "core/sbuf.h"
#include "db/query.h"
#include "quiz/quiz.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* splitmix64: a small seeded generator, so the same seed gives the same paper. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void shuffle(int *v, int n, uint64_t *s)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(next_rand(s) % (uint64_t)(i + 1)), t = v[i];
        v[i] = v[j], v[j] = t;
    }
}

int contest_person_of_key(db *c, arena *a, const char *kind, const char *key, int64_t *id)
{
    const char *key_kind = !strcmp(kind, "player") ? "contest_player" : kind;
    int rc = checkin_person_of_key(c, a, key_kind, key, id);
    return rc == CHK_BAD_KEY ? CT_BAD_KEY : rc;
}

/* The person's name and org path from their record (staff: the user's). */
static int person_record(db *c, arena *a, const contest *ct, contest_person *pp)
{
    qb q;
    if (!strcmp(pp->kind, "staff")) {
        qb_init(&q, "SELECT u.name, o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?");
        qb_int(&q, pp->id);
    } else if (!strcmp(pp->kind, "player")) {
        qb_init(&q, "SELECT name, org_path FROM contest_players WHERE id = ? AND contest_id = ?");
        qb_int(&q, pp->id), qb_int(&q, ct->id);
    } else {
        qb_init(&q, !strcmp(pp->kind, "student") ? "SELECT name, org_path FROM students WHERE id = ?"
                                                 : "SELECT name, org_path FROM volunteers WHERE id = ?");
        qb_int(&q, pp->id);
    }
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        pp->name = arena_strdup(a, db_col_text(s, 0));
        pp->org_path = arena_strdup(a, db_col_text(s, 1));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CT_BAD_KEY : rc;
}

/* The unit a person counts for: the district node (type district) within the contest's subtree
 * above or at their org; else their org itself when inside the subtree. CT_AUDIENCE outside it. */
static int person_district(db *c, arena *a, const contest *ct, const contest_person *pp, int64_t *org_id,
                           const char **path)
{
    if (!pp->org_path || strncmp(pp->org_path, ct->org_path, strlen(ct->org_path))) return CT_AUDIENCE;
    qb q;
    qb_init(&q, "SELECT id, path FROM orgs WHERE type = 'district' AND substr(?, 1, length(path)) = path");
    qb_text(&q, pp->org_path);
    qb_subtree(&q, a, "path", ct->org_path);
    qb_sql(&q, " ORDER BY length(path) LIMIT 1");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *org_id = db_col_int(s, 0), *path = arena_strdup(a, db_col_text(s, 1));
    db_finish(s);
    if (rc == DB_ROW) return DB_OK;
    if (rc != DB_DONE) return rc;
    qb_init(&q, "SELECT id FROM orgs WHERE path = ?");
    qb_text(&q, pp->org_path);
    *path = pp->org_path;
    rc = qb_exec(c, &q, org_id);
    return rc == DB_DONE ? CT_AUDIENCE : rc;
}

/* One question of the paper as drawn. */
typedef struct paper_q {
    quiz_version v;
    int points, nopt;
    int order[QUIZ_MAX_OPTIONS];
} paper_q;

static int count_options(const char *options_json)
{
    json_t *o = options_json ? json_loads(options_json, 0, NULL) : NULL;
    int n = json_is_array(o) ? (int)json_array_size(o) : 0;
    json_decref(o);
    return n > QUIZ_MAX_OPTIONS ? QUIZ_MAX_OPTIONS : n;
}

/* The paper by the rules: per rule its count drawn, then the whole shuffled (seeded). Read
 * before the start's transaction: drawing writes nothing. */
static int draw_paper(db *c, arena *a, const contest *ct, uint64_t seed, paper_q **out, int *n)
{
    json_t *rules = json_loads(ct->rules, 0, NULL);
    size_t i;
    json_t *x;
    int total = (int)ct->question_count, k = 0, rc = DB_OK;
    paper_q *qs = arena_alloc(a, sizeof *qs * (size_t)(total ? total : 1));
    if (!qs || !json_is_array(rules)) { json_decref(rules); return DB_ERR; }
    json_array_foreach(rules, i, x) {
        int want = (int)json_integer_value(json_object_get(x, "count"));
        quiz_drawn d;
        int got = quiz_draw_unscoped(c, a, ct->org_path, json_string_value(json_object_get(x, "category")),
                                     (int)json_integer_value(json_object_get(x, "difficulty")), want,
                                     seed ^ (0x51ED270B27ULL * (i + 1)), &d);
        if (got < 0) { rc = got; break; }
        if (got < want || k + got > total) { rc = CT_NO_QUESTIONS; break; }
        for (int j = 0; j < got && rc == DB_OK; j++, k++) {
            rc = quiz_version_get_unscoped(c, a, d.items[j].question_id, d.items[j].version, &qs[k].v);
            if (rc == DB_DONE) rc = CT_NO_QUESTIONS;
            qs[k].points = (int)json_integer_value(json_object_get(x, "points"));
        }
        if (rc != DB_OK) break;
    }
    json_decref(rules);
    if (rc != DB_OK) return rc;
    uint64_t s = seed;
    if (ct->shuffle_questions) {
        int *idx = arena_alloc(a, sizeof *idx * (size_t)(k ? k : 1));
        paper_q *copy = arena_alloc(a, sizeof *copy * (size_t)(k ? k : 1));
        for (int j = 0; j < k; j++) idx[j] = j, copy[j] = qs[j];
        shuffle(idx, k, &s);
        for (int j = 0; j < k; j++) qs[j] = copy[idx[j]];
    }
    for (int j = 0; j < k; j++) {
        qs[j].nopt = count_options(qs[j].v.options_json);
        for (int o = 0; o < qs[j].nopt; o++) qs[j].order[o] = o;
        if (ct->shuffle_options) shuffle(qs[j].order, qs[j].nopt, &s);
    }
    *out = qs, *n = k;
    return DB_OK;
}

static const char *order_json(arena *a, const paper_q *q)
{
    if (!q->nopt) return NULL;
    char buf[64];
    int len = snprintf(buf, sizeof buf, "[");
    for (int o = 0; o < q->nopt; o++) len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%d", o ? "," : "", q->order[o]);
    snprintf(buf + len, sizeof buf - (size_t)len, "]");
    return arena_strdup(a, buf);
}

/* One question as the page shows it: no key, options in the person's order. */
void paper_write_question(jw *w, int no, const char *type, const char *stem, const char *options_json,
                          const char *order, int points, int64_t time_s)
{
    jw_obj(w);
    jw_key(w, "no"), jw_int(w, no);
    jw_key(w, "type"), jw_str(w, type);
    jw_key(w, "stem"), jw_str(w, stem);
    jw_key(w, "options"), jw_arr(w);
    json_t *opts = options_json ? json_loads(options_json, 0, NULL) : NULL;
    json_t *ord = order ? json_loads(order, 0, NULL) : NULL;
    for (size_t i = 0; json_is_array(opts) && i < json_array_size(opts) && i < QUIZ_MAX_OPTIONS; i++) {
        size_t from = json_is_array(ord) ? (size_t)json_integer_value(json_array_get(ord, i)) : i;
        char label[2] = {(char)('A' + i), 0};
        jw_obj(w);
        jw_key(w, "label"), jw_str(w, label);
        jw_key(w, "text"), jw_str(w, json_string_value(json_array_get(opts, from)));
        jw_obj_end(w);
    }
    json_decref(opts), json_decref(ord);
    jw_arr_end(w);
    jw_key(w, "points"), jw_int(w, points);
    jw_key(w, "time_s"), jw_int(w, time_s);
    jw_obj_end(w);
}

struct start_args {
    arena *a;
    actor who;
    const contest *ct;
    contest_person *pp;
    paper_q *qs;
    int n;
    uint64_t seed;
    const char *token_hash;
    int64_t attempt_id, active_id, deadline_s, started_s;
    char started_at[40], day[16];
};

/* The person's active attempt: finished first when past its deadline (lazily, here). */
static int check_active(db *c, struct start_args *w)
{
    qb q;
    qb_init(&q, "SELECT id, deadline_s FROM contest_attempts WHERE contest_id = ? AND person_kind = ? AND person_id = ? "
                "AND status = 'active'");
    qb_int(&q, w->ct->id), qb_text(&q, w->pp->kind), qb_int(&q, w->pp->id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0, deadline = rc == DB_ROW ? db_col_int(s, 1) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    if (w->started_s <= deadline + CONTEST_GRACE_S) { w->active_id = id; return CT_ATTEMPT_ACTIVE; }
    return attempt_finish(c, w->a, w->who, id, "expired");
}

int attempts_counts(db *c, int64_t contest_id, const char *kind, int64_t person_id, int64_t *today, int64_t *total)
{
    char now[40], day[16];
    time_now_rfc3339(now);
    snprintf(day, sizeof day, "%.10s", now);   /* the Shanghai day */
    qb q;
    qb_init(&q, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN day = ? THEN 1 ELSE 0 END), 0) FROM contest_attempts "
                "WHERE contest_id = ? AND person_kind = ? AND person_id = ?");
    qb_text(&q, day), qb_int(&q, contest_id), qb_text(&q, kind), qb_int(&q, person_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *total = db_col_int(s, 0), *today = db_col_int(s, 1);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc;
}

/* The paper's rows in one multi-row INSERT: a start is a write of the group commit, whose serial
 * section should not pay a statement per question (the text depends only on the paper's length,
 * so the statement cache keeps one per contest). */
static int insert_paper(db *c, struct start_args *w)
{
    if (w->n <= 0) return DB_OK;
    sbuf b;
    sbuf_init(&b);
    sbuf_add(&b, "INSERT INTO contest_papers (attempt_id, no, question_id, version, option_order, points, category, "
                 "served_s) VALUES ");
    for (int i = 0; i < w->n; i++) sbuf_add(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)");
    char *sql = sbuf_steal(&b);
    db_stmt *s = sql ? db_prepare(c, sql) : NULL;
    free(sql);
    if (!s) return DB_ERR;
    for (int i = 0, k = 1; i < w->n; i++) {
        db_bind_int(s, k++, w->attempt_id), db_bind_int(s, k++, i + 1);
        db_bind_int(s, k++, w->qs[i].v.question_id), db_bind_int(s, k++, w->qs[i].v.version);
        db_bind_text(s, k++, order_json(w->a, &w->qs[i])), db_bind_int(s, k++, w->qs[i].points);
        db_bind_text(s, k++, w->qs[i].v.category);
        if (i == 0) db_bind_int(s, k++, w->started_s);   /* the first question is put at the start */
        else db_bind_text(s, k++, NULL);
    }
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

static int start_cb(db *c, void *cls)
{
    struct start_args *w = cls;
    const contest *ct = w->ct;
    int64_t today = 0, total = 0, district = 0, max = 0;
    const char *dpath = NULL;
    int rc = check_active(c, w);
    if (rc == DB_OK) rc = attempts_counts(c, ct->id, w->pp->kind, w->pp->id, &today, &total);
    if (rc != DB_OK) return rc;
    if (ct->attempts_total && total >= ct->attempts_total) return CT_EXHAUSTED;
    if (ct->attempts_per_day && today >= ct->attempts_per_day) return CT_EXHAUSTED_TODAY;
    if ((rc = person_district(c, w->a, ct, w->pp, &district, &dpath)) != DB_OK) return rc;
    for (int i = 0; i < w->n; i++) max += w->qs[i].points;
    qb q;
    qb_init(&q, "INSERT INTO contest_attempts (contest_id, contest_path, person_kind, person_id, person_name, org_id, "
                "org_path, token_hash, seed, day, started_at, started_s, deadline_s, question_time_s, max_score, total, "
                "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active') RETURNING id");
    qb_int(&q, ct->id), qb_text(&q, ct->org_path), qb_text(&q, w->pp->kind), qb_int(&q, w->pp->id);
    qb_text(&q, w->pp->name ? w->pp->name : ""), qb_int(&q, district), qb_text(&q, dpath), qb_text(&q, w->token_hash);
    qb_int(&q, (int64_t)(w->seed >> 1)), qb_text(&q, w->day), qb_text(&q, w->started_at), qb_int(&q, w->started_s);
    qb_int(&q, w->deadline_s), qb_int(&q, ct->question_time_s), qb_int(&q, max), qb_int(&q, w->n);
    rc = qb_exec(c, &q, &w->attempt_id);
    if (rc == DB_UNIQUE) return CT_ATTEMPT_ACTIVE;   /* a concurrent start of the same person won */
    if (rc == DB_OK) rc = insert_paper(c, w);
    if (rc != DB_OK) return rc;
    json_t *after = json_pack("{s:I, s:s, s:I, s:I, s:i}", "contest_id", (json_int_t)ct->id, "person_kind", w->pp->kind,
                              "person_id", (json_int_t)w->pp->id, "org_id", (json_int_t)district, "questions", w->n);
    rc = audit_record(c, w->who, dpath, "contest_attempt", w->attempt_id, "start", NULL, after);
    json_decref(after);
    return rc;
}

static void write_started(jw *w, struct start_args *s, const char *token)
{
    char deadline[40], now[40];
    time_to_rfc3339((time_t)s->deadline_s, deadline);
    time_now_rfc3339(now);
    jw_obj(w);
    jw_key(w, "attempt_id"), jw_int(w, s->attempt_id);
    jw_key(w, "attempt_token"), jw_str(w, token);
    jw_key(w, "deadline"), jw_str(w, deadline);
    jw_key(w, "server_now"), jw_str(w, now);
    jw_key(w, "time_limit_s"), jw_int(w, s->ct->time_limit_s);
    jw_key(w, "questions"), jw_arr(w);
    for (int i = 0; i < s->n; i++)
        paper_write_question(w, i + 1, s->qs[i].v.type, s->qs[i].v.stem, s->qs[i].v.options_json,
                             order_json(s->a, &s->qs[i]), s->qs[i].points, s->ct->question_time_s);
    jw_arr_end(w);
    jw_obj_end(w);
}

int attempts_start(db *c, arena *a, actor who, const contest *ct, const contest_person *pp, jw *w, int64_t *active_id)
{
    return attempts_start_seeded(c, a, who, ct, pp, 0, w, active_id);
}

int attempts_start_seeded(db *c, arena *a, actor who, const contest *ct, const contest_person *pp_in, uint64_t seed, jw *w,
                          int64_t *active_id)
{
    time_t opens, closes, now = time(NULL);
    if (!contest_window(ct, &opens, &closes) || now < opens || now > closes || strcmp(ct->status, "published"))
        return CT_NOT_OPEN;
    contest_person pp = *pp_in;
    int rc = person_record(c, a, ct, &pp);
    if (rc != DB_OK) return rc;
    struct start_args s = {.a = a, .who = who, .ct = ct, .pp = &pp, .started_s = (int64_t)now};
    s.seed = seed;
    if (!s.seed) randombytes_buf(&s.seed, sizeof s.seed);
    if ((rc = draw_paper(c, a, ct, s.seed, &s.qs, &s.n)) != DB_OK) return rc;
    if (s.n == 0) return CT_NO_QUESTIONS;
    const char *token, *hash;
    checkin_new_key(a, &token, &hash);   /* a random secret, stored as its keyed hash */
    s.token_hash = hash;
    int64_t limit = ct->time_limit_s;
    s.deadline_s = s.started_s + limit;
    if (s.deadline_s > (int64_t)closes) s.deadline_s = (int64_t)closes;   /* the contest's end bounds the paper */
    time_to_rfc3339(now, s.started_at);
    snprintf(s.day, sizeof s.day, "%.10s", s.started_at);
    rc = db_transaction(c, start_cb, &s);
    if (rc == CT_ATTEMPT_ACTIVE && active_id) *active_id = s.active_id;
    if (rc != DB_OK) return rc;
    write_started(w, &s, token);
    return DB_OK;
}

/* The stored key in the person's shown labels: stored option k is shown at the i where order[i] = k. */
static void write_shown_key(jw *w, const paper_q *q)
{
    json_t *key = json_loads(q->v.answer_json ? q->v.answer_json : "null", JSON_DECODE_ANY, NULL);
    if (!q->nopt || (!json_is_string(key) && !json_is_array(key))) {
        jw_raw(w, q->v.answer_json ? q->v.answer_json : "null");
        json_decref(key);
        return;
    }
    bool one = json_is_string(key);
    if (!one) jw_arr(w);
    for (size_t j = 0; j < (one ? 1 : json_array_size(key)); j++) {
        const char *l = json_string_value(one ? key : json_array_get(key, j));
        int stored = l && l[0] >= 'A' && l[0] < 'A' + q->nopt ? l[0] - 'A' : -1;
        char label[2] = {'?', 0};
        for (int i = 0; i < q->nopt; i++)
            if (q->order[i] == stored) label[0] = (char)('A' + i);
        jw_str(w, label);
    }
    if (!one) jw_arr_end(w);
    json_decref(key);
}

int attempts_preview(db *c, arena *a, const contest *ct, jw *w)
{
    uint64_t seed;
    paper_q *qs;
    int n;
    randombytes_buf(&seed, sizeof seed);
    int rc = draw_paper(c, a, ct, seed, &qs, &n);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "questions"), jw_arr(w);
    for (int i = 0; i < n; i++) {
        /* the page's own shape, then the key and the explanation (staff only) */
        jw_obj(w);
        jw_key(w, "no"), jw_int(w, i + 1);
        jw_key(w, "question_id"), jw_int(w, qs[i].v.question_id);
        jw_key(w, "version"), jw_int(w, qs[i].v.version);
        jw_key(w, "category"), jw_str(w, qs[i].v.category);
        jw_key(w, "paper"), paper_write_question(w, i + 1, qs[i].v.type, qs[i].v.stem, qs[i].v.options_json,
                                                 order_json(a, &qs[i]), qs[i].points, ct->question_time_s);
        jw_key(w, "answer"), write_shown_key(w, &qs[i]);
        jw_key(w, "explanation"), jw_str(w, qs[i].v.explanation);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return DB_OK;
}
