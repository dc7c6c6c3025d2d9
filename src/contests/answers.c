/* answers.c - the hot path of a contest (see contests.h): an answer is one lookup of the attempt
 * by id and token hash and one upsert keyed (attempt, no), inside db_transaction (the group
 * commit on SQLite). The server's clock decides: past the deadline (plus CONTEST_GRACE_S) or the
 * question's own time, nothing is saved. Also the resume: the paper again with what was saved. */
#include "contests/contests_internal.h"
#include "checkin/checkin.h"
#include "core/timeutil.h"
#include "db/query.h"
#include <stdio.h>
#include <string.h>

#define ANSWER_MAX_CHARS 200   /* a fill-in text, or one label */

const char *attempt_token_hash(arena *a, const char *token)
{
    return token && *token ? checkin_key_hash(a, token) : NULL;
}

int attempt_by_token_hash(db *c, arena *a, int64_t contest_id, int64_t id, const char *token_hash, attempt_row *out)
{
    if (!token_hash) return CT_ATTEMPT_NOT_FOUND;
    qb q;
    qb_init(&q, "SELECT status, deadline_s, question_time_s, started_s FROM contest_attempts WHERE id = ? AND "
                "contest_id = ? AND token_hash = ?");
    qb_int(&q, id), qb_int(&q, contest_id), qb_text(&q, token_hash);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *out = (attempt_row){.id = id, .contest_id = contest_id, .deadline_s = db_col_int(s, 1),
                             .question_time_s = db_col_int(s, 2), .started_s = db_col_int(s, 3),
                             .status = arena_strdup(a, db_col_text(s, 0))};
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CT_ATTEMPT_NOT_FOUND : rc;
}

int attempt_by_token(db *c, arena *a, int64_t contest_id, int64_t id, const char *token, attempt_row *out)
{
    return attempt_by_token_hash(c, a, contest_id, id, attempt_token_hash(a, token), out);
}

/* An answer's shape: a label or text, a boolean, or a list of up to 8 labels. */
static bool answer_shape_ok(json_t *v)
{
    if (json_is_boolean(v)) return true;
    if (json_is_string(v)) return json_string_length(v) <= ANSWER_MAX_CHARS * 4;
    if (!json_is_array(v) || json_array_size(v) > 8) return false;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!json_is_string(x) || json_string_length(x) > ANSWER_MAX_CHARS) return false;
    return true;
}

struct answer_args {
    arena *a;
    int64_t contest_id, id;
    const char *token_hash, *answer;   /* the hash is taken before the transaction: no keyed hash in the writer */
    int no;
};

/* Why nothing was saved: no such question, or its own time is over. */
static int why_not_saved(db *c, int64_t id, int no)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM contest_papers WHERE attempt_id = ? AND no = ?");
    qb_int(&q, id), qb_int(&q, no);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? CT_QUESTION_NOT_FOUND : rc == DB_OK ? CT_QUESTION_LATE : rc;
}

static int answer_cb(db *c, void *cls)
{
    struct answer_args *w = cls;
    attempt_row at;
    int rc = attempt_by_token_hash(c, w->a, w->contest_id, w->id, w->token_hash, &at);
    if (rc != DB_OK) return rc;
    int64_t now = (int64_t)time(NULL);
    if (strcmp(at.status, "active") || now > at.deadline_s + CONTEST_GRACE_S) return CT_ATTEMPT_OVER;
    char stamp[40];
    time_to_rfc3339((time_t)now, stamp);
    qb q;
    qb_init(&q, "INSERT INTO contest_answers (attempt_id, no, answer, answered_at) SELECT p.attempt_id, p.no, ?, ? "
                "FROM contest_papers p WHERE p.attempt_id = ? AND p.no = ?");
    qb_text(&q, w->answer), qb_text(&q, stamp), qb_int(&q, w->id), qb_int(&q, w->no);
    if (at.question_time_s > 0) {
        qb_sql(&q, " AND (p.served_s IS NULL OR p.served_s >= ?)");
        qb_int(&q, now - at.question_time_s - CONTEST_GRACE_S);
    }
    qb_sql(&q, " ON CONFLICT (attempt_id, no) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at");
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (db_changes(c) == 0) return why_not_saved(c, w->id, w->no);
    if (at.question_time_s == 0) return DB_OK;
    /* timed questions: the next one is put to the person now (unless it was already) */
    qb_init(&q, "UPDATE contest_papers SET served_s = ? WHERE attempt_id = ? AND no = ? AND served_s IS NULL");
    qb_int(&q, now), qb_int(&q, w->id), qb_int(&q, w->no + 1);
    return qb_exec(c, &q, NULL);
}

