/* review_flow.c - what a sheet goes through (issue 15, package B): the reviewer saves a draft and
 * submits it (locked); a manager of the call reopens a submitted sheet with a reason; the round
 * closes once every sheet is submitted, storing each entry's rank and moving the call to
 * deciding. Each step runs in one transaction with its audit and the entry's aggregates. */
#include "calls/reviews_internal.h"
#include "core/timeutil.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>


struct sheet {
    const principal *p; arena *a; int64_t id; json_t *scores; const char *comment, *reason; bool submit;
    void *before, *out; call_rec call; review_cfg cfg; char now[32];
};

/* Reads the scores into the arrays (score -1: not given); REVIEW_SCORES on a bad one or, when
 * complete, a missing one. */
static int read_scores(struct sheet *x, int64_t *score, const char **note, bool complete)
{
    const char *key;
    json_t *v;
    for (int k = 0; k < x->cfg.n; k++) score[k] = -1, note[k] = NULL;
    if (x->scores && !json_is_object(x->scores)) return REVIEW_SCORES;
    json_object_foreach(x->scores, key, v) {
        int k = 0;
        while (k < x->cfg.n && strcmp(x->cfg.keys[k], key) != 0) k++;
        json_t *sc = json_object_get(v, "score"), *cm = json_object_get(v, "comment");
        if (k == x->cfg.n || !json_is_object(v) || (sc && !json_is_null(sc) && !json_is_integer(sc)) ||
            (cm && !json_is_null(cm) && (!json_is_string(cm) || strlen(json_string_value(cm)) > 2000)))
            return REVIEW_SCORES;
        if (json_is_integer(sc)) {
            score[k] = json_integer_value(sc);
            if (score[k] < 0 || score[k] > x->cfg.max[k] * 10) return REVIEW_SCORES;
        }
        note[k] = json_string_value(cm);
    }
    for (int k = 0; complete && k < x->cfg.n; k++) if (score[k] < 0) return REVIEW_SCORES;
    return DB_OK;
}

static int store_scores(db *c, struct sheet *x, const int64_t *score, const char **note, int64_t *total)
{
    qb q;
    qb_init(&q, "DELETE FROM call_review_scores WHERE review_id = ?");
    qb_int(&q, x->id);
    int rc = qb_exec(c, &q, NULL);
    int64_t num = 0, den = 0;
    for (int k = 0; rc == DB_OK && k < x->cfg.n; k++) {
        den += x->cfg.weight[k] * x->cfg.max[k] * 10;
        if (score[k] < 0) continue;
        num += x->cfg.weight[k] * score[k];
        qb_init(&q, "INSERT INTO call_review_scores (review_id, criterion_no, score, comment) VALUES (?, ?, ?, ?)");
        qb_int(&q, x->id), qb_int(&q, k), qb_int(&q, score[k]), qb_text(&q, note[k]);
        rc = qb_exec(c, &q, NULL);
    }
    *total = den ? (20000 * num + den) / (2 * den) : 0;
    return rc;
}

/* The call of a sheet, in review (a performance round: whatever its status), its round open,
 * with criteria. */
static int sheet_call(db *c, struct sheet *x, const review *r)
{
    /* the sheet was read within the caller's scope: its call comes with it */
    int rc = entity_get_unscoped(c, &call_entity, x->a, r->call_id, &x->call);
    if (rc != DB_OK) return rc;
    if (r->round_no == REVIEW_ROUND && strcmp(x->call.status, "reviewing") != 0) return CALL_STATE;
    bool closed;
    if ((rc = reviews_round_closed(c, r->call_id, r->round_no, &closed)) != DB_OK) return rc;
    if (closed) return REVIEW_ROUND_CLOSED;
    return review_cfg_round(c, &x->call, r->round_no, x->a, &x->cfg);
}

static int save_cb(db *c, void *cls)
{
    struct sheet *x = cls;
    int rc = entity_get(c, &call_review_entity, &x->p->scope, x->a, x->id, x->before);
    const review *r = x->before;
    if (rc != DB_OK || (rc = sheet_call(c, x, r)) != DB_OK) return rc;
    if (!strcmp(r->status, "submitted")) return REVIEW_STATE;
    int64_t score[REVIEW_MAX_CRITERIA], total = 0;
    const char *note[REVIEW_MAX_CRITERIA];
    if ((rc = read_scores(x, score, note, x->submit)) != DB_OK) return rc;
    time_now_rfc3339(x->now);
    if ((rc = store_scores(c, x, score, note, &total)) != DB_OK) return rc;
    qb q;
    qb_init(&q, "UPDATE call_reviews SET total = ?, comment = ?, status = ?, submitted_at = ? WHERE id = ?");
    qb_int(&q, total), qb_text(&q, x->comment), qb_text(&q, x->submit ? "submitted" : r->status);
    qb_text(&q, x->submit ? x->now : NULL), qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (x->submit && (rc = reviews_aggregate(c, &x->cfg, r->entry_id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_review_entity, x->a, x->id, x->out)) != DB_OK) return rc;   /* just written */
    if (!x->submit) return DB_OK;   /* drafts are the reviewer's own notes: the submit is audited */
    return entity_audit(c, &call_review_managed_entity, actor_of(x->p), r->entry_path, x->id, "score_submit", x->before,
                        x->out);
}

int reviews_save(db *c, const principal *p, arena *a, int64_t id, json_t *scores, const char *comment, bool submit,
                 void *out)
{
    void *before = arena_alloc(a, call_review_entity.size);
    if (!before) return DB_ERR;
    struct sheet x = {.p = p, .a = a, .id = id, .scores = scores, .comment = comment, .submit = submit,
                      .before = before, .out = out};
    return db_transaction(c, save_cb, &x);
}

