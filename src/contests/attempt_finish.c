/* attempt_finish.c - the end of an attempt (see contests.h): its paper scored on the server by
 * the versions it showed (quiz_answer_correct, the person's shown labels mapped back through the
 * option order), the person's best (contest_best) and the district's participants and score sum
 * (contest_districts) moved in the same transaction, the self-assessment's literacy result, the
 * idempotent submit and the sweep of attempts past their deadline. */
#include "contests/contests_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "quiz/quiz.h"
#include <stdio.h>
#include <string.h>

/* The person's shown labels as the stored ones: shown position i holds stored option order[i]. */
static json_t *unshuffle(json_t *given, const char *order_json)
{
    json_t *order = order_json ? json_loads(order_json, 0, NULL) : NULL;
    if (!json_is_array(order)) { json_decref(order); return json_incref(given); }
    json_t *out;
    if (json_is_string(given) || json_is_array(given)) {
        out = json_array();
        size_t n = json_is_string(given) ? 1 : json_array_size(given);
        for (size_t i = 0; i < n; i++) {
            const char *l = json_string_value(json_is_string(given) ? given : json_array_get(given, i));
            int shown = l && l[0] && !l[1] ? (l[0] >= 'a' ? l[0] - 'a' : l[0] - 'A') : -1;
            json_t *from = shown >= 0 ? json_array_get(order, (size_t)shown) : NULL;
            char label[2] = {from ? (char)('A' + json_integer_value(from)) : '?', 0};
            json_array_append_new(out, json_string(label));
        }
        if (json_is_string(given)) {
            json_t *one = json_incref(json_array_get(out, 0));
            json_decref(out);
            out = one;
        }
    } else {
        out = json_incref(given);
    }
    json_decref(order);
    return out;
}

typedef struct scored {
    int no, points;
    bool correct, answered;
} scored;

typedef struct tally {
    int64_t score, correct;
    literacy_input lit;
    scored *items;
    int n;
} tally;

