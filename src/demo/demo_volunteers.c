/* demo_volunteers.c - the demo city's science-and-technology volunteers: teams of all eight
 * categories (district squads, societies, universities, an enterprise, rural associations, youth
 * teams at teaching points, science caravans, bases), a few hundred volunteers registered at the
 * districts and their streets, and memberships (leaders, deputies, members, some applications
 * still pending), written through the volunteers module so that the keyed counters hold. Then a
 * year of projects: every team holds one every other month or so, its active members signed up
 * by staff, marked present (most the whole time, some leaving early and so not credited), and the
 * hours confirmed; in the current quarter every third team has held nothing yet (behind on its
 * quarterly duty), and upcoming projects next week carry pending sign-ups. */
#include "demo/demo.h"
#include "core/period.h"
#include "volunteers/projects.h"
#include "volunteers/volunteers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISTRICTS 12
#define PER_DISTRICT 25

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "邓"};
static const char *const given[] = {"晓东", "丽华", "志刚", "雪梅", "建军", "海燕", "文博", "思雨", "国庆", "佳怡", "浩然", "秀兰"};
static const char *const skills[] = {"科普讲解", "急救培训", "摄影", "电脑维修", "农业技术", "防灾减灾", "心理咨询", "编程", "天文观测", "健康养生"};
static const char *const fields[] = {"应急科普", "健康", "青少年科技", "农村科普", "生态环保", "智慧助老"};
static const char *const avail[] = {"[\"weekends\"]", "[\"weekends\",\"evenings\"]", "[\"weekdays\"]", "[\"holidays\",\"weekends\"]"};

/* A valid resident ID number of Chongqing (area 500103), with the GB 11643 check. */
static const char *id_number(arena *a, int k)
{
    char body[24];   /* 17 digits; room for what the compiler cannot prove k keeps them to */
    unsigned u = (unsigned)k;
    snprintf(body, sizeof body, "500103%04u%02u%02u%03u", 1955 + u % 50, 1 + u % 12, 1 + u % 28, u % 1000);
    return demo_id_number(a, body);
}

static int team(db *c, const principal *p, arena *a, int64_t org_id, const char *category, int64_t *id)
{
    volunteer_team in = {.org_id = org_id, .category = category, .status = "active", .contact_name = "联络员",
                         .contact_phone = arena_printf(a, "136%08lld", (long long)org_id)},
                   out;
    int rc = teams_propose_name(c, p, a, org_id, category, &in.name);
    if (rc == DB_OK) rc = teams_create(c, p, a, &in, &out);
    *id = out.id;
    return rc;
}

/* The district's volunteers, its squad and caravan (and a rural association every third), a
 * youth team at its first teaching point; everyone in one or two of them. */
static int district(db *c, const principal *p, arena *a, int64_t d, int k, const int64_t *city_teams, int ncity)
{
    int64_t teams[4];
    int nteams = 0, rc = team(c, p, a, d, "district", &teams[nteams++]);
    if (rc == DB_OK) rc = team(c, p, a, d, "caravan", &teams[nteams++]);
    if (rc == DB_OK && k % 3 == 0) rc = team(c, p, a, d, "rural", &teams[nteams++]);
    int64_t first[2] = {0, 0};   /* the district's first teaching point and its street, the first street */
    demo_rows(c, "SELECT o.id, o.parent_id FROM orgs o JOIN orgs s ON s.id = o.parent_id WHERE s.parent_id = ? "
                 "AND o.type = 'point' ORDER BY o.id", d, 2, first, 1);
    int64_t point = first[0], street = first[1];
    if (rc == DB_OK && point) rc = team(c, p, a, point, "youth", &teams[nteams++]);
    for (int i = 0; rc == DB_OK && i < PER_DISTRICT; i++) {
        int n = k * PER_DISTRICT + i;
        volunteer in = {.org_id = i % 3 && street ? street : d, .status = "active",
                        .name = arena_printf(a, "%s%s", surnames[rand() % 14], given[rand() % 12]),
                        .id_number = id_number(a, n), .phone = arena_printf(a, "137%08d", n),
                        .skills = arena_printf(a, "[\"%s\",\"%s\"]", skills[n % 10], skills[(n + 3) % 10]),
                        .fields = arena_printf(a, "[\"%s\"]", fields[n % 6]), .availability = avail[n % 4]},
                  out;
        in.gender = (in.id_number[16] - '0') % 2 ? "male" : "female";
        int64_t m;
        rc = volunteers_create(c, p, a, &in, i % 5 == 0 ? "self" : "staff", &out);
        const char *how = i % 9 == 4 ? "apply" : "add";   /* some applications still wait */
        const char *role = i == 0 ? "leader" : i == 1 ? "deputy" : "member";
        if (rc == DB_OK) rc = members_join(c, p, a, teams[i % nteams], out.id, how, i < 2 ? role : "member", &m);
        if (rc == DB_OK && i % 4 == 0) rc = members_join(c, p, a, city_teams[(n / 4) % ncity], out.id, "add", "member", &m);
        if (rc == DB_OK && i == 0 && nteams > 1)   /* the squad leader also leads the caravan */
            rc = members_join(c, p, a, teams[1], out.id, "add", "leader", &m);
    }
    return rc;
}

