/* literacy_assess.c - the literacy rate for the district assessment (assessments/sources.h): a
 * unit's rate over the year is Σ literate residents / Σ residents of the 'all' rows in its subtree
 * (the statistics' weighting, literacy.h), against the indicator's goal in percent (param, e.g.
 * 15.00): value = min(1, rate / goal). One query per ASSESS_CHUNK units. Listed in the literacy
 * module's descriptor. */
#include "assessments/assess_sql.h"
#include "literacy/literacy.h"
#include "stats/stats.h"
#include <stddef.h>

static const char *check_goal(db *c, arena *a, const char *param)
{
    (void)c, (void)a;
    int64_t bp;
    return param && literacy_rate_bp(param, &bp) && bp > 0
               ? NULL
               : "参数应为目标比例（百分数，如 15.00） / the parameter is the goal in percent, e.g. 15.00";
}

/* The units' sums from one chunk's query of (u.id, Σ num, Σ den). */
static int read_chunk(db *c, qb *q, const assess_unit *units, int n, int64_t goal_bp, arena *a, assess_measure *out)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int i = assess_unit_index(units, n, db_col_int(s, 0));
        int64_t e2 = stats_ratio_e2(db_col_int(s, 1), db_col_int(s, 2), 100);
        if (i < 0 || e2 == STATS_RATIO_NONE) continue;
        char text[32];
        stats_ratio_format(e2, text);
        out[i].value = e2 >= goal_bp ? 1.0 : (double)e2 / (double)goal_bp;
        out[i].detail = arena_printf(a, "具备科学素质比例 %s%%（人口加权） / literacy rate %s%% (population-weighted)", text, text);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int rate_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                        assess_measure *out)
{
    int64_t goal_bp = 0;
    if (check_goal(c, a, param)) return DB_ERR;   /* the scheme was checked when saved */
    literacy_rate_bp(param, &goal_bp);
    for (int i = 0; i < n; i++) out[i].value = 0, out[i].detail = "无调查数据 / no survey data";
    for (int at = 0; at < n; at += ASSESS_CHUNK) {
        int k = n - at < ASSESS_CHUNK ? n - at : ASSESS_CHUNK;
        qb q;
        qb_init(&q, "SELECT u.id, SUM((s.rate_bp * s.weight_population + 5000) / 10000), SUM(s.weight_population) "
                    "FROM orgs u JOIN literacy_surveys s ON" ASSESS_UNDER("s.org_path") "AND s.group_dim = 'all' AND s.year = ? WHERE");
        qb_int(&q, year);
        assess_units_in(&q, units + at, k);
        qb_sql(&q, " GROUP BY u.id");
        int rc = read_chunk(c, &q, units + at, k, goal_bp, a, out + at);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

const assessment_source literacy_rate_source = {
    .key = "literacy_rate", .label = "公民具备科学素质比例 / Science literacy rate", .unit = ASSESS_RATIO,
    .param_doc = "目标比例(%)，如 15.00 / the goal in percent", .measure_unscoped = rate_measure, .check_param = check_goal,
};
