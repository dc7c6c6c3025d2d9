/* reviews.c - score sheets (issue 15, package B). One call_reviews row is an assignment and its
 * sheet: the reviewer saves drafts of its scores (whole tenths, 0..max of each criterion) and
 * submits (locked; the total is round(10000 * sum w*s / sum w*max*10) in integers, the same on
 * both engines). Each submit and reopen recomputes the entry's aggregates in its transaction:
 * n, sum, mean, spread, the mean or trimmed mean (when n >= 2*trim + 2) as score_agg, tie1 (the
 * tie criterion's mean) and the outlier flag of each sheet (|total - mean of the others| >
 * outlier_points, with three sheets or more). A manager reopens a submitted sheet with a reason
 * (audited); closing the round needs every sheet submitted and stores each entry's rank.
 *
 * Two entities over one table: call_review_entity (the reviewer's own sheets, whatever their
 * units: rule r.user_id = the caller) and call_review_managed_entity (the managers', by the
 * entrant's path). While the round is open a reviewer sees no other sheet; blind calls show the
 * entry's blind code and no unit, names, person or node values. */
#include "calls/reviews_internal.h"
#include "core/timeutil.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const review_statuses[] = {"assigned", "submitted", "reopened", NULL};


#define R(member) offsetof(review, member)
#define REVIEW_FIELDS(...)                                                                                            \
    {"id", "r.id", FT_ID, R(id), .flags = 0},                                                                         \
    {"call_id", "r.call_id", FT_ID, R(call_id), .flags = 0},                                                          \
    {"call_title", "c.title", FT_TEXT, R(call_title), .flags = 0},                                                    \
    {"round_no", "r.round_no", FT_INT, R(round_no), .flags = 0},                                                      \
    {"entry_id", "r.entry_id", FT_ID, R(entry_id), .flags = 0},                                                       \
    {"entry_title", "e.title", FT_TEXT, R(entry_title), .flags = 0},                                                  \
    {"blind_code", "e.blind_code", FT_TEXT, R(blind_code), .flags = 0},                                               \
    {"entry_path", "r.entry_path", FT_TEXT, R(entry_path), .flags = FF_HIDDEN},                                       \
    {"status", "r.status", FT_ENUM, R(status), .flags = FF_FILTER, .choices = review_statuses},                       \
    {"total", "r.total", FT_INT, R(total), .flags = 0, .doc = "0..10000: the weighted share of the maximum"},         \
    {"comment", "r.comment", FT_MULTILINE, R(comment), .flags = 0},                                                   \
    {"submitted_at", "r.submitted_at", FT_TIME, R(submitted_at), .flags = 0},                                         \
    {"reopened_reason", "r.reopened_reason", FT_TEXT, R(reopened_reason), .flags = 0},                                \
    {"reopened_at", "r.reopened_at", FT_TIME, R(reopened_at), .flags = 0},                                            \
    {"assigned_at", "r.assigned_at", FT_TIME, R(assigned_at), .flags = 0},                                            \
    __VA_ARGS__ {0}

static const field review_fields[] = {REVIEW_FIELDS()};
static const field review_managed_fields[] = {REVIEW_FIELDS(
    {"user_id", "r.user_id", FT_ID, R(user_id), .flags = 0},
    {"reviewer_name", "u.name", FT_TEXT, R(reviewer_name), .flags = 0},
    {"org_name", "o.name", FT_TEXT, R(org_name), .flags = 0, .doc = "the entrant unit"},
    {"outlier", "r.outlier", FT_BOOL, R(outlier), .flags = 0},)};
#undef R

/* A reviewer reaches its own sheets only, from whatever unit it belongs to. */
static void own_rule(const scope *sc, qb *q)
{
    qb_sql(q, " AND r.user_id = ?");
    qb_int(q, sc->user_id);
}

static int sheet_write(db *c, arena *a, const void *rec, jw *w);

entity call_review_entity = {
    .name = "call_review",
    .doc = "A score sheet (评审表) as its reviewer sees it",
    .from = " FROM call_reviews r JOIN calls c ON c.id = r.call_id JOIN call_entries e ON e.id = r.entry_id",
    .id_column = "r.id",
    .scope_rule = own_rule,
    .order = " ORDER BY r.status, r.id",
    .size = sizeof(review),
    .fields = review_fields,
    .not_found = REVIEW_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = review_errors,
    .write = sheet_write,
};

entity call_review_managed_entity = {
    .name = "call_review_assignment",
    .doc = "An assignment of an entry to a reviewer, as the call's managers see it",
    .from = " FROM call_reviews r JOIN calls c ON c.id = r.call_id JOIN call_entries e ON e.id = r.entry_id"
            " JOIN users u ON u.id = r.user_id JOIN orgs o ON o.id = e.org_id",
    .id_column = "r.id",
    .path_column = "r.entry_path",
    .order = " ORDER BY r.entry_id, r.id",
    .size = sizeof(review),
    .fields = review_managed_fields,
    .not_found = REVIEW_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = review_errors,
};

