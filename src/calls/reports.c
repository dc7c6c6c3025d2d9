/* reports.c - follow-up reports of funded entries and their performance evaluation (绩效评价),
 * issue 15 package H (calls.h "H: experts and reports"; migration 026).
 *
 * A funded entry (decided selected with an award amount) gets a mid-term and a final report:
 * POST /entries/:id/reports {kind, due?} makes a draft call_entries row of that kind with
 * parent_id, at the entrant's unit, filled by the call's review.report_form (the default below
 * when it has none), autosaved and submitted through the entries' own routes (entries.c,
 * entry_flow.c call reports_submit), late when past its due day. A report is seen like any entry
 * (the entrant's path: its unit, the levels above, the call's owner).
 *
 * The evaluation is a review round of purpose `performance` (POST /calls/:id/rounds): B's
 * machinery assigns the submitted reports (same conflict rule and blind setting) and takes the
 * sheets against review.performance_criteria (default 完成度 40 / 经费 30 / 效果 30); each submit
 * keeps the report's aggregates (score_agg 0..10000); closing the round grades every report it
 * scored and gives its parent the same grade. */
#include "calls/reviews_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char DEFAULT_FORM[] =
    "[{\"key\":\"progress\",\"label\":\"完成情况\",\"type\":\"long_text\",\"required\":true,\"max\":5000},"
    "{\"key\":\"spending\",\"label\":\"经费使用\",\"type\":\"long_text\",\"required\":true,\"max\":5000},"
    "{\"key\":\"effect\",\"label\":\"成效\",\"type\":\"long_text\",\"required\":true,\"max\":5000},"
    "{\"key\":\"files\",\"label\":\"附件\",\"type\":\"file\",\"max_files\":20}]";
static const char DEFAULT_CRITERIA[] =
    "[{\"key\":\"completion\",\"label\":\"完成度\",\"max\":40,\"weight\":1},"
    "{\"key\":\"funds\",\"label\":\"经费\",\"max\":30,\"weight\":1},"
    "{\"key\":\"effect\",\"label\":\"效果\",\"max\":30,\"weight\":1}]";

static const char *const report_kinds[] = {"midterm", "final", NULL};

static const error_row report_errors[] = {
    {REPORT_NOT_FUNDED, 409, "not_funded", NULL, "该申报未获资助，不需提交中期或结题报告 / the entry was not funded"},
    {REPORT_DUPLICATE, 409, "duplicate", "kind", "该类报告已存在 / a report of this kind already exists"},
    {REPORT_NONE, 409, "no_reports", NULL, "没有已提交的报告可评价 / no submitted report to evaluate"},
    {REPORT_ROUND_OPEN, 409, "round_open", NULL, "已有进行中的评审轮次 / a review round is already open"},
    {0},
};

typedef struct report {
    int64_t id, call_id, parent_id, org_id, n_reviews, score_agg;
    const char *kind, *org_name, *org_path, *title, *status, *report_due, *submitted_at, *grade, *created_at;
    bool late;
} report;

/* As an entry's: the entrant's path, a draft only with its unit (and its author). */
static void report_scope(const scope *sc, qb *q)
{
    scope_filter(sc, q, "e.org_path");
    qb_sql(q, " AND (e.status <> 'draft' OR e.created_by = ?"), qb_int(q, sc->user_id);
    for (int i = 0; i < sc->n; i++) qb_sql(q, " OR e.org_path = ?"), qb_text(q, sc->paths[i]);
    qb_sql(q, ")");
}

