/* stats.h - the statistics engine: additive metrics rolled up the organization tree, live.
 *
 * Writers (the activity register now; courses and volunteer service later) call stats_add()
 * inside their own transaction with the organizer's org path, the day the record counts on and
 * the metric values; every ancestor's day and month totals change in that same transaction, so
 * a figure read afterwards is exact. Queries for any node and period read only the roll-ups.
 * stats never knows which module wrote a figure. */
#ifndef KEPU_STATS_H
#define KEPU_STATS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/period.h"
#include "db/db.h"
#include <stdint.h>

enum stats_metric {
    M_ACTIVITIES, M_PARTICIPANTS, M_MATERIALS, M_VIDEOS, M_VIEWS, M_VOLUNTEERS,
    M_VOLUNTEER_HOURS, M_FUNDS, STATS_NMETRICS
};
extern const char *const stats_metric_names[];   /* STATS_NMETRICS names, then NULL */
int stats_metric_index(const char *name);        /* -1 when unknown */

typedef struct stats_values {
    int64_t v[STATS_NMETRICS];
} stats_values;

/* Adds sign * values (sign +1 or -1) to the node of org_path and all its ancestors, for day
 * (YYYY-MM-DD) and its month; kind and audience (either may be NULL) count
 * sign * values.v[M_ACTIVITIES] in the per-key roll-up, under "<kind>" and
 * "audience.<audience>". DB_OK or a DB code. Call inside the writer's transaction. */
int stats_add(db *c, const char *org_path, const char *day, const char *kind, const char *audience,
              const stats_values *values, int sign);

/* stats_add() and stats_add_keys() inside a transaction defer their rows to its COMMIT, where
 * rows of the same node, bucket and key are summed and written once (src/stats/deltas.c; a group
 * commit's failed job's rows are dropped with it). Every read of the roll-ups in stats flushes
 * them first; code elsewhere that reads stat_rollups or stat_kind_rollups directly inside a
 * transaction that added deltas calls stats_flush() first. DB_OK or a DB code. */
int stats_flush(db *c);

/* After orgs moved a subtree from old_path to new_path (both the node's own paths), its totals
 * leave the old ancestors and join the new ones. */
int stats_move_subtree(db *c, const char *old_path, const char *new_path);

/* Keyed counters: a module's own metrics (the teaching module's courses, attendance and
 * teaching_hours; the volunteer module's volunteer_activities) kept beside the kind and audience
 * counts, each key with its own value. Same rules as stats_add(): inside the writer's
 * transaction, sign +1 or -1, the node and all its ancestors. At most STATS_MAX_KEYS keys. */
#define STATS_MAX_KEYS 8
typedef struct stats_key {
    const char *name;
    int64_t value;
} stats_key;
int stats_add_keys(db *c, const char *org_path, const char *day, const stats_key *keys, int nkeys, int sign);
/* Makes a keyed counter a metric of /stats, /stats/children, /stats/series and targets. name
 * must be static. Call at start-up. */
void stats_register_keyed_metric(const char *name);
bool stats_keyed_metric(const char *name);
/* Makes every "<prefix><code>" (code: 1..32 of [a-z0-9_]) a keyed metric, for a module whose
 * counters are named by data (the calls engine: "call_entries.<template code>"). prefix must be
 * static. Call at start-up. stats_keyed_metric() accepts them; stats_keyed_metric_name() does
 * not list them (they are open-ended). */
void stats_register_keyed_prefix(const char *prefix);
const char *stats_keyed_metric_name(int i);   /* the i-th registered, NULL past the last */
/* How verify and rebuild recompute a module's keyed counters from its raw records: a SELECT of
 * (org_path, day, key, n), one row per record and key. sql must be static. */
void stats_register_key_source(const char *sql);

/* The totals of the node's subtree over the period. */
int stats_query(db *c, int64_t org_id, const period *p, stats_values *out);
/* The totals of every direct child of parent_id in one query; children without figures are
 * absent from out (their totals are zero). The caller filters by scope. */
typedef struct stats_child {
    int64_t org_id;
    stats_values values;
} stats_child;
int stats_query_children(db *c, int64_t parent_id, const period *p, stats_child *out, int max, int *n);

/* The count of activities of one key over the period: a kind code, or "audience.<code>". */
int stats_query_kind(db *c, int64_t org_id, const period *p, const char *kind, int64_t *out);

/* The counts of several keys (kind codes, "audience.<code>", registered metrics) over the period
 * in one query: out[i] for keys[i], 0 when absent. At most 64 keys. */
int stats_query_keys(db *c, int64_t org_id, const period *p, const char *const *keys, int nkeys, int64_t *out);

/* Whether name is a metric: one of stats_metric_names, "kind.<code>", "audience.<code>", a keyed
 * or a ratio metric (stats_register_ratio_metric below). */
bool stats_metric_valid(const char *name);
/* The value of any valid metric for the node's subtree over the period (a ratio in hundredths,
 * STATS_RATIO_NONE when it has no denominator). */
int stats_query_metric(db *c, int64_t org_id, const period *p, const char *metric, int64_t *out);

