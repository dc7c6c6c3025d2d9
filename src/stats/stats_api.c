/* stats_api.c - GET /stats and GET /stats/children (docs/api.md "Statistics"). */
#include "stats/stats.h"
#include "stats/windows.h"
#include "http/body.h"
#include "core/jsonw.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <string.h>

#define MAX_METRICS 32
#define RATIO (-2)
#define KEY_MAX 96

typedef struct metric_list {
    int n;
    const char *names[MAX_METRICS];
    int index[MAX_METRICS];         /* a stats_metric, -1 for "kind.<code>" / "audience.<code>" / keyed,
                                     * RATIO for a ratio metric (ratios.c: num / den of two keys) */
} metric_list;

static bool read_metrics(request *r, metric_list *ml)
{
    const char *text = req_query(r, "metrics");
    ml->n = 0;
    if (!text || !*text) {
        for (int m = 0; m < STATS_NMETRICS; m++) ml->names[ml->n] = stats_metric_names[m], ml->index[ml->n++] = m;
        for (int k = 0; stats_keyed_metric_name(k) && ml->n < MAX_METRICS; k++)
            ml->names[ml->n] = stats_keyed_metric_name(k), ml->index[ml->n++] = -1;
        return true;
    }
    char *copy = arena_strdup(&r->arena, text), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int m = stats_metric_index(t);
        bool kind = (!strncmp(t, "kind.", 5) && t[5]) || (!strncmp(t, "audience.", 9) && t[9]) || stats_keyed_metric(t);
        bool ratio = m < 0 && stats_ratio_metric(t);
        if ((m < 0 && !kind && !ratio) || ml->n >= MAX_METRICS) {
            reply_error(r, 422, "invalid_field", "metrics", "未知指标 %s / unknown metric", t);
            return false;
        }
        ml->names[ml->n] = t;
        ml->index[ml->n++] = ratio ? RATIO : m;
    }
    return true;
}

static bool read_period(request *r, db *c, period *p, const char **text)
{
    *text = req_query(r, "period");
    int rc = stats_period_parse(c, *text, p);
    if (rc == PERIOD_INVALID) {
        reply_error(r, 422, "invalid_field", "period",
                    "期间应为 2026、2026Q2、2026-05、2026W20、2026-05-18、2026-05-18..2026-05-24 "
                    "或已设置的统计时段如 2026:science_week / invalid period");
        return false;
    }
    if (rc != DB_OK) reply_db_error(r);
    return rc == DB_OK;
}

/* The listed metrics of one node, in list order; known: its totals when already queried. Every
 * keyed metric (kinds, audiences, modules' counters) comes from one query. */
static int metric_values(db *c, int64_t org_id, const period *p, const metric_list *ml, const stats_values *known,
                         int64_t out[MAX_METRICS])
{
    stats_values v;
    int rc = known ? DB_OK : stats_query(c, org_id, p, &v);
    if (rc != DB_OK) return rc;
    if (known) v = *known;
    const char *keys[2 * MAX_METRICS];
    int64_t counts[2 * MAX_METRICS], scale[MAX_METRICS];
    char ratio_keys[MAX_METRICS][2][KEY_MAX];
    int nkeys = 0;
    /* the key a per-key metric is stored under: "kind.lecture" -> "lecture"; "audience.youth" as
     * is; a ratio's numerator and denominator, both in the same query */
    for (int i = 0; i < ml->n; i++)
        if (ml->index[i] == RATIO) {
            if (!stats_ratio_keys(ml->names[i], ratio_keys[i][0], ratio_keys[i][1], KEY_MAX, &scale[i])) return DB_ERR;
            keys[nkeys++] = ratio_keys[i][0], keys[nkeys++] = ratio_keys[i][1];
        } else if (ml->index[i] < 0) {
            keys[nkeys++] = strncmp(ml->names[i], "kind.", 5) ? ml->names[i] : ml->names[i] + 5;
        }
    if (nkeys && (rc = stats_query_keys(c, org_id, p, keys, nkeys, counts)) != DB_OK) return rc;
    for (int i = 0, k = 0; i < ml->n; i++)
        if (ml->index[i] == RATIO) out[i] = stats_ratio_e2(counts[k], counts[k + 1], scale[i]), k += 2;
        else out[i] = ml->index[i] >= 0 ? v.v[ml->index[i]] : counts[k++];
    return DB_OK;
}