#define R(member) offsetof(report, member)
static const field report_fields[] = {
    {"id", "e.id", FT_ID, R(id), .flags = 0},
    {"call_id", "e.call_id", FT_ID, R(call_id), .flags = 0},
    {"parent_id", "e.parent_id", FT_ID, R(parent_id), .flags = 0, .doc = "the funded entry"},
    {"kind", "e.kind", FT_ENUM, R(kind), .flags = FF_CREATE | FF_REQUIRED, .choices = report_kinds},
    {"org_id", "e.org_id", FT_ID, R(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, R(org_name), .flags = 0},
    {"org_path", "e.org_path", FT_TEXT, R(org_path), .flags = FF_HIDDEN},
    {"title", "e.title", FT_TEXT, R(title), .flags = 0},
    {"status", "e.status", FT_TEXT, R(status), .flags = 0},
    {"report_due", "e.report_due", FT_DAY, R(report_due), .flags = FF_CREATE, .doc = "due day (default: the call's "
                                                                                       "review.midterm_due / final_due)"},
    {"late", "e.late", FT_BOOL, R(late), .flags = 0},
    {"submitted_at", "e.submitted_at", FT_TIME, R(submitted_at), .flags = 0},
    {"n_reviews", "e.n_reviews", FT_INT, R(n_reviews), .flags = 0},
    {"score_agg", "e.score_agg", FT_INT, R(score_agg), .flags = 0, .doc = "the performance score, 0..10000"},
    {"grade", "e.grade", FT_TEXT, R(grade), .flags = 0, .doc = "优秀 | 良好 | 合格 | 不合格 once its round closed"},
    {"created_at", "e.created_at", FT_TIME, R(created_at), .flags = 0},
    {0},
};
#undef R

entity call_report_entity = {
    .name = "call_report",
    .doc = "A follow-up report (中期/结题报告) of a funded entry, with its performance score and grade",
    .from = " FROM call_entries e JOIN orgs o ON o.id = e.org_id",
    .id_column = "e.id",
    .scope_rule = report_scope,
    .order = " ORDER BY e.id",
    .size = sizeof(report),
    .fields = report_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
};

const char *reports_grade(int64_t score)
{
    return score >= 9000 ? "优秀" : score >= 7500 ? "良好" : score >= 6000 ? "合格" : "不合格";
}

/* The member key of the call's review JSON as text in a, or NULL. */
static const char *review_member(const call_rec *call, const char *key, arena *a, json_t **keep)
{
    json_t *r = call->review ? json_loads(call->review, 0, NULL) : NULL, *v = json_object_get(r, key);
    const char *text = NULL;
    if (keep) *keep = json_incref(v);
    else if (json_is_string(v)) text = arena_strdup(a, json_string_value(v));
    json_decref(r);
    return text;
}

const char *reports_form(const call_rec *call, arena *a)
{
    json_t *form = NULL;
    review_member(call, "report_form", a, &form);
    call_form_error err;
    const char *text = DEFAULT_FORM;
    if (json_is_array(form) && call_form_check_def(form, &err)) {
        char *s = json_dumps(form, JSON_COMPACT);
        if (s) text = arena_strdup(a, s);
        free(s);
    }
    json_decref(form);
    return text;
}

const char *calls_entry_form(const call_rec *call, const entry_rec *e, arena *a)
{
    return strcmp(e->kind, "entry") ? reports_form(call, a) : call->form;
}

int review_cfg_round(db *c, const call_rec *call, int64_t round_no, arena *a, review_cfg *cfg)
{
    if (round_no == REVIEW_ROUND) return review_cfg_read(call->review, a, cfg);
    qb q;
    int64_t per_entry = 0;
    qb_init(&q, "SELECT per_entry FROM call_rounds WHERE call_id = ? AND round_no = ? AND purpose = 'performance'");
    qb_int(&q, call->id), qb_int(&q, round_no);
    int rc = qb_exec(c, &q, &per_entry);
    if (rc != DB_OK) return rc == DB_DONE ? REVIEW_NOT_FOUND : rc;
    /* the call's review settings (blind, aggregate, outliers) with the performance criteria */
    json_t *r = call->review ? json_loads(call->review, 0, NULL) : NULL, *crit;
    if (!json_is_object(r)) json_decref(r), r = json_object();
    crit = json_object_get(r, "performance_criteria");
    json_object_set_new(r, "criteria", json_is_array(crit) ? json_incref(crit) : json_loads(DEFAULT_CRITERIA, 0, NULL));
    json_object_del(r, "tie");
    char *text = json_dumps(r, JSON_COMPACT);
    json_decref(r);
    rc = review_cfg_read(text, a, cfg);
    free(text);
    cfg->round_no = round_no, cfg->performance = true;
    if (per_entry > 0) cfg->per_entry = (int)per_entry;   /* the round's, as opened */
    return rc;
}

int reports_open_round(db *c, int64_t call_id, int64_t *round_no)
{
    qb q;
    *round_no = 0;
    qb_init(&q, "SELECT round_no FROM call_rounds WHERE call_id = ? AND purpose = 'performance' AND status = 'open'");
    qb_int(&q, call_id);
    int rc = qb_exec(c, &q, round_no);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Every file id the values name is a file of this report. */
static int check_files(db *c, int64_t id, json_t *form, json_t *values)
{
    int64_t ids[64];
    int n = call_form_file_ids(form, values, ids, 64);
    if (n > 64) return ENTRY_FILE_UNKNOWN;
    for (int i = 0; i < n; i++) {
        qb q;
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM call_entry_files WHERE id = ? AND entry_id = ?");
        qb_int(&q, ids[i]), qb_int(&q, id);
        int rc = qb_exec(c, &q, &one);
        if (rc != DB_OK) return rc == DB_DONE ? ENTRY_FILE_UNKNOWN : rc;
    }
    return DB_OK;
}

int reports_submit(db *c, const principal *p, arena *a, const entry_rec *e, const call_rec *call, const char *now,
                   entity_value *more)
{
    if (!entries_is_entrant(p, e)) return ENTRY_NOT_ENTRANT;
    if (strcmp(e->status, "draft") != 0 && strcmp(e->status, "returned") != 0) return ENTRY_STATE;
    if (!strcmp(call->status, "cancelled") || !strcmp(call->status, "archived")) return CALL_STATE;
    json_t *form = json_loads(reports_form(call, a), 0, NULL), *values = json_loads(e->values, 0, NULL);
    call_form_error err;
    int rc = call_form_check_values(form, values, true, &err) ? check_files(c, e->id, form, values) : ENTRY_INCOMPLETE;
    json_decref(form), json_decref(values);
    if (rc != DB_OK) return rc;
    qb q;
    const char *due = NULL;
    qb_init(&q, "SELECT report_due FROM call_entries WHERE id = ?");
    qb_int(&q, e->id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    if ((rc = db_step(s)) == DB_ROW && db_col_text(s, 0)) due = arena_strdup(a, db_col_text(s, 0));
    db_finish(s);
    if (rc != DB_ROW) return rc == DB_DONE ? ENTRY_NOT_FOUND : rc;
    /* now is Shanghai time (+08:00): its first ten characters are the Shanghai day */
    bool late = due && strncmp(now, due, 10) > 0;
    entity_value set[] = {{"status", .text = "submitted"}, {"submitted_at", .text = now},
                          {"stage_org_id", .i = call->org_id, .is_int = true}, {"late", .i = late, .is_int = true},
                          {"first_submitted_at", .text = e->first_submitted_at ? e->first_submitted_at : now}, {0}};
    memcpy(more, set, sizeof set);
    return DB_OK;
}

/* ---- creating a report ----------------------------------------------------------------------- */

struct create {
    const principal *p; arena *a; int64_t parent_id; const char *kind, *due; report *out;
};

static int funded(db *c, int64_t id, bool *yes)
{
    qb q;
    int64_t n = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries WHERE id = ? AND outcome = 'selected' AND award_amount > 0");
    qb_int(&q, id);
    int rc = qb_exec(c, &q, &n);
    *yes = n > 0;
    return rc;
}

static int create_cb(db *c, void *cls)
{
    struct create *x = cls;
    entry_rec parent;
    call_rec call, managed;
    int rc = entity_get(c, &call_entry_entity, &x->p->scope, x->a, x->parent_id, &parent);
    if (rc != DB_OK) return rc;
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if ((rc = entity_get_unscoped(c, &call_entity, x->a, parent.call_id, &call)) != DB_OK) return rc;
    bool yes = false;
    if (strcmp(parent.kind, "entry") != 0) return ENTRY_STATE;
    if ((rc = funded(c, parent.id, &yes)) != DB_OK) return rc;
    if (!yes) return REPORT_NOT_FUNDED;
    if (!strcmp(call.status, "cancelled") || !strcmp(call.status, "archived")) return CALL_STATE;
    if (!entries_is_entrant(x->p, &parent) && (rc = calls_get_managed(c, x->p, x->a, call.id, &managed)) != DB_OK)
        return rc == CALL_NOT_FOUND ? ENTRY_NOT_ENTRANT : rc;
    qb q;
    int64_t n = 0, id = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries WHERE parent_id = ? AND kind = ? AND status <> 'withdrawn'");
    qb_int(&q, parent.id), qb_text(&q, x->kind);
    if ((rc = qb_exec(c, &q, &n)) != DB_OK) return rc;
    if (n) return REPORT_DUPLICATE;
    const char *due = x->due ? x->due : review_member(&call, !strcmp(x->kind, "midterm") ? "midterm_due" : "final_due", x->a, NULL);
    char now[32], code[7];
    time_now_rfc3339(now);
    for (int i = 0; i < 6; i++) code[i] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[randombytes_uniform(32)];
    code[6] = 0;
    const char *title = arena_printf(x->a, "%s·%s", parent.title, !strcmp(x->kind, "midterm") ? "中期报告" : "结题报告");
    entry_rec in = {.title = title, .org_id = parent.org_id, .values = "{}"};
    entity_value more[] = {{"call_id", .i = call.id, .is_int = true}, {"kind", .text = x->kind},
                           {"parent_id", .i = parent.id, .is_int = true}, {"org_path", .text = parent.org_path},
                           {"branch_path", .text = parent.branch_path}, {"subject_kind", .text = parent.subject_kind},
                           {"subject_id", .i = parent.subject_id, .is_int = parent.subject_id != 0},
                           {"subject_name", .text = parent.subject_name}, {"status", .text = "draft"},
                           {"blind_code", .text = code}, {"report_due", .text = due},
                           {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &call_entry_entity, "call_entries", 0, &in, more, x->a, &id)) != DB_OK) return rc;
    entry_rec made;
    if ((rc = entity_get_unscoped(c, &call_entry_entity, x->a, id, &made)) != DB_OK) return rc;   /* just written */
    if ((rc = entity_get_unscoped(c, &call_report_entity, x->a, id, x->out)) != DB_OK) return rc;
    if ((rc = entries_step(c, x->p, &made, "create", NULL, "draft", NULL, now)) != DB_OK) return rc;
    return entity_audit(c, &call_report_entity, actor_of(x->p), parent.org_path, id, "create", NULL, x->out);
}

int reports_create(db *c, const principal *p, arena *a, int64_t entry_id, const char *kind, const char *due, void *out)
{
    struct create x = {p, a, entry_id, kind, due, out};
    return db_transaction(c, create_cb, &x);
}

/* POST /entries/:id/reports {kind: midterm | final, report_due?} */
static void handle_create(request *r)
{
    static const char *const allowed[] = {"kind", "report_due", NULL};
    int64_t id;
    report in = {0}, out;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !entity_read_body(r, &call_report_entity, &in, true))
        return;
    db *c = db_thread();
    int rc = c ? reports_create(c, r->principal, &r->arena, id, in.kind, in.report_due, &out) : DB_ERR;
    if (rc != DB_OK && error_row_find(report_errors, rc)) { reply_error_row(r, report_errors, rc); return; }
    entity_reply_result(r, &call_report_entity, rc, 201, &out);
}

/* GET /entries/:id/reports: the reports of an entry the caller sees, with their scores. */
static void handle_list(request *r)
{
    int64_t id;
    entry_rec parent;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &call_entry_entity, &r->principal->scope, &r->arena, id, &parent) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entry_entity, rc); return; }
    qb where;
    qb_init(&where, " WHERE e.parent_id = ?");
    qb_int(&where, id);
    entity_scope_filter(&call_report_entity, &r->principal->scope, &where);
    jw w;
    jw_list_open(&w);
    if ((rc = entity_list_all(c, &call_report_entity, &where, NULL, &r->arena, &w, NULL, NULL)) != DB_OK) {
        jw_free(&w);
        reply_db_error(r);
        return;
    }
    jw_key(&w, "grade"), jw_str(&w, parent.grade);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* ---- the performance round ------------------------------------------------------------------ */

