/* ranking.c - a call's ranking and its award proposal (issue 15, package B). The ranked entries
 * are those under review or decided; the order is score_agg, score_mean, tie1 (each descending),
 * then the earlier first submission and the id (call_entries_ranking, 020). Entries equal on the
 * three scores share a rank (并列): rank = 1 + the number strictly better, one index seek a row,
 * so a page costs its 50 rows whatever the call's size. Only the call's managers read it.
 *
 * The proposal walks the ranking against the call's awards JSON [{level, count | share}]: a
 * level by share takes floor(share * n / 100), at least 1; an entry takes the first level whose
 * cumulative count its rank reaches, so a tie across a boundary takes the higher level and the
 * next level shrinks. It is a proposal: decisions (package C) store outcomes. */
#include "calls/reviews_internal.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stddef.h>
#include <string.h>

typedef struct ranked {
    int64_t id, call_id, org_id, n_reviews, score_mean, score_agg, score_spread, rank;
    const char *title, *org_name, *org_path, *blind_code, *status, *award_level;
    bool tied;
} ranked;

#define RANKED_SET(t) t ".call_id = e.call_id AND " t ".kind = 'entry' AND " t ".status IN ('under_review', 'decided')"
#define K(member) offsetof(ranked, member)
static const field rank_fields[] = {
    {"rank", "1 + (SELECT COUNT(*) FROM call_entries x WHERE " RANKED_SET("x") " AND (x.score_agg > e.score_agg OR "
             "(x.score_agg = e.score_agg AND (x.score_mean > e.score_mean OR (x.score_mean = e.score_mean AND "
             "x.tie1 > e.tie1)))))", FT_INT, K(rank), .flags = 0, .doc = "1 + the entries strictly better"},
    {"tied", "CASE WHEN EXISTS (SELECT 1 FROM call_entries x WHERE " RANKED_SET("x") " AND x.id <> e.id AND "
             "x.score_agg = e.score_agg AND x.score_mean = e.score_mean AND x.tie1 = e.tie1) THEN 1 ELSE 0 END",
     FT_BOOL, K(tied), .flags = 0, .doc = "another entry shares this rank (并列)"},
    {"id", "e.id", FT_ID, K(id), .flags = 0, .doc = "the entry"},
    {"call_id", "e.call_id", FT_ID, K(call_id), .flags = 0},
    {"title", "e.title", FT_TEXT, K(title), .flags = 0},
    {"org_id", "e.org_id", FT_ID, K(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, K(org_name), .flags = 0},
    {"org_path", "e.org_path", FT_TEXT, K(org_path), .flags = FF_HIDDEN},
    {"blind_code", "e.blind_code", FT_TEXT, K(blind_code), .flags = 0},
    {"status", "e.status", FT_TEXT, K(status), .flags = 0},
    {"n_reviews", "e.n_reviews", FT_INT, K(n_reviews), .flags = 0},
    {"score_mean", "e.score_mean", FT_INT, K(score_mean), .flags = 0, .doc = "0..10000"},
    {"score_agg", "e.score_agg", FT_INT, K(score_agg), .flags = 0, .doc = "the mean or trimmed mean, 0..10000"},
    {"score_spread", "e.score_spread", FT_INT, K(score_spread), .flags = 0, .doc = "highest minus lowest total"},
    {"award_level", "e.award_level", FT_TEXT, K(award_level), .flags = 0},
    {0},
};
#undef K

entity call_rank_entity = {
    .name = "call_rank",
    .doc = "An entry's place in its call's ranking",
    .from = " FROM call_entries e JOIN orgs o ON o.id = e.org_id",
    .id_column = "e.id",
    .path_column = "e.org_path",
    .order = " ORDER BY e.score_agg DESC, e.score_mean DESC, e.tie1 DESC, e.first_submitted_at, e.id",
    .size = sizeof(ranked),
    .fields = rank_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = review_errors,
};

/* where: the ranked entries of call_id within the caller's scope (its manager sees them all). */
static int ranked_where(request *r, db *c, int64_t call_id, call_rec *call, qb *where)
{
    int rc = calls_get_managed(c, r->principal, &r->arena, call_id, call);
    if (rc != DB_OK) return rc;
    qb_init(where, "");
    if ((rc = entity_list_where(c, &call_rank_entity, &r->principal->scope, &r->arena, 0, where)) != DB_OK) return rc;
    qb_sql(where, " AND e.call_id = ? AND e.kind = 'entry' AND e.status IN ('under_review', 'decided')");
    qb_int(where, call_id);
    return DB_OK;
}

static void handle_ranking(request *r)
{
    int64_t id;
    call_rec call;
    page pg;
    qb where;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !query_page(r, &pg)) return;
    int rc = c ? ranked_where(r, c, id, &call, &where) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    rc = entity_list_page(c, &call_rank_entity, &where, NULL, pg.size, pg.offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* A level by share: floor(share * n / 100), at least 1 (of n ranked entries). */
static int64_t share_count(int64_t share, int64_t n)
{
    if (share < 0 || share > 100) return -1;
    int64_t m = share * n / 100;
    return m < 1 ? 1 : m;
}

/* The cumulative count of each level; n: the ranked entries. */
static int read_levels(const char *awards, int64_t n, arena *a, const char **names, int64_t *cum, int max)
{
    json_t *j = awards ? json_loads(awards, 0, NULL) : NULL, *l;
    size_t i;
    int k = 0;
    int64_t sum = 0;
    json_array_foreach(j, i, l) {
        const char *name = json_string_value(json_object_get(l, "level"));
        json_t *count = json_object_get(l, "count"), *share = json_object_get(l, "share");
        int64_t m = json_is_integer(count) ? json_integer_value(count)
                  : json_is_integer(share) ? share_count(json_integer_value(share), n) : -1;
        if (!name || m < 0 || k == max) { k = -1; break; }
        names[k] = arena_strdup(a, name), sum += m, cum[k++] = sum;
    }
    json_decref(j);
    return k;
}

struct propose { const char **names; const int64_t *cum; int levels; };

static void propose_row(jw *w, const entity *e, const void *rec, void *cls)
{
    (void)e;
    const ranked *x = rec;
    const struct propose *p = cls;
    int k = 0;
    while (k < p->levels && x->rank > p->cum[k]) k++;
    if (k == p->levels) return;
    jw_obj(w);
    jw_key(w, "entry_id"), jw_int(w, x->id);
    jw_key(w, "title"), jw_str(w, x->title);
    jw_key(w, "rank"), jw_int(w, x->rank);
    jw_key(w, "tied"), jw_bool(w, x->tied);
    jw_key(w, "score_agg"), jw_int(w, x->score_agg);
    jw_key(w, "level"), jw_str(w, p->names[k]);
    jw_obj_end(w);
}

MESSAGE(msg_awards, "征集的奖项设置无效 / the call's awards: [{level, count | share}]");

static void handle_propose(request *r)
{
    int64_t id;
    call_rec call;
    qb where;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? ranked_where(r, c, id, &call, &where) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    qb count;
    qb_init(&count, "SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND kind = 'entry' AND status IN "
                    "('under_review', 'decided')");
    qb_int(&count, id);
    db_stmt *s = qb_prepare(&count, c);
    int64_t n = s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    if (s) db_finish(s);
    if (n < 0) { qb_free(&where); reply_db_error(r); return; }
    const char *names[10];
    int64_t cum[10];
    int levels = read_levels(call.awards, n, &r->arena, names, cum, 10);
    if (levels <= 0) { qb_free(&where); reply_error(r, 409, "no_awards", "awards", "%s", msg_awards); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "ranked"), jw_int(&w, n);
    jw_key(&w, "items");
    /* the proposal reads only the first cum[levels - 1] places: ties there share the last rank */
    qb_sql(&where, " AND 1 + (SELECT COUNT(*) FROM call_entries x WHERE " RANKED_SET("x") " AND (x.score_agg > "
                   "e.score_agg OR (x.score_agg = e.score_agg AND (x.score_mean > e.score_mean OR (x.score_mean = "
                   "e.score_mean AND x.tie1 > e.tie1))))) <= ?");
    qb_int(&where, cum[levels - 1]);
    struct propose p = {names, cum, levels};
    rc = entity_list_all(c, &call_rank_entity, &where, NULL, &r->arena, &w, propose_row, &p);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route ranking_routes[] = {
    {"GET", "/api/v1/calls/:id/ranking", handle_ranking, RANK_ORG_ADMIN, 0,
     .summary = "A call's ranking (排名): paged, ties share a rank", .entity = &call_rank_entity},
    {"POST", "/api/v1/calls/:id/awards/propose", handle_propose, RANK_ORG_ADMIN, 0,
     .summary = "Propose award levels (一/二/三等奖) by count or share over the ranking", .entity = &call_rank_entity},
    {0},
};

void ranking_register_routes(void) { router_add_table(ranking_routes); }