/* Writes {"metric": value, ...} for one node. */
static int write_values(db *c, jw *w, int64_t org_id, const period *p, const metric_list *ml,
                        const stats_values *known)
{
    int64_t values[MAX_METRICS];
    int rc = metric_values(c, org_id, p, ml, known, values);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    for (int i = 0; i < ml->n; i++) {
        jw_key(w, ml->names[i]);
        if (ml->index[i] == RATIO) stats_ratio_write(w, values[i]);   /* 14.37 or null */
        else jw_int(w, values[i]);
    }
    jw_obj_end(w);
    return DB_OK;
}

/* {"activities": n, ...}: the eight metrics of the activity register's shape. */
static void write_metric_values(jw *w, const stats_values *v)
{
    jw_obj(w);
    for (int m = 0; m < STATS_NMETRICS; m++) jw_key(w, stats_metric_names[m]), jw_int(w, v->v[m]);
    jw_obj_end(w);
}

static const stats_node_source *nodes;

void stats_set_node_source(const stats_node_source *src) { nodes = src; }

/* The node must be visible, and its whole subtree too: totals would otherwise tell about
 * records the caller may not see. */
static bool load_node(request *r, db *c, stats_node *n)
{
    int64_t id;
    bool has, below = false;
    if (!query_id(r, "org_id", &id, &has)) return false;
    if (!has) id = r->principal->org_id;
    int rc = nodes ? nodes->find(c, &r->principal->scope, &r->arena, id, n) : DB_ERR;
    if (rc == DB_OK && r->principal->scope.level < SCOPE_SUBTREE) rc = nodes->has_children(c, id, &below);
    if (rc == DB_OK && below) rc = STATS_NODE_NOT_FOUND;
    if (rc == STATS_NODE_NOT_FOUND) reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found");
    else if (rc != DB_OK) reply_db_error(r);
    return rc == DB_OK;
}

/* What every statistics request names: a period, metrics and a node in scope. */
typedef struct stats_request {
    db *c;
    metric_list ml;
    period p;
    const char *ptext;
    stats_node node;
} stats_request;

/* Reads and checks them all; false after replying. */
static bool read_stats_request(request *r, stats_request *q)
{
    q->c = db_thread();
    if (!q->c) { reply_db_error(r); return false; }
    return read_period(r, q->c, &q->p, &q->ptext) && read_metrics(r, &q->ml) && load_node(r, q->c, &q->node);
}

/* Every answer starts {"org_id": <node>, "period": <as asked>. */
static void open_answer(jw *w, const stats_request *q)
{
    jw_init(w);
    jw_obj(w);
    jw_key(w, "org_id"), jw_int(w, q->node.id);
    jw_key(w, "period"), jw_str(w, q->ptext);
}

