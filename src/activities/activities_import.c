/* activities_import.c - the activity register from an Excel file (most of a district's reporting
 * arrives as sheets): GET /activities/import/template.xlsx gives the columns (the kinds' drop-down
 * read from the dictionary); POST /activities/import?org_id=&commit= takes the filled workbook and
 * answers, row by row, every problem (title, kind, dates, audience, counts, tags). Without commit
 * nothing is written (the dry run); with commit=1 the valid rows are recorded for the organizing
 * unit org_id in one transaction, through activities_create (roll-ups and audit as for one
 * record). Runner: io/import.h. */
#include "activities/activities.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/import.h"
#include "model/entity.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The national audiences (migration 005), label and code. */
static const char *const audiences[][2] = {{"青少年", "youth"},   {"农民", "farmers"},
                                           {"城镇劳动者", "workers"}, {"老年人", "elderly"},
                                           {"领导干部和公务员", "officials"}, {"社会公众", "public"}};
static const char *const audience_labels[] = {"青少年", "农民", "城镇劳动者", "老年人", "领导干部和公务员", "社会公众", NULL};

enum { COL_TITLE, COL_KIND, COL_START, COL_END, COL_PLACE, COL_AUDIENCE, COL_COUNTS,
       NCOUNTS = 7, COL_TAGS = COL_COUNTS + NCOUNTS, COL_CO, COL_DESC, NCOLS };
/* The count columns in order, from participants (M_ACTIVITIES is the record itself). */
static const char *const count_fields[NCOUNTS] = {"participants", "materials", "videos", "views",
                                                  "volunteers", "volunteer_hours", "funds"};
#define MAX_COUNT 100000000.0

static const xlsx_import_col base_cols[NCOLS] = {
    {"活动名称", "名称|活动主题|活动标题", true, false, NULL, "1-200 字", "社区科普讲座"},
    {"活动类型", "类型", true, false, NULL, "从下拉列表中选择（活动类型字典）", "科普讲座"},
    {"开始日期", "活动日期|日期", true, false, NULL, "日期，如 2026-03-01", "2026-03-01"},
    {"结束日期", NULL, false, false, NULL, "不填同开始日期，不得早于开始日期", "2026-03-01"},
    {"地点", "活动地点", false, false, NULL, "至多 200 字", "社区活动中心"},
    {"活动对象", "对象|受众", false, false, audience_labels, "从下拉列表中选择", "老年人"},
    {"参与人数", "参加人数|受众人数", true, false, NULL, "整数", "120"},
    {"发放资料", "发放资料(份)", false, false, NULL, "整数，不填为 0", "300"},
    {"短视频", "短视频(条)", false, false, NULL, "整数", "0"},
    {"线上观看", "线上观看(人次)", false, false, NULL, "整数", "0"},
    {"志愿者人数", NULL, false, false, NULL, "整数", "5"},
    {"志愿服务时长", "志愿服务时长(小时)", false, false, NULL, "整数（小时）", "10"},
    {"经费(元)", "经费", false, false, NULL, "整数（元）", "2000"},
    {"标签", NULL, false, false, NULL, "用顿号分隔，至多 10 个，每个至多 20 字", "健康、防诈骗"},
    {"协办单位", "共同主办单位", false, false, NULL, "至多 200 字", ""},
    {"活动简介", "简介|活动内容", false, false, NULL, "至多 2000 字", ""},
};

/* The active kinds (code, name), read once a request; names NULL-terminated for the drop-down. */
typedef struct kinds {
    int n;
    const char **code, **name;
} kinds;