/* ---- the sheet as its reviewer reads it -------------------------------------------------- */

static int write_scores(db *c, const review *r, const review_cfg *cfg, jw *w)
{
    int64_t score[REVIEW_MAX_CRITERIA];
    const char *note[REVIEW_MAX_CRITERIA] = {0};
    bool has[REVIEW_MAX_CRITERIA] = {0};
    qb q;
    qb_init(&q, "SELECT criterion_no, score, comment FROM call_review_scores WHERE review_id = ?");
    qb_int(&q, r->id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_key(w, "scores"), jw_arr(w);
    char *texts[REVIEW_MAX_CRITERIA] = {0};
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t k = db_col_int(s, 0);
        if (k < 0 || k >= cfg->n) continue;
        has[k] = true, score[k] = db_col_int(s, 1);
        if (db_col_text(s, 2)) note[k] = texts[k] = strdup(db_col_text(s, 2));
    }
    db_finish(s);
    for (int k = 0; k < cfg->n; k++) {
        jw_obj(w);
        jw_key(w, "key"), jw_str(w, cfg->keys[k]);
        jw_key(w, "label"), jw_str(w, cfg->labels[k]);
        jw_key(w, "max"), jw_int(w, cfg->max[k] * 10);
        jw_key(w, "weight"), jw_int(w, cfg->weight[k]);
        jw_key(w, "score");
        if (has[k]) jw_int(w, score[k]); else jw_null(w);
        jw_key(w, "comment"), jw_str(w, note[k]);
        jw_obj_end(w);
        free(texts[k]);
    }
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The entry as the sheet shows it: a blind call drops the unit, the subject's name and the
 * values of identifying fields (person, node). */
static void write_entry(const entry_rec *e, const call_rec *call, const review_cfg *cfg, jw *w)
{
    json_t *values = json_loads(e->values ? e->values : "{}", 0, NULL), *form = json_loads(call->form, 0, NULL), *f;
    size_t i;
    if (cfg->blind)
        json_array_foreach(form, i, f) {
            const char *type = json_string_value(json_object_get(f, "type"));
            if (type && (!strcmp(type, "person") || !strcmp(type, "node")))
                json_object_del(values, json_string_value(json_object_get(f, "key")));
        }
    jw_key(w, "entry"), jw_obj(w);
    jw_key(w, "id"), jw_int(w, e->id);
    jw_key(w, "title"), jw_str(w, e->title);
    jw_key(w, "blind"), jw_bool(w, cfg->blind);
    if (!cfg->blind) {
        jw_key(w, "org_name"), jw_str(w, e->org_name);
        jw_key(w, "subject_name"), jw_str(w, e->subject_name);
    }
    char *text = json_dumps(values ? values : json_object(), JSON_COMPACT);
    jw_key(w, "values"), jw_raw(w, text ? text : "{}");
    free(text);
    jw_key(w, "figures"), jw_raw(w, e->figures ? e->figures : "null");
    jw_obj_end(w);
    json_decref(values), json_decref(form);
}

/* After the round closes, the other reviewers' totals (never their names). */
static int write_others(db *c, const review *r, jw *w)
{
    bool closed;
    int rc = reviews_round_closed(c, r->call_id, r->round_no, &closed);
    if (rc != DB_OK) return rc;
    jw_key(w, "others");
    if (!closed) { jw_null(w); return DB_OK; }
    qb q;
    qb_init(&q, "SELECT total FROM call_reviews WHERE entry_id = ? AND round_no = ? AND id <> ? AND status = 'submitted' "
                "ORDER BY total DESC");
    qb_int(&q, r->entry_id), qb_int(&q, r->round_no), qb_int(&q, r->id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) jw_int(w, db_col_int(s, 0));
    db_finish(s);
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The entry's evidence: ids and 附件N names (GET /reviews/:id/files/:fid serves them). */
static int write_files(db *c, const review *r, jw *w)
{
    qb q;
    qb_init(&q, "SELECT id, mime, size FROM call_entry_files WHERE entry_id = ? ORDER BY id");
    qb_int(&q, r->entry_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc, n = 0;
    jw_key(w, "files"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        char name[24];
        snprintf(name, sizeof name, "附件%d", ++n);
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "name"), jw_str(w, name);
        jw_key(w, "mime"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "size"), jw_int(w, db_col_int(s, 2));
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

static int sheet_write(db *c, arena *a, const void *rec, jw *w)
{
    const review *r = rec;
    call_rec call;
    entry_rec e;
    review_cfg cfg;
    /* the sheet was read within the caller's scope (its own): its call and entry come with it */
    int rc = entity_get_unscoped(c, &call_entity, a, r->call_id, &call);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entry_entity, a, r->entry_id, &e);
    if (rc != DB_OK) return rc;
    if (review_cfg_round(c, &call, r->round_no, a, &cfg) != DB_OK) cfg.n = 0;
    jw_obj(w);
    entity_write_fields(w, &call_review_entity, r);
    if ((rc = write_scores(c, r, &cfg, w)) != DB_OK) return rc;
    write_entry(&e, &call, &cfg, w);
    if ((rc = write_files(c, r, w)) != DB_OK) return rc;
    if ((rc = write_others(c, r, w)) != DB_OK) return rc;
    jw_obj_end(w);
    return DB_OK;
}

/* ---- aggregation --------------------------------------------------------------------------- */

#define MAX_SHEETS 64

static int64_t div_round(int64_t num, int64_t den) { return den ? (2 * num + den) / (2 * den) : 0; }

static int cmp_total(const void *x, const void *y)
{
    int64_t a = ((const int64_t *)x)[1], b = ((const int64_t *)y)[1];
    return (a > b) - (a < b);
}

static int set_outlier(db *c, int64_t id, bool yes)
{
    qb q;
    qb_init(&q, "UPDATE call_reviews SET outlier = ? WHERE id = ?");
    qb_int(&q, yes), qb_int(&q, id);
    return qb_exec(c, &q, NULL);
}

static int tie_sum(db *c, const review_cfg *cfg, int64_t entry_id, int64_t *out)
{
    *out = 0;
    if (cfg->tie < 0) return DB_OK;
    qb q;
    qb_init(&q, "SELECT COALESCE(SUM(s.score), 0) FROM call_review_scores s JOIN call_reviews r ON r.id = s.review_id "
                "WHERE r.entry_id = ? AND r.round_no = ? AND r.status = 'submitted' AND s.criterion_no = ?");
    qb_int(&q, entry_id), qb_int(&q, cfg->round_no), qb_int(&q, cfg->tie);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *out = db_col_int(s, 0);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc;
}

int reviews_aggregate(db *c, const review_cfg *cfg, int64_t entry_id)
{
    int64_t t[MAX_SHEETS][2], sum = 0;
    int n = 0, rc;
    qb q;
    qb_init(&q, "SELECT id, total FROM call_reviews WHERE entry_id = ? AND round_no = ? AND status = 'submitted'");
    qb_int(&q, entry_id), qb_int(&q, cfg->round_no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    while ((rc = db_step(s)) == DB_ROW && n < MAX_SHEETS) t[n][0] = db_col_int(s, 0), t[n][1] = db_col_int(s, 1), sum += t[n++][1];
    db_finish(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    qsort(t, (size_t)n, sizeof *t, cmp_total);
    int64_t mean = div_round(sum, n), agg = mean, trimmed = 0, tie = 0;
    if (cfg->trimmed && cfg->trim && n >= 2 * cfg->trim + 2) {
        for (int i = cfg->trim; i < n - cfg->trim; i++) trimmed += t[i][1];
        agg = div_round(trimmed, n - 2 * cfg->trim);
    }
    for (int i = 0; i < n; i++) {
        bool far = n >= 3 && llabs(t[i][1] * (n - 1) - (sum - t[i][1])) > (int64_t)cfg->outlier_points * 100 * (n - 1);
        if ((rc = set_outlier(c, t[i][0], far)) != DB_OK) return rc;
    }
    if ((rc = tie_sum(c, cfg, entry_id, &tie)) != DB_OK) return rc;
    qb_init(&q, "UPDATE call_entries SET n_reviews = ?, score_sum = ?, score_mean = ?, score_agg = ?, score_spread = ?, "
                "tie1 = ? WHERE id = ?");
    qb_int(&q, n), qb_int(&q, sum), qb_int(&q, mean), qb_int(&q, agg), qb_int(&q, n ? t[n - 1][1] - t[0][1] : 0);
    qb_int(&q, div_round(tie * 10, n)), qb_int(&q, entry_id);
    return qb_exec(c, &q, NULL);
}

int calls_rebuild_aggregates(db *c, int64_t call_id)
{
    arena a;
    arena_init(&a);
    call_rec call;
    review_cfg cfg;
    /* the system's recomputation (kepu calls verify, the bench): no caller to scope */
    int rc = entity_get_unscoped(c, &call_entity, &a, call_id, &call);
    if (rc == DB_OK) rc = review_cfg_read(call.review, &a, &cfg);
    qb q;
    qb_init(&q, "SELECT DISTINCT entry_id FROM call_reviews WHERE call_id = ? AND round_no = ? ORDER BY entry_id");
    qb_int(&q, call_id), qb_int(&q, REVIEW_ROUND);
    db_stmt *s = rc == DB_OK ? qb_prepare(&q, c) : (qb_free(&q), NULL);
    if (rc == DB_OK && !s) rc = DB_ERR;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while (rc == DB_OK && (rc = db_step(s)) == DB_ROW) {
        if (n == cap) cap = cap ? cap * 2 : 1024, ids = realloc(ids, cap * sizeof *ids);
        if (!ids) { rc = DB_ERR; break; }
        ids[n++] = db_col_int(s, 0), rc = DB_OK;
    }
    if (s) db_finish(s);
    if (rc == DB_DONE) rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < n; i++) rc = reviews_aggregate(c, &cfg, ids[i]);
    free(ids);
    arena_free(&a);
    return rc;
}
