/* recert.c - re-certification of title holders (称号复核, 末位淘汰; issue 15 item 6, calls.h "G").
 *
 * A call with eligible = holders reviews the current holders of one kind of title (holder_kind,
 * e.g. demo_point) below its owner:
 *   - opening it gives each active holder one entry, submitted at once and held by the owner,
 *     with its figures snapshotted (call_figures.c); the holder's unit adds evidence and edits
 *     it until the deadline (entries.c), each save taking a new snapshot;
 *   - the proposal (GET /calls/:id/recert): a holder below min_figures ({"courses": 24}, keys of
 *     the form's figure fields) is proposed for revocation, naming the figure; the others are
 *     ranked by their review scores (B's aggregates, when the call has a review) and then by
 *     the sum of those figures, and the last revoke_last of them (else revoke_share %, floor,
 *     at least 1 when the share is above 0) are proposed for revocation. A tie across that line
 *     keeps the whole tie group: a title is never revoked by the order of ids;
 *   - POST /calls/:id/recert/apply writes the proposal as decisions (outcome revoke | keep, the
 *     reason) on the entries not yet decided; the admin overrides one with POST
 *     /entries/:id/decide and a reason (audited as every decision);
 *   - 公示 as for every call; finalize (publicity.c) revokes the titles decided revoke
 *     (revoke_call_id, the decision's reason) and extends valid_to of the kept ones by the
 *     kind's valid_years (designations.c).
 * The settings (holder_kind, min_figures, revoke_last, revoke_share) are columns of calls (020);
 * a call whose holder_kind is still NULL reads them from its template's config (the builtin
 * recertification template: demo_point, courses >= 24, 10 %), and PUT /calls/:id/recert sets
 * them. Scope: every route manages the call (calls_get_managed, ORG_ADMIN). */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "stats/stats.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- settings ---- */

typedef struct recert_settings {
    int64_t id, revoke_last, revoke_share;
    const char *org_path, *holder_kind, *min_figures;
} recert_settings;

#define S(member) offsetof(recert_settings, member)
static const field settings_fields[] = {
    {"id", "c.id", FT_ID, S(id), .flags = 0, .doc = "the call"},
    {"org_path", "c.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"holder_kind", "c.holder_kind", FT_TEXT, S(holder_kind), .flags = FF_WRITE, .max = 32, .example = "\"demo_point\"",
     .doc = "the kind of title whose active holders the call reviews"},
    {"min_figures", "c.min_figures", FT_JSON, S(min_figures), .flags = FF_WRITE | FF_BODY_OWN,
     .doc = "{figure field key: minimum}: a holder below one is proposed for revocation"},
    {"revoke_last", "c.revoke_last", FT_INT, S(revoke_last), .flags = FF_WRITE, .min = 0, .max = 1000,
     .doc = "the last N ranked holders proposed for revocation (末位淘汰); 0: by revoke_share"},
    {"revoke_share", "c.revoke_share", FT_INT, S(revoke_share), .flags = FF_WRITE, .min = 0, .max = 100,
     .doc = "else this share in % of the ranked (floor, at least 1 when above 0)"},
    {0},
};
#undef S

entity call_recert_settings_entity = {
    .name = "call_recert_settings",
    .doc = "A re-certification call's settings: the title reviewed, the minimum figures, the last place",
    .from = " FROM calls c",
    .id_column = "c.id",
    .path_column = "c.org_path",
    .order = " ORDER BY c.id",
    .size = sizeof(recert_settings),
    .fields = settings_fields,
    .not_found = CALL_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
};

