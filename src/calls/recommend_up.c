/* recommend_up.c - issue 15, package J: 推荐上报, the recommendation of a call's best entries to
 * the level above (the youth contest's top 75 to the national contest). After the ranking (the
 * call reviewing, deciding, in 公示 or final) the owner marks the top N ranked entries
 * (call_entries.recommended_up, migration 027); entries tied with the N-th on the ranking's three
 * scores are marked too (并列), and the answer says so. N comes from the body or the template's
 * "recommend_up" (75 for youth_contest). Marking again replaces the marks; each marking is
 * audited (entity call, action recommend_up, the marked ids before and after). Rejected entries
 * are never recommended. The marks show in GET /calls/:id/recommended-up, the collected export
 * and the public results. Also the routes of the package (calls_j_register_routes). */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

#define RANKED " e.call_id = ? AND e.kind = 'entry' AND e.status IN ('under_review', 'decided') " \
               "AND (e.outcome IS NULL OR e.outcome <> 'rejected')"
#define ORDER " ORDER BY e.score_agg DESC, e.score_mean DESC, e.tie1 DESC, e.first_submitted_at, e.id"

typedef struct up_row { int64_t id, org_id, agg, mean, tie1; const char *title, *org_name, *subject_name, *award_level; } up_row;

/* The call's ranked entries in order (all, or only the marked ones), into the arena. */
static int read_rows(db *c, arena *a, int64_t call_id, bool marked, up_row **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.org_id, e.score_agg, e.score_mean, e.tie1, e.title, o.name, e.subject_name, e.award_level "
                "FROM call_entries e JOIN orgs o ON o.id = e.org_id WHERE" RANKED);
    qb_int(&q, call_id);
    if (marked) qb_sql(&q, " AND e.recommended_up = 1");
    qb_sql(&q, ORDER);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int cap = 0, rc;
    *n = 0, *out = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            up_row *more = arena_alloc(a, sizeof *more * (size_t)(cap = cap ? cap * 2 : 128));
            if (!more) { rc = DB_ERR; break; }
            if (*n) memcpy(more, *out, sizeof *more * (size_t)*n);
            *out = more;
        }
        up_row *x = &(*out)[(*n)++];
        x->id = db_col_int(s, 0), x->org_id = db_col_int(s, 1), x->agg = db_col_int(s, 2), x->mean = db_col_int(s, 3);
        x->tie1 = db_col_int(s, 4), x->title = arena_strdup(a, db_col_text(s, 5)), x->org_name = arena_strdup(a, db_col_text(s, 6));
        x->subject_name = db_col_text(s, 7) ? arena_strdup(a, db_col_text(s, 7)) : NULL;
        x->award_level = db_col_text(s, 8) ? arena_strdup(a, db_col_text(s, 8)) : NULL;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static bool same(const up_row *a, const up_row *b) { return a->agg == b->agg && a->mean == b->mean && a->tie1 == b->tie1; }

/* The ids marked now, as a JSON array (the audit's before). */
static json_t *marked_ids(db *c, int64_t call_id)
{
    qb q;
    qb_init(&q, "SELECT id FROM call_entries WHERE call_id = ? AND recommended_up = 1 ORDER BY id");
    qb_int(&q, call_id);
    db_stmt *s = qb_prepare(&q, c);
    json_t *ids = json_array();
    while (s && db_step(s) == DB_ROW) json_array_append_new(ids, json_integer(db_col_int(s, 0)));
    if (s) db_finish(s);
    return ids;
}

/* The template's default N ("recommend_up" of its config); 0: none. */
static int64_t template_count(db *c, const char *code)
{
    qb q;
    qb_init(&q, "SELECT config FROM call_templates WHERE code = ?");
    qb_text(&q, code ? code : "");
    db_stmt *s = qb_prepare(&q, c);
    int64_t n = 0;
    if (s && db_step(s) == DB_ROW) {
        json_t *cfg = json_loads(db_col_text(s, 0), 0, NULL);
        n = json_integer_value(json_object_get(cfg, "recommend_up"));
        json_decref(cfg);
    }
    if (s) db_finish(s);
    return n;
}

bool calls_has_recommended_up(db *c, int64_t call_id)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_entries WHERE call_id = ? AND recommended_up = 1 LIMIT 1");
    qb_int(&q, call_id);
    return qb_exec(c, &q, &one) == DB_OK && one == 1;
}

struct mark { const principal *p; arena *a; int64_t id, count; up_row *rows; int n, marked; bool tied; };