struct round { const principal *p; arena *a; int64_t call_id, per_entry, round_no, reports; };

static int open_cb(db *c, void *cls)
{
    struct round *x = cls;
    call_rec call;
    int rc = calls_get_managed(c, x->p, x->a, x->call_id, &call);
    if (rc != DB_OK) return rc;
    /* after the entries' collection, once decisions can exist; never beside another open round */
    if (strcmp(call.status, "reviewing") && strcmp(call.status, "deciding") && strcmp(call.status, "publicizing") &&
        strcmp(call.status, "final"))
        return CALL_STATE;
    qb q;
    int64_t open = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_rounds WHERE call_id = ? AND status = 'open'");
    qb_int(&q, x->call_id);
    if ((rc = qb_exec(c, &q, &open)) != DB_OK) return rc;
    if (open) return REPORT_ROUND_OPEN;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND kind IN ('midterm', 'final') AND status = 'submitted'");
    qb_int(&q, x->call_id);
    if ((rc = qb_exec(c, &q, &x->reports)) != DB_OK) return rc;
    if (!x->reports) return REPORT_NONE;
    qb_init(&q, "SELECT COALESCE(MAX(round_no), 0) + 1 FROM call_rounds WHERE call_id = ?");
    qb_int(&q, x->call_id);
    if ((rc = qb_exec(c, &q, &x->round_no)) != DB_OK) return rc;
    if (x->round_no <= REVIEW_ROUND) x->round_no = REVIEW_ROUND + 1;   /* round 1 is the selection's */
    char now[32];
    time_now_rfc3339(now);
    review_cfg cfg;
    if ((rc = review_cfg_round(c, &call, REVIEW_ROUND, x->a, &cfg)) != DB_OK) cfg.per_entry = 3;
    qb_init(&q, "INSERT INTO call_rounds (call_id, round_no, purpose, status, per_entry, opened_at) "
                "VALUES (?, ?, 'performance', 'open', ?, ?)");
    qb_int(&q, x->call_id), qb_int(&q, x->round_no), qb_int(&q, x->per_entry ? x->per_entry : cfg.per_entry), qb_text(&q, now);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    json_t *after = json_pack("{s:I, s:s, s:I}", "round_no", (json_int_t)x->round_no, "purpose", "performance", "reports",
                              (json_int_t)x->reports);
    rc = audit_record(c, actor_of(x->p), call.org_path, "call", x->call_id, "open_round", NULL, after);
    json_decref(after);
    return rc;
}

