/* calls_assess.c - what the calls engine gives the district assessment (assessments/sources.h):
 * the titles granted (designations) and the entries awarded (call_results) in a unit's subtree in
 * the year, each one query for all units. Listed in the results module's descriptor. */
#include "assessments/assess_sql.h"
#include "calls/results.h"
#include "http/reply.h"
#include <stddef.h>

MESSAGE(msg_no_kind, "没有这种称号 / no such kind of title");

/* Titles granted in the year (valid_from in it), not revoked since; param: a kind of title. */
static void designations_build(qb *q, int year, const char *param)
{
    qb_init(q, "SELECT u.id, COUNT(d.id) FROM orgs u JOIN designations d ON" ASSESS_UNDER("d.org_path")
               "AND d.status <> 'revoked' AND CAST(substr(d.valid_from, 1, 4) AS INTEGER) = ?");
    qb_int(q, year);
    if (param) qb_sql(q, " AND d.kind = ?"), qb_text(q, param);
    qb_sql(q, " WHERE");
}

static int designations_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                                assess_measure *out)
{
    (void)a;
    return assess_count_all(c, year, param, units, n, designations_build, " GROUP BY u.id", out);
}

static const char *designations_param(db *c, arena *a, const char *param)
{
    (void)a;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM designation_kinds WHERE code = ?");
    qb_text(&q, param);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_OK && one ? NULL : msg_no_kind;
}

/* Entries of the subtree selected (with an award) by a decision taken in the year. */
static void results_build(qb *q, int year, const char *param)
{
    (void)param;
    qb_init(q, "SELECT u.id, COUNT(e.id) FROM orgs u JOIN call_entries e ON" ASSESS_UNDER("e.org_path")
               "AND e.outcome = 'selected' AND CAST(substr(e.decided_at, 1, 4) AS INTEGER) = ? WHERE");
    qb_int(q, year);
}

static int results_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                           assess_measure *out)
{
    (void)a;
    return assess_count_all(c, year, param, units, n, results_build, " GROUP BY u.id", out);
}

const assessment_source designations_source = {
    .key = "designations", .label = "获得命名称号 / Titles granted", .unit = ASSESS_COUNT,
    .param_doc = "称号类别 designation kind code", .measure_unscoped = designations_measure,
    .check_param = designations_param,
};
const assessment_source call_results_source = {
    .key = "call_results", .label = "评选获奖项目 / Entries awarded", .unit = ASSESS_COUNT,
    .measure_unscoped = results_measure,
};
