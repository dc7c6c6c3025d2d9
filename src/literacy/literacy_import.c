/* literacy_import.c - literacy survey rows from Excel (io/import.h): GET
 * /literacy/surveys/import/template.xlsx gives the columns; POST /literacy/surveys/import?org_id=
 * &commit= takes the filled workbook. Each row names its year, its unit (a node in the subtree of
 * org_id by name; empty: org_id itself), the group by its Chinese labels and the rate; every
 * problem of every row is reported (the rate, the group, a row twice in the file, a node that
 * already has the row, an ancestor's or descendant's row that would count twice). Without commit
 * nothing is written; with commit=1 the valid rows are entered in one transaction. */
#include "literacy/literacy.h"
#include "io/import.h"
#include "model/entity.h"
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dim_labels[] = {"全体", "年龄", "性别", "城乡", "文化程度", "职业", NULL};
static const xlsx_import_col cols[] = {
    {"年度", "调查年度", true, false, NULL, "2000-2100", "2025"},
    {"单位", "单位名称", false, false, NULL, "所选单位或其下级单位的名称；不填为所选单位", "甲区"},
    {"人群维度", "维度", true, false, dim_labels, "全体、年龄、性别、城乡、文化程度、职业", "性别"},
    {"人群", "人群分组", false, false, NULL,
     "全体不填；年龄 18-29岁…60-69岁；性别 男/女；城乡 城镇/农村；文化程度 小学及以下/初中/高中（中专）/大学专科/大学本科及以上；"
     "职业 单位负责人/专业技术人员/办事人员/商业及服务业人员/农业生产人员/生产制造及有关人员/其他", "女"},
    {"具备科学素质比例(%)", "比例|具备科学素质比例", true, false, NULL, "0-100 的百分数，至多两位小数", "14.37"},
    {"样本量", NULL, false, false, NULL, "整数，可不填", "1200"},
    {"代表人口", "人口", false, false, NULL, "整数；全体不填时取单位的常住人口，分组必填", "260000"},
    {"数据来源", "来源", false, false, NULL, "至多 100 字", "2025 年公民科学素质抽样调查"},
    {"备注", NULL, false, false, NULL, "至多 500 字", ""},
};
enum { COL_YEAR, COL_UNIT, COL_DIM, COL_GROUP, COL_RATE, COL_SAMPLE, COL_POP, COL_SOURCE, COL_NOTE, NCOLS };

static void handle_template(request *r)
{
    xlsx_import_template(r, "科学素质调查", cols, NCOLS, "科学素质调查导入模板.xlsx");
}

/* A whole number 0..max: "" is 0; Excel may write 1200 as "1200" or "1200.0". */
static bool parse_count(const char *text, int64_t max, int64_t *out)
{
    *out = 0;
    if (!*text) return true;
    char *end;
    double v = strtod(text, &end);
    if (*end || !(v >= 0 && v <= (double)max) || v != (double)(int64_t)v) return false;
    *out = (int64_t)v;
    return true;
}

/* The rate cell: "14.37", "14.37%", or a number Excel stored as 14.369999999999999. */
static bool parse_rate(const char *text, int64_t *bp)
{
    char buf[40];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, text, n + 1);
    if (buf[n - 1] == '%') buf[--n] = 0;
    if (literacy_rate_bp(buf, bp)) return true;
    for (size_t i = 0; i < n; i++)
        if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.')) return false;
    char *end;
    double x = strtod(buf, &end) * 100;
    if (*end || !(x >= 0 && x <= 10000)) return false;
    int64_t r = (int64_t)(x + 0.5);
    if (x - (double)r > 1e-6 || (double)r - x > 1e-6) return false;   /* 14.375 is refused, not rounded */
    *bp = r;
    return true;
}

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    literacy_survey s;         /* the row last checked */
};

static const char *cell(const struct import_state *st, const xlsx_import *im, int row, int i)
{
    return st->base.col[i] >= 0 ? xlsx_cell(im->sheet, row, st->base.col[i]) : "";
}