int reports_open_performance(db *c, const principal *p, arena *a, int64_t call_id, int64_t per_entry, int64_t *round_no,
                             int64_t *reports)
{
    struct round x = {p, a, call_id, per_entry, 0, 0};
    int rc = db_transaction(c, open_cb, &x);
    *round_no = x.round_no, *reports = x.reports;
    return rc;
}

/* POST /calls/:id/rounds {purpose: "performance", per_entry?} */
static void handle_open_round(request *r)
{
    static const char *const allowed[] = {"purpose", "per_entry", NULL};
    int64_t id, per_entry = 0;
    const char *purpose = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_name(r, "purpose", true, 20, &purpose) ||
        !body_int(r, "per_entry", false, &per_entry, NULL))
        return;
    if (strcmp(purpose, "performance") != 0) {
        reply_error(r, 422, "invalid_field", "purpose", "仅可开启绩效评价轮次 / purpose: performance");
        return;
    }
    if (per_entry < 0 || per_entry > 20) {
        reply_error(r, 422, "invalid_field", "per_entry", "每项评审人数应为 1 至 20 / per_entry: 1 to 20");
        return;
    }
    db *c = db_thread();
    int64_t round_no = 0, reports = 0;
    int rc = c ? reports_open_performance(c, r->principal, &r->arena, id, per_entry, &round_no, &reports) : DB_ERR;
    if (rc != DB_OK && error_row_find(report_errors, rc)) { reply_error_row(r, report_errors, rc); return; }
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "call_id"), jw_int(&w, id);
    jw_key(&w, "round_no"), jw_int(&w, round_no);
    jw_key(&w, "purpose"), jw_str(&w, "performance");
    jw_key(&w, "status"), jw_str(&w, "open");
    jw_key(&w, "reports"), jw_int(&w, reports);
    jw_obj_end(&w);
    reply_jw(r, 201, &w);
}

