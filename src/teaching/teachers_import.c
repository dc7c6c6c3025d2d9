/* teachers_import.c - the teacher pool (师资库) from an Excel file: GET /teachers/import/template.xlsx
 * gives the columns of the teacher form; POST /teachers/import?org_id=&commit= takes the filled
 * workbook and answers, row by row, every problem (name, ID number, phone, gender, unit, title,
 * specialties, topics, an ID number twice in the file or already in the pool). Without commit
 * nothing is written (the dry run); with commit=1 the valid rows become draft teachers of the unit
 * org_id in one transaction, through teachers_create (scope, uniqueness, chain step and audit as
 * for one record). Messages name the column, never the number. Runner: io/import.h. */
#include "teaching/teacher_internal.h"
#include "core/validate.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/import.h"
#include "model/entity.h"
#include <string.h>

static const char *const genders[] = {"男", "女", NULL};
static const xlsx_import_col cols[] = {
    {"姓名", "教师姓名", true, false, NULL, "1-50 字", "王老师"},
    {"身份证号", NULL, true, true, NULL, "18 位，不可与师资库中已有的教师重复", "11010519491231002X"},
    {"手机号", "联系电话", false, true, NULL, "11 位大陆手机号", "13800000000"},
    {"性别", NULL, false, false, genders, "男 或 女，不填按身份证号", "女"},
    {"工作单位", "单位", false, false, NULL, "至多 100 字", "区人民医院"},
    {"职称", "职务", false, false, NULL, "至多 50 字", "主任医师"},
    {"专业特长", "特长|专业", false, false, NULL, "用顿号或逗号分隔，每项 1-30 字，至多 20 项", "营养学、急救"},
    {"授课主题", "主题|课程", false, false, NULL, "用顿号或逗号分隔，每项 1-30 字，至多 20 项", "老年健康、防诈骗"},
};
enum { COL_NAME, COL_ID, COL_PHONE, COL_GENDER, COL_UNIT, COL_TITLE, COL_SPECIALTIES, COL_TOPICS, NCOLS };

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    teacher t;                 /* the row last checked */
};

static const char *cell(const xlsx_import *im, int row, const int *col, int which)
{
    return col[which] >= 0 ? xlsx_cell(im->sheet, row, col[which]) : "";
}

/* The limit the teacher's field table declares (the same as creating one teacher). */
static size_t max_of(const char *name) { return (size_t)entity_field(&teacher_entity, name)->max; }

/* An optional text column: at most the field's characters, nothing invisible; NULL when empty. */
static const char *text_cell(xlsx_import *im, int row, const int *col, int which, const char *name)
{
    const char *v = cell(im, row, col, which);
    if (utf8_chars(v) > max_of(name) || has_invisible_controls(v))
        xlsx_import_error(im, name, "文字过长或含不可见字符 / too long or holds invisible characters");
    return *v ? v : NULL;
}

/* A list column: items of 1-30 characters, at most 20 (the field table's limits). */
static const char *list_cell(xlsx_import *im, int row, const int *col, int which, const char *name)
{
    const field *f = entity_field(&teacher_entity, name);
    const char *v = xlsx_import_list(&((struct import_state *)im->cls)->base.r->arena, cell(im, row, col, which), NULL, 0,
                                     f->item_chars, (int)f->max);
    if (!v) xlsx_import_error(im, name, "每项 1-30 字、至多 20 项 / items of 1 to 30 characters, at most 20");
    return v;
}

/* A cell may hold 32,767 characters: only a length that can be an ID number is copied
 * (check_id_number upper-cases it into the arena); a longer one fails as it is. */
static const char *id_problem(arena *a, const char **id)
{
    const char *none = "";
    return check_id_number(a, strlen(*id) <= 18 ? id : &none);
}

/* Reads row `row` into st->t, reporting every problem of it; then an ID number earlier in the
 * file or already in the pool. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    struct import_state *st = im->cls;
    teacher *t = &st->t;
    const int *col = st->base.col;
    bool blank = true;
    for (int i = 0; i < NCOLS && blank; i++) blank = !*cell(im, row, col, i);
    if (blank) return XLSX_IMPORT_BLANK;
    memset(t, 0, sizeof *t);
    t->org_id = st->base.org_id;
    t->name = cell(im, row, col, COL_NAME);
    t->id_number = cell(im, row, col, COL_ID);
    const char *phone = cell(im, row, col, COL_PHONE), *gender = cell(im, row, col, COL_GENDER);
    const char *why = id_problem(&st->base.r->arena, &t->id_number);
    if (!valid_name(t->name, max_of("name"))) xlsx_import_error(im, "name", "姓名为空或过长 / name missing or too long");
    if (why) xlsx_import_error(im, "id_number", why);
    if (*phone && check_phone(&st->base.r->arena, &phone))
        xlsx_import_error(im, "phone", "手机号不是 11 位大陆手机号 / not a mainland mobile number");
    t->phone = *phone ? phone : NULL;
    t->gender = !strcmp(gender, "男") ? "male" : !strcmp(gender, "女") ? "female" : NULL;
    if (*gender && !t->gender) xlsx_import_error(im, "gender", "性别应为 男 或 女 / gender must be 男 or 女");
    t->unit = text_cell(im, row, col, COL_UNIT, "unit");
    t->title = text_cell(im, row, col, COL_TITLE, "title");
    t->specialties = list_cell(im, row, col, COL_SPECIALTIES, "specialties");
    t->topics = list_cell(im, row, col, COL_TOPICS, "topics");
    /* the body's rules of a new teacher (the gender the ID number says when none is given) */
    if (!why) teacher_input(st->base.r, t, true);
    if (xlsx_import_repeated(im, why ? NULL : t->id_number))
        xlsx_import_error(im, "id_number", "与文件中前面的行身份证号重复 / the same ID number is on an earlier row");
    if (why) return DB_OK;
    bool taken = false;
    int rc = teachers_id_taken(c, &st->base.r->arena, t->id_number, &taken);
    if (rc != DB_OK) return rc;
    if (taken) xlsx_import_error(im, "id_number", "该身份证号已在师资库中 / this ID number is already in the pool");
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    teacher out;
    return teachers_create(c, st->base.r->principal, &st->base.r->arena, &st->t, &out);
}

static void handle_template(request *r)
{
    xlsx_import_template(r, "师资库", cols, NCOLS, "师资库导入模板.xlsx");
}

static const xlsx_import_spec teacher_import = {
    .org_message = "请选择所属单位 / choose the unit keeping the records",
    .org_not_found = TCH_ORG_NOT_FOUND,
    .cols = cols, .ncols = NCOLS,
    .missing_message = "缺少“姓名”或“身份证号”列，请使用导入模板 / the name or ID number column is missing",
    .state_size = sizeof(struct import_state),
    .check = check_import_row, .write = write_import_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/teachers/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "Excel template for importing teachers (师资库导入模板)"},
    {"POST", "/api/v1/teachers/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import teachers from the filled template (师资导入): dry run or commit", .entity = &teacher_entity, .cls = &teacher_import},
    {0},
};

void teachers_import_register_routes(void) { router_add_table(import_routes); }