static int load_kinds(db *c, arena *a, kinds *k)
{
    memset(k, 0, sizeof *k);
    db_stmt *s = db_prepare(c, "SELECT code, name FROM activity_kinds WHERE active = 1 ORDER BY sort, code");
    if (!s) return DB_ERR;
    int cap = 0, rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (k->n + 1 >= cap) {
            cap = cap ? cap * 2 : 32;
            const char **code = arena_alloc(a, sizeof *code * (size_t)cap), **name = arena_alloc(a, sizeof *name * (size_t)cap);
            if (!code || !name) { db_finish(s); return DB_ERR; }
            if (k->n) memcpy(code, k->code, sizeof *code * (size_t)k->n), memcpy(name, k->name, sizeof *name * (size_t)k->n);
            k->code = code, k->name = name;
        }
        k->code[k->n] = arena_strdup(a, db_col_text(s, 0));
        k->name[k->n++] = arena_strdup(a, db_col_text(s, 1));
    }
    db_finish(s);
    if (rc != DB_DONE) return DB_ERR;
    if (k->name) k->name[k->n] = NULL;
    return DB_OK;
}

static const char *kind_code(const kinds *k, const char *text)
{
    for (int i = 0; i < k->n; i++)
        if (!strcmp(text, k->name[i]) || !strcmp(text, k->code[i])) return k->code[i];
    return NULL;
}

/* Days since 1970-01-01 -> y, m, d (the civil calendar, H. Hinnant's algorithm). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A date cell as YYYY-MM-DD in out: an Excel date (a serial number of days), 2026-03-01,
 * 2026/3/1, 2026.3.1 or 2026年3月1日. False when it is none of these or no real day. */
static bool parse_day(const char *text, char out[11])
{
    char *end;
    double serial = strtod(text, &end);
    int y, m, d;
    if (*text && !*end) {
        /* 1900-03-01 .. 2199: Excel counts days from 1899-12-30 (its 1900 leap-year bug included) */
        if (!(serial >= 61 && serial <= 109575) || serial != (double)(long)serial) return false;
        civil_from_days((long)serial - 25569, &y, &m, &d);
    } else {
        char sep1[8] = "", sep2[8] = "", rest[8] = "";
        int n = sscanf(text, "%4d%7[-/.年]%2d%7[-/.月]%2d%7s", &y, sep1, &m, sep2, &d, rest);
        if (n < 5 || (n == 6 && strcmp(rest, "日") != 0)) return false;
    }
    if (y < 1900 || y > 2199) return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return day_valid(out);
}

/* A count cell: "" is 0 (a required one is the caller's error), else a whole number 0..1e8. */
static bool parse_count(const char *text, int64_t *out)
{
    *out = 0;
    if (!*text) return true;
    char *end;
    double v = strtod(text, &end);
    if (*end || !(v >= 0 && v <= MAX_COUNT) || v != (double)(int64_t)v) return false;
    *out = (int64_t)v;
    return true;
}

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    kinds kinds;
    activity x;                /* the row last checked */
    char start[11], end[11];
};

static const char *cell(const xlsx_import *im, int row, const int *col, int which)
{
    return col[which] >= 0 ? xlsx_cell(im->sheet, row, col[which]) : "";
}

static bool blank_row(const xlsx_import *im, int row, const int *col)
{
    for (int i = 0; i < NCOLS; i++)
        if (*cell(im, row, col, i)) return false;
    return true;
}

/* The optional text columns: at most max characters. */
static const char *text_cell(xlsx_import *im, int row, const int *col, int which, const char *name, size_t max)
{
    const char *v = cell(im, row, col, which);
    if (utf8_chars(v) > max || has_invisible_controls(v))
        xlsx_import_error(im, name, "文字过长或含不可见字符 / too long or holds invisible characters");
    return *v ? v : NULL;
}

static void check_counts(xlsx_import *im, int row, const int *col, activity *x)
{
    for (int i = 0; i < NCOUNTS; i++) {
        const char *v = cell(im, row, col, COL_COUNTS + i);
        if (!parse_count(v, &x->counts.v[M_PARTICIPANTS + i]))
            xlsx_import_error(im, count_fields[i], "应为 0 到 1 亿之间的整数 / a whole number from 0 to 100,000,000");
        else if (i == 0 && !*v)
            xlsx_import_error(im, count_fields[i], "参与人数必填 / participants is required");
    }
}