static int mark_cb(db *c, void *cls)
{
    struct mark *w = cls;
    call_rec call;
    int rc = calls_get_managed(c, w->p, w->a, w->id, &call);
    if (rc != DB_OK) return rc;
    if (!str_in_list(call.status, (const char *const[]){"reviewing", "deciding", "publicizing", "final", NULL})) return CALL_STATE;
    if (!w->count) w->count = template_count(c, call.template_code);
    if (w->count <= 0) return UP_COUNT;
    if ((rc = read_rows(c, w->a, call.id, false, &w->rows, &w->n)) != DB_OK) return rc;
    /* the top count, and those tied with the count-th (并列) */
    int m = w->n < w->count ? w->n : (int)w->count;
    while (m > 0 && m < w->n && same(&w->rows[m], &w->rows[m - 1])) m++, w->tied = true;
    w->marked = m;
    json_t *before = marked_ids(c, call.id);
    qb q;
    qb_init(&q, "UPDATE call_entries SET recommended_up = 0 WHERE call_id = ? AND recommended_up = 1");
    qb_int(&q, call.id);
    rc = qb_exec(c, &q, NULL);
    for (int i = 0; rc == DB_OK && i < m; i++) {
        qb_init(&q, "UPDATE call_entries SET recommended_up = 1 WHERE id = ?");
        qb_int(&q, w->rows[i].id);
        rc = qb_exec(c, &q, NULL);
    }
    json_t *after = json_pack("{s:I, s:i, s:b, s:o}", "count", (json_int_t)w->count, "marked", m, "tied_at_boundary", w->tied,
                              "ids", marked_ids(c, call.id));
    json_t *was = json_pack("{s:o}", "ids", before);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), call.org_path, "call", call.id, "recommend_up", was, after);
    json_decref(was), json_decref(after);
    return rc;
}

/* The items: each row with its place (ties share one). */
static void write_items(jw *w, const up_row *rows, int n)
{
    jw_key(w, "items"), jw_arr(w);
    for (int i = 0, place = 1; i < n; i++) {
        if (i > 0 && !same(&rows[i], &rows[i - 1])) place = i + 1;
        const up_row *x = &rows[i];
        jw_obj(w);
        jw_key(w, "place"), jw_int(w, place);
        jw_key(w, "tied"), jw_bool(w, (i > 0 && same(x, &rows[i - 1])) || (i + 1 < n && same(x, &rows[i + 1])));
        jw_key(w, "entry_id"), jw_int(w, x->id);
        jw_key(w, "title"), jw_str(w, x->title);
        jw_key(w, "org_id"), jw_int(w, x->org_id);
        jw_key(w, "org_name"), jw_str(w, x->org_name);
        jw_key(w, "subject_name"), x->subject_name ? jw_str(w, x->subject_name) : jw_null(w);
        jw_key(w, "score_agg"), jw_int(w, x->agg);
        jw_key(w, "award_level"), x->award_level ? jw_str(w, x->award_level) : jw_null(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void handle_mark(request *r)
{
    static const char *const allowed[] = {"count", NULL};
    struct mark m = {r->principal, &r->arena, 0, 0, NULL, 0, 0, false};
    bool given = false;
    if (!param_id(r, 0, &m.id) || (r->json && !body_allow_fields(r, allowed, NULL)) ||
        (r->json && !body_int(r, "count", false, &m.count, &given)))
        return;
    if (given && (m.count < 1 || m.count > 100000)) {
        reply_error(r, 422, "invalid_field", "count", "count 应为 1 至 100000 / count: 1 to 100000");
        return;
    }
    db *c = db_thread();
    int rc = c ? db_transaction(c, mark_cb, &m) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, call_errors, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "count"), jw_int(&w, m.count);
    jw_key(&w, "marked"), jw_int(&w, m.marked);
    jw_key(&w, "tied_at_boundary"), jw_bool(&w, m.tied);
    write_items(&w, m.rows, m.marked);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_list(request *r)
{
    int64_t id;
    call_rec call;
    up_row *rows = NULL;
    int n = 0;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK) rc = read_rows(c, &r->arena, id, true, &rows, &n);
    if (rc != DB_OK) { reply_error_row(r, call_errors, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    write_items(&w, rows, n);
    jw_key(&w, "total"), jw_int(&w, n);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route up_routes[] = {
    {"POST", "/api/v1/calls/:id/recommend-up", handle_mark, RANK_ORG_ADMIN, 0,
     .summary = "推荐上报: mark the top N ranked entries (ties at the boundary included) as recommended to the level above",
     .entity = &call_entity},
    {"GET", "/api/v1/calls/:id/recommended-up", handle_list, RANK_ORG_ADMIN, 0,
     .summary = "The entries recommended to the level above, in ranking order", .entity = &call_entity},
    {0},
};

void calls_j_register_routes(void)
{
    router_add_table(up_routes);
    entry_pdf_register_routes();
}
