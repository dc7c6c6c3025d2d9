/* ranking.c - a call's ranking and its award proposal (issue 15, package B). The ranked entries
 * are those under review or decided; the order is score_agg, score_mean, tie1 (each descending),
 * then the earlier first submission and the id (the partial index call_entries_ranked, 021).
 * Entries equal on the three scores share a rank (并列): rank = 1 + the number strictly better.
 * A page reads its ids from the index (covering), the rank of its first row by three range
 * counts on it, and derives the others in order (equal to the previous: the same rank; else its
 * place), so its cost grows with the offset's index entries only, never with a row's count.
 * Only the call's managers read it.
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
#include "core/sbuf.h"
#include <stddef.h>
#include <string.h>

typedef struct ranked {
    int64_t id, call_id, org_id, n_reviews, score_mean, score_agg, score_spread, tie1, rank;
    const char *title, *org_name, *org_path, *blind_code, *status, *award_level, *first_submitted_at;
    bool tied;
} ranked;

#define RANKED " e.call_id = ? AND e.kind = 'entry' AND e.status IN ('under_review', 'decided')"
#define ORDER " ORDER BY e.score_agg DESC, e.score_mean DESC, e.tie1 DESC, e.first_submitted_at, e.id"
#define K(member) offsetof(ranked, member)
static const field rank_fields[] = {
    {"rank", "", FT_INT, K(rank), .flags = FF_NO_SELECT, .doc = "1 + the entries strictly better"},
    {"tied", "", FT_BOOL, K(tied), .flags = FF_NO_SELECT, .doc = "another entry shares this rank (并列)"},
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
    {"tie1", "e.tie1", FT_INT, K(tie1), .flags = FF_HIDDEN},
    {"first_submitted_at", "e.first_submitted_at", FT_TIME, K(first_submitted_at), .flags = FF_HIDDEN},
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
    .order = ORDER,
    .size = sizeof(ranked),
    .fields = rank_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = review_errors,
};

static bool same(const ranked *a, const ranked *b)
{
    return a->score_agg == b->score_agg && a->score_mean == b->score_mean && a->tie1 == b->tie1;
}

static int count_of(db *c, qb *q, int64_t *out)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *out += db_col_int(s, 0);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc;
}

/* The entries of x's tie group (equal on the three scores) placed before x: a range of the
 * index as small as the group. */
static int before_in_group(db *c, int64_t call_id, const ranked *x, int64_t *n)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries e WHERE" RANKED " AND e.score_agg = ? AND e.score_mean = ? AND "
                "e.tie1 = ? AND (e.first_submitted_at < ? OR (e.first_submitted_at = ? AND e.id < ?))");
    qb_int(&q, call_id), qb_int(&q, x->score_agg), qb_int(&q, x->score_mean), qb_int(&q, x->tie1);
    qb_text(&q, x->first_submitted_at), qb_text(&q, x->first_submitted_at), qb_int(&q, x->id);
    *n = 0;
    return count_of(c, &q, n);
}

/* Ranks and ties of the n records r, in ranking order from place first (0-based); r[0] is the
 * row before the page when first > 0 (read for its neighbour), and the last one may be the row
 * after it. The page's first row: rank first + 1 unless its tie group began before the page. */
static int rank_rows(db *c, int64_t call_id, ranked *r, int n, int64_t first)
{
    int start = first > 0 ? 1 : 0;
    for (int i = start; i < n; i++) {
        bool eq = i > 0 && same(&r[i], &r[i - 1]);
        r[i].rank = eq && i > start ? r[i - 1].rank : first + i + 1;
        r[i].tied = eq || (i + 1 < n && same(&r[i], &r[i + 1]));
    }
    if (start && n > 1 && same(&r[1], &r[0])) {
        int64_t before = 0;
        int rc = before_in_group(c, call_id, &r[1], &before);
        if (rc != DB_OK) return rc;
        for (int i = 1; i < n && same(&r[i], &r[1]); i++) r[i].rank = first + 2 - before;
    }
    return DB_OK;
}

struct collect { ranked *r; int n, max; };

static void collect_row(jw *w, const entity *e, const void *rec, void *cls)
{
    (void)w, (void)e;
    struct collect *x = cls;
    if (x->n < x->max) x->r[x->n++] = *(const ranked *)rec;
}

/* One page of the ranking, ranked: its ids (and its two neighbours') from the index, then their
 * records; *out points at the page's first row, *n counts the page's rows. */