/* Every question of the paper against its version's key. */
static int score_paper(db *c, arena *a, int64_t id, int total, tally *t)
{
    db_stmt *s = db_prepare(c, "SELECT p.no, p.points, p.option_order, p.category, q.type, v.answer, an.answer FROM "
                               "contest_papers p JOIN question_versions v ON v.question_id = p.question_id AND "
                               "v.version = p.version JOIN questions q ON q.id = p.question_id LEFT JOIN contest_answers "
                               "an ON an.attempt_id = p.attempt_id AND an.no = p.no WHERE p.attempt_id = ? ORDER BY p.no");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    t->items = arena_alloc(a, sizeof *t->items * (size_t)(total > 0 ? total : 1));
    int rc;
    while ((rc = db_step(s)) == DB_ROW && t->n < total) {
        scored *x = &t->items[t->n++];
        x->no = (int)db_col_int(s, 0);
        int pts = (int)db_col_int(s, 1), dim = literacy_dimension(db_col_text(s, 3));
        const char *given_text = db_col_text(s, 6);
        x->answered = given_text != NULL;
        if (x->answered) {
            json_t *given = json_loads(given_text, JSON_DECODE_ANY, NULL);
            json_t *mapped = given ? unshuffle(given, db_col_text(s, 2)) : NULL;
            x->correct = mapped && quiz_answer_correct(db_col_text(s, 4), db_col_text(s, 5), mapped);
            json_decref(given), json_decref(mapped);
        }
        x->points = x->correct ? pts : 0;
        t->score += x->points, t->correct += x->correct;
        if (dim >= 0) t->lit.got[dim] += x->points, t->lit.max[dim] += pts;
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int mark_answers(db *c, int64_t id, const tally *t)
{
    for (int i = 0; i < t->n; i++) {
        if (!t->items[i].answered) continue;
        qb q;
        qb_init(&q, "UPDATE contest_answers SET correct = ?, points = ? WHERE attempt_id = ? AND no = ?");
        qb_int(&q, t->items[i].correct), qb_int(&q, t->items[i].points), qb_int(&q, id), qb_int(&q, t->items[i].no);
        int rc = qb_exec(c, &q, NULL);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static const char *literacy_text(arena *a, const literacy_result *r)
{
    char buf[200];
    snprintf(buf, sizeof buf, "{\"literate\":%s,\"level\":\"%s\",\"total_score\":%d,\"dimensions\":{\"knowledge\":%d,"
             "\"method\":%d,\"society\":%d}}", r->literate ? "true" : "false", r->level, r->total_score,
             r->dimensions[0], r->dimensions[1], r->dimensions[2]);
    return arena_strdup(a, buf);
}

typedef struct att_full {
    int64_t contest_id, person_id, org_id, started_s, deadline_s, total;
    const char *kind, *name, *org_path, *status, *scoring;
} att_full;

static int read_full(db *c, arena *a, int64_t id, att_full *x)
{
    db_stmt *s = db_prepare(c, "SELECT t.contest_id, t.person_id, t.org_id, t.started_s, t.deadline_s, t.total, "
                               "t.person_kind, t.person_name, t.org_path, t.status, ct.scoring FROM contest_attempts t "
                               "JOIN contests ct ON ct.id = t.contest_id WHERE t.id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *x = (att_full){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3), db_col_int(s, 4),
                        db_col_int(s, 5), arena_strdup(a, db_col_text(s, 6)), arena_strdup(a, db_col_text(s, 7)),
                        arena_strdup(a, db_col_text(s, 8)), arena_strdup(a, db_col_text(s, 9)),
                        arena_strdup(a, db_col_text(s, 10))};
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CT_ATTEMPT_NOT_FOUND : rc;
}

/* The person's best: a first attempt adds a participant to the district; a better one (more
 * points, or as many in less time) moves the district's score sum by the difference. */
static int move_best(db *c, int64_t id, const att_full *x, int64_t score, int64_t used, const char *at)
{
    qb q;
    int64_t old = -1, old_used = 0;
    db_stmt *s = db_prepare(c, "SELECT score, used_s FROM contest_best WHERE contest_id = ? AND person_kind = ? AND "
                               "person_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->contest_id), db_bind_text(s, 2, x->kind), db_bind_int(s, 3, x->person_id);
    int rc = db_step(s);
    if (rc == DB_ROW) old = db_col_int(s, 0), old_used = db_col_int(s, 1);
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (old >= 0 && (score < old || (score == old && used >= old_used))) return DB_OK;   /* not better */
    if (old < 0) {
        qb_init(&q, "INSERT INTO contest_best (contest_id, person_kind, person_id, person_name, org_id, org_path, "
                    "attempt_id, score, used_s, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        qb_int(&q, x->contest_id), qb_text(&q, x->kind), qb_int(&q, x->person_id), qb_text(&q, x->name);
        qb_int(&q, x->org_id), qb_text(&q, x->org_path), qb_int(&q, id), qb_int(&q, score), qb_int(&q, used), qb_text(&q, at);
    } else {
        qb_init(&q, "UPDATE contest_best SET attempt_id = ?, score = ?, used_s = ?, at = ? WHERE contest_id = ? AND "
                    "person_kind = ? AND person_id = ?");
        qb_int(&q, id), qb_int(&q, score), qb_int(&q, used), qb_text(&q, at), qb_int(&q, x->contest_id);
        qb_text(&q, x->kind), qb_int(&q, x->person_id);
    }
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    /* the district the person counts for is the one of their first best (org_id of the row) */
    qb_init(&q, "INSERT INTO contest_districts (contest_id, org_id, org_path, participants, score_sum) SELECT b.contest_id, "
                "b.org_id, b.org_path, ?, ? FROM contest_best b WHERE b.contest_id = ? AND b.person_kind = ? AND "
                "b.person_id = ? ON CONFLICT (contest_id, org_id) DO UPDATE SET participants = contest_districts.participants "
                "+ excluded.participants, score_sum = contest_districts.score_sum + excluded.score_sum");
    qb_int(&q, old < 0 ? 1 : 0), qb_int(&q, old < 0 ? score : score - old), qb_int(&q, x->contest_id);
    qb_text(&q, x->kind), qb_int(&q, x->person_id);
    return qb_exec(c, &q, NULL);
}

int attempt_finish(db *c, arena *a, actor who, int64_t id, const char *status)
{
    att_full x = {0};
    tally t = {0};
    int rc = read_full(c, a, id, &x);
    if (rc != DB_OK || strcmp(x.status, "active")) return rc;
    if ((rc = score_paper(c, a, id, (int)x.total, &t)) != DB_OK || (rc = mark_answers(c, id, &t)) != DB_OK) return rc;
    int64_t now = (int64_t)time(NULL), end = now < x.deadline_s ? now : x.deadline_s;
    int64_t used = end > x.started_s ? end - x.started_s : 0;
    char at[40];
    time_to_rfc3339((time_t)now, at);
    const char *lit = NULL;
    if (!strcmp(x.scoring, "literacy_national")) {
        literacy_result r = literacy_national(&t.lit);
        lit = literacy_text(a, &r);
    }
    qb q;
    qb_init(&q, "UPDATE contest_attempts SET status = ?, submitted_at = ?, used_s = ?, score = ?, correct = ?, literacy = ? "
                "WHERE id = ? AND status = 'active'");
    qb_text(&q, status), qb_text(&q, at), qb_int(&q, used), qb_int(&q, t.score), qb_int(&q, t.correct), qb_text(&q, lit);
    qb_int(&q, id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = move_best(c, id, &x, t.score, used, at)) != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:I, s:I, s:I}", "status", status, "score", (json_int_t)t.score, "correct",
                              (json_int_t)t.correct, "used_s", (json_int_t)used);
    rc = audit_record(c, who, x.org_path, "contest_attempt", id, status[0] == 's' ? "submit" : "expire", NULL, after);
    json_decref(after);
    return rc;
}

struct submit_args {
    arena *a;
    actor who;
    int64_t contest_id, id;
    const char *token_hash;   /* taken before the transaction */
};

static int submit_cb(db *c, void *cls)
{
    struct submit_args *w = cls;
    attempt_row at;
    int rc = attempt_by_token_hash(c, w->a, w->contest_id, w->id, w->token_hash, &at);
    if (rc != DB_OK || strcmp(at.status, "active")) return rc;   /* submitted already: the same result */
    bool late = (int64_t)time(NULL) > at.deadline_s + CONTEST_GRACE_S;
    return attempt_finish(c, w->a, w->who, w->id, late ? "expired" : "submitted");
}

int attempts_submit(db *c, arena *a, actor who, int64_t contest_id, int64_t attempt_id, const char *token, jw *w)
{
    int rc = db_transaction(c, submit_cb, &(struct submit_args){a, who, contest_id, attempt_id, attempt_token_hash(a, token)});
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "SELECT score, max_score, correct, total, used_s, submitted_at, literacy, status "
                               "FROM contest_attempts WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, attempt_id);
    if ((rc = db_step(s)) != DB_ROW) { db_finish(s); return rc == DB_DONE ? CT_ATTEMPT_NOT_FOUND : rc; }
    int64_t score = db_col_int(s, 0), used = db_col_int(s, 4);
    const char *at = arena_strdup(a, db_col_text(s, 5)), *lit = db_col_text(s, 6);
    jw_obj(w);
    jw_key(w, "attempt_id"), jw_int(w, attempt_id);
    jw_key(w, "status"), jw_str(w, db_col_text(s, 7));
    jw_key(w, "score"), jw_int(w, score);
    jw_key(w, "max_score"), jw_int(w, db_col_int(s, 1));
    jw_key(w, "correct"), jw_int(w, db_col_int(s, 2));
    jw_key(w, "total"), jw_int(w, db_col_int(s, 3));
    jw_key(w, "used_s"), jw_int(w, used);
    if (lit) jw_key(w, "literacy"), jw_raw(w, lit);
    db_finish(s);
    int64_t rank = 0;
    if ((rc = ranking_rank_of(c, contest_id, score, used, at, &rank)) != DB_OK) { jw_free(w); jw_init(w); return rc; }
    jw_key(w, "rank"), jw_int(w, rank);
    jw_obj_end(w);
    return DB_OK;
}

struct sweep_args {
    arena *a;
    int64_t contest_id;
    int limit, done;
};

static int sweep_cb(db *c, void *cls)
{
    struct sweep_args *w = cls;
    int64_t ids[64];
    int n = 0, rc;
    db_stmt *s = db_prepare(c, "SELECT id FROM contest_attempts WHERE contest_id = ? AND status = 'active' AND "
                               "deadline_s < ? ORDER BY deadline_s LIMIT 64");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->contest_id), db_bind_int(s, 2, (int64_t)time(NULL) - CONTEST_GRACE_S);
    while ((rc = db_step(s)) == DB_ROW && n < 64 && n < w->limit) ids[n++] = db_col_int(s, 0);
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    for (int i = 0; i < n; i++)
        if ((rc = attempt_finish(c, w->a, actor_system(), ids[i], "expired")) != DB_OK) return rc;
    w->done = n;
    return DB_OK;
}

int attempts_sweep(db *c, arena *a, int64_t contest_id, int limit)
{
    /* a cheap probe first: reads must not queue for the writer when there is nothing to do */
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM contest_attempts WHERE contest_id = ? AND status = 'active' AND deadline_s < ? LIMIT 1");
    qb_int(&q, contest_id), qb_int(&q, (int64_t)time(NULL) - CONTEST_GRACE_S);
    int rc = qb_exec(c, &q, &one);
    if (rc == DB_DONE) return DB_OK;
    if (rc != DB_OK) return rc;
    struct sweep_args w = {a, contest_id, limit, 0};
    return db_transaction(c, sweep_cb, &w);
}