/* Reads row `row` into st->x, reporting every problem of it. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    (void)c;
    struct import_state *st = im->cls;
    activity *x = &st->x;
    const int *col = st->base.col;
    if (blank_row(im, row, col)) return XLSX_IMPORT_BLANK;
    memset(x, 0, sizeof *x);
    x->org_id = st->base.org_id;
    x->counts.v[M_ACTIVITIES] = 1;
    x->title = cell(im, row, col, COL_TITLE);
    if (!valid_name(x->title, 200)) xlsx_import_error(im, "title", "活动名称为空或过长 / title missing or too long");
    const char *kind = cell(im, row, col, COL_KIND);
    if (!(x->kind = kind_code(&st->kinds, kind)))
        xlsx_import_error(im, "kind", "活动类型不在活动类型字典中 / not a kind of the dictionary");
    const char *start = cell(im, row, col, COL_START), *end = cell(im, row, col, COL_END);
    bool start_ok = parse_day(start, st->start), end_ok = !*end || parse_day(end, st->end);
    if (!start_ok) xlsx_import_error(im, "start_date", "开始日期不是有效日期 / start_date is not a date");
    if (!end_ok) xlsx_import_error(im, "end_date", "结束日期不是有效日期 / end_date is not a date");
    x->start_date = st->start;
    x->end_date = *end ? st->end : st->start;
    if (start_ok && end_ok && strcmp(x->end_date, x->start_date) < 0)
        xlsx_import_error(im, "end_date", "结束日期不能早于开始日期 / end_date is before start_date");
    x->place = text_cell(im, row, col, COL_PLACE, "place", 200);
    const char *aud = cell(im, row, col, COL_AUDIENCE);
    for (size_t i = 0; *aud && i < sizeof audiences / sizeof *audiences; i++)
        if (!strcmp(aud, audiences[i][0]) || !strcmp(aud, audiences[i][1])) x->audience = audiences[i][1];
    if (*aud && !x->audience) xlsx_import_error(im, "audience", "活动对象不在模板的选项中 / unknown audience");
    check_counts(im, row, col, x);
    const char *tags = cell(im, row, col, COL_TAGS);
    x->tags = xlsx_import_list(&st->base.r->arena, tags, NULL, 0, 20, 10);
    if (!x->tags) xlsx_import_error(im, "tags", "标签至多 10 个，每个 1-20 字 / at most 10 tags of 1 to 20 characters");
    x->co_organizers = text_cell(im, row, col, COL_CO, "co_organizers", 200);
    x->description = text_cell(im, row, col, COL_DESC, "description", 2000);
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    activity out;
    return activities_create(c, st->base.r->principal, &st->base.r->arena, &st->x, &out);
}

static void handle_template(request *r)
{
    db *c = db_thread();
    kinds k;
    if (!c || load_kinds(c, &r->arena, &k) != DB_OK) { reply_db_error(r); return; }
    xlsx_import_col cols[NCOLS];
    memcpy(cols, base_cols, sizeof cols);
    cols[COL_KIND].choices = k.name;
    xlsx_import_template(r, "活动登记", cols, NCOLS, "活动登记导入模板.xlsx");
}

/* The kinds, read once for every row's check. */
static int prepare_import(db *c, void *state)
{
    struct import_state *st = state;
    return load_kinds(c, &st->base.r->arena, &st->kinds);
}

static const xlsx_import_spec activity_import = {
    .org_message = "请选择组织单位 / choose the organizing unit",
    .org_not_found = ACT_ORG_NOT_FOUND,
    .cols = base_cols, .ncols = NCOLS,
    .missing_message = "缺少“活动名称”“活动类型”“开始日期”或“参与人数”列，请使用导入模板 / the title, kind, start date or participants column is missing",
    .state_size = sizeof(struct import_state),
    .prepare = prepare_import, .check = check_import_row, .write = write_import_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/activities/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "Excel template for importing activities (活动登记导入模板)"},
    {"POST", "/api/v1/activities/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import activities from the filled template (活动导入): dry run or commit", .entity = &activity_entity, .cls = &activity_import},
    {0},
};

void activities_import_register_routes(void) { router_add_table(import_routes); }