static void handle_stats(request *r)
{
    stats_request sr;
    if (!read_stats_request(r, &sr)) return;
    jw w;
    open_answer(&w, &sr);
    jw_key(&w, "from"), jw_str(&w, sr.p.from);
    jw_key(&w, "to"), jw_str(&w, sr.p.to);
    jw_key(&w, "values");
    if (write_values(sr.c, &w, sr.node.id, &sr.p, &sr.ml, NULL) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* One child of a node: an item of /stats/children (w) or a row of its summary (sheet). The items'
 * totals are found among the children's figures; the summary queries each child's. */
struct children_walk {
    db *c;
    jw *w;
    xlsx *sheet;
    const stats_request *q;
    const stats_child *figures;
    int nfig;
};

static int child_item(const stats_node *n, void *cls)
{
    static const stats_values zero;
    struct children_walk *x = cls;
    if (x->sheet) {
        int64_t values[MAX_METRICS];
        int rc = metric_values(x->c, n->id, &x->q->p, &x->q->ml, NULL, values);
        xlsx_text(x->sheet, 0, n->name);
        for (int i = 0; rc == DB_OK && i < x->q->ml.n; i++) xlsx_int(x->sheet, i + 1, values[i]);
        if (rc == DB_OK) xlsx_next_row(x->sheet);
        return rc;
    }
    jw_obj(x->w);
    jw_key(x->w, "org_id"), jw_int(x->w, n->id);
    jw_key(x->w, "name"), jw_str(x->w, n->name);
    jw_key(x->w, "type"), jw_str(x->w, n->type);
    jw_key(x->w, "values");
    const stats_values *known = &zero;
    for (int i = 0; i < x->nfig; i++)
        if (x->figures[i].org_id == n->id) known = &x->figures[i].values;
    int rc = write_values(x->c, x->w, n->id, &x->q->p, &x->q->ml, known);
    jw_obj_end(x->w);
    return rc;
}

static void handle_children(request *r)
{
    enum { MAX_CHILDREN = 4096 };
    stats_request sr;
    if (!read_stats_request(r, &sr)) return;
    stats_child *figures = arena_alloc(&r->arena, sizeof *figures * MAX_CHILDREN);
    int nfig = 0;
    if (stats_query_children(sr.c, sr.node.id, &sr.p, figures, MAX_CHILDREN, &nfig) != DB_OK) { reply_db_error(r); return; }
    jw w;
    open_answer(&w, &sr);
    jw_key(&w, "items");
    jw_arr(&w);
    struct children_walk x = {sr.c, &w, NULL, &sr, figures, nfig};
    if (nodes->children(sr.c, &r->principal->scope, &r->arena, sr.node.id, child_item, &x) != DB_OK) {
        jw_free(&w);
        reply_db_error(r);
        return;
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* The trend of a node: one item per day, week, month, quarter or year of the period, each the
 * totals over that bucket's part of the period (zero-filled). */
static void handle_series(request *r)
{
    enum { MAX_BUCKETS = 400 };
    stats_request sr;
    if (!read_stats_request(r, &sr)) return;
    const char *grain = req_query(r, "grain");
    if (!grain || !*grain) grain = "month";
    char label[16], cur[11];
    period bucket;
    bool known = period_bucket(sr.p.from, grain, label, &bucket);   /* false for any other grain */
    int nbuckets = 0;
    for (strcpy(cur, sr.p.from); known && strcmp(cur, sr.p.to) <= 0 && nbuckets <= MAX_BUCKETS; nbuckets++) {
        period_bucket(cur, grain, label, &bucket);
        day_add(bucket.to, 1, cur);
    }
    if (!known || nbuckets > MAX_BUCKETS) {
        if (known) reply_error(r, 422, "invalid_field", "grain", "期间内的分段过多（最多 400 个） / too many buckets in the period (400 at most)");
        else reply_error(r, 422, "invalid_field", "grain", "粒度应为 day、week、month、quarter 或 year / grain must be day, week, month, quarter or year");
        return;
    }
    jw w;
    open_answer(&w, &sr);
    jw_key(&w, "grain"), jw_str(&w, grain);
    jw_key(&w, "items");
    jw_arr(&w);
    for (strcpy(cur, sr.p.from); strcmp(cur, sr.p.to) <= 0;) {
        period_bucket(cur, grain, label, &bucket);
        period part = bucket;     /* the bucket clipped to the period */
        if (strcmp(part.from, sr.p.from) < 0) strcpy(part.from, sr.p.from);
        if (strcmp(part.to, sr.p.to) > 0) strcpy(part.to, sr.p.to);
        jw_obj(&w);
        jw_key(&w, "bucket"), jw_str(&w, label);
        jw_key(&w, "from"), jw_str(&w, part.from);
        jw_key(&w, "to"), jw_str(&w, part.to);
        jw_key(&w, "values");
        if (write_values(sr.c, &w, sr.node.id, &part, &sr.ml, NULL) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
        jw_obj_end(&w);
        day_add(bucket.to, 1, cur);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* What each figure is made of: the sources' parts from their raw records, beside the totals the
 * roll-ups give. They add up when no record counts twice (the API test checks it, and
 * `kepu stats verify` does for the whole tree); the dashboard's tooltips show them. */
static void handle_sources(request *r)
{
    stats_request sr;
    if (!read_stats_request(r, &sr)) return;
    stats_values total;
    stats_source_part parts[8];
    int n = 0;
    if (stats_query(sr.c, sr.node.id, &sr.p, &total) != DB_OK ||
        stats_query_sources(sr.c, sr.node.id, &sr.p, parts, 8, &n) != DB_OK) {
        reply_db_error(r);
        return;
    }
    jw w;
    open_answer(&w, &sr);
    jw_key(&w, "from"), jw_str(&w, sr.p.from);
    jw_key(&w, "to"), jw_str(&w, sr.p.to);
    jw_key(&w, "total"), write_metric_values(&w, &total);
    jw_key(&w, "sources");
    jw_arr(&w);
    for (int i = 0; i < n; i++) {
        jw_obj(&w);
        jw_key(&w, "source"), jw_str(&w, parts[i].name);
        jw_key(&w, "values"), write_metric_values(&w, &parts[i].values);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* The node's own row (本级): its records entered at the node itself, which no child's row holds.
 * Roll-ups keep only subtree totals, so it is the node's total less the children's rows
 * (every child is seen: load_node() refuses a node whose subtree is not all visible), and the
 * sheet's totals then equal /stats for the node by construction; the API test checks the row
 * against records entered at the node. */
static int own_row(const stats_request *q, arena *a, xlsx *x)
{
    int64_t total[MAX_METRICS];
    int rc = metric_values(q->c, q->node.id, &q->p, &q->ml, NULL, total);
    if (rc != DB_OK) return rc;
    xlsx_text(x, 0, arena_printf(a, "本级（%s）", q->node.name));
    for (int i = 0; i < q->ml.n; i++) xlsx_int(x, i + 1, total[i] - (int64_t)xlsx_column_sum(x, i + 1));
    xlsx_next_row(x);
    return DB_OK;
}

/* The yearly summary a unit sends upward: its children x metrics, its own row, a totals row. */
static void handle_children_export(request *r)
{
    stats_request sr;
    if (!read_stats_request(r, &sr)) return;
    /* the sheet's own row and totals are sums: a ratio is not one (/stats/children answers it) */
    for (int i = 0; i < sr.ml.n; i++)
        if (sr.ml.index[i] == RATIO) {
            reply_error(r, 422, "invalid_field", "metrics", "比率指标 %s 不能加总，请用 /stats/children / a ratio cannot be summed",
                        sr.ml.names[i]);
            return;
        }
    xlsx_col cols[MAX_METRICS + 1];
    cols[0] = (xlsx_col){"单位", 28};
    for (int i = 0; i < sr.ml.n; i++) {
        const char *label = stats_metric_label(sr.c, &r->arena, sr.ml.names[i]);
        int wide = (int)strlen(label) / 3 * 2 + 4;   /* a Chinese character: 3 bytes, 2 columns wide */
        cols[i + 1] = (xlsx_col){label, wide > 12 ? wide : 12};
    }
    const char *title = arena_printf(&r->arena, "%s 统计汇总　期间 %s（%s 至 %s）", sr.node.name, sr.ptext, sr.p.from, sr.p.to);
    xlsx *x = xlsx_open_table(sr.ptext, title, cols, sr.ml.n + 1);   /* the sheet name is made safe there */
    if (!x) { reply_export_failed(r); return; }
    struct children_walk e = {sr.c, NULL, x, &sr, NULL, 0};
    int rc = nodes->children(sr.c, &r->principal->scope, &r->arena, sr.node.id, child_item, &e);
    if (rc == DB_OK) rc = own_row(&sr, &r->arena, x);
    if (rc != DB_OK) {
        xlsx_abort(x);
        reply_db_error(r);
        return;
    }
    xlsx_totals_row(x, "合计", 1);
    xlsx_reply(x, r, arena_printf(&r->arena, "%s-%s-统计汇总.xlsx", sr.node.name, sr.ptext));
}

static const struct route stats_routes[] = {
    {"GET", "/api/v1/stats/children/export.xlsx", handle_children_export, RANK_STAFF, 0, .summary = "Export the children × metrics summary (统计汇总) as Excel"},
    {"GET", "/api/v1/stats", handle_stats, RANK_MEMBER, 0, .summary = "Totals (统计) of a node's subtree over a period"},
    {"GET", "/api/v1/stats/children", handle_children, RANK_MEMBER, 0, .summary = "Totals per direct child in scope"},
    {"GET", "/api/v1/stats/sources", handle_sources, RANK_MEMBER, 0, .summary = "What each figure is made of (来源): every source's part, from its records"},
    {"GET", "/api/v1/stats/series", handle_series, RANK_MEMBER, 0, .summary = "Trend (趋势) over a period, one item per bucket"},
    {0},
};

void stats_register_routes(void)
{
    router_add_table(stats_routes);
    windows_register_routes();
}