/* Grades each report scored in the round and its parent; status decided. */
static int grade_reports(db *c, int64_t call_id, int64_t round_no, const char *now, int64_t *graded)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.parent_id, e.score_agg FROM call_entries e WHERE e.call_id = ? AND e.id IN "
                "(SELECT r.entry_id FROM call_reviews r WHERE r.call_id = ? AND r.round_no = ?) ORDER BY e.id");
    qb_int(&q, call_id), qb_int(&q, call_id), qb_int(&q, round_no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t (*rows)[3] = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            void *grown = realloc(rows, (cap = cap ? cap * 2 : 64) * sizeof *rows);
            if (!grown) { rc = DB_ERR; break; }
            rows = grown;
        }
        rows[n][0] = db_col_int(s, 0), rows[n][1] = db_col_int(s, 1), rows[n][2] = db_col_int(s, 2), n++;
    }
    db_finish(s);
    if (rc == DB_DONE) rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        const char *grade = reports_grade(rows[i][2]);
        qb_init(&q, "UPDATE call_entries SET grade = ?, status = 'decided', updated_at = ? WHERE id = ?");
        qb_text(&q, grade), qb_text(&q, now), qb_int(&q, rows[i][0]);
        rc = qb_exec(c, &q, NULL);
        /* the parent keeps its status (decided): its grade follows its latest graded report */
        if (rc == DB_OK) {
            qb_init(&q, "UPDATE call_entries SET grade = ?, updated_at = ? WHERE id = ?");
            qb_text(&q, grade), qb_text(&q, now), qb_int(&q, rows[i][1]);
            rc = qb_exec(c, &q, NULL);
        }
    }
    free(rows);
    *graded = (int64_t)n;
    return rc;
}

