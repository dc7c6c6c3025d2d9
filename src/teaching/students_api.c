/* students_api.c - HTTP handlers of students and their import (docs/api.md "Students and
 * check-in"). Personal numbers arrive in bodies (or the exact-phone filter) only, are validated
 * here and never echoed: error messages name the field, not the value. */
#include "teaching/students.h"
#include "core/pii.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "io/import.h"
#include "orgs/orgs.h"
#include <string.h>

bool student_input(request *r, void *rec, bool creating)
{
    const student *s = rec;
    if (creating || s->phone) return true;
    /* stored under another key: it cannot be kept, only replaced */
    reply_error(r, 422, "required", "phone", "请重新填写手机号 / please enter the phone again");
    return false;
}

/* The list's and the export's conditions from the query (the entity's filters and the exact
 * phone through its blind index: the number itself is never searched); false after a reply. */
static bool list_where(request *r, db *c, qb *where)
{
    const char *phone = req_query(r, "phone");
    if (phone && *phone && !valid_phone(phone)) {
        reply_error(r, 422, "invalid_field", "phone", "按手机号查找须输入完整的 11 位手机号 / the whole 11-digit number");
        return false;
    }
    if (!entity_request_where(r, c, &student_entity, where)) return false;
    if (phone && *phone) qb_sql(where, " AND s.phone_blind = ?"), qb_text(where, pii_blind(&r->arena, "phone", phone));
    return true;
}

static void handle_list(request *r)
{
    page pg;
    qb where;
    db *c = db_thread();
    if (query_page(r, &pg) && list_where(r, c, &where)) entity_reply_list(r, c, &student_entity, &where, NULL, &pg);
}

static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"教学点", 28}, {"姓名", 10}, {"性别", 6}, {"年龄段", 10}, {"手机号", 14},
                                    {"身份证号", 20}, {"科普信息员", 10}, {"状态", 8}, {"签到次数", 10}};
    qb where;
    db *c = db_thread();
    if (!list_where(r, c, &where)) return;
    xlsx *x = xlsx_open_table("学员", NULL, cols, 9);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    int rc = students_export(c, &where, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &student_entity, rc); return; }
    xlsx_reply(x, r, "学员名册.xlsx");
}

/* ---- students from an Excel file: GET /students/import/template.xlsx gives the
 * columns; POST /students/import?org_id=&commit= takes the filled workbook (raw bytes, as every
 * upload) and answers, row by row, what is wrong (bad phone, bad ID check digit or birth date,
 * a phone twice in the file or already a student of the point). Without commit nothing is
 * written (the dry run); with commit=1 the valid rows are enrolled in one transaction and the
 * others are reported as skipped. A file that is not a workbook, a zip bomb or a sheet without
 * the name and phone columns is refused whole. ---- */

static const char *const genders[] = {"男", "女", NULL};
static const char *const age_groups[] = {"18岁以下", "18-35岁", "36-59岁", "60-69岁", "70岁以上", NULL};
static const char *const yes_no[] = {"是", "否", NULL};
static const xlsx_import_col import_cols[] = {
    {"姓名", "学员姓名", true, false, NULL, "1-50 字", "张三"},
    {"手机号", "联系电话", true, true, NULL, "11 位大陆手机号，同一教学点不可重复", "13800000000"},
    {"性别", NULL, false, false, genders, "男 或 女", "女"},
    {"年龄段", NULL, false, false, age_groups, "从下拉列表中选择", "60-69岁"},
    {"身份证号", NULL, false, true, NULL, "18 位，可不填", "11010519491231002X"},
    {"科普信息员", "是否科普信息员|信息员", false, false, yes_no, "是/否（也可填 Y/N、TRUE/FALSE、1/0），不填为否", "否"},
};
enum { COL_NAME, COL_PHONE, COL_GENDER, COL_AGE, COL_ID, COL_INFORMANT, NCOLS };

static void handle_template(request *r)
{
    xlsx_import_template(r, "学员", import_cols, NCOLS, "学员导入模板.xlsx");
}

