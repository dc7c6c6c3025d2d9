/* demo.c - the demo city of Chongqing (see demo.h). */
#include "demo/demo.h"
#include "app_modules.h"
#include "accounts/accounts.h"
#include "activities/activities.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "orgs/orgs.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *code, *name; } districts[] = {
    {"500101", "万州区"}, {"500102", "涪陵区"}, {"500103", "渝中区"}, {"500104", "大渡口区"},
    {"500105", "江北区"}, {"500106", "沙坪坝区"}, {"500107", "九龙坡区"}, {"500108", "南岸区"},
    {"500109", "北碚区"}, {"500110", "綦江区"}, {"500111", "大足区"}, {"500112", "渝北区"},
    {"500113", "巴南区"}, {"500114", "黔江区"}, {"500115", "长寿区"}, {"500116", "江津区"},
    {"500117", "合川区"}, {"500118", "永川区"}, {"500119", "南川区"}, {"500120", "璧山区"},
    {"500151", "铜梁区"}, {"500152", "潼南区"}, {"500153", "荣昌区"}, {"500154", "开州区"},
    {"500155", "梁平区"}, {"500156", "武隆区"}, {"500229", "城口县"}, {"500230", "丰都县"},
    {"500231", "垫江县"}, {"500233", "忠县"}, {"500235", "云阳县"}, {"500236", "奉节县"},
    {"500237", "巫山县"}, {"500238", "巫溪县"}, {"500240", "石柱土家族自治县"},
    {"500241", "秀山土家族苗族自治县"}, {"500242", "酉阳土家族苗族自治县"},
    {"500243", "彭水苗族土家族自治县"},
    /* development zones: no GB/T 2260 code of their own */
    {"LJXQ", "两江新区"}, {"GXQ", "重庆高新区"}, {"WSJKQ", "万盛经开区"},
};

/* Real street names for the central districts; the rest take common ones. */
static const struct { const char *code, *streets[3]; } known_streets[] = {
    {"500103", {"解放碑街道", "七星岗街道", "大坪街道"}},
    {"500105", {"观音桥街道", "五里店街道", "石马河街道"}},
    {"500106", {"磁器口街道", "小龙坎街道", "天星桥街道"}},
    {"500107", {"杨家坪街道", "石桥铺街道", "谢家湾街道"}},
    {"500108", {"南坪街道", "弹子石街道", "铜元局街道"}},
    {"500112", {"龙溪街道", "回兴街道", "双凤桥街道"}},
};
static const char *const common_streets[] = {"城东街道", "城南街道", "城西街道"};
static const char *const communities[] = {
    "和平社区", "幸福社区", "新华社区", "民主社区", "建设社区", "光明社区",
    "团结社区", "文化社区", "长安社区", "红星社区", "金山社区", "滨江社区",
};
static const struct { const char *type, *name; } city_units[] = {
    {"society", "重庆市科普作家协会"}, {"society", "重庆市医学会"}, {"society", "重庆市农学会"},
    {"society", "重庆市气象学会"}, {"society", "重庆市营养学会"}, {"society", "重庆市老科技工作者协会"},
    {"base", "重庆科技馆"}, {"base", "重庆自然博物馆"}, {"base", "重庆中国三峡博物馆"},
    {"base", "重庆市地震科普教育基地"}, {"unit", "重庆大学科协"}, {"unit", "西南大学科协"},
    {"unit", "长安汽车科协"},
};

static int add_user(db *c, arena *a, const char *username, const char *name, int64_t org_id,
                    const char *role, const char *data_scope, const char *password)
{
    user u;
    user_input in = {.username = username, .name = name, .org_id = org_id, .role = role,
                     .data_scope = data_scope, .password = password};
    return accounts_create_system(c, a, &in, &u);
}

int demo_rows(db *c, const char *sql, int64_t param, int ncols, int64_t *vals, int max)
{
    db_stmt *s = db_prepare(c, sql);
    int n = 0, rc = DB_ROW;
    if (!s) return -1;
    if (strchr(sql, '?')) db_bind_int(s, 1, param);
    for (; n < max && (rc = db_step(s)) == DB_ROW; n++)
        for (int i = 0; i < ncols; i++) vals[n * ncols + i] = db_col_int(s, i);
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

int demo_range(int lo, int hi) { return hi <= lo ? lo : lo + rand() % (hi - lo + 1); }

const char *demo_id_number(arena *a, const char *body)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body[i] - '0') * weights[i];
    return arena_printf(a, "%.17s%c", body, "10X98765432"[sum % 11]);
}

/* The heads of a few demo teaching points (教学点负责人), so that a point's teaching home (its
 * term plan, upcoming courses, the 24-course progress, recent attendance) can be seen as its own
 * admin sees it: d<code>_point is the org_admin of the district's first teaching point (the one
 * with students and an approved autumn plan in the demo). */
static int add_point_heads(db *c, arena *a)
{
    static const struct { const char *code, *district; } heads[] = {{"500103", "渝中区"}, {"500101", "万州区"}};
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof heads / sizeof *heads; i++) {
        int64_t point = 0;
        /* heads[i].code is a constant above */
        if (demo_ids(c, arena_printf(a, "SELECT p.id FROM orgs p JOIN orgs d ON p.path > d.path AND substr(p.path, 1, "
                                        "length(d.path)) = d.path WHERE d.code = '%s' AND p.type = 'point' ORDER BY p.id",
                                     heads[i].code), 0, &point, 1) < 0)
            return DB_ERR;
        if (point)
            rc = add_user(c, a, arena_printf(a, "d%s_point", heads[i].code),
                          arena_printf(a, "%s教学点负责人", heads[i].district), point, "org_admin", "subtree",
                          DEMO_PASSWORD);
    }
    return rc;
}