/* The call's settings; holder_kind NULL on the row: its template's config's. */
static int settings_read(db *c, arena *a, const call_rec *call, recert_settings *out)
{
    /* the call was read by its manager */
    int rc = entity_get_unscoped(c, &call_recert_settings_entity, a, call->id, out);
    if (rc != DB_OK || out->holder_kind) return rc;
    qb q;
    qb_init(&q, "SELECT config FROM call_templates WHERE code = ?");
    qb_text(&q, call->template_code);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    json_t *cfg = (rc = db_step(s)) == DB_ROW ? json_loads(db_col_text(s, 0), 0, NULL) : NULL;
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    json_t *kind = json_object_get(cfg, "holder_kind"), *min = json_object_get(cfg, "min_figures");
    out->holder_kind = json_is_string(kind) ? arena_strdup(a, json_string_value(kind)) : NULL;
    if (json_is_object(min)) {
        char *text = json_dumps(min, JSON_COMPACT | JSON_SORT_KEYS);
        out->min_figures = arena_strdup(a, text);
        free(text);
    }
    if (json_is_integer(json_object_get(cfg, "revoke_last"))) out->revoke_last = json_integer_value(json_object_get(cfg, "revoke_last"));
    if (json_is_integer(json_object_get(cfg, "revoke_share"))) out->revoke_share = json_integer_value(json_object_get(cfg, "revoke_share"));
    json_decref(cfg);
    return DB_OK;
}

static bool holders_call(const call_rec *call) { return call->eligible && !strcmp(call->eligible, "holders"); }

/* ---- opening: one submitted entry per active holder ---- */

typedef struct holder { int64_t org_id, subject_id; const char *org_path, *subject_kind, *name; } holder;

static int read_holders(db *c, arena *a, const call_rec *call, const char *kind, const char *today, holder **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT d.org_id, COALESCE(d.subject_id, d.org_id), d.org_path, d.subject_kind, d.name FROM designations d "
                "WHERE d.kind = ? AND d.status = 'active' AND d.valid_from <= ? AND (d.valid_to IS NULL OR d.valid_to >= ?) "
                "AND substr(d.org_path, 1, length(?)) = ? AND d.org_path <> ? ORDER BY d.id");
    qb_text(&q, kind), qb_text(&q, today), qb_text(&q, today);
    qb_text(&q, call->org_path), qb_text(&q, call->org_path), qb_text(&q, call->org_path);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc, cap = 0;
    *n = 0, *out = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            holder *more = arena_alloc(a, sizeof *more * (size_t)(cap = cap ? cap * 2 : 32));
            if (!more) { rc = DB_ERR; break; }
            if (*n) memcpy(more, *out, sizeof *more * (size_t)*n);
            *out = more;
        }
        holder *h = &(*out)[(*n)++];
        h->org_id = db_col_int(s, 0), h->subject_id = db_col_int(s, 1);
        h->org_path = arena_strdup(a, db_col_text(s, 2)), h->subject_kind = arena_strdup(a, db_col_text(s, 3));
        h->name = arena_strdup(a, db_col_text(s, 4));
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static const char *branch_of(arena *a, const char *owner_path, const char *path)
{
    const char *slash = strchr(path + strlen(owner_path), '/');
    return arena_strndup(a, path, slash ? (size_t)(slash - path) + 1 : strlen(path));
}

