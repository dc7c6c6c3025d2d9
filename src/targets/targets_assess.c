/* targets_assess.c - targets met (targets_met) for the district assessment (assessments/sources.h):
 * for each unit, the mean over the targets that bind it in the year of min(actual / goal, 1). A
 * target binds a unit when it is set on the unit for its subtree, or set above it for each unit
 * of its type (and, with each_title, the unit holds that title); its period starts in the year.
 * The actual figure is the unit's subtree's over the target's period, read from the day roll-ups
 * (stat_rollups, grain 'd') as targets.c reads them. Base metrics only (the keyed ones live in
 * another table): param, when given, is one of them. One query for all units: a row per unit and
 * target. Listed in the targets module's descriptor. */
#include "assessments/assess_sql.h"
#include "stats/stats.h"
#include "targets/targets.h"
#include "http/reply.h"
#include <stdio.h>
#include <string.h>

/* The metric's column of stat_rollups for the target's metric, by name. */
#define METRIC_CASE                                                                                  \
    "CASE t.metric WHEN 'activities' THEN r.activities WHEN 'participants' THEN r.participants "     \
    "WHEN 'materials' THEN r.materials WHEN 'videos' THEN r.videos WHEN 'views' THEN r.views "       \
    "WHEN 'volunteers' THEN r.volunteers WHEN 'volunteer_hours' THEN r.volunteer_hours "              \
    "WHEN 'funds' THEN r.funds ELSE 0 END"

static void build(qb *q, int year, const char *param)
{
    qb_init(q, "SELECT u.id, t.goal, COALESCE((SELECT SUM(" METRIC_CASE ") FROM stat_rollups r WHERE r.org_id = u.id "
               "AND r.grain = 'd' AND r.bucket >= t.period_from AND r.bucket <= t.period_to), 0) "
               "FROM orgs u JOIN targets t ON CAST(substr(t.period_from, 1, 4) AS INTEGER) = ? AND t.goal > 0 "
               "AND t.metric IN ('activities', 'participants', 'materials', 'videos', 'views', 'volunteers', "
               "'volunteer_hours', 'funds') "
               "AND ((t.applies = 'subtree' AND t.org_id = u.id) OR (t.applies = 'each' AND t.each_type = u.type "
               "AND substr(u.path, 1, length(t.org_path)) = t.org_path AND t.org_path <> u.path "
               "AND (t.each_title IS NULL OR EXISTS (SELECT 1 FROM designations d WHERE d.org_id = u.id "
               "AND d.kind = t.each_title AND d.status = 'active'))))");
    qb_int(q, year);
    if (param) qb_sql(q, " AND t.metric = ?"), qb_text(q, param);
    qb_sql(q, " WHERE");
}

/* Per unit: the sum of the met shares and the number of targets, then their mean. */
static int measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n, assess_measure *out)
{
    int *count = arena_alloc(a, sizeof(int) * (size_t)(n ? n : 1)), *met = arena_alloc(a, sizeof(int) * (size_t)(n ? n : 1));
    if (!count || !met) return DB_ERR;
    for (int i = 0; i < n; i++) out[i].value = 0, out[i].detail = NULL;
    for (int at = 0; at < n; at += ASSESS_CHUNK) {
        int k = n - at < ASSESS_CHUNK ? n - at : ASSESS_CHUNK;
        qb q;
        build(&q, year, param);
        assess_units_in(&q, units + at, k);
        db_stmt *s = qb_prepare(&q, c);
        if (!s) return DB_ERR;
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            int i = assess_unit_index(units, n, db_col_int(s, 0));
            int64_t goal = db_col_int(s, 1), actual = db_col_int(s, 2);
            if (i < 0) continue;
            out[i].value += actual >= goal ? 1.0 : (double)actual / (double)goal;
            count[i]++;
            met[i] += actual >= goal;
        }
        db_finish(s);
        if (rc != DB_DONE) return rc;
    }
    for (int i = 0; i < n; i++) {
        /* no target binds the unit: nothing to fall short of */
        out[i].value = count[i] ? out[i].value / count[i] : 1.0;
        if (count[i] > met[i])
            out[i].detail = arena_printf(a, "%d 项目标中 %d 项未达标 / %d of %d targets not met", count[i],
                                         count[i] - met[i], count[i] - met[i], count[i]);
    }
    return DB_OK;
}

MESSAGE(msg_metric, "请选择统计指标 / choose one of the statistics' metrics");

static const char *check(db *c, arena *a, const char *param)
{
    (void)c, (void)a;
    int m = stats_metric_index(param);
    return m >= 0 ? NULL : msg_metric;
}

const assessment_source targets_met_source = {
    .key = "targets_met", .label = "目标任务完成率 / Targets met", .unit = ASSESS_RATIO,
    .param_doc = "统计指标 metric key (activities, participants, ...)", .measure_unscoped = measure, .check_param = check,
};