static const char *const *streets_of(const char *code)
{
    for (size_t i = 0; i < sizeof known_streets / sizeof *known_streets; i++)
        if (!strcmp(known_streets[i].code, code)) return known_streets[i].streets;
    return common_streets;
}

/* The users of every district (d<code>_admin ...): a teacher at its last teaching point makes a
 * user at every level. */
static const struct { const char *suffix, *title, *role, *data_scope; bool at_point; } district_users[] = {
    {"admin", "科协管理员", "org_admin", "subtree", false},
    {"staff", "分校教务员", "staff", "subtree", false},
    {"teacher", "教学点教师", "teacher", "org", true},
};

/* Two or three streets, each with two teaching points, and the district's users. */
static int fill_district(db *c, arena *a, const org *city, size_t k, int *points)
{
    org d, st, pt;
    int rc = orgs_create_system(c, a, city->id, "district", districts[k].name, districts[k].code, &d);
    const char *const *streets = streets_of(districts[k].code);
    int nstreets = 2 + (int)(k % 2);
    for (int s = 0; rc == DB_OK && s < nstreets; s++) {
        rc = orgs_create_system(c, a, d.id, "street", streets[s], NULL, &st);
        for (int p = 0; rc == DB_OK && p < 2; p++) {
            const char *community = communities[(k * 5 + (size_t)s * 2 + (size_t)p) % 12];
            const char *pname = arena_printf(a, "%s%s科普大学教学点", streets[s], community);
            rc = orgs_create_system(c, a, st.id, "point", pname, NULL, &pt);
            (*points)++;
        }
    }
    for (size_t u = 0; rc == DB_OK && u < sizeof district_users / sizeof *district_users; u++) {
        char *uname = arena_printf(a, "d%s_%s", districts[k].code, district_users[u].suffix);
        for (char *p = uname; *p; p++) *p = (char)tolower((unsigned char)*p);
        rc = add_user(c, a, uname, arena_printf(a, "%s%s", districts[k].name, district_users[u].title),
                      district_users[u].at_point ? pt.id : d.id, district_users[u].role, district_users[u].data_scope,
                      DEMO_PASSWORD);
    }
    return rc;
}

principal demo_principal_unscoped(void)
{
    return (principal){.username = "demo", .rank = RANK_ADMIN, .scope = {.level = SCOPE_ALL}, .org_path = "/"};
}

int demo_fill(db *c)
{
    int64_t orgs = -1;
    if (demo_ids(c, "SELECT COUNT(*) FROM orgs", 0, &orgs, 1) != 1 || orgs != 0) {
        fprintf(stderr, "kepu demo: the database is not empty; give a new path with --db\n");
        return 1;
    }
    arena a;
    arena_init(&a);
    org city, unit;
    int64_t first_society = 0;
    int points = 0;
    const char *admin_pw = env_or("KEPU_BOOTSTRAP_ADMIN_PASSWORD", DEMO_PASSWORD);
    bool own_admin_pw = strcmp(admin_pw, DEMO_PASSWORD) != 0;
    int rc = orgs_create_system(c, &a, 0, "city", "重庆市科协", "500000", &city);
    if (rc == DB_OK) rc = add_user(c, &a, "admin", "系统管理员", city.id, "admin", "all", admin_pw);
    if (rc == DB_OK)
        rc = add_user(c, &a, "city_staff", "总校教务处", city.id, "staff", "subtree", DEMO_PASSWORD);
    for (size_t k = 0; rc == DB_OK && k < sizeof districts / sizeof *districts; k++)
        rc = fill_district(c, &a, &city, k, &points);
    for (size_t k = 0; rc == DB_OK && k < sizeof city_units / sizeof *city_units; k++) {
        rc = orgs_create_system(c, &a, city.id, city_units[k].type, city_units[k].name, NULL, &unit);
        if (!first_society) first_society = unit.id;
    }
    if (rc == DB_OK)
        rc = add_user(c, &a, "society_admin", "科普作家协会秘书处", first_society, "org_admin", "subtree",
                      DEMO_PASSWORD);
    arena_free(&a);
    /* The demo's time is now: each module's step fills up to today (Shanghai). */
    char today[40];
    time_now_rfc3339(today);
    today[10] = 0;
    demo_context x = {.city_id = city.id, .year = atoi(today), .month = atoi(today + 5), .today = today};
    for (const kepu_module *m = kepu_modules; rc == DB_OK && m->name; m++)
        if (m->demo && m->demo(c, &x) != 0) rc = DB_ERR;
    if (rc != DB_OK) {
        fprintf(stderr, "kepu demo: failed (%d)\n", rc);
        return 1;
    }
    printf("demo city filled: 重庆市科协, %zu districts and zones, %d teaching points\n",
           sizeof districts / sizeof *districts, points);
    printf("logins (password %s%s):\n", DEMO_PASSWORD,
           !own_admin_pw ? "" : "; admin uses KEPU_BOOTSTRAP_ADMIN_PASSWORD");
    printf("  admin           city admin, all data\n");
    printf("  city_staff      city staff\n");
    printf("  d500103_admin   渝中区 district admin (d<code>_admin for every district)\n");
    printf("  d500103_staff   渝中区 district staff\n");
    printf("  d500101_teacher a teacher at a 万州区 teaching point\n");
    arena_init(&a);
    rc = add_point_heads(c, &a);
    arena_free(&a);
    if (rc != DB_OK) return 1;
    printf("  d500103_point   the head (org_admin) of a 渝中区 teaching point (also d500101_point)\n");
    return 0;
}