/* The unit by name in the subtree of the chosen one, within the caller's scope; 0 when none or
 * more than one has the name. */
static int find_unit(db *c, struct import_state *st, const char *name, int64_t *id)
{
    request *r = st->base.r;
    qb q;
    qb_init(&q, "SELECT id FROM orgs WHERE name = ?");
    qb_text(&q, name);
    qb_subtree(&q, &r->arena, "path", st->base.org_path);
    scope_filter(&r->principal->scope, &q, "path");
    qb_sql(&q, " LIMIT 2");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc, n = 0;
    *id = 0;
    while ((rc = db_step(s)) == DB_ROW) *id = db_col_int(s, 0), n++;
    db_finish(s);
    if (n != 1) *id = 0;
    return rc == DB_DONE ? DB_OK : rc;
}

/* The group from its labels: the dimension's, then the group's within it. */
static void read_group(xlsx_import *im, literacy_survey *s, const char *dim, const char *group)
{
    s->group_dim = NULL;
    for (int i = 0; dim_labels[i]; i++)
        if (!strcmp(dim, dim_labels[i]) || !strcmp(dim, literacy_dims[i])) s->group_dim = literacy_dims[i];
    if (!s->group_dim) {
        xlsx_import_error(im, "group_dim", "人群维度应为 全体、年龄、性别、城乡、文化程度 或 职业 / unknown dimension");
        return;
    }
    const char *want = !strcmp(s->group_dim, "all") && (!*group || !strcmp(group, "全体")) ? "" : group;
    for (const literacy_group *g = literacy_groups; g->dim; g++)
        if (!strcmp(g->dim, s->group_dim) && (!strcmp(g->label, want) || !strcmp(g->value, want))) {
            s->group_value = g->value;
            return;
        }
    xlsx_import_error(im, "group_value", "该维度下没有这个人群，请按模板填写 / no such group in that dimension");
}

/* The no-double-counting rule among the file's own rows: whether an earlier valid row of the
 * same year and group sits at an ancestor or a descendant of path (each row alone may pass against
 * the database, and the commit would then stop at the second). A valid row remembers its own
 * path ("own|") and each of its ancestors' ("under|"): a later row looks up its ancestors among
 * the first and its own path among the second, one look-up a level. */
static bool overlaps_earlier_row(xlsx_import *im, const literacy_survey *s, const char *path)
{
    char group[64], key[256];
    snprintf(group, sizeof group, "%lld|%s|%s|", (long long)s->year, s->group_dim, s->group_value);
    snprintf(key, sizeof key, "under|%s%s", group, path);
    bool hit = xlsx_import_seen(im, key);
    for (size_t i = 1; path[i]; i++) {
        if (path[i] != '/' || !path[i + 1]) continue;   /* each proper prefix ending in '/' */
        snprintf(key, sizeof key, "own|%s%.*s", group, (int)(i + 1), path);
        hit |= xlsx_import_seen(im, key);
    }
    if (hit) return true;
    snprintf(key, sizeof key, "own|%s%s", group, path);
    xlsx_import_repeated(im, key);
    for (size_t i = 1; path[i]; i++) {
        if (path[i] != '/' || !path[i + 1]) continue;
        snprintf(key, sizeof key, "under|%s%.*s", group, (int)(i + 1), path);
        xlsx_import_repeated(im, key);
    }
    return false;
}

