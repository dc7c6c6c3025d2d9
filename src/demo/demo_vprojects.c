/* demo_vprojects.c - a year of volunteer projects for the demo teams: every team holds a project
 * every other month or so, its active members signed up by staff, marked present (most the whole
 * time, some leaving early and so not credited), and the hours confirmed; in the current quarter
 * every third team has held nothing yet (behind on its quarterly duty), and upcoming projects
 * next week carry pending sign-ups. Written through the volunteers module, so the statistics,
 * the keyed counters and the audit log hold. */
#include "demo/demo.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "volunteers/projects.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const titles[] = {"社区应急科普讲解", "科技活动周科普展", "青少年科学实验课", "老年人智能手机培训",
                                     "农技下乡服务", "全国科普日主场活动", "防灾减灾知识宣传", "科普大篷车进校园"};
static const char *const places[] = {"社区活动中心", "区科技馆", "街道文化站", "中心小学", "村委会广场"};

/* One project of team on day; past ones with presence and confirmed hours. */
static int one(db *c, const principal *p, arena *a, int64_t team, const char *day, int k, bool past)
{
    vproject in = {0}, out;
    in.team_id = team;
    in.title = titles[k % 8];
    in.content = "面向居民开展科技志愿服务，普及科学知识。";
    in.starts_at = arena_printf(a, "%sT09:00:00+08:00", day);
    in.ends_at = arena_printf(a, "%sT11:30:00+08:00", day);
    in.place = places[k % 5];
    in.audience = k % 4 == 0 ? "team" : "public";
    in.credit_share = 60;
    in.status = "published";
    in.npositions = 2;
    in.positions[0] = (vp_position){.name = "讲解员", .headcount = 4};
    in.positions[1] = (vp_position){.name = "现场引导", .headcount = 4};
    int rc = vp_create(c, p, a, &in, &out);
    int64_t vols[8];
    int n = rc == DB_OK ? demo_ids(c, "SELECT volunteer_id FROM volunteer_members WHERE team_id = ? "
                                      "AND status = 'active' ORDER BY id", team, vols, 6) : 0;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t sid = 0;
        int64_t pos = out.positions[i % 2].id;
        if (!past) {
            rc = su_create(c, p, a, out.id, pos, vols[i], "staff", &sid);
            if (rc == DB_OK && i % 2) rc = su_decide(c, p, a, sid, "decline"), rc = DB_OK;
            continue;
        }
        rc = su_create(c, p, a, out.id, pos, vols[i], "staff", &sid);
        if (rc == DB_OK && (i + k) % 5 != 4)   /* one in five never came */
            rc = su_mark(c, p, a, sid, arena_printf(a, "%sT08:5%d:00+08:00", day, i % 10),
                         arena_printf(a, "%sT%s+08:00", day, (i + k) % 6 == 5 ? "10:00:00" : "11:30:00"));
    }
    if (rc == DB_OK && past) rc = vh_confirm(c, p, a, out.id);
    return rc == VP_FULL || rc == VP_NOT_MEMBER ? DB_OK : rc;
}

int demo_fill_vprojects(db *c)
{
    principal demo = demo_principal_unscoped();
    char now[40], today[11], start[11], q_start[11], label[16];
    time_now_rfc3339(now);
    snprintf(today, sizeof today, "%.10s", now);
    period quarter;
    period_bucket(today, "quarter", label, &quarter);
    snprintf(q_start, sizeof q_start, "%s", quarter.from);
    day_add(today, -360, start);
    int64_t teams[200];
    int rc = DB_OK, nteams = demo_ids(c, "SELECT id FROM volunteer_teams WHERE status = 'active' ORDER BY id", 0, teams, 200);
    arena a;
    arena_init(&a);
    for (int t = 0; rc == DB_OK && t < nteams; t++) {
        /* roughly every 50-70 days through the year before this quarter */
        for (int d = (int)(teams[t] % 40); rc == DB_OK; d += 50 + (int)(teams[t] % 3) * 10) {
            char day[11];
            day_add(start, d, day);
            if (strcmp(day, q_start) >= 0) break;
            rc = one(c, &demo, &a, teams[t], day, t + d, true);
        }
        /* this quarter: two teams in three have held theirs already */
        char held[11], next[11];
        day_add(today, -1, held);
        if (rc == DB_OK && t % 3 != 0 && strcmp(held, q_start) >= 0) rc = one(c, &demo, &a, teams[t], held, t, true);
        day_add(today, 3 + t % 5, next);
        if (rc == DB_OK && t % 2 == 0) rc = one(c, &demo, &a, teams[t], next, t + 1, false);
        arena_free(&a);
        arena_init(&a);
    }
    arena_free(&a);
    if (rc != DB_OK) fprintf(stderr, "kepu demo: volunteer projects failed (%d)\n", rc);
    return rc == DB_OK ? 0 : -1;
}
