/* duty.c - the quarterly duty of volunteer teams (每队每季度至少开展一次活动, see projects.h): for a
 * node and a quarter, every active team of its subtree within the caller's scope, with the count of
 * activities it held (the keyed counter volunteer_activities.team.<id> at the team's owner org,
 * moved when a project's hours are confirmed with someone present) and done / behind. Live: it
 * reads the statistics engine's roll-ups, never a copy. */
#include "volunteers/projects.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

int duty_quarter(db *c, const principal *p, arena *a, int64_t org_id, const char *quarter, jw *w)
{
    period per;
    org o;
    if (!period_parse(quarter, &per)) return VP_BAD_STATE;
    int rc = orgs_get(c, p, a, org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    qb q;
    qb_init(&q, "SELECT t.id, t.name, t.org_id, g.name, t.category FROM volunteer_teams t JOIN orgs g ON g.id = t.org_id "
                "WHERE t.status = 'active'");
    qb_subtree(&q, a, "t.org_path", o.path);
    scope_filter(&p->scope, &q, "t.org_path");
    qb_sql(&q, " ORDER BY t.org_path, t.id LIMIT 2000");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t done = 0, behind = 0;
    jw_obj(w);
    jw_key(w, "org_id"), jw_int(w, o.id);
    jw_key(w, "org_name"), jw_str(w, o.name);
    jw_key(w, "quarter"), jw_str(w, quarter);
    jw_key(w, "from"), jw_str(w, per.from);
    jw_key(w, "to"), jw_str(w, per.to);
    jw_key(w, "required"), jw_int(w, 1);
    jw_key(w, "items"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t team = db_col_int(s, 0), n = 0;
        char key[64];
        snprintf(key, sizeof key, "volunteer_activities.team.%lld", (long long)team);
        int qrc = stats_query_kind(c, db_col_int(s, 2), &per, key, &n);
        if (qrc != DB_OK) { rc = qrc; break; }
        n >= 1 ? done++ : behind++;
        jw_obj(w);
        jw_key(w, "team_id"), jw_int(w, team);
        jw_key(w, "team_name"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "org_id"), jw_int(w, db_col_int(s, 2));
        jw_key(w, "org_name"), jw_str(w, db_col_text(s, 3));
        jw_key(w, "category"), jw_str(w, db_col_text(s, 4));
        jw_key(w, "activities"), jw_int(w, n);
        jw_key(w, "status"), jw_str(w, n >= 1 ? "done" : "behind");
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    jw_key(w, "done"), jw_int(w, done);
    jw_key(w, "behind"), jw_int(w, behind);
    jw_obj_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}
