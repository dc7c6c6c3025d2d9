/* stats.c - roll-up maintenance, period queries and verification (see stats.h). */
#include "stats/stats.h"
#include "core/sbuf.h"
#include "stats/deltas.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const stats_metric_names[] = {"activities", "participants", "materials", "videos", "views",
                                          "volunteers", "volunteer_hours", "funds", NULL};

/* The SQL names the eight metrics (stats_metric_names' order) through EACH_METRIC: F(metric) for
 * each, joined by sep. */
#define EACH_METRIC(F, sep) F(activities) sep F(participants) sep F(materials) sep F(videos) sep F(views) \
                            sep F(volunteers) sep F(volunteer_hours) sep F(funds)
#define COLUMN(m) #m
#define METRIC_COLS EACH_METRIC(COLUMN, ", ")
#define MAX_DEPTH 20   /* 20 levels x 2 grains x 11 values stay under the engines' parameter limits */
#define MAX_SOURCES 16

/* The sources of the eight metrics (activity register, report forms, volunteer service): each
 * record is a row of exactly one source, which is what lets /stats/sources show a figure's parts. */
static struct { const char *name, *sql; } sources[MAX_SOURCES];
static int nsources;
static const char *key_sources[MAX_SOURCES];       /* SELECT org_path, day, key, n */
static int nkey_sources;
#define MAX_KEYED 32
static const char *keyed_metrics[MAX_KEYED];       /* module metrics kept as keyed counters */
static int nkeyed;

/* The index of name among the n strings of list, or -1. */
static int index_of(const char *const *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i], name)) return i;
    return -1;
}

/* Adds s to a registry of max strings unless it is there. */
static void add_to(const char **list, int *n, int max, const char *s)
{
    if (index_of(list, *n, s) < 0 && *n < max) list[(*n)++] = s;
}

void stats_register_key_source(const char *sql) { add_to(key_sources, &nkey_sources, MAX_SOURCES, sql); }
void stats_register_source(const char *name, const char *sql)
{
    for (int i = 0; i < nsources; i++)
        if (!strcmp(sources[i].name, name)) return;
    if (nsources < MAX_SOURCES) sources[nsources].name = name, sources[nsources++].sql = sql;
}
void stats_register_keyed_metric(const char *name) { add_to(keyed_metrics, &nkeyed, MAX_KEYED, name); }
#define MAX_PREFIXES 8
static const char *keyed_prefixes[MAX_PREFIXES];   /* "call_entries.": one metric per code */
static int nprefixes;
void stats_register_keyed_prefix(const char *prefix) { add_to(keyed_prefixes, &nprefixes, MAX_PREFIXES, prefix); }

