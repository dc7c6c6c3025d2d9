/* demo_teachers.c - the demo city's teacher pool: three teachers at points of every district,
 * walked through the real certification chain (so steps, letters and audit entries are what the
 * API would have written): most certified and filed, some in the city pool, a few still proposed,
 * returned or in draft; last year's excellent-teacher selection decided, this year's nominated. */
#include "demo/demo.h"
#include "teaching/teachers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞",
                                    "徐涛", "孙丽", "马俊", "朱琳", "胡斌", "郭婷", "何平", "高翔", "林慧", "罗军"};
static const struct { const char *unit, *title, *specialties, *topics; } profiles[] = {
    {"重庆医科大学附属第一医院", "主任医师", "[\"心血管内科\",\"慢病管理\"]", "[\"老年人健康\",\"生长老病死\"]"},
    {"西南大学", "教授", "[\"食品科学\"]", "[\"食品安全\",\"衣食住行用\"]"},
    {"重庆市农业科学院", "高级农艺师", "[\"果树栽培\"]", "[\"科技下乡\"]"},
    {"区疾病预防控制中心", "副主任医师", "[\"传染病防控\"]", "[\"健康\",\"应急\"]"},
    {"重庆邮电大学", "副教授", "[\"移动互联网\"]", "[\"老年人数字技能\",\"防诈骗\"]"},
    {"区应急管理局", "高级工程师", "[\"安全生产\",\"应急救援\"]", "[\"应急\",\"防灾减灾\"]"},
    {"重庆大学", "教授", "[\"环境工程\"]", "[\"环境保护\"]"},
    {"区人民医院", "主管护师", "[\"急救护理\"]", "[\"应急救护\"]"},
};


/* A valid GB 11643 number for a district's area code, in the arena. */
static const char *make_id(arena *a, int64_t area, int n)
{
    char digits[64];       /* roomy: the compiler cannot see that area has six digits */
    snprintf(digits, sizeof digits, "%06lld%04d%02d%02d%03d", (long long)area % 1000000, 1960 + n % 36, 1 + n % 12,
             1 + n % 28, (n * 7) % 1000);
    return demo_id_number(a, digits);
}

/* Walks a teacher along the chain to where the demo wants it. */
static int walk(db *c, const principal *p, arena *a, int64_t id, int n)
{
    teacher t;
    int kind = n % 10, rc = DB_OK;
    if (kind == 0) return DB_OK;                                     /* draft */
    rc = teachers_step(c, p, a, id, "propose", NULL, 0, &t);
    if (rc != DB_OK || kind == 1) return rc;                         /* proposed */
    if (kind == 2) return teachers_step(c, p, a, id, "return", "请补充职称证书复印件", 0, &t);
    rc = teachers_step(c, p, a, id, "certify", NULL, 3, &t);
    if (rc != DB_OK || kind == 3) return rc;                         /* certified, not yet filed */
    rc = teachers_step(c, p, a, id, "file", NULL, 0, &t);
    if (rc == DB_OK && kind >= 8) rc = teachers_step(c, p, a, id, "city_pool", NULL, 0, &t);
    return rc;
}

static int add_teachers(db *c, const principal *p, arena *a, int64_t *filed, int *nfiled, int max_filed)
{
    /* district, its area code (Chongqing's 500100 for a zone: every district code starts 500),
     * point */
    int64_t rows[400][3];
    int nrows = demo_rows(c, "SELECT d.id, CASE WHEN d.code LIKE '500%' THEN CAST(d.code AS INTEGER) ELSE 500100 END, "
                             "pt.id FROM orgs d JOIN orgs pt ON pt.type = 'point' AND pt.path >= d.path "
                             "AND pt.path < substr(d.path, 1, length(d.path) - 1) || '0' "
                             "WHERE d.type = 'district' ORDER BY d.id, pt.id", 0, 3, rows[0], 400), rc;
    if (nrows < 0) return DB_ERR;
    int n = 0, per_district = 0;
    for (int i = 0; i < nrows; i++) {
        per_district = i && rows[i][0] == rows[i - 1][0] ? per_district + 1 : 0;
        if (per_district >= 3) continue;                            /* three teachers a district */
        char phone[24];
        const char *idn = make_id(a, rows[i][1], n);
        snprintf(phone, sizeof phone, "139%08d", 10000000 + n * 7919 % 89999999);
        size_t k = (size_t)n % (sizeof profiles / sizeof *profiles);
        teacher in = {.org_id = rows[i][2], .name = names[n % 20], .unit = profiles[k].unit,
                      .title = profiles[k].title, .specialties = profiles[k].specialties, .topics = profiles[k].topics,
                      .id_number = idn, .phone = phone, .gender = (idn[16] - '0') % 2 ? "male" : "female"};
        teacher out;
        rc = teachers_create(c, p, a, &in, &out);
        if (rc == DB_OK) rc = walk(c, p, a, out.id, n);
        if (rc != DB_OK) return rc;
        if (n % 10 >= 4 && *nfiled < max_filed) filed[(*nfiled)++] = out.id;
        n++;
    }
    return DB_OK;
}

int demo_step_teachers(db *c, const demo_context *x)
{
    int year = x->year;
    arena a;
    arena_init(&a);
    principal p = demo_principal_unscoped();
    int64_t filed[64];
    int nfiled = 0;
    int rc = add_teachers(c, &p, &a, filed, &nfiled, 64);
    selection sel;
    /* last year: a nomination from each of the first districts, decided by the city */
    for (int i = 0; rc == DB_OK && i < nfiled && i < 10; i++) {
        selection in = {.year = year - 1, .teacher_id = filed[i], .reason = "全年授课 30 余次，居民评价好，课程贴近生活"};
        rc = selections_nominate(c, &p, &a, &in, &sel);
        if (rc == DB_OK)
            rc = selections_decide(c, &p, &a, sel.id, i % 4 != 3, i % 4 != 3 ? "评审通过" : "授课记录不足", &sel);
    }
    /* this year: nominated, waiting for the city */
    for (int i = 10; rc == DB_OK && i < nfiled && i < 16; i++) {
        selection in = {.year = year, .teacher_id = filed[i], .reason = "深入社区开展防诈骗、健康讲座，反响热烈"};
        rc = selections_nominate(c, &p, &a, &in, &sel);
    }
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