int reports_close_round(db *c, const principal *p, const call_rec *call, int64_t round_no)
{
    qb q;
    const char *status = NULL;
    qb_init(&q, "SELECT status FROM call_rounds WHERE call_id = ? AND round_no = ? AND purpose = 'performance'");
    qb_int(&q, call->id), qb_int(&q, round_no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    bool open = rc == DB_ROW && !strcmp(db_col_text(s, 0), "open");
    if (rc == DB_ROW) status = "";
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!status) return REVIEW_NOT_FOUND;
    if (!open) return REVIEW_ROUND_CLOSED;
    int64_t pending = 0, graded = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_reviews WHERE call_id = ? AND round_no = ? AND status <> 'submitted'");
    qb_int(&q, call->id), qb_int(&q, round_no);
    if ((rc = qb_exec(c, &q, &pending)) != DB_OK) return rc;
    if (pending) return REVIEW_PENDING;
    char now[32];
    time_now_rfc3339(now);
    qb_init(&q, "UPDATE call_rounds SET status = 'closed', closed_at = ? WHERE call_id = ? AND round_no = ?");
    qb_text(&q, now), qb_int(&q, call->id), qb_int(&q, round_no);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = grade_reports(c, call->id, round_no, now, &graded)) != DB_OK) return rc;
    if (!graded) return REVIEW_STATE;   /* no sheet was ever assigned: nothing to close */
    json_t *after = json_pack("{s:I, s:s, s:I}", "round_no", (json_int_t)round_no, "purpose", "performance", "graded",
                              (json_int_t)graded);
    rc = audit_record(c, actor_of(p), call->org_path, "call", call->id, "close_round", NULL, after);
    json_decref(after);
    return rc;
}

static const struct route report_routes[] = {
    {"POST", "/api/v1/entries/:id/reports", handle_create, RANK_STAFF, 0,
     .summary = "Start a funded entry's mid-term or final report {kind, report_due?}; filled and submitted as an entry",
     .entity = &call_report_entity},
    {"GET", "/api/v1/entries/:id/reports", handle_list, RANK_STAFF, 0,
     .summary = "An entry's follow-up reports with their performance scores and grades, and the entry's grade",
     .entity = &call_report_entity},
    {"POST", "/api/v1/calls/:id/rounds", handle_open_round, RANK_ORG_ADMIN, 0,
     .summary = "Open a performance round (绩效评价) over the call's submitted reports {purpose: performance, per_entry?}",
     .entity = &call_entity},
    {0},
};

void reports_register_routes(void)
{
    router_add_table(report_routes);
}
