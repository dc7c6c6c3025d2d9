/* volunteers_assess.c - volunteer duty for the district assessment (assessments/sources.h): the
 * confirmed service hours (credited sign-ups whose hours the organizer confirmed, rounded per
 * sign-up as the statistics count them) of projects held in the year in a unit's subtree; one
 * query for all units. Listed in the volunteers module's descriptor. */
#include "assessments/assess_sql.h"
#include "volunteers/volunteers.h"
#include <stddef.h>

static void hours_build(qb *q, int year, const char *param)
{
    (void)param;
    qb_init(q, "SELECT u.id, COALESCE(SUM((s.minutes + 30) / 60), 0) FROM orgs u JOIN volunteer_signups s ON"
               ASSESS_UNDER("s.org_path") "AND s.hours_status = 'confirmed' AND s.credited = 1 "
               "JOIN volunteer_projects p ON p.id = s.project_id AND CAST(substr(p.day, 1, 4) AS INTEGER) = ? WHERE");
    qb_int(q, year);
}

static int hours_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                         assess_measure *out)
{
    (void)a;
    return assess_count_all(c, year, param, units, n, hours_build, " GROUP BY u.id", out);
}

const assessment_source volunteer_hours_source = {
    .key = "volunteer_hours", .label = "志愿服务时长 / Volunteer service hours", .unit = ASSESS_COUNT,
    .measure_unscoped = hours_measure,
};