/* The figures of the call's form for unit org_id today, as stored text in the arena. */
static const char *figures_now(db *c, arena *a, const call_rec *call, int64_t org_id, const char *values, const char *now)
{
    json_t *form = json_loads(call->form, 0, NULL), *v = json_loads(values ? values : "{}", 0, NULL);
    json_t *fig = calls_compute_figures(c, form, v, org_id, call->year, now);
    char *text = fig ? json_dumps(fig, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    const char *out = text ? arena_strdup(a, text) : NULL;
    free(text);
    json_decref(form), json_decref(v), json_decref(fig);
    return out;
}

static int add_entry(db *c, const principal *p, arena *a, const call_rec *call, const holder *h, const char *now)
{
    char code[7];
    for (int i = 0; i < 6; i++) code[i] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[randombytes_uniform(32)];
    code[6] = 0;
    const char *figures = figures_now(c, a, call, h->org_id, NULL, now), *day = arena_strndup(a, now, 10);
    if (!figures) return DB_ERR;
    json_t *stages = json_loads(call->stages, 0, NULL);
    int64_t last = (int64_t)json_array_size(stages);
    json_decref(stages);
    bool person = !strcmp(h->subject_kind, "teacher") || !strcmp(h->subject_kind, "volunteer");
    entry_rec in = {.title = arena_printf(a, "%s（称号复核）", h->name), .org_id = h->org_id, .values = "{}"}, out;
    entity_value more[] = {{"call_id", .i = call->id, .is_int = true}, {"org_path", .text = h->org_path},
                           {"branch_path", .text = branch_of(a, call->org_path, h->org_path)},
                           {"subject_kind", .text = person ? h->subject_kind : !strcmp(h->subject_kind, "org") ? "org" : "none"},
                           {"subject_id", .i = h->subject_id, .is_int = true}, {"subject_name", .text = h->name},
                           {"figures", .text = figures}, {"status", .text = "submitted"},
                           {"stage_no", .i = last, .is_int = true}, {"stage_org_id", .i = call->org_id, .is_int = true},
                           {"counted_day", .text = day}, {"blind_code", .text = code}, {"first_submitted_at", .text = now},
                           {"submitted_at", .text = now}, {"created_by", .text = NULL},   /* the system's: the unit is its entrant */
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    int64_t id = 0;
    int rc = entity_store(c, &call_entry_entity, "call_entries", 0, &in, more, a, &id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entry_entity, a, id, &out);   /* just written */
    if (rc == DB_OK) rc = calls_count_add(c, call->id, h->org_id, h->org_path, "submitted", +1);
    if (rc == DB_OK) rc = entries_step(c, p, &out, "create", NULL, "submitted", "称号复核 / re-certification", now);
    if (rc == DB_OK) rc = entity_audit(c, &call_entry_entity, actor_of(p), h->org_path, id, "create", NULL, &out);
    if (rc != DB_OK) return rc;
    /* it counts as any submitted entry does (calls.c's key source) */
    stats_key key = {arena_printf(a, "call_entries.%s", call->template_code), 1};
    return stats_add_keys(c, h->org_path, day, &key, 1, +1);
}

int recert_open(db *c, const principal *p, arena *a, const call_rec *call)
{
    if (!holders_call(call)) return DB_OK;
    recert_settings st;
    int rc = settings_read(c, a, call, &st);
    if (rc != DB_OK) return rc;
    if (!st.holder_kind) return CALL_STATE;   /* nothing to review */
    char now[32], today[11];
    time_now_rfc3339(now);
    memcpy(today, now, 10), today[10] = 0;
    holder *hs;
    int n = 0;
    if ((rc = read_holders(c, a, call, st.holder_kind, today, &hs, &n)) != DB_OK) return rc;
    for (int i = 0; rc == DB_OK && i < n; i++) rc = add_entry(c, p, a, call, &hs[i], now);
    if (rc != DB_OK) return rc;
    /* the settings read are the call's from now on (a template changed later changes nothing) */
    qb q;
    qb_init(&q, "UPDATE calls SET entries_total = entries_total + ?, holder_kind = ?, min_figures = ?, revoke_last = ?, "
                "revoke_share = ? WHERE id = ?");
    qb_int(&q, n), qb_text(&q, st.holder_kind), qb_text(&q, st.min_figures), qb_int(&q, st.revoke_last);
    qb_int(&q, st.revoke_share), qb_int(&q, call->id);
    return qb_exec(c, &q, NULL);
}

int recert_eligible(db *c, const call_rec *call, int64_t org_id, const char *org_path)
{
    arena a;
    arena_init(&a);
    recert_settings st;
    char now[32];
    time_now_rfc3339(now);
    now[10] = 0;
    int rc = settings_read(c, &a, call, &st);
    bool held = rc == DB_OK && st.holder_kind && designations_held(c, org_id, st.holder_kind, now);
    arena_free(&a);
    if (rc != DB_OK) return rc;
    if (!held) return CALL_NOT_ELIGIBLE;
    /* a holder has one entry: its own, made when the call opened (or by hand, when titled since) */
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_entries WHERE call_id = ? AND org_path = ? AND status <> 'withdrawn'");
    qb_int(&q, call->id), qb_text(&q, org_path);
    rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? DB_OK : rc == DB_OK ? CALL_NOT_ELIGIBLE : rc;
}

int recert_refresh_figures(db *c, arena *a, const call_rec *call, const entry_rec *e)
{
    char now[32];
    time_now_rfc3339(now);
    const char *figures = figures_now(c, a, call, e->org_id, e->values, now);
    if (!figures) return DB_ERR;
    qb q;
    qb_init(&q, "UPDATE call_entries SET figures = ? WHERE id = ?");
    qb_text(&q, figures), qb_int(&q, e->id);
    return qb_exec(c, &q, NULL);
}

/* ---- the proposal ---- */

typedef struct recert_row {
    int64_t id, org_id, subject_id, n_reviews, score_agg, score_mean, tie1, rank, figure_sum, designation_id;
    const char *org_name, *org_path, *title, *subject_kind, *figures, *status, *outcome, *decision_reason;
    const char *proposal, *reason;
    bool below_min, tied;
} recert_row;

#define R(member) offsetof(recert_row, member)
static const field row_fields[] = {
    {"id", "e.id", FT_ID, R(id), .flags = 0, .doc = "the entry"},
    {"org_id", "e.org_id", FT_ID, R(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, R(org_name), .flags = 0},
    {"org_path", "e.org_path", FT_TEXT, R(org_path), .flags = FF_HIDDEN},
    {"title", "e.title", FT_TEXT, R(title), .flags = 0},
    {"subject_kind", "e.subject_kind", FT_TEXT, R(subject_kind), .flags = FF_HIDDEN},
    {"subject_id", "COALESCE(e.subject_id, e.org_id)", FT_INT, R(subject_id), .flags = FF_HIDDEN},
    {"designation_id", "", FT_INT_NULL, R(designation_id), .flags = FF_NO_SELECT, .doc = "the title under review"},
    {"figures", "e.figures", FT_JSON, R(figures), .flags = 0, .doc = "the snapshot {key: n, as_of}"},
    {"status", "e.status", FT_TEXT, R(status), .flags = 0},
    {"n_reviews", "e.n_reviews", FT_INT, R(n_reviews), .flags = 0},
    {"score_agg", "e.score_agg", FT_INT, R(score_agg), .flags = 0, .doc = "the review score (0..10000), package B"},
    {"score_mean", "e.score_mean", FT_INT, R(score_mean), .flags = FF_HIDDEN},
    {"tie1", "e.tie1", FT_INT, R(tie1), .flags = FF_HIDDEN},
    {"below_min", "", FT_BOOL, R(below_min), .flags = FF_NO_SELECT, .doc = "below one of min_figures"},
    {"rank", "", FT_INT, R(rank), .flags = FF_NO_SELECT, .doc = "among the holders not below min_figures (0: below)"},
    {"tied", "", FT_BOOL, R(tied), .flags = FF_NO_SELECT},
    {"proposal", "", FT_TEXT, R(proposal), .flags = FF_NO_SELECT, .doc = "revoke | keep"},
    {"reason", "", FT_TEXT, R(reason), .flags = FF_NO_SELECT, .example = "\"未达条件：courses 18 < 24 / below minimum\""},
    {"outcome", "e.outcome", FT_TEXT, R(outcome), .flags = 0, .doc = "the decision: revoke | keep (null: none yet)"},
    {"decision_reason", "e.decision_reason", FT_TEXT, R(decision_reason), .flags = 0},
    {0},
};
#undef R

entity call_recert_entity = {
    .name = "call_recert",
    .doc = "A holder's entry in a re-certification call: figures, score, rank and the proposal (revoke | keep)",
    .from = " FROM call_entries e JOIN orgs o ON o.id = e.org_id",
    .id_column = "e.id",
    .path_column = "e.org_path",
    .order = " ORDER BY e.id",
    .size = sizeof(recert_row),
    .fields = row_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
};

struct rows { recert_row *r; int n, cap; arena *a; };

static void collect(jw *w, const entity *e, const void *rec, void *cls)
{
    (void)w, (void)e;
    struct rows *x = cls;
    if (x->n == x->cap) {
        recert_row *more = arena_alloc(x->a, sizeof *more * (size_t)(x->cap = x->cap ? x->cap * 2 : 32));
        if (!more) return;
        if (x->n) memcpy(more, x->r, sizeof *more * (size_t)x->n);
        x->r = more;
    }
    x->r[x->n++] = *(const recert_row *)rec;
}

/* Better first: the review score, its mean and tie criterion, then the figures; equal: tied. */
static int cmp_rows(const recert_row *a, const recert_row *b)
{
    if (a->score_agg != b->score_agg) return a->score_agg > b->score_agg ? -1 : 1;
    if (a->score_mean != b->score_mean) return a->score_mean > b->score_mean ? -1 : 1;
    if (a->tie1 != b->tie1) return a->tie1 > b->tie1 ? -1 : 1;
    if (a->figure_sum != b->figure_sum) return a->figure_sum > b->figure_sum ? -1 : 1;
    return 0;
}

static int by_place(const void *x, const void *y)
{
    const recert_row *a = x, *b = y;
    if (a->below_min != b->below_min) return a->below_min ? 1 : -1;
    int k = cmp_rows(a, b);
    return k ? k : a->id < b->id ? -1 : a->id > b->id;
}

/* below_min with its reason, figure_sum, the designation under review. */
static int judge(db *c, arena *a, const recert_settings *st, json_t *min, recert_row *x)
{
    json_t *fig = json_loads(x->figures ? x->figures : "{}", 0, NULL), *v;
    const char *key;
    char why[512] = "";
    json_object_foreach(min, key, v) {
        int64_t have = json_integer_value(json_object_get(fig, key)), need = json_integer_value(v);
        x->figure_sum += have;
        if (have < need && strlen(why) < 400)
            snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s %lld < %lld", *why ? "；" : "", key, (long long)have,
                     (long long)need);
    }
    json_decref(fig);
    x->below_min = *why != 0;
    if (x->below_min) x->proposal = "revoke", x->reason = arena_printf(a, "未达条件：%s / below minimum", why);
    qb q;
    qb_init(&q, "SELECT id FROM designations WHERE kind = ? AND subject_kind = ? AND subject_id = ? ORDER BY "
                "CASE status WHEN 'active' THEN 0 ELSE 1 END, id DESC LIMIT 1");
    qb_text(&q, st->holder_kind), qb_text(&q, !strcmp(x->subject_kind, "none") ? "org" : x->subject_kind);
    qb_int(&q, x->subject_id);
    int rc = qb_exec(c, &q, &x->designation_id);
    return rc == DB_DONE ? DB_OK : rc;
}

/* How many of n ranked holders the last place takes. */
static int64_t last_count(const recert_settings *st, int64_t n)
{
    int64_t m = st->revoke_last > 0 ? st->revoke_last : st->revoke_share > 0 ? st->revoke_share * n / 100 : 0;
    if (st->revoke_last <= 0 && st->revoke_share > 0 && m < 1) m = 1;
    return m > n ? n : m;
}

typedef struct proposal {
    recert_settings st;
    recert_row *rows;
    int n;
    int64_t ranked, last;
} proposal;

static int propose(db *c, arena *a, const call_rec *call, proposal *out)
{
    int rc = settings_read(c, a, call, &out->st);
    if (rc != DB_OK) return rc;
    if (!out->st.holder_kind) return CALL_STATE;
    qb where;
    /* the call's entries still standing; read for the call's manager */
    qb_init(&where, " WHERE e.call_id = ? AND e.kind = 'entry' AND e.status IN ('submitted', 'recommended', 'under_review', 'decided')");
    qb_int(&where, call->id);
    struct rows x = {NULL, 0, 0, a};
    if ((rc = entity_list_all(c, &call_recert_entity, &where, NULL, a, NULL, collect, &x)) != DB_OK) return rc;
    json_t *min = json_loads(out->st.min_figures ? out->st.min_figures : "{}", 0, NULL);
    for (int i = 0; rc == DB_OK && i < x.n; i++) rc = judge(c, a, &out->st, min, &x.r[i]);
    json_decref(min);
    if (rc != DB_OK) return rc;
    if (x.n) qsort(x.r, (size_t)x.n, sizeof *x.r, by_place);
    int64_t n = 0;
    while (n < x.n && !x.r[n].below_min) n++;
    int64_t m = last_count(&out->st, n);
    for (int64_t i = 0; i < n; i++) {
        recert_row *r = &x.r[i];
        r->rank = i > 0 && !cmp_rows(r, &x.r[i - 1]) ? x.r[i - 1].rank : i + 1;
        r->tied = (i > 0 && !cmp_rows(r, &x.r[i - 1])) || (i + 1 < n && !cmp_rows(r, &x.r[i + 1]));
    }
    for (int64_t i = 0; i < n; i++) {
        recert_row *r = &x.r[i];
        /* the last m places; a tie group reaching above them is kept whole */
        bool last = r->rank > n - m;
        r->proposal = last ? "revoke" : "keep";
        r->reason = last ? arena_printf(a, "末位淘汰：第 %lld 名（共 %lld 名）/ last place: rank %lld of %lld", (long long)r->rank,
                                        (long long)n, (long long)r->rank, (long long)n)
                         : arena_printf(a, "保留：第 %lld 名（共 %lld 名）/ kept: rank %lld of %lld", (long long)r->rank,
                                        (long long)n, (long long)r->rank, (long long)n);
    }
    out->rows = x.r, out->n = x.n, out->ranked = n, out->last = m;
    return DB_OK;
}

static void proposal_write(jw *w, const proposal *x)
{
    jw_obj(w);
    jw_key(w, "settings"), entity_write(w, &call_recert_settings_entity, &x->st);
    jw_key(w, "ranked"), jw_int(w, x->ranked);
    jw_key(w, "last_place"), jw_int(w, x->last);
    int64_t revoke = 0;
    for (int i = 0; i < x->n; i++) revoke += !strcmp(x->rows[i].proposal, "revoke");
    jw_key(w, "proposed_revoke"), jw_int(w, revoke);
    jw_key(w, "items"), jw_arr(w);
    for (int i = 0; i < x->n; i++) entity_write(w, &call_recert_entity, &x->rows[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* The call as its manager sees it, a re-certification one; false after replying. */
static bool managed(request *r, db **c, call_rec *call)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? calls_get_managed(*c, r->principal, &r->arena, id, call) : DB_ERR;
    if (rc == DB_OK && !holders_call(call)) rc = CALL_STATE;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return false; }
    return true;
}

static void handle_get(request *r)
{
    db *c;
    call_rec call;
    proposal x;
    if (!managed(r, &c, &call)) return;
    int rc = propose(c, &r->arena, &call, &x);
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    jw w;
    jw_init(&w);
    proposal_write(&w, &x);
    reply_jw(r, 200, &w);
}

struct apply { const principal *p; arena *a; const call_rec *call; proposal *x; int64_t applied; };

static int apply_cb(db *c, void *cls)
{
    struct apply *w = cls;
    int rc = propose(c, w->a, w->call, w->x);
    for (int i = 0; rc == DB_OK && i < w->x->n; i++) {
        recert_row *r = &w->x->rows[i];
        if (r->outcome) continue;   /* decided already (by hand): kept as it is */
        entry_decision out;
        rc = results_decide(c, w->p, w->a, r->id, r->proposal, NULL, 0, r->reason, &out);
        w->applied += rc == DB_OK;
    }
    return rc == DB_OK ? propose(c, w->a, w->call, w->x) : rc;
}

int recert_apply(db *c, const principal *p, arena *a, const call_rec *call, int64_t *applied)
{
    proposal x;
    struct apply w = {p, a, call, &x, 0};
    int rc = db_transaction(c, apply_cb, &w);
    *applied = w.applied;
    return rc;
}

static void handle_apply(request *r)
{
    db *c;
    call_rec call;
    proposal x;
    if (!managed(r, &c, &call)) return;
    struct apply w = {r->principal, &r->arena, &call, &x, 0};
    int rc = db_transaction(c, apply_cb, &w);
    if (rc != DB_OK) { reply_error_row(r, results_errors, rc); return; }
    jw out;
    jw_init(&out);
    jw_obj(&out);
    jw_key(&out, "applied"), jw_int(&out, w.applied);
    jw_key(&out, "proposal"), proposal_write(&out, &x);
    jw_obj_end(&out);
    reply_jw(r, 200, &out);
}

MESSAGE(msg_kind, "没有这种称号 / no such kind of title");
MESSAGE(msg_min, "min_figures 应为 {表单中统计字段的 key: 非负整数} / min_figures: {a figure field's key: a whole number >= 0}");

/* min_figures: an object of the form's figure fields' keys, each a whole number >= 0. */
static bool min_ok(const call_rec *call, json_t *min)
{
    if (!json_is_object(min)) return json_is_null(min);
    json_t *form = json_loads(call->form, 0, NULL), *v, *d;
    const char *key;
    bool ok = true;
    json_object_foreach(min, key, v) {
        bool figure = false;
        size_t i;
        json_array_foreach(form, i, d)
            figure |= !strcmp(json_string_value(json_object_get(d, "key")), key) &&
                      !strcmp(json_string_value(json_object_get(d, "type")), "figure");
        ok &= figure && json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 1000000;
    }
    json_decref(form);
    return ok;
}

struct put { const principal *p; arena *a; const call_rec *call; recert_settings in, out; };

static int put_cb(db *c, void *cls)
{
    struct put *w = cls;
    recert_settings before;
    int rc = settings_read(c, w->a, w->call, &before);
    if (rc != DB_OK) return rc;
    entity_value more[] = {{"holder_kind", .text = w->in.holder_kind}, {"min_figures", .text = w->in.min_figures},
                           {"revoke_last", .i = w->in.revoke_last, .is_int = true},
                           {"revoke_share", .i = w->in.revoke_share, .is_int = true}, {0}};
    if ((rc = entity_store(c, &call_recert_settings_entity, "calls", w->call->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_recert_settings_entity, w->a, w->call->id, &w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_recert_settings_entity, actor_of(w->p), w->call->org_path, w->call->id, "update", &before, &w->out);
}

int recert_set(db *c, const principal *p, arena *a, const call_rec *call, const char *holder_kind, const char *min_figures,
               int64_t revoke_last, int64_t revoke_share)
{
    struct put w = {p, a, call, {.holder_kind = holder_kind, .min_figures = min_figures, .revoke_last = revoke_last,
                                 .revoke_share = revoke_share}, {0}};
    return db_transaction(c, put_cb, &w);
}

/* PUT /calls/:id/recert: the members given replace the call's settings (the others kept); the
 * title reviewed changes only while the call is a draft, the rest until the 公示. */
static void handle_put(request *r)
{
    static const char *const allowed[] = {"holder_kind", "min_figures", "revoke_last", "revoke_share", NULL};
    db *c;
    call_rec call;
    struct put w = {r->principal, &r->arena, &call, {0}, {0}};
    if (!body_allow_fields(r, allowed, NULL) || !managed(r, &c, &call)) return;
    int rc = settings_read(c, &r->arena, &call, &w.in);
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    const char *kind = NULL;
    bool present;
    if (!body_name(r, "holder_kind", false, 32, &kind) || !body_int(r, "revoke_last", false, &w.in.revoke_last, &present) ||
        !body_int(r, "revoke_share", false, &w.in.revoke_share, &present))
        return;
    if (w.in.revoke_last < 0 || w.in.revoke_last > 1000) { reply_error(r, 422, "invalid_field", "revoke_last", "revoke_last 应为 0 至 1000 / revoke_last: 0 to 1000"); return; }
    if (w.in.revoke_share < 0 || w.in.revoke_share > 100) { reply_error(r, 422, "invalid_field", "revoke_share", "revoke_share 应为 0 至 100 / revoke_share: 0 to 100"); return; }
    json_t *min = json_object_get(r->json, "min_figures");
    if (min && !min_ok(&call, min)) { reply_error(r, 422, "invalid_field", "min_figures", "%s", msg_min); return; }
    if (min) {
        char *text = json_is_null(min) ? NULL : json_dumps(min, JSON_COMPACT | JSON_SORT_KEYS);
        w.in.min_figures = text ? arena_strdup(&r->arena, text) : NULL;
        free(text);
    }
    if (!kind) kind = w.in.holder_kind;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM designation_kinds WHERE code = ?");
    qb_text(&q, kind ? kind : "");
    if ((rc = qb_exec(c, &q, &one)) != DB_OK && rc != DB_DONE) { reply_db_error(r); return; }
    if (!one) { reply_error(r, 422, "invalid_field", "holder_kind", "%s", msg_kind); return; }
    bool early = !strcmp(call.status, "draft"), before_publicity = early || !strcmp(call.status, "open") ||
                 !strcmp(call.status, "reviewing") || !strcmp(call.status, "deciding");
    if (!before_publicity || (!early && (!w.in.holder_kind || strcmp(kind, w.in.holder_kind) != 0))) { entity_reply_error(r, &call_entity, CALL_STATE); return; }
    w.in.holder_kind = kind;
    rc = db_transaction(c, put_cb, &w);
    entity_reply_result(r, &call_recert_settings_entity, rc, 200, &w.out);
}

/* ---- finalize: revoke or extend each decided holder's title ---- */

int recert_finalize(db *c, const principal *p, arena *a, const call_rec *call)
{
    proposal x;
    int rc = propose(c, a, call, &x);
    for (int i = 0; rc == DB_OK && i < x.n; i++) {
        recert_row *r = &x.rows[i];
        if (!r->outcome || !r->designation_id) continue;
        if (!strcmp(r->outcome, "revoke"))
            rc = designations_revoke_by_call(c, p, a, r->designation_id, r->decision_reason, call->id);
        else if (!strcmp(r->outcome, "keep"))
            rc = designations_extend(c, p, a, r->designation_id, call->id);
        if (rc == DES_STATE) rc = DB_OK;   /* revoked by hand meanwhile: nothing left to do */
    }
    return rc;
}

static const struct route recert_routes[] = {
    {"GET", "/api/v1/calls/:id/recert", handle_get, RANK_ORG_ADMIN, 0,
     .summary = "A re-certification call's proposal (称号复核): below minimum figures and last place (末位淘汰) revoked",
     .entity = &call_recert_entity},
    {"PUT", "/api/v1/calls/:id/recert", handle_put, RANK_ORG_ADMIN, 0,
     .summary = "Set a re-certification call's title, minimum figures and last place", .entity = &call_recert_settings_entity},
    {"POST", "/api/v1/calls/:id/recert/apply", handle_apply, RANK_ORG_ADMIN, 0,
     .summary = "Write the proposal as decisions (revoke | keep) on the holders not yet decided", .entity = &call_recert_entity},
    {0},
};

void recert_register_routes(void) { router_add_table(recert_routes); }