int attempts_answer(db *c, arena *a, int64_t contest_id, int64_t attempt_id, const char *token, int no, json_t *answer)
{
    if (!answer_shape_ok(answer)) return CT_BAD_ANSWER;
    char *text = json_dumps(answer, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) return DB_ERR;
    struct answer_args w = {a, contest_id, attempt_id, attempt_token_hash(a, token), arena_strdup(a, text), no};
    free(text);
    return db_transaction(c, answer_cb, &w);
}

struct finish_args {
    arena *a;
    int64_t id;
};

static int expire_cb(db *c, void *cls)
{
    struct finish_args *w = cls;
    return attempt_finish(c, w->a, actor_system(), w->id, "expired");
}

static int write_paper(db *c, int64_t id, int64_t time_s, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT p.no, q.type, v.stem, v.options, p.option_order, p.points FROM contest_papers p "
                               "JOIN question_versions v ON v.question_id = p.question_id AND v.version = p.version "
                               "JOIN questions q ON q.id = p.question_id WHERE p.attempt_id = ? ORDER BY p.no");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc;
    jw_key(w, "questions"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW)
        paper_write_question(w, (int)db_col_int(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
                             db_col_text(s, 4), (int)db_col_int(s, 5), time_s);
    db_finish(s);
    jw_arr_end(w);
    if (rc != DB_DONE) return rc;
    s = db_prepare(c, "SELECT no, answer FROM contest_answers WHERE attempt_id = ? ORDER BY no");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    jw_key(w, "answers"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "no"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "answer"), jw_raw(w, db_col_text(s, 1));
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

/* A finished attempt's score, literacy and certificate code (when one was issued for it). */
static int write_result(db *c, int64_t id, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT t.score, t.max_score, t.correct, t.literacy, x.code FROM contest_attempts t LEFT JOIN "
                               "contest_certificates x ON x.attempt_id = t.id WHERE t.id = ? AND t.status <> 'active'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        jw_key(w, "score"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "max_score"), jw_int(w, db_col_int(s, 1));
        jw_key(w, "correct"), jw_int(w, db_col_int(s, 2));
        if (!db_col_null(s, 3)) jw_key(w, "literacy"), jw_raw(w, db_col_text(s, 3));
        jw_key(w, "certificate_code"), jw_str(w, db_col_text(s, 4));
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int attempts_resume(db *c, arena *a, int64_t contest_id, int64_t attempt_id, const char *token, jw *w)
{
    attempt_row at;
    int rc = attempt_by_token(c, a, contest_id, attempt_id, token, &at);
    if (rc != DB_OK) return rc;
    int64_t now = (int64_t)time(NULL);
    if (!strcmp(at.status, "active") && now > at.deadline_s + CONTEST_GRACE_S) {
        /* lazily: an attempt past its deadline is scored with what was saved */
        if ((rc = db_transaction(c, expire_cb, &(struct finish_args){a, attempt_id})) != DB_OK) return rc;
        at.status = "expired";
    }
    char deadline[40], stamp[40];
    time_to_rfc3339((time_t)at.deadline_s, deadline);
    time_to_rfc3339((time_t)now, stamp);
    int64_t left = at.deadline_s - now;
    jw_obj(w);
    jw_key(w, "attempt_id"), jw_int(w, attempt_id);
    jw_key(w, "status"), jw_str(w, at.status);
    jw_key(w, "deadline"), jw_str(w, deadline);
    jw_key(w, "server_now"), jw_str(w, stamp);
    jw_key(w, "seconds_left"), jw_int(w, strcmp(at.status, "active") || left < 0 ? 0 : left);
    if ((rc = write_paper(c, attempt_id, at.question_time_s, w)) != DB_OK) return rc;
    if ((rc = write_result(c, attempt_id, w)) != DB_OK) return rc;
    jw_obj_end(w);
    return DB_OK;
}