/* name is a registered prefix followed by a code of 1..32 of [a-z0-9_]. */
static bool prefixed(const char *name)
{
    for (int i = 0; i < nprefixes; i++) {
        size_t n = strlen(keyed_prefixes[i]), k = 0;
        if (strncmp(name, keyed_prefixes[i], n) != 0) continue;
        for (const char *c = name + n; *c; c++, k++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
        return k >= 1 && k <= 32;
    }
    return false;
}
bool stats_keyed_metric(const char *name) { return index_of(keyed_metrics, nkeyed, name) >= 0 || prefixed(name); }
const char *stats_keyed_metric_name(int i) { return i >= 0 && i < nkeyed ? keyed_metrics[i] : NULL; }
int stats_metric_index(const char *name) { return index_of(stats_metric_names, STATS_NMETRICS, name); }

/* "/1/7/42/" -> {1, 7, 42}; returns the count. */
static int path_ids(const char *path, int64_t *ids, int max)
{
    int n = 0;
    for (const char *p = path; *p && n < max;) {
        while (*p == '/') p++;
        if (!*p) break;
        ids[n++] = strtoll(p, (char **)&p, 10);
    }
    return n;
}

#define ADDED(m) #m " = stat_rollups." #m " + excluded." #m
#define TAKEN(m) #m " = stat_rollups." #m " - s." #m
#define UPSERT_TAIL " ON CONFLICT (org_id, grain, bucket) DO UPDATE SET " EACH_METRIC(ADDED, ", ")

/* The rows of the node of org_path and every ancestor, on day and its month, go to the
 * transaction's pending deltas (deltas.c: written once per node and bucket at COMMIT). */
static int upsert_all(db *c, const char *org_path, const char *day, const stats_key *keys, int nkeys,
                      const stats_values *v, int sign)
{
    int64_t ids[MAX_DEPTH];
    int n = path_ids(org_path, ids, MAX_DEPTH);
    if (n == 0) return DB_ERR;
    return deltas_add(c, ids, n, day, keys, nkeys, v, sign);
}

int stats_flush(db *c) { return db_deferred_flush(c); }

int stats_add(db *c, const char *org_path, const char *day, const char *kind, const char *audience,
              const stats_values *values, int sign)
{
    char audience_key[48];
    int rc = upsert_all(c, org_path, day, NULL, 0, values, sign);
    stats_key keys[2];
    int nkeys = 0;
    if (kind && *kind) keys[nkeys++] = (stats_key){kind, values->v[M_ACTIVITIES]};
    if (audience && *audience && strlen(audience) < sizeof audience_key - 10) {
        snprintf(audience_key, sizeof audience_key, "audience.%s", audience);
        keys[nkeys++] = (stats_key){audience_key, values->v[M_ACTIVITIES]};
    }
    if (rc == DB_OK && nkeys) rc = upsert_all(c, org_path, day, keys, nkeys, values, sign);
    return rc;
}

int stats_add_keys(db *c, const char *org_path, const char *day, const stats_key *keys, int nkeys, int sign)
{
    if (nkeys < 1 || nkeys > STATS_MAX_KEYS) return DB_ERR;
    return upsert_all(c, org_path, day, keys, nkeys, NULL, sign);
}

/* Adds sign times node's own rows (all grains and buckets) into ancestor's. */
static int shift_rows(db *c, int64_t node, int64_t ancestor, int sign)
{
    static const char plus[] =
        "INSERT INTO stat_rollups (org_id, grain, bucket, " METRIC_COLS ") "
        "SELECT ?, grain, bucket, " METRIC_COLS " FROM stat_rollups WHERE org_id = ?" UPSERT_TAIL;
    static const char minus[] =
        "UPDATE stat_rollups SET " EACH_METRIC(TAKEN, ", ") " FROM (SELECT grain, bucket, " METRIC_COLS " FROM stat_rollups WHERE org_id = ?) AS s "
        "WHERE stat_rollups.org_id = ? AND stat_rollups.grain = s.grain AND stat_rollups.bucket = s.bucket";
    static const char kind_plus[] =
        "INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n) "
        "SELECT ?, grain, bucket, kind, n FROM stat_kind_rollups WHERE org_id = ? "
        "ON CONFLICT (org_id, grain, bucket, kind) DO UPDATE SET n = stat_kind_rollups.n + excluded.n";
    static const char kind_minus[] =
        "UPDATE stat_kind_rollups SET n = stat_kind_rollups.n - s.n "
        "FROM (SELECT grain, bucket, kind, n FROM stat_kind_rollups WHERE org_id = ?) AS s "
        "WHERE stat_kind_rollups.org_id = ? AND stat_kind_rollups.grain = s.grain "
        "AND stat_kind_rollups.bucket = s.bucket AND stat_kind_rollups.kind = s.kind";
    const char *sqls[2] = {sign > 0 ? plus : minus, sign > 0 ? kind_plus : kind_minus};
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(c, sqls[i]);
        if (!s) return DB_ERR;
        /* plus binds (ancestor, node); minus binds (node, ancestor) */
        db_bind_int(s, 1, sign > 0 ? ancestor : node);
        db_bind_int(s, 2, sign > 0 ? node : ancestor);
        int rc = db_exec_stmt(s);
        db_finish(s);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

int stats_move_subtree(db *c, const char *old_path, const char *new_path)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    int64_t olds[MAX_DEPTH], news[MAX_DEPTH];
    int no = path_ids(old_path, olds, MAX_DEPTH), nn = path_ids(new_path, news, MAX_DEPTH);
    if (no == 0 || nn == 0) return DB_ERR;
    int64_t node = olds[no - 1];
    int common = 0;     /* ancestors both paths share keep their totals */
    while (common < no - 1 && common < nn - 1 && olds[common] == news[common]) common++;
    int rc = DB_OK;
    for (int i = common; rc == DB_OK && i < no - 1; i++) rc = shift_rows(c, node, olds[i], -1);
    for (int i = common; rc == DB_OK && i < nn - 1; i++) rc = shift_rows(c, node, news[i], +1);
    return rc;
}

/* A period as one month range plus at most two day ranges (the partial months at its ends).
 * Unused ranges are empty ("9" > "0"). */
typedef struct period_plan {
    char mfrom[8], mto[8], d1from[11], d1to[11], d2from[11], d2to[11];
} period_plan;

static void plan_period(const period *p, period_plan *pl)
{
    strcpy(pl->mfrom, "9"), strcpy(pl->mto, "0");
    strcpy(pl->d1from, "9"), strcpy(pl->d1to, "0");
    strcpy(pl->d2from, "9"), strcpy(pl->d2to, "0");
    char cur[11], me[11];
    strcpy(cur, p->from);
    int day_ranges = 0;
    while (strcmp(cur, p->to) <= 0) {
        month_end(cur, me);
        bool whole = cur[8] == '0' && cur[9] == '1' && strcmp(me, p->to) <= 0;
        if (whole) {
            if (pl->mfrom[0] == '9') snprintf(pl->mfrom, sizeof pl->mfrom, "%.7s", cur);
            snprintf(pl->mto, sizeof pl->mto, "%.7s", cur);
        } else {
            const char *end = strcmp(me, p->to) <= 0 ? me : p->to;
            char *from = day_ranges == 0 ? pl->d1from : pl->d2from, *to = day_ranges == 0 ? pl->d1to : pl->d2to;
            strcpy(from, cur);
            strcpy(to, end);
            day_ranges++;
        }
        const char *last = strcmp(me, p->to) <= 0 ? me : p->to;
        day_add(last, 1, cur);
    }
}

/* The rows of a period, as three index ranges on (org_id, grain, bucket): written as a
 * UNION ALL rather than ORs so that each branch seeks its range instead of reading all of a
 * node's rows. cols, table and org_cond (with one or two ?) are constants of this file. */
static char *plan_sql(const char *cols, const char *table, const char *org_cond, const char *outer,
                      const char *group_by)
{
    sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%s FROM (", outer);
    static const char *const grains[3] = {"m", "d", "d"};
    for (int i = 0; i < 3; i++)
        sbuf_printf(&b, "%sSELECT %s FROM %s WHERE %s AND grain = '%s' AND bucket >= ? AND bucket <= ?",
                    i ? " UNION ALL " : "", cols, table, org_cond, grains[i]);
    sbuf_printf(&b, ") x%s", group_by);
    return sbuf_steal(&b);
}

/* Binds each branch's values: the org, the keys, its bucket range. */
static void bind_plan(db_stmt *s, int64_t org, const char *const *keys, int nkeys, const period_plan *pl)
{
    const char *v[6] = {pl->mfrom, pl->mto, pl->d1from, pl->d1to, pl->d2from, pl->d2to};
    int k = 1;
    for (int b = 0; b < 3; b++) {
        db_bind_int(s, k++, org);
        for (int i = 0; i < nkeys; i++) db_bind_text(s, k++, keys[i]);
        db_bind_text(s, k++, v[2 * b]);
        db_bind_text(s, k++, v[2 * b + 1]);
    }
}

#define COALESCED(m) "COALESCE(SUM(" #m "), 0)"
#define SUM_COLS EACH_METRIC(COALESCED, ", ")

int stats_query(db *c, int64_t org_id, const period *p, stats_values *out)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    period_plan pl;
    plan_period(p, &pl);
    char *sql = plan_sql(METRIC_COLS, "stat_rollups", "org_id = ?", "SELECT " SUM_COLS, "");
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERR;
    bind_plan(s, org_id, NULL, 0, &pl);
    int rc = db_step(s);
    for (int m = 0; rc == DB_ROW && m < STATS_NMETRICS; m++) out->v[m] = db_col_int(s, m);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

int stats_query_children(db *c, int64_t parent_id, const period *p, stats_child *out, int max, int *n)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    period_plan pl;
    plan_period(p, &pl);
    char *sql = plan_sql("org_id, " METRIC_COLS, "stat_rollups", "org_id IN (SELECT id FROM orgs WHERE parent_id = ?)",
                         "SELECT org_id, " SUM_COLS, " GROUP BY org_id");
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERR;
    bind_plan(s, parent_id, NULL, 0, &pl);
    int rc;
    *n = 0;
    while ((rc = db_step(s)) == DB_ROW && *n < max) {
        out[*n].org_id = db_col_int(s, 0);
        for (int m = 0; m < STATS_NMETRICS; m++) out[*n].values.v[m] = db_col_int(s, 1 + m);
        ++*n;
    }
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int stats_query_kind(db *c, int64_t org_id, const period *p, const char *kind, int64_t *out)
{
    return stats_query_keys(c, org_id, p, &kind, 1, out);
}

bool stats_metric_valid(const char *name)
{
    size_t n = strlen(name);
    if (stats_metric_index(name) >= 0 || stats_keyed_metric(name) || stats_ratio_metric(name)) return true;
    if (n > 48) return false;
    return (!strncmp(name, "kind.", 5) && n > 5) || (!strncmp(name, "audience.", 9) && n > 9);
}

int stats_query_metric(db *c, int64_t org_id, const period *p, const char *metric, int64_t *out)
{
    /* a ratio (ratios.c) answers in hundredths, STATS_RATIO_NONE without a denominator */
    if (stats_ratio_metric(metric)) return stats_query_ratio(c, org_id, p, metric, out);
    /* kinds are stored under their bare code, audiences under "audience.<code>" */
    if (!strncmp(metric, "kind.", 5)) return stats_query_kind(c, org_id, p, metric + 5, out);
    if (!strncmp(metric, "audience.", 9) || stats_keyed_metric(metric)) return stats_query_kind(c, org_id, p, metric, out);
    stats_values v;
    int m = stats_metric_index(metric), rc = stats_query(c, org_id, p, &v);
    if (rc == DB_OK) *out = m >= 0 ? v.v[m] : 0;
    return rc;
}

int stats_query_keys(db *c, int64_t org_id, const period *p, const char *const *keys, int nkeys, int64_t *out)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    if (nkeys < 1 || nkeys > 64) return DB_ERR;
    period_plan pl;
    plan_period(p, &pl);
    sbuf cond;
    sbuf_init(&cond);
    sbuf_add(&cond, "org_id = ? AND kind IN (");
    for (int i = 0; i < nkeys; i++) sbuf_add(&cond, i ? ", ?" : "?");
    sbuf_add(&cond, ")");
    char *sql = plan_sql("kind, n", "stat_kind_rollups", cond.s, "SELECT kind, COALESCE(SUM(n), 0)", " GROUP BY kind");
    sbuf_free(&cond);
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERR;
    bind_plan(s, org_id, keys, nkeys, &pl);
    for (int i = 0; i < nkeys; i++) out[i] = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        for (int i = 0; i < nkeys; i++)
            if (!strcmp(keys[i], db_col_text(s, 0))) out[i] = db_col_int(s, 1);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Counts the rows of an EXCEPT query, printing the first few. */
static int count_diff(db *c, const char *sql, const char *label, int64_t *n)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (++*n <= 10)
            fprintf(stderr, "stats verify: %s: org %lld %s %s\n", label, (long long)db_col_int(s, 0),
                    db_col_text(s, 1), db_col_text(s, 2));
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The day roll-ups and kind roll-ups as the raw records say they should be. Each source is first
 * summed per (org path, day[, key]) — one pass in path-index order, and at most nodes × days rows
 * whatever the number of records — and only those sums are fanned out to every ancestor, through
 * a table of (node, ancestor) pairs built from parent_id. Joining records to ancestors directly
 * costs a pass over every record per tree level. */
#define ANCESTORS "WITH RECURSIVE anc(id, anc_id) AS (SELECT id, id FROM orgs UNION ALL " \
                  "SELECT anc.id, o.parent_id FROM anc JOIN orgs o ON o.id = anc.anc_id WHERE o.parent_id IS NOT NULL) "
/* The month roll-ups as their day roll-ups add up. */
#define SUMMED(m) "SUM(" #m ")"
#define MONTHS_OF_DAYS "SELECT org_id, 'm' AS grain, substr(bucket, 1, 7) AS bucket, " EACH_METRIC(SUMMED, ", ") \
                       " FROM stat_rollups WHERE grain = 'd' GROUP BY org_id, substr(bucket, 1, 7)"
#define SUM_AS(m) "SUM(" #m ") AS " #m
#define G_SUM_AS(m) "SUM(g." #m ") AS " #m
#define ZERO_AS(m) "0 AS " #m

static void expected_queries(sbuf *expect, sbuf *kinds)
{
    sbuf_add(expect, ANCESTORS "SELECT anc.anc_id AS org_id, 'd' AS grain, g.day AS bucket, "
                     EACH_METRIC(G_SUM_AS, ", ") " FROM (");
    sbuf_add(kinds, ANCESTORS "SELECT anc.anc_id AS org_id, 'd' AS grain, g.day AS bucket, g.kind AS kind, "
                    "SUM(g.n) AS n FROM (");
    int branches = 0;
    for (int i = 0; i < nsources; i++, branches++) {
        sbuf_printf(expect, "%sSELECT org_path, day, " EACH_METRIC(SUM_AS, ", ") " FROM (%s) r GROUP BY org_path, day",
                    i ? " UNION ALL " : "", sources[i].sql);
        sbuf_printf(kinds,
                    "%sSELECT org_path, day, kind, SUM(activities) AS n FROM (%s) r WHERE kind IS NOT NULL AND kind <> '' "
                    "GROUP BY org_path, day, kind UNION ALL "
                    "SELECT org_path, day, 'audience.' || audience AS kind, SUM(activities) AS n FROM (%s) r "
                    "WHERE audience IS NOT NULL AND audience <> '' GROUP BY org_path, day, audience",
                    i ? " UNION ALL " : "", sources[i].sql, sources[i].sql);
    }
    /* module metrics kept as keyed counters (courses, attendance ...) */
    for (int i = 0; i < nkey_sources; i++, branches++)
        sbuf_printf(kinds, "%sSELECT org_path, day, key AS kind, SUM(n) AS n FROM (%s) r GROUP BY org_path, day, key",
                    branches ? " UNION ALL " : "", key_sources[i]);
    /* no branch at all still makes a valid (empty) query */
    if (nsources == 0)
        sbuf_add(expect, "SELECT '' AS org_path, '' AS day, " EACH_METRIC(ZERO_AS, ", ") " FROM orgs WHERE 1 = 0");
    if (branches == 0)
        sbuf_add(kinds, "SELECT '' AS org_path, '' AS day, '' AS kind, 0 AS n FROM orgs WHERE 1 = 0");
    sbuf_add(expect, ") g JOIN orgs leaf ON leaf.path = g.org_path JOIN anc ON anc.id = leaf.id "
                     "GROUP BY anc.anc_id, g.day");
    sbuf_add(kinds, ") g JOIN orgs leaf ON leaf.path = g.org_path JOIN anc ON anc.id = leaf.id "
                    "GROUP BY anc.anc_id, g.day, g.kind");
}

int stats_rebuild(db *c)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    if (nsources == 0 && nkey_sources == 0) return DB_OK;
    sbuf expect, kinds, q;
    sbuf_init(&expect), sbuf_init(&kinds), sbuf_init(&q);
    expected_queries(&expect, &kinds);
    int rc = db_begin(c);
    if (rc == DB_OK) rc = db_exec(c, "DELETE FROM stat_rollups");
    if (rc == DB_OK) rc = db_exec(c, "DELETE FROM stat_kind_rollups");
    sbuf_printf(&q, "INSERT INTO stat_rollups (org_id, grain, bucket, " METRIC_COLS ") SELECT * FROM (%s) e", expect.s);
    if (rc == DB_OK) rc = db_exec(c, q.s);
    if (rc == DB_OK)
        rc = db_exec(c, "INSERT INTO stat_rollups (org_id, grain, bucket, " METRIC_COLS ") " MONTHS_OF_DAYS);
    q.len = 0;
    sbuf_printf(&q, "INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n) SELECT * FROM (%s) e", kinds.s);
    if (rc == DB_OK) rc = db_exec(c, q.s + 0);
    if (rc == DB_OK)
        rc = db_exec(c, "INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n) "
                        "SELECT org_id, 'm', substr(bucket, 1, 7), kind, SUM(n) FROM stat_kind_rollups "
                        "WHERE grain = 'd' GROUP BY org_id, substr(bucket, 1, 7), kind");
    rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    sbuf_free(&expect), sbuf_free(&kinds), sbuf_free(&q);
    return rc;
}

#define IS_NONZERO(m) #m " <> 0"
#define NONZERO " AND (" EACH_METRIC(IS_NONZERO, " OR ") ")"
#define STORED(grain) "SELECT org_id, grain, bucket, " METRIC_COLS " FROM stat_rollups WHERE grain = '" grain "'"
#define STORED_KINDS "SELECT org_id, grain, bucket, kind, n FROM stat_kind_rollups WHERE grain = 'd'"

int stats_verify(db *c, int64_t *differences)
{
    if (stats_flush(c) != DB_OK) return DB_ERR;   /* the transaction's own deltas first */
    *differences = 0;
    if (nsources == 0 && nkey_sources == 0) return DB_OK;
    sbuf expect, kinds, q;
    sbuf_init(&expect), sbuf_init(&kinds), sbuf_init(&q);
    expected_queries(&expect, &kinds);
    /* each check lists the rows of one side that the other lacks; stored rows of zeros are none */
    static const struct { const char *label, *stored; bool stored_first; } checks[6] = {
        {"roll-up without records", STORED("d") NONZERO, true},
        {"records without roll-up", STORED("d"), false},
        {"month differs from its days", STORED("m") NONZERO, true},
        {"days differ from month", STORED("m"), false},
        {"kind roll-up differs", STORED_KINDS " AND n <> 0", true},
        {"kind records differ", STORED_KINDS, false},
    };
    const char *expected[6] = {expect.s, expect.s, MONTHS_OF_DAYS, MONTHS_OF_DAYS, kinds.s, kinds.s};
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < 6; i++) {
        q.len = 0;
        if (q.s) q.s[0] = 0;
        if (checks[i].stored_first)
            sbuf_printf(&q, "SELECT org_id, grain, bucket FROM (%s EXCEPT SELECT * FROM (%s) e) x", checks[i].stored,
                        expected[i]);
        else
            sbuf_printf(&q, "SELECT org_id, grain, bucket FROM (%s EXCEPT %s) x", expected[i], checks[i].stored);
        rc = count_diff(c, q.s, checks[i].label, differences);
    }
    sbuf_free(&expect), sbuf_free(&kinds), sbuf_free(&q);
    return rc;
}