static int ranking_page(request *r, db *c, int64_t call_id, int64_t limit, int64_t offset, ranked **out, int *n)
{
    int64_t from = offset > 0 ? offset - 1 : 0;
    qb q;
    qb_init(&q, "SELECT e.id FROM call_entries e WHERE" RANKED ORDER " LIMIT ? OFFSET ?");
    qb_int(&q, call_id), qb_int(&q, limit + 1 + (offset > 0)), qb_int(&q, from);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    sbuf ids;
    sbuf_init(&ids);
    int rc, k = 0;
    while ((rc = db_step(s)) == DB_ROW) sbuf_printf(&ids, "%s%lld", k++ ? "," : "", (long long)db_col_int(s, 0));
    db_finish(s);
    *n = 0, *out = NULL;
    if (rc != DB_DONE || !k) { sbuf_free(&ids); return rc == DB_DONE ? DB_OK : rc; }
    struct collect x = {arena_alloc(&r->arena, sizeof(ranked) * (size_t)k), 0, k};
    qb where;
    qb_init(&where, " WHERE e.id IN (");
    qb_sql(&where, ids.s);   /* integers read from the database */
    qb_sql(&where, ")");
    sbuf_free(&ids);
    entity_scope_filter(&call_rank_entity, &r->principal->scope, &where);
    if (!x.r) { qb_free(&where); return DB_ERR; }
    if ((rc = entity_list_all(c, &call_rank_entity, &where, NULL, &r->arena, NULL, collect_row, &x)) != DB_OK) return rc;
    if ((rc = rank_rows(c, call_id, x.r, x.n, from)) != DB_OK) return rc;
    int skip = offset > 0 && x.n > 0;
    *out = x.r + skip;
    *n = x.n - skip > limit ? (int)limit : x.n - skip;
    return DB_OK;
}

static int ranked_total(db *c, int64_t call_id, int64_t *n)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries e WHERE" RANKED);
    qb_int(&q, call_id);
    *n = 0;
    return count_of(c, &q, n);
}

static void handle_ranking(request *r)
{
    int64_t id, total = 0;
    call_rec call;
    page pg;
    ranked *rows;
    int n = 0;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !query_page(r, &pg)) return;
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK) rc = ranked_total(c, id, &total);
    if (rc == DB_OK) rc = ranking_page(r, c, id, pg.size, pg.offset, &rows, &n);
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    jw w;
    jw_list_open(&w);
    jw_arr(&w);
    for (int i = 0; i < n; i++) entity_write(&w, &call_rank_entity, &rows[i]);
    jw_arr_end(&w);
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

MESSAGE(msg_awards, "征集的奖项设置无效 / the call's awards: [{level, count | share}]");

/* Walks the ranking from the top until a rank passes the last level's cumulative count. */
static int propose(request *r, db *c, int64_t call_id, const char **names, const int64_t *cum, int levels, jw *w)
{
    int64_t offset = 0;
    ranked prev = {0};
    for (;;) {
        ranked *rows;
        int n = 0;
        int rc = ranking_page(r, c, call_id, 200, offset, &rows, &n);
        if (rc != DB_OK) return rc;
        for (int i = 0; i < n; i++) {
            ranked *x = &rows[i];
            if (offset + i > 0 && same(x, &prev)) x->rank = prev.rank;   /* a tie across the page's edge */
            prev = *x;
            int k = 0;
            while (k < levels && x->rank > cum[k]) k++;
            if (k == levels) return DB_OK;
            jw_obj(w);
            jw_key(w, "entry_id"), jw_int(w, x->id);
            jw_key(w, "title"), jw_str(w, x->title);
            jw_key(w, "rank"), jw_int(w, x->rank);
            jw_key(w, "tied"), jw_bool(w, x->tied);
            jw_key(w, "score_agg"), jw_int(w, x->score_agg);
            jw_key(w, "level"), jw_str(w, names[k]);
            jw_obj_end(w);
        }
        if (n < 200) return DB_OK;
        offset += n;
    }
}

static void handle_propose(request *r)
{
    int64_t id, n = 0;
    call_rec call;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK) rc = ranked_total(c, id, &n);
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    const char *names[10];
    int64_t cum[10];
    int levels = read_levels(call.awards, n, &r->arena, names, cum, 10);
    if (levels <= 0) { reply_error(r, 409, "no_awards", "awards", "%s", msg_awards); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "ranked"), jw_int(&w, n);
    jw_key(&w, "items"), jw_arr(&w);
    if ((rc = propose(r, c, id, names, cum, levels, &w)) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_arr_end(&w);
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
