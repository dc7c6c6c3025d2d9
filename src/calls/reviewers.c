/* reviewers.c - a call's reviewers and the assignment of its entries to them (issue 15, package
 * B). A reviewer is an account the call's managers name; its branch is its unit's ancestor one
 * level below the call's owner (its district for a city call). An entry is reviewable once its
 * owner holds it (recommended up to the call's owner, or submitted to a call without stages) and
 * the call is in review. Assignment refuses a reviewer of the entry's own unit or branch; the
 * automatic one gives each entry N reviewers, always taking the least loaded reviewer without a
 * conflict (equal loads by reviewer id), so loads differ by at most one where conflicts allow.
 * Assigning moves the entry to under_review (no longer withdrawn or returned). */
#include "calls/reviews_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const error_row review_errors[] = {
    {REVIEW_NOT_FOUND, 404, "not_found", NULL, "评审表不存在 / review sheet not found"},
    {REVIEWER_NOT_FOUND, 404, "not_found", NULL, "评审专家不存在 / reviewer not found"},
    {REVIEW_NO_CRITERIA, 409, "no_criteria", "review", "征集未设置评分标准 / the call has no review criteria"},
    {REVIEW_STATE, 409, "review_state", "status", "评审表当前状态不允许此操作 / the sheet's status forbids this"},
    {REVIEW_ROUND_CLOSED, 409, "round_closed", NULL, "评审轮次已结束 / the review round is closed"},
    {REVIEW_NOT_ENOUGH, 409, "not_enough_reviewers", "per_entry",
     "无利益冲突的评审专家不足 / not enough reviewers without a conflict"},
    {REVIEW_CONFLICT, 409, "reviewer_conflict", "user_id",
     "评审专家与申报单位同单位或同区 / the reviewer is of the entry's unit or district"},
    {REVIEW_SCORES, 422, "invalid_field", "scores", "评分缺失或超出范围 / a score is missing or out of range"},
    {REVIEW_PENDING, 409, "reviews_pending", NULL, "尚有评审表未提交 / some sheets are not submitted"},
    {REVIEWER_DUPLICATE, 409, "duplicate", "user_id", "已是评审专家或已分配 / already a reviewer or assigned"},
    {REVIEW_USER_UNKNOWN, 404, "not_found", "user_id", "账号不存在或已停用 / no such active account"},
    {REVIEW_ENTRY_UNKNOWN, 404, "not_found", "entry_id", "该征集中没有待评审的此申报 / no such entry under review"},
    {CALL_NOT_FOUND, 404, "not_found", NULL, "征集不存在 / call not found"},
    {CALL_STATE, 409, "call_state", "status", "征集当前状态不允许此操作 / the call's status forbids this"},
    {0},
};

int review_cfg_read(const char *json, arena *a, review_cfg *out)
{
    memset(out, 0, sizeof *out);
    out->round_no = REVIEW_ROUND;
    out->tie = -1, out->trim = 1, out->outlier_points = 15, out->per_entry = 3;
    json_t *r = json ? json_loads(json, 0, NULL) : NULL, *c, *v;
    size_t i;
    json_array_foreach(json_object_get(r, "criteria"), i, c) {
        const char *key = json_string_value(json_object_get(c, "key"));
        json_t *max = json_object_get(c, "max"), *w = json_object_get(c, "weight");
        if (!key || !json_is_integer(max) || json_integer_value(max) < 1 || json_integer_value(max) > 1000 ||
            (w && (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > 100)) ||
            out->n == REVIEW_MAX_CRITERIA) { out->n = 0; break; }
        out->keys[out->n] = arena_strdup(a, key);
        out->labels[out->n] = arena_strdup(a, json_string_value(json_object_get(c, "label")) ? json_string_value(json_object_get(c, "label")) : key);
        out->max[out->n] = json_integer_value(max), out->weight[out->n] = w ? json_integer_value(w) : 1;
        out->n++;
    }
    if ((v = json_object_get(r, "per_entry")) && json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 20)
        out->per_entry = (int)json_integer_value(v);
    if ((v = json_object_get(r, "trim")) && json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 5)
        out->trim = (int)json_integer_value(v);
    if ((v = json_object_get(r, "outlier_points")) && json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 100)
        out->outlier_points = (int)json_integer_value(v);
    out->blind = json_is_true(json_object_get(r, "blind"));
    const char *agg = json_string_value(json_object_get(r, "aggregate")), *tie = json_string_value(json_object_get(r, "tie"));
    out->trimmed = agg && !strcmp(agg, "trimmed_mean");
    for (int k = 0; tie && k < out->n; k++) if (!strcmp(out->keys[k], tie)) out->tie = k;
    json_decref(r);
    return out->n ? DB_OK : REVIEW_NO_CRITERIA;
}