static int reopen_cb(db *c, void *cls)
{
    struct sheet *x = cls;
    int rc = entity_get(c, &call_review_managed_entity, &x->p->scope, x->a, x->id, x->before);
    const review *r = x->before;
    if (rc != DB_OK) return rc;
    call_rec managed;
    if ((rc = calls_get_managed(c, x->p, x->a, r->call_id, &managed)) != DB_OK) return rc == CALL_NOT_FOUND ? REVIEW_NOT_FOUND : rc;
    if ((rc = sheet_call(c, x, r)) != DB_OK) return rc;
    if (strcmp(r->status, "submitted") != 0) return REVIEW_STATE;
    time_now_rfc3339(x->now);
    qb q;
    qb_init(&q, "UPDATE call_reviews SET status = 'reopened', outlier = 0, reopened_reason = ?, reopened_by = ?, "
                "reopened_at = ? WHERE id = ?");
    qb_text(&q, x->reason), qb_int(&q, x->p->user_id), qb_text(&q, x->now), qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = reviews_aggregate(c, &x->cfg, r->entry_id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_review_managed_entity, x->a, x->id, x->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_review_managed_entity, actor_of(x->p), r->entry_path, x->id, "reopen", x->before, x->out);
}

int reviews_reopen(db *c, const principal *p, arena *a, int64_t id, const char *reason, void *out)
{
    void *before = arena_alloc(a, call_review_managed_entity.size);
    if (!before) return DB_ERR;
    struct sheet x = {.p = p, .a = a, .id = id, .reason = reason, .before = before, .out = out};
    return db_transaction(c, reopen_cb, &x);
}

/* The ranked set and "strictly better" (ranking.c reads the same rule). */
#define RANKED(t) t ".kind = 'entry' AND " t ".status IN ('under_review', 'decided')"

typedef struct place { int64_t id, agg, mean, tie1, rank; bool tied; } place;

static bool same_place(const place *a, const place *b)
{
    return a->agg == b->agg && a->mean == b->mean && a->tie1 == b->tie1;
}

/* Stores every ranked entry's rank and tie, walking the ranking order once. */
static int store_ranks(db *c, int64_t call_id)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.score_agg, e.score_mean, e.tie1 FROM call_entries e WHERE e.call_id = ? AND " RANKED("e")
                " ORDER BY e.score_agg DESC, e.score_mean DESC, e.tie1 DESC, e.first_submitted_at, e.id");
    qb_int(&q, call_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    place *p = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            place *grown = realloc(p, (cap = cap ? cap * 2 : 1024) * sizeof *p);
            if (!grown) { rc = DB_ERR; break; }
            p = grown;
        }
        p[n] = (place){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3), 0, false};
        p[n].rank = n && same_place(&p[n], &p[n - 1]) ? p[n - 1].rank : (int64_t)n + 1;
        if (n && same_place(&p[n], &p[n - 1])) p[n].tied = p[n - 1].tied = true;
        n++;
    }
    db_finish(s);
    if (rc == DB_DONE) rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        qb_init(&q, "UPDATE call_entries SET rank = ?, tied = ? WHERE id = ?");
        qb_int(&q, p[i].rank), qb_int(&q, p[i].tied), qb_int(&q, p[i].id);
        rc = qb_exec(c, &q, NULL);
    }
    free(p);
    return rc;
}

struct closex { const principal *p; arena *a; int64_t call_id, round_no; };

static int close_cb(db *c, void *cls)
{
    struct closex *x = cls;
    call_rec call, after;
    int rc = calls_get_managed(c, x->p, x->a, x->call_id, &call);
    if (rc != DB_OK) return rc;
    if (x->round_no != REVIEW_ROUND) return reports_close_round(c, x->p, &call, x->round_no);   /* a performance round (H) */
    if (strcmp(call.status, "reviewing") != 0) return CALL_STATE;
    bool closed;
    if ((rc = reviews_round_closed(c, x->call_id, REVIEW_ROUND, &closed)) != DB_OK) return rc;
    if (closed) return REVIEW_ROUND_CLOSED;
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM call_reviews WHERE call_id = ? AND round_no = ? AND status <> 'submitted'");
    qb_int(&q, x->call_id), qb_int(&q, x->round_no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t pending = (rc = db_step(s)) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    if (pending < 0) return rc;
    if (pending > 0) return REVIEW_PENDING;
    char now[32];
    time_now_rfc3339(now);
    qb_init(&q, "UPDATE call_rounds SET status = 'closed', closed_at = ? WHERE call_id = ? AND round_no = ?");
    qb_text(&q, now), qb_int(&q, x->call_id), qb_int(&q, x->round_no);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (!db_changes(c)) return REVIEW_STATE;   /* no sheet was ever assigned: nothing to close */
    if ((rc = store_ranks(c, x->call_id)) != DB_OK) return rc;
    qb_init(&q, "UPDATE calls SET status = 'deciding', updated_at = ? WHERE id = ?");
    qb_text(&q, now), qb_int(&q, x->call_id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_entity, x->a, x->call_id, &after)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_entity, actor_of(x->p), call.org_path, x->call_id, "close_round", &call, &after);
}

int reviews_close_round(db *c, const principal *p, arena *a, int64_t call_id, int64_t round_no)
{
    struct closex x = {.p = p, .a = a, .call_id = call_id, .round_no = round_no};
    return db_transaction(c, close_cb, &x);
}
