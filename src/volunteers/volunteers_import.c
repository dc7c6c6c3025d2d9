/* volunteers_import.c - volunteers from an Excel file: GET /volunteers/import/template.xlsx gives
 * the columns; POST /volunteers/import?org_id=&commit= takes the filled workbook (raw bytes, as
 * every upload) and answers, row by row, what is wrong (name, ID check digit or birth date,
 * phone, gender, availability, an ID number twice in the file or already a volunteer). Without
 * commit nothing is written (the dry run); with commit=1 the valid rows are registered in one
 * transaction and the others reported as skipped. Messages name the column, never the number. */
#include "volunteers/volunteers_internal.h"
#include "core/validate.h"
#include "io/import.h"
#include "model/entity.h"
#include "http/body.h"
#include "core/jsonw.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

static const char *const genders[] = {"男", "女", NULL};
static const xlsx_import_col cols[] = {
    {"姓名", "志愿者姓名", true, false, NULL, "1-50 字", "张三"},
    {"身份证号", NULL, true, true, NULL, "18 位，不可与已注册的志愿者重复", "11010519491231002X"},
    {"手机号", "联系电话", true, true, NULL, "11 位大陆手机号", "13800000000"},
    {"性别", NULL, false, false, genders, "男 或 女，不填按身份证号", "女"},
    {"技能特长", "技能|特长", false, false, NULL, "用顿号或逗号分隔，每项 1-30 字，至多 20 项", "科普讲解、急救"},
    {"服务领域", "领域", false, false, NULL, "用顿号或逗号分隔", "应急科普、健康"},
    {"服务时间", "可服务时间", false, false, NULL, "工作日、周末、晚上、节假日 中的一项或几项，用顿号分隔", "周末、晚上"},
};
enum { COL_NAME, COL_ID, COL_PHONE, COL_GENDER, COL_SKILLS, COL_FIELDS, COL_AVAIL, NCOLS };

static void handle_template(request *r)
{
    xlsx_import_template(r, "科技志愿者", cols, NCOLS, "科技志愿者导入模板.xlsx");
}

/* A cell may hold 32,767 characters, the same one on every row: only a length that can be an ID
 * number is copied (check_id_number upper-cases it into the arena); a longer one fails as it is. */
static const char *id_problem(arena *a, const char **id)
{
    const char *none = "";
    return check_id_number(a, strlen(*id) <= 18 ? id : &none);
}

static void check_row(request *r, xlsx_import *im, int row, const int col[NCOLS], int64_t org_id, volunteer *v)
{
    static const char *const avail[][2] = {{"工作日", "weekdays"}, {"周末", "weekends"}, {"晚上", "evenings"},
                                          {"节假日", "holidays"}};
    const xlsx_sheet *sh = im->sheet;
    memset(v, 0, sizeof *v);
    v->org_id = org_id;
    v->status = "active";
    v->name = xlsx_cell(sh, row, col[COL_NAME]);
    v->id_number = xlsx_cell(sh, row, col[COL_ID]);
    v->phone = xlsx_cell(sh, row, col[COL_PHONE]);
    if (!*v->name && !*v->id_number && !*v->phone) return;   /* blank: the caller skips it */
    const char *why = id_problem(&r->arena, &v->id_number);
    const char *gender = col[COL_GENDER] >= 0 ? xlsx_cell(sh, row, col[COL_GENDER]) : "";
    v->skills = xlsx_import_list(&r->arena, col[COL_SKILLS] >= 0 ? xlsx_cell(sh, row, col[COL_SKILLS]) : "", NULL, 0, 30, 20);
    v->fields = xlsx_import_list(&r->arena, col[COL_FIELDS] >= 0 ? xlsx_cell(sh, row, col[COL_FIELDS]) : "", NULL, 0, 30, 20);
    v->availability = xlsx_import_list(&r->arena, col[COL_AVAIL] >= 0 ? xlsx_cell(sh, row, col[COL_AVAIL]) : "", avail, 4, 30, 20);
    v->gender = !strcmp(gender, "男") ? "male" : !strcmp(gender, "女") ? "female" : NULL;
    if (!valid_name(v->name, 50)) xlsx_import_error(im, "name", "姓名为空或过长 / name missing or too long");
    if (why) xlsx_import_error(im, "id_number", why);
    if (!valid_phone(v->phone)) xlsx_import_error(im, "phone", "手机号不是 11 位大陆手机号 / not a mainland mobile number");
    if (*gender && !v->gender) xlsx_import_error(im, "gender", "性别应为 男 或 女 / gender must be 男 or 女");
    if (!v->skills) xlsx_import_error(im, "skills", "技能每项 1-30 字、至多 20 项 / items of 1 to 30 characters, at most 20");
    if (!v->fields) xlsx_import_error(im, "fields", "服务领域每项 1-30 字、至多 20 项 / items of 1 to 30 characters, at most 20");
    if (!v->availability)
        xlsx_import_error(im, "availability", "服务时间应为 工作日、周末、晚上、节假日 / weekdays, weekends, evenings or holidays");
    if (!why && !v->gender) v->gender = vol_gender_of_id(v->id_number);
}

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    volunteer v;               /* the row last checked */
};

/* The row's own problems, then an ID number earlier in the file or already a volunteer. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    struct import_state *st = im->cls;
    volunteer *v = &st->v;
    check_row(st->base.r, im, row, st->base.col, st->base.org_id, v);
    if (!*v->name && !*v->id_number && !*v->phone) return XLSX_IMPORT_BLANK;
    if (xlsx_import_repeated(im, v->id_number))
        xlsx_import_error(im, "id_number", "与文件中前面的行身份证号重复 / the same ID number is on an earlier row");
    if (xlsx_import_row_bad(im)) return DB_OK;
    bool taken = false;
    int rc = volunteers_id_taken(c, &st->base.r->arena, v->id_number, 0, &taken);
    if (rc != DB_OK) return rc;
    if (taken) xlsx_import_error(im, "id_number", "该身份证号已注册为科技志愿者 / already a registered volunteer");
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    volunteer out;
    return volunteers_create(c, st->base.r->principal, &st->base.r->arena, &st->v, "import", &out);
}

static const xlsx_import_spec volunteer_import = {
    .org_message = "请选择注册单位 / choose the registering org",
    .org_not_found = VOL_ORG_NOT_FOUND,
    .cols = cols, .ncols = NCOLS,
    .missing_message = "缺少“姓名”“身份证号”或“手机号”列，请使用导入模板 / the name, ID number or phone column is missing",
    .state_size = sizeof(struct import_state),
    .check = check_import_row, .write = write_import_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/volunteers/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "The import template"},
    {"POST", "/api/v1/volunteers/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import volunteers from the filled template: dry run or commit", .entity = &volunteer_entity, .cls = &volunteer_import},
    {0},
};

void volunteers_import_register_routes(void) { router_add_table(import_routes); }