typedef struct reviewer {
    int64_t id, call_id, user_id, assigned, submitted, outliers;
    const char *name, *org_name, *org_path, *user_path, *branch_path, *created_at;
    bool flagged;
} reviewer;

#define V(member) offsetof(reviewer, member)
#define SHEETS(cond) "(SELECT COUNT(*) FROM call_reviews x WHERE x.reviewer_id = v.id" cond ")"
static const field reviewer_fields[] = {
    {"id", "v.id", FT_ID, V(id), .flags = 0},
    {"call_id", "v.call_id", FT_ID, V(call_id), .flags = 0},
    {"user_id", "v.user_id", FT_ID, V(user_id), .flags = FF_CREATE | FF_REQUIRED},
    {"name", "u.name", FT_TEXT, V(name), .flags = 0},
    {"org_name", "o.name", FT_TEXT, V(org_name), .flags = 0, .doc = "the reviewer's unit"},
    {"org_path", "v.org_path", FT_TEXT, V(org_path), .flags = FF_HIDDEN},
    {"user_path", "v.user_path", FT_TEXT, V(user_path), .flags = FF_HIDDEN},
    {"branch_path", "v.branch_path", FT_TEXT, V(branch_path), .flags = FF_HIDDEN},
    {"assigned", SHEETS(""), FT_INT, V(assigned), .flags = 0, .doc = "sheets assigned (its load)"},
    {"submitted", SHEETS(" AND x.status = 'submitted'"), FT_INT, V(submitted), .flags = 0},
    {"outliers", SHEETS(" AND x.outlier = 1"), FT_INT, V(outliers), .flags = 0,
     .doc = "submitted sheets far (outlier_points) from the other reviewers' mean"},
    {"flagged", "CASE WHEN 10 * " SHEETS(" AND x.outlier = 1") " > 3 * " SHEETS(" AND x.status = 'submitted'")
                " THEN 1 ELSE 0 END", FT_BOOL, V(flagged), .flags = 0, .doc = "more than 30% of its sheets are outliers"},
    {"created_at", "v.created_at", FT_TIME, V(created_at), .flags = 0},
    {0},
};
#undef V

entity call_reviewer_entity = {
    .name = "call_reviewer",
    .doc = "A reviewer (评审专家) of a call, with its load and outlier flag",
    .from = " FROM call_reviewers v JOIN users u ON u.id = v.user_id JOIN orgs o ON o.id = u.org_id",
    .id_column = "v.id",
    .path_column = "v.org_path",
    .order = " ORDER BY v.id",
    .size = sizeof(reviewer),
    .fields = reviewer_fields,
    .not_found = REVIEWER_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = review_errors,
};

/* The ancestor of path one level below owner_path; path itself when not below it. */
static const char *branch_of(arena *a, const char *owner_path, const char *path)
{
    size_t n = strlen(owner_path);
    if (strncmp(path, owner_path, n) != 0 || !path[n]) return arena_strdup(a, path);
    const char *slash = strchr(path + n, '/');
    return arena_strndup(a, path, slash ? (size_t)(slash - path) + 1 : strlen(path));
}

/* An array of n items grown to cap (arena memory: the old block stays until the arena goes). */
static void *grow(arena *a, void *old, int n, int cap, size_t size)
{
    void *p = arena_alloc(a, (size_t)cap * size);
    if (p && n) memcpy(p, old, (size_t)n * size);
    return p;
}

static bool prefix(const char *a, const char *b) { return strncmp(b, a, strlen(a)) == 0; }

/* The conflict rule: the same branch, or the entrant's unit above or below the reviewer's (a
 * reviewer at the owner's level or above conflicts with no entry). */
static bool conflict(const char *owner_path, const char *r_path, const char *r_branch, const char *e_path,
                     const char *e_branch)
{
    if (prefix(r_path, owner_path)) return false;
    return !strcmp(r_branch, e_branch) || prefix(r_path, e_path) || prefix(e_path, r_path);
}

struct add { const principal *p; arena *a; int64_t call_id, user_id, expert_id; call_rec call; void *out; };