static const char *age_code(const char *text)
{
    static const char *const map[][2] = {{"18岁以下", "under18"}, {"18-35岁", "18_35"}, {"36-59岁", "36_59"},
                                         {"60-69岁", "60_69"},    {"70岁以上", "70_plus"}, {"70岁及以上", "70_plus"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(text, map[i][0]) || !strcmp(text, map[i][1])) return map[i][1];
    return NULL;
}

/* Reads row r of the sheet into a student of the point, reporting every problem of it. */
static void check_row(arena *a, xlsx_import *im, int row, const int col[NCOLS], int64_t org_id, student *s)
{
    const xlsx_sheet *sh = im->sheet;
    const char *msg;
    memset(s, 0, sizeof *s);
    s->org_id = org_id;
    s->name = xlsx_cell(sh, row, col[COL_NAME]);
    s->phone = xlsx_cell(sh, row, col[COL_PHONE]);
    const char *gender = col[COL_GENDER] >= 0 ? xlsx_cell(sh, row, col[COL_GENDER]) : "";
    const char *age = col[COL_AGE] >= 0 ? xlsx_cell(sh, row, col[COL_AGE]) : "";
    const char *idn = col[COL_ID] >= 0 ? xlsx_cell(sh, row, col[COL_ID]) : "";
    const char *informant = col[COL_INFORMANT] >= 0 ? xlsx_cell(sh, row, col[COL_INFORMANT]) : "";
    s->gender = !strcmp(gender, "男") ? "male" : !strcmp(gender, "女") ? "female" : NULL;
    s->age_group = *age ? age_code(age) : NULL;
    /* a cell may hold 32,767 characters, the same one on every row: only a length that can be an
     * ID number is copied (upper-cased) by the check; anything longer fails it as "-" */
    if (*idn) s->id_number = strlen(idn) <= 18 ? idn : "-";
    if (!*s->name && !*s->phone) return;     /* blank: the caller skips it */
    if (!valid_name(s->name, 50)) xlsx_import_error(im, "name", "姓名为空或过长 / name missing or too long");
    if (!valid_phone(s->phone)) xlsx_import_error(im, "phone", "手机号不是 11 位大陆手机号 / not a mainland mobile number");
    if (*gender && !s->gender) xlsx_import_error(im, "gender", "性别应为 男 或 女 / gender must be 男 or 女");
    if (*age && !s->age_group) xlsx_import_error(im, "age_group", "年龄段不在模板的选项中 / unknown age group");
    if (s->id_number && (msg = check_id_number(a, &s->id_number))) xlsx_import_error(im, "id_number", msg);
    if (!xlsx_import_yesno(informant, false, &s->informant))
        xlsx_import_error(im, "informant", "科普信息员应为 是 或 否（Y/N、TRUE/FALSE、1/0） / informant must be yes or no");
}

/* Whether the phone is already a student of the point (blind index, in the caller's scope). */
static int already_enrolled(db *c, request *r, int64_t org_id, const char *phone, bool *found)
{
    qb conds;
    student s;
    qb_init(&conds, " AND s.org_id = ? AND s.phone_blind = ?");
    qb_int(&conds, org_id);
    qb_text(&conds, pii_blind(&r->arena, "phone", phone));
    int rc = entity_get_where(c, &student_entity, &r->principal->scope, &r->arena, &conds, &s);
    *found = rc == DB_OK;
    return rc == STU_NOT_FOUND ? DB_OK : rc;
}

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    student s;                 /* the row last checked */
};

/* The row's own problems, then a phone earlier in the file or already a student of the point. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    struct import_state *st = im->cls;
    student *s = &st->s;
    check_row(&st->base.r->arena, im, row, st->base.col, st->base.org_id, s);
    if (!*s->name && !*s->phone) return XLSX_IMPORT_BLANK;
    if (xlsx_import_repeated(im, s->phone))
        xlsx_import_error(im, "phone", "与文件中前面的行手机号重复 / the same phone is on an earlier row");
    if (xlsx_import_row_bad(im)) return DB_OK;
    bool enrolled = false;
    int rc = already_enrolled(c, st->base.r, st->base.org_id, s->phone, &enrolled);
    if (rc != DB_OK) return rc;
    if (enrolled) xlsx_import_error(im, "phone", "该手机号已是本教学点的学员 / already a student of this point");
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    student out;
    return students_create(c, st->base.r->principal, &st->base.r->arena, &st->s, &out);
}

/* Students are enrolled at a teaching point, not at any unit. */
static int prepare_import(db *c, void *state)
{
    struct import_state *st = state;
    org point;
    int rc = orgs_get(c, st->base.r->principal, &st->base.r->arena, st->base.org_id, &point);
    if (rc == ORGS_NOT_FOUND) return STU_ORG_NOT_FOUND;
    return rc == DB_OK && strcmp(point.type, "point") != 0 ? STU_NOT_POINT : rc;
}

static const xlsx_import_spec student_import = {
    .org_message = "请选择教学点 / choose the teaching point",
    .org_not_found = STU_ORG_NOT_FOUND,
    .cols = import_cols, .ncols = NCOLS,
    .missing_message = "缺少“姓名”或“手机号”列，请使用导入模板 / the name or phone column is missing",
    .state_size = sizeof(struct import_state),
    .prepare = prepare_import, .check = check_import_row, .write = write_import_row,
};

const struct route student_routes[] = {
    {"GET", "/api/v1/students", handle_list, RANK_MEMBER, 0, .summary = "List students (masked numbers)", .entity = &student_entity},
    {"GET", "/api/v1/students/export", handle_export, RANK_MEMBER, 0, .summary = "Export the students as Excel (masked numbers)", .entity = &student_entity},
    {"GET", "/api/v1/students/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One student", .entity = &student_entity},
    {"GET", "/api/v1/students/:id/attendance", entity_handle_write, RANK_MEMBER, 0, .summary = "A student's attendance history", .entity = &student_entity, .cls = &student_attendance_writer},
    {"POST", "/api/v1/students", entity_handle_create, RANK_STAFF, 0, .summary = "Enrol a student at a teaching point", .entity = &student_entity},
    {"PATCH", "/api/v1/students/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a student", .entity = &student_entity},
    {"DELETE", "/api/v1/students/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "A student leaves (status left; the history stays)", .entity = &student_entity},
    {"GET", "/api/v1/students/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "Excel template for importing students (学员导入模板)"},
    {"POST", "/api/v1/students/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import students from the filled template (学员导入): dry run or commit", .entity = &student_entity, .cls = &student_import},
    {0},
};