/* Each source's part of the node's subtree totals over the period, summed from its raw records
 * (not the roll-ups): a record lies in the subtree when its path starts with the node's. */
int stats_query_sources(db *c, int64_t org_id, const period *p, stats_source_part *out, int max, int *n)
{
    *n = 0;
    sbuf q;
    sbuf_init(&q);
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < nsources && i < max; i++) {
        q.len = 0;
        sbuf_printf(&q, "SELECT " EACH_METRIC(SUMMED, ", ") " FROM (%s) r WHERE r.org_path LIKE "
                        "(SELECT path FROM orgs WHERE id = ?) || '%%' AND r.day >= ? AND r.day <= ?",
                    sources[i].sql);
        db_stmt *s = db_prepare(c, q.s);
        if (!s) { rc = DB_ERR; break; }
        db_bind_int(s, 1, org_id), db_bind_text(s, 2, p->from), db_bind_text(s, 3, p->to);
        rc = db_step(s);
        out[*n] = (stats_source_part){.name = sources[i].name};
        for (int m = 0; rc == DB_ROW && m < STATS_NMETRICS; m++) out[*n].values.v[m] = db_col_int(s, m);
        if (rc == DB_ROW) (*n)++, rc = DB_OK;
        db_finish(s);
    }
    sbuf_free(&q);
    return rc;
}