/* A module that feeds stats_add() also says how to recompute its figures from its raw
 * records: a SELECT of (org_path, day, kind, audience, activities, participants, materials, videos, views,
 * volunteers, volunteer_hours, funds), one row per record, under a name (/stats/sources shows it:
 * "activities", "report_forms" ...). Both strings static; a name registered twice is kept once. */
void stats_register_source(const char *name, const char *sql);

/* What each registered source gives the node's subtree over the period, computed from the raw
 * records: the parts add up to stats_query()'s totals when no record counts twice. */
typedef struct stats_source_part {
    const char *name;        /* static, as registered */
    stats_values values;
} stats_source_part;
int stats_query_sources(db *c, int64_t org_id, const period *p, stats_source_part *out, int max, int *n);

/* Throws the roll-ups away and computes them anew from the raw records, in one transaction: the
 * bulk path after loading records without stats_add() (imports, benchmarks). */
int stats_rebuild(db *c);

/* Recomputes every roll-up from the raw records; *differences counts the mismatching rows
 * (printed to stderr). */
int stats_verify(db *c, int64_t *differences);

/* The nodes figures are kept for, found through an interface the module that keeps them (orgs)
 * registers at start-up (app_modules.c): stats includes no module. Strings live in the arena. */
enum { STATS_NODE_NOT_FOUND = -330 };
typedef struct stats_node {
    int64_t id;
    const char *name, *type;
} stats_node;
typedef int (*stats_node_fn)(const stats_node *n, void *cls);   /* not DB_OK: the walk stops */
typedef struct stats_node_source {
    /* Node id as sc sees it: DB_OK, STATS_NODE_NOT_FOUND (missing or outside sc) or a DB code. */
    int (*find)(db *c, const scope *sc, arena *a, int64_t id, stats_node *out);
    /* Whether node id has any child at all, seen by sc or not. */
    int (*has_children)(db *c, int64_t id, bool *out);
    /* fn for each direct child of id that sc sees, by id; returns the first result of fn that is
     * not DB_OK, or a DB code. */
    int (*children)(db *c, const scope *sc, arena *a, int64_t id, stats_node_fn fn, void *cls);
} stats_node_source;
/* src is static; until it is set the statistics routes answer 503. */
void stats_set_node_source(const stats_node_source *src);

void stats_register_routes(void);

/* ---- Metric labels: the Chinese column names of exports ---- */
/* A module names its keyed metric (both strings static); call at start-up. */
void stats_register_metric_label(const char *name, const char *label);
/* Names "kind.<code>" and "audience.<code>" metrics from the dictionaries that hold the codes:
 * the label in a, or NULL when unknown. */
typedef const char *(*stats_key_labeler)(db *c, arena *a, const char *metric);
void stats_set_key_labeler(stats_key_labeler fn);
/* The label of any metric: stats' own, a registered one, the labeler's, else the name itself. */
const char *stats_metric_label(db *c, arena *a, const char *name);

/* ---- Ratio metrics (ratios.c; issue 17 C) ----
 * A metric answered as num / den of two keyed counters a module feeds with stats_add_keys(), so
 * a node's value is the weighted roll-up of its subtree (Σ num / Σ den), never an average of
 * ratios. /stats, /stats/children, /stats/series and targets answer it in hundredths of its unit
 * (num x scale / den; scale 100 for a percent): 1437 is 14.37, written as the JSON number 14.37.
 * "<name>.<suffix>" ([a-z0-9_.]) is the same ratio over "<num_key>.<suffix>" / "<den_key>.<suffix>"
 * (a population group). All strings static; call at start-up. */
#include "core/jsonw.h"
#define STATS_RATIO_NONE INT64_MIN   /* den is 0: no value (JSON null), never 0 */
void stats_register_ratio_metric(const char *name, const char *num_key, const char *den_key, int64_t scale);
bool stats_ratio_metric(const char *name);
const char *stats_ratio_metric_name(int i);   /* the i-th registered, NULL past the last */
/* The counters of a ratio metric into num and den (size bytes each) and its scale; false when
 * name is not one or a key does not fit. */
bool stats_ratio_keys(const char *name, char *num, char *den, size_t size, int64_t *scale);
/* num x scale / den in hundredths, rounded half up; STATS_RATIO_NONE when den <= 0. */
int64_t stats_ratio_e2(int64_t num, int64_t den, int64_t scale);
/* "14.37", or "null" for STATS_RATIO_NONE; stats_ratio_write() writes it as a JSON value. */
void stats_ratio_format(int64_t e2, char out[32]);
void stats_ratio_write(jw *w, int64_t e2);
/* A value as clients write it, non-negative with at most two decimals ("14.37", 14.37, 15) into
 * hundredths; false for anything else (negative, three decimals, exponent, spaces). */
bool stats_ratio_parse_text(const char *text, int64_t *e2);
bool stats_ratio_from_json(json_t *v, int64_t *e2);
/* The ratio of the node's subtree over the period, in hundredths (STATS_RATIO_NONE: no den). */
int stats_query_ratio(db *c, int64_t org_id, const period *p, const char *name, int64_t *e2);

#endif