static int add_cb(db *c, void *cls)
{
    struct add *x = cls;
    int rc = calls_get_managed(c, x->p, x->a, x->call_id, &x->call);
    if (rc != DB_OK) return rc;
    int64_t perf = 0;
    /* a final call takes reviewers again for its performance round (H) */
    if (!strcmp(x->call.status, "final") && (rc = reports_open_round(c, x->call_id, &perf)) != DB_OK) return rc;
    if (!strcmp(x->call.status, "cancelled") || (!strcmp(x->call.status, "final") && !perf) ||
        !strcmp(x->call.status, "archived"))
        return CALL_STATE;
    if (x->expert_id && (rc = experts_user_of(c, x->p, x->a, x->expert_id, &x->user_id)) != DB_OK) return rc;
    qb q;
    /* any active account may review (experts come from every district); its unit is read, not shown */
    qb_init(&q, "SELECT o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND u.active = 1");
    qb_int(&q, x->user_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    const char *path = NULL;
    if ((rc = db_step(s)) == DB_ROW) path = arena_strdup(x->a, db_col_text(s, 0));
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!path) return REVIEW_USER_UNKNOWN;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"call_id", .i = x->call_id, .is_int = true}, {"user_id", .i = x->user_id, .is_int = true},
                           {"org_path", .text = x->call.org_path}, {"user_path", .text = path},
                           {"branch_path", .text = branch_of(x->a, x->call.org_path, path)},
                           {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"expert_id", .i = x->expert_id, .is_int = x->expert_id != 0}, {0}};
    int64_t id = 0;
    rc = entity_store(c, &call_reviewer_entity, "call_reviewers", 0, NULL, more, x->a, &id);
    if (rc == DB_UNIQUE) return REVIEWER_DUPLICATE;
    if (rc != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_reviewer_entity, x->a, id, x->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_reviewer_entity, actor_of(x->p), x->call.org_path, id, "create", NULL, x->out);
}

int reviewers_add(db *c, const principal *p, arena *a, int64_t call_id, int64_t user_id, int64_t expert_id, void *out)
{
    struct add x = {.p = p, .a = a, .call_id = call_id, .user_id = user_id, .expert_id = expert_id, .out = out};
    return db_transaction(c, add_cb, &x);
}