static int check_row(db *c, xlsx_import *im, int row)
{
    struct import_state *st = im->cls;
    literacy_survey *s = &st->s;
    memset(s, 0, sizeof *s);
    const char *year = cell(st, im, row, COL_YEAR), *unit = cell(st, im, row, COL_UNIT), *dim = cell(st, im, row, COL_DIM);
    const char *group = cell(st, im, row, COL_GROUP), *rate = cell(st, im, row, COL_RATE);
    if (!*year && !*unit && !*dim && !*group && !*rate) return XLSX_IMPORT_BLANK;
    if (!parse_count(year, 2100, &s->year) || s->year < 2000)
        xlsx_import_error(im, "year", "年度应为 2000 至 2100 的整数 / year must be 2000..2100");
    s->org_id = st->base.org_id;
    int rc = *unit ? find_unit(c, st, unit, &s->org_id) : DB_OK;
    if (rc != DB_OK) return rc;
    if (!s->org_id) xlsx_import_error(im, "org_id", "单位不在所选单位之下或名称重复 / no single node of that name under the chosen one");
    read_group(im, s, dim, group);
    if (!parse_rate(rate, &s->rate_bp))
        xlsx_import_error(im, "literate_rate", "比例应为 0 至 100、至多两位小数 / a percentage 0..100 with at most 2 decimals");
    if (!parse_count(cell(st, im, row, COL_SAMPLE), 10000000, &s->sample_size))
        xlsx_import_error(im, "sample_size", "样本量应为非负整数 / sample size must be a whole number");
    if (!parse_count(cell(st, im, row, COL_POP), 100000000, &s->weight_population))
        xlsx_import_error(im, "weight_population", "代表人口应为非负整数 / population must be a whole number");
    s->source = *cell(st, im, row, COL_SOURCE) ? cell(st, im, row, COL_SOURCE) : NULL;
    s->note = *cell(st, im, row, COL_NOTE) ? cell(st, im, row, COL_NOTE) : NULL;
    if ((s->source && strlen(s->source) > 300) || (s->note && strlen(s->note) > 1500))
        xlsx_import_error(im, "note", "数据来源至多 100 字、备注至多 500 字 / source or note too long");
    char key[96];
    snprintf(key, sizeof key, "%lld|%lld|%s|%s", (long long)s->year, (long long)s->org_id, s->group_dim ? s->group_dim : "",
             s->group_value ? s->group_value : "");
    if (xlsx_import_repeated(im, key))
        xlsx_import_error(im, "group_value", "与文件中前面的行重复（同年度、单位、人群） / the same year, node and group is on an earlier row");
    if (xlsx_import_row_bad(im)) return DB_OK;
    /* the rules of an entry, without writing: the node, a row already there, one that would count twice */
    const char *path = NULL;
    rc = literacy_entry_problem(c, st->base.r->principal, &st->base.r->arena, s, &path);
    if (rc == LIT_ORG_NOT_FOUND) xlsx_import_error(im, "org_id", "单位不存在或不在权限范围内 / node not found");
    else if (rc == LIT_DUPLICATE)
        xlsx_import_error(im, "group_value", "该单位本年度已有此人群的数据 / the node already has a row of that year and group");
    else if (rc == LIT_OVERLAP)
        xlsx_import_error(im, "org_id", "上级或下级单位已有同年度同人群的数据 / an ancestor or descendant already has that row");
    else if (rc == LIT_NO_POPULATION)
        xlsx_import_error(im, "weight_population", "单位未填写常住人口，请填写代表人口 / the node has no population: fill it in");
    else if (rc != DB_OK) return rc;
    else if (overlaps_earlier_row(im, s, path))
        xlsx_import_error(im, "org_id", "与文件中前面一行的上级或下级单位同年度同人群，汇总会重复计算 / an earlier row of the file "
                                        "has that year and group at an ancestor or descendant of this node");
    return DB_OK;
}

static int write_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    return literacy_create(c, st->base.r->principal, &st->base.r->arena, &st->s, NULL);
}

static const xlsx_import_spec survey_import = {
    .org_message = "请选择单位 / choose the node",
    .org_not_found = LIT_ORG_NOT_FOUND,
    .cols = cols, .ncols = NCOLS,
    .missing_message = "缺少“年度”“人群维度”或“具备科学素质比例(%)”列，请使用导入模板 / the year, dimension or rate column is missing",
    .state_size = sizeof(struct import_state),
    .check = check_row, .write = write_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/literacy/surveys/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "The literacy survey import template"},
    {"POST", "/api/v1/literacy/surveys/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import literacy survey rows from the filled template: dry run or commit", .entity = &literacy_survey_entity, .cls = &survey_import},
    {0},
};

void literacy_import_register_routes(void) { router_add_table(import_routes); }
