/* assessments_demo.c - the demo city's assessment (demo/demo.h's steps, named in the module's
 * descriptor): the city's 目标管理考核 of this year over its districts, open, with six indicators
 * drawn from the figures the other steps filled and one manual item scored for the first
 * districts, so the ranking page and a district's own scores show a real picture. */
#include "assessments/assessments.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "db/query.h"
#include <stdio.h>

static const struct { const char *name, *source, *param; int weight; } demo_items[] = {
    {"活动目标完成情况", "targets_met", "activities", 30},
    {"定期报表填报完整", "reports_complete", NULL, 10},
    {"定期报表按时报送", "reports_on_time", NULL, 10},
    {"科技志愿服务时长", "volunteer_hours", NULL, 15},
    {"获得命名称号", "designations", NULL, 10},
    {"特色亮点工作", "manual", NULL, 25},
};

static int insert_items(db *c, int64_t scheme, int64_t *manual_id)
{
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof demo_items / sizeof *demo_items; i++) {
        qb q;
        int64_t id = 0;
        qb_init(&q, "INSERT INTO assessment_indicators (scheme_id, no, name, source, param, weight, max_points) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
        qb_int(&q, scheme), qb_int(&q, (int64_t)i + 1), qb_text(&q, demo_items[i].name), qb_text(&q, demo_items[i].source);
        qb_text(&q, demo_items[i].param), qb_int(&q, demo_items[i].weight);
        qb_int(&q, *demo_items[i].source == 'm' ? demo_items[i].weight : 0);
        rc = qb_exec(c, &q, &id);
        if (*demo_items[i].source == 'm') *manual_id = id;
    }
    return rc;
}

/* The first five districts scored on the manual item, with a note each. */
static int score_some(db *c, int64_t scheme, int64_t ind, int64_t user, const char *now)
{
    int64_t rows[10];
    int n = demo_rows(c, "SELECT id FROM orgs WHERE type = 'district' ORDER BY id LIMIT 5", 0, 1, rows, 5), rc = DB_OK;
    static const int scores[] = {2350, 1800, 2100, 1500, 2000};
    static const char *const notes[] = {"科普阵地建设成效突出", "特色活动数量偏少", "品牌活动有一定影响",
                                        "缺少特色亮点", "基层科普工作扎实"};
    for (int i = 0; rc == DB_OK && i < n; i++) {
        qb q;
        qb_init(&q, "INSERT INTO assessment_manual_scores (scheme_id, indicator_id, org_id, org_path, score_e2, note, "
                    "scored_by, scored_at, created_by) SELECT ?, ?, id, path, ?, ?, ?, ?, ? FROM orgs WHERE id = ?");
        qb_int(&q, scheme), qb_int(&q, ind), qb_int(&q, scores[i]), qb_text(&q, notes[i]), qb_int(&q, user);
        qb_text(&q, now), qb_int(&q, user), qb_int(&q, rows[i]);
        rc = qb_exec(c, &q, NULL);
    }
    return n < 0 ? DB_ERR : rc;
}

int demo_step_assessments(db *c, const demo_context *x)
{
    principal demo = demo_principal_unscoped();
    arena a;
    arena_init(&a);
    char now[32];
    time_now_rfc3339(now);
    int64_t scheme = 0, manual = 0;
    const char *path = NULL;
    int rc = db_begin(c);
    qb q;
    if (rc == DB_OK) {
        qb_init(&q, "INSERT INTO assessment_schemes (org_id, org_path, year, title, unit_type, status, created_by, created_at, "
                    "updated_at) SELECT id, path, ?, ?, 'district', 'open', NULL, ?, ? FROM orgs WHERE id = ? RETURNING id");
        qb_int(&q, x->year), qb_text(&q, arena_printf(&a, "%d年度区县科普工作目标管理考核", x->year));
        qb_text(&q, now), qb_text(&q, now), qb_int(&q, x->city_id);
        rc = qb_exec(c, &q, &scheme);
    }
    if (rc == DB_OK) rc = insert_items(c, scheme, &manual);
    if (rc == DB_OK) rc = score_some(c, scheme, manual, demo.user_id, now);
    asm_scheme s;
    /* the scheme this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &assessment_entity, &a, scheme, &s);
    if (rc == DB_OK) path = s.org_path;
    if (rc == DB_OK) rc = entity_audit(c, &assessment_entity, actor_of(&demo), path, scheme, "create", NULL, &s);
    if (rc == DB_OK) rc = db_commit(c);
    else db_rollback(c);
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