int reviews_round_closed(db *c, int64_t call_id, int64_t round_no, bool *closed)
{
    qb q;
    qb_init(&q, "SELECT status FROM call_rounds WHERE call_id = ? AND round_no = ?");
    qb_int(&q, call_id), qb_int(&q, round_no);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *closed = rc == DB_ROW && !strcmp(db_col_text(s, 0), "closed");
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The call in review, managed by p, with criteria, and round 1 open (created on first use); or
 * the call's open performance round (H), whatever the call's status. */
static int review_ready(db *c, const principal *p, arena *a, int64_t call_id, call_rec *call, review_cfg *cfg,
                        const char *now)
{
    int rc = calls_get_managed(c, p, a, call_id, call);
    if (rc != DB_OK) return rc;
    int64_t perf = 0;
    if ((rc = reports_open_round(c, call_id, &perf)) != DB_OK) return rc;
    if (perf) return review_cfg_round(c, call, perf, a, cfg);
    if (strcmp(call->status, "reviewing") != 0) return CALL_STATE;
    if ((rc = review_cfg_read(call->review, a, cfg)) != DB_OK) return rc;
    bool closed;
    if ((rc = reviews_round_closed(c, call_id, REVIEW_ROUND, &closed)) != DB_OK) return rc;
    if (closed) return REVIEW_ROUND_CLOSED;
    qb q;
    qb_init(&q, "INSERT INTO call_rounds (call_id, round_no, purpose, status, per_entry, opened_at) SELECT ?, ?, "
                "'selection', 'open', ?, ? WHERE NOT EXISTS (SELECT 1 FROM call_rounds WHERE call_id = ? AND round_no = ?)");
    qb_int(&q, call_id), qb_int(&q, REVIEW_ROUND), qb_int(&q, cfg->per_entry), qb_text(&q, now);
    qb_int(&q, call_id), qb_int(&q, REVIEW_ROUND);
    return qb_exec(c, &q, NULL);
}

/* The entries the owner holds and may have reviewed; in a performance round, the submitted
 * follow-up reports (H). */
#define REVIEWABLE " e.call_id = ? AND e.kind = 'entry' AND e.stage_org_id = ? " \
                   "AND e.status IN ('submitted', 'recommended', 'under_review')"
#define REPORTS " e.call_id = ? AND e.kind IN ('midterm', 'final') AND e.stage_org_id = ? " \
                "AND e.status IN ('submitted', 'under_review')"

static int insert_sheet(db *c, const principal *p, int64_t call_id, int64_t round_no, int64_t entry_id,
                        const char *entry_path, int64_t reviewer_id, int64_t user_id, const char *now, int64_t *id)
{
    qb q;
    qb_init(&q, "INSERT INTO call_reviews (call_id, round_no, entry_id, reviewer_id, user_id, entry_path, status, "
                "assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?, ?, 'assigned', ?, ?)");
    if (id) qb_sql(&q, " RETURNING id");
    qb_int(&q, call_id), qb_int(&q, round_no), qb_int(&q, entry_id), qb_int(&q, reviewer_id), qb_int(&q, user_id);
    qb_text(&q, entry_path), qb_int(&q, p->user_id), qb_text(&q, now);
    int rc = qb_exec(c, &q, id);
    if (rc == DB_UNIQUE) return REVIEWER_DUPLICATE;
    if (rc != DB_OK) return rc;
    qb_init(&q, "UPDATE call_entries SET status = 'under_review', updated_at = ? WHERE id = ? AND status <> 'under_review'");
    qb_text(&q, now), qb_int(&q, entry_id);
    return qb_exec(c, &q, NULL);
}

typedef struct pool_row { int64_t id, user_id, load; const char *path, *branch; } pool_row;

struct autox {
    const principal *p; arena *a; int64_t call_id; int per_entry; int64_t assigned;
    call_rec call; review_cfg cfg; char now[32];
    pool_row *pool; int npool;
};

static int load_pool(db *c, struct autox *x)
{
    qb q;
    qb_init(&q, "SELECT v.id, v.user_id, v.user_path, v.branch_path, (SELECT COUNT(*) FROM call_reviews r WHERE "
                "r.reviewer_id = v.id AND r.round_no = ?) FROM call_reviewers v JOIN users u ON u.id = v.user_id "
                "WHERE v.call_id = ? AND u.active = 1 ORDER BY v.id");
    qb_int(&q, x->cfg.round_no), qb_int(&q, x->call_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc, cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (x->npool == cap) cap = cap ? cap * 2 : 64, x->pool = grow(x->a, x->pool, x->npool, cap, sizeof *x->pool);
        if (!x->pool) { db_finish(s); return DB_ERR; }
        x->pool[x->npool++] = (pool_row){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 4),
                                         arena_strdup(x->a, db_col_text(s, 2)), arena_strdup(x->a, db_col_text(s, 3))};
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Whether reviewer user_id already has a sheet of entry_id. */
static int has_sheet(db *c, int64_t entry_id, int64_t round_no, int64_t user_id, bool *yes)
{
    qb q;
    qb_init(&q, "SELECT 1 FROM call_reviews WHERE entry_id = ? AND round_no = ? AND user_id = ?");
    qb_int(&q, entry_id), qb_int(&q, round_no), qb_int(&q, user_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *yes = rc == DB_ROW;
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Gives one entry its missing reviewers: each time the least loaded one without a conflict. */
static int fill_entry(db *c, struct autox *x, int64_t entry_id, const char *path, const char *branch, int64_t have)
{
    for (int64_t k = have; k < x->per_entry; k++) {
        int best = -1;
        for (int i = 0; i < x->npool; i++) {
            pool_row *r = &x->pool[i];
            if (r->load < 0 || conflict(x->call.org_path, r->path, r->branch, path, branch)) continue;
            if (best >= 0 && r->load >= x->pool[best].load) continue;
            bool taken;
            int rc = has_sheet(c, entry_id, x->cfg.round_no, r->user_id, &taken);
            if (rc != DB_OK) return rc;
            if (!taken) best = i;
        }
        if (best < 0) return REVIEW_NOT_ENOUGH;
        pool_row *r = &x->pool[best];
        int rc = insert_sheet(c, x->p, x->call_id, x->cfg.round_no, entry_id, path, r->id, r->user_id, x->now, NULL);
        if (rc != DB_OK) return rc;
        r->load++, x->assigned++;
    }
    return DB_OK;
}

typedef struct want { int64_t id, have; const char *path, *branch; } want;

static int auto_cb(db *c, void *cls)
{
    struct autox *x = cls;
    time_now_rfc3339(x->now);
    int rc = review_ready(c, x->p, x->a, x->call_id, &x->call, &x->cfg, x->now);
    if (rc != DB_OK) return rc;
    if (!x->per_entry) x->per_entry = x->cfg.per_entry;
    if ((rc = load_pool(c, x)) != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT e.id, e.org_path, e.branch_path, (SELECT COUNT(*) FROM call_reviews r WHERE r.entry_id = e.id "
                "AND r.round_no = ?) FROM call_entries e WHERE");
    qb_sql(&q, x->cfg.performance ? REPORTS " ORDER BY e.id" : REVIEWABLE " ORDER BY e.id");
    qb_int(&q, x->cfg.round_no), qb_int(&q, x->call_id), qb_int(&q, x->call.org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    want *w = NULL;
    int n = 0, cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) cap = cap ? cap * 2 : 256, w = grow(x->a, w, n, cap, sizeof *w);
        if (!w) { db_finish(s); return DB_ERR; }
        w[n++] = (want){db_col_int(s, 0), db_col_int(s, 3), arena_strdup(x->a, db_col_text(s, 1)),
                        arena_strdup(x->a, db_col_text(s, 2))};
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    for (int i = 0; i < n && rc == DB_DONE; i++)
        if (w[i].have < x->per_entry && (rc = fill_entry(c, x, w[i].id, w[i].path, w[i].branch, w[i].have)) == DB_OK) rc = DB_DONE;
    if (rc != DB_DONE) return rc;
    json_t *after = json_pack("{s:i, s:I}", "per_entry", x->per_entry, "assigned", (json_int_t)x->assigned);
    rc = audit_record(c, actor_of(x->p), x->call.org_path, "call", x->call_id, "auto_assign", NULL, after);
    json_decref(after);
    return rc;
}

int reviews_assign_auto(db *c, const principal *p, arena *a, int64_t call_id, int per_entry, int64_t *assigned)
{
    struct autox x = {.p = p, .a = a, .call_id = call_id, .per_entry = per_entry};
    int rc = db_transaction(c, auto_cb, &x);
    *assigned = x.assigned;
    return rc;
}

struct one { const principal *p; arena *a; int64_t call_id, entry_id, user_id; void *out; };

static int one_cb(db *c, void *cls)
{
    struct one *x = cls;
    call_rec call;
    review_cfg cfg;
    char now[32];
    time_now_rfc3339(now);
    int rc = review_ready(c, x->p, x->a, x->call_id, &call, &cfg, now);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT e.org_path, e.branch_path FROM call_entries e WHERE e.id = ? AND");
    qb_sql(&q, cfg.performance ? REPORTS : REVIEWABLE);
    qb_int(&q, x->entry_id), qb_int(&q, x->call_id), qb_int(&q, call.org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    const char *path = NULL, *branch = NULL;
    if ((rc = db_step(s)) == DB_ROW) path = arena_strdup(x->a, db_col_text(s, 0)), branch = arena_strdup(x->a, db_col_text(s, 1));
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!path) return REVIEW_ENTRY_UNKNOWN;
    qb_init(&q, "SELECT id, user_path, branch_path FROM call_reviewers WHERE call_id = ? AND user_id = ?");
    qb_int(&q, x->call_id), qb_int(&q, x->user_id);
    if (!(s = qb_prepare(&q, c))) return DB_ERR;
    int64_t rid = 0;
    const char *r_path = NULL, *r_branch = NULL;
    if ((rc = db_step(s)) == DB_ROW)
        rid = db_col_int(s, 0), r_path = arena_strdup(x->a, db_col_text(s, 1)), r_branch = arena_strdup(x->a, db_col_text(s, 2));
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (!rid) return REVIEWER_NOT_FOUND;
    if (conflict(call.org_path, r_path, r_branch, path, branch)) return REVIEW_CONFLICT;
    int64_t id = 0;
    if ((rc = insert_sheet(c, x->p, x->call_id, cfg.round_no, x->entry_id, path, rid, x->user_id, now, &id)) != DB_OK)
        return rc;
    if ((rc = entity_get_unscoped(c, &call_review_managed_entity, x->a, id, x->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_review_managed_entity, actor_of(x->p), path, id, "assign", NULL, x->out);
}

int reviews_assign_one(db *c, const principal *p, arena *a, int64_t call_id, int64_t entry_id, int64_t user_id,
                       void *out)
{
    struct one x = {.p = p, .a = a, .call_id = call_id, .entry_id = entry_id, .user_id = user_id, .out = out};
    return db_transaction(c, one_cb, &x);
}