static const char *const titles[] = {"社区应急科普讲解", "科技活动周科普展", "青少年科学实验课", "老年人智能手机培训",
                                     "农技下乡服务", "全国科普日主场活动", "防灾减灾知识宣传", "科普大篷车进校园"};
static const char *const places[] = {"社区活动中心", "区科技馆", "街道文化站", "中心小学", "村委会广场"};

/* One project of team on day; past ones with presence and confirmed hours. */
static int one(db *c, const principal *p, arena *a, int64_t team, const char *day, int k, bool past)
{
    vproject in = {.team_id = team, .title = titles[k % 8], .content = "面向居民开展科技志愿服务，普及科学知识。",
                   .starts_at = arena_printf(a, "%sT09:00:00+08:00", day),
                   .ends_at = arena_printf(a, "%sT11:30:00+08:00", day), .place = places[k % 5],
                   .audience = k % 4 == 0 ? "team" : "public", .credit_share = 60, .status = "published",
                   .people_served = past ? 40 + (k * 37) % 160 : 0,   /* 受益群众人次 of what was held */
                   .npositions = 2, .positions = {{.name = "讲解员", .headcount = 4}, {.name = "现场引导", .headcount = 4}}},
             out;
    int rc = vp_create(c, p, a, &in, &out);
    int64_t vols[8];
    int n = rc == DB_OK ? demo_ids(c, "SELECT volunteer_id FROM volunteer_members WHERE team_id = ? "
                                      "AND status = 'active' ORDER BY id", team, vols, 6) : 0;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t sid = 0;
        int64_t pos = out.positions[i % 2].id;
        rc = su_create(c, p, a, out.id, pos, vols[i], "staff", &sid);
        if (!past) {
            if (rc == DB_OK && i % 2) rc = su_decide(c, p, a, sid, "decline"), rc = DB_OK;
            continue;
        }
        if (rc == DB_OK && (i + k) % 5 != 4)   /* one in five never came */
            rc = su_mark(c, p, a, sid, arena_printf(a, "%sT08:5%d:00+08:00", day, i % 10),
                         arena_printf(a, "%sT%s+08:00", day, (i + k) % 6 == 5 ? "10:00:00" : "11:30:00"));
    }
    if (rc == DB_OK && past) rc = vh_confirm(c, p, a, out.id);
    return rc == VP_FULL || rc == VP_NOT_MEMBER ? DB_OK : rc;
}

static int fill_vprojects(db *c, const char *today)
{
    principal demo = demo_principal_unscoped();
    char start[11], q_start[11], label[16];
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

int demo_step_volunteers(db *c, const demo_context *x)
{
    principal demo = demo_principal_unscoped();
    srand(1357u);
    arena a;
    arena_init(&a);
    /* city-level teams: societies, universities, an enterprise, bases */
    static const struct { const char *type, *category; } units[] = {
        {"society", "society"}, {"society", "society"}, {"society", "society"}, {"unit", "university"},
        {"unit", "university"}, {"unit", "enterprise"}, {"base", "base"}, {"base", "base"}};
    int64_t city_teams[8], last = 0;
    int ncity = 0, rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof units / sizeof *units; i++) {
        /* units[i].type is a constant above */
        int64_t org = 0;
        demo_ids(c, arena_printf(&a, "SELECT id FROM orgs WHERE type = '%s' AND id > ? ORDER BY id", units[i].type),
                 i && !strcmp(units[i].type, units[i - 1].type) ? last : 0, &org, 1);
        if (!org) continue;
        last = org;
        rc = team(c, &demo, &a, org, units[i].category, &city_teams[ncity]);
        if (rc == DB_OK) ncity++;
    }
    int64_t districts[DISTRICTS];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'district' ORDER BY id", 0, districts, DISTRICTS);
    for (int k = 0; rc == DB_OK && ncity && k < n; k++) {
        arena_free(&a);
        arena_init(&a);
        rc = district(c, &demo, &a, districts[k], k, city_teams, ncity);
    }
    arena_free(&a);
    if (rc != DB_OK) { fprintf(stderr, "kepu demo: volunteers failed (%d)\n", rc); return -1; }
    printf("demo volunteers: %d teams of 8 categories, %d volunteers with memberships\n", ncity + n * 3,
           n * PER_DISTRICT);
    return fill_vprojects(c, x->today);
}
