/* students_import.c - students from an Excel file: GET /students/import/template.xlsx gives the
 * columns; POST /students/import?org_id=&commit= takes the filled workbook (raw bytes, as every
 * upload) and answers, row by row, what is wrong (bad phone, bad ID check digit or birth date,
 * a phone twice in the file or already a student of the point). Without commit nothing is
 * written (the dry run); with commit=1 the valid rows are enrolled in one transaction and the
 * others are reported as skipped. A file that is not a workbook, a zip bomb or a sheet without
 * the name and phone columns is refused whole. */
#include "teaching/students.h"
#include "core/pii.h"
#include "core/validate.h"
#include "io/import.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <string.h>

static const char *const headers[] = {"姓名", "手机号", "性别", "年龄段", "身份证号", "科普信息员"};
enum { COL_NAME, COL_PHONE, COL_GENDER, COL_AGE, COL_ID, COL_INFORMANT, NCOLS };

static void handle_template(request *r)
{
    static const char *const example[] = {"张三", "13800000000", "女", "60-69岁", "", "否"};
    xlsx_import_template(r, "学员", headers, NCOLS, example, "学员导入模板.xlsx");
}

static const char *age_code(const char *text)
{
    static const char *const map[][2] = {{"18岁以下", "under18"}, {"18-35岁", "18_35"}, {"36-59岁", "36_59"},
                                         {"60-69岁", "60_69"},    {"70岁以上", "70_plus"}, {"70岁及以上", "70_plus"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(text, map[i][0]) || !strcmp(text, map[i][1])) return map[i][1];
    return NULL;
}

typedef struct row_check {
    student s;
    const char *field, *message;    /* the first problem, or NULL */
} row_check;

/* Reads row r of the sheet into a student of the point, or names what is wrong with it. */
static void check_row(arena *a, const xlsx_sheet *sh, int row, const int col[NCOLS], int64_t org_id, row_check *out)
{
    memset(out, 0, sizeof *out);
    student *s = &out->s;
    const char *msg;
    s->org_id = org_id;
    s->name = xlsx_cell(sh, row, col[COL_NAME]);
    s->phone = xlsx_cell(sh, row, col[COL_PHONE]);
    const char *gender = col[COL_GENDER] >= 0 ? xlsx_cell(sh, row, col[COL_GENDER]) : "";
    const char *age = col[COL_AGE] >= 0 ? xlsx_cell(sh, row, col[COL_AGE]) : "";
    const char *idn = col[COL_ID] >= 0 ? xlsx_cell(sh, row, col[COL_ID]) : "";
    const char *informant = col[COL_INFORMANT] >= 0 ? xlsx_cell(sh, row, col[COL_INFORMANT]) : "";
    s->gender = !strcmp(gender, "男") ? "male" : !strcmp(gender, "女") ? "female" : NULL;
    s->age_group = *age ? age_code(age) : NULL;
    s->informant = !strcmp(informant, "是");
    /* a cell may hold 32,767 characters, the same one on every row: only a length that can be an
     * ID number is copied (upper-cased) by the check; anything longer fails it as "-" */
    if (*idn) s->id_number = strlen(idn) <= 18 ? idn : "-";
    if (!valid_name(s->name, 50)) out->field = "name", out->message = "姓名为空或过长 / name missing or too long";
    else if (!valid_phone(s->phone)) out->field = "phone", out->message = "手机号不是 11 位大陆手机号 / not a mainland mobile number";
    else if (*gender && !s->gender) out->field = "gender", out->message = "性别应为 男 或 女 / gender must be 男 or 女";
    else if (*age && !s->age_group) out->field = "age_group", out->message = "年龄段不在模板的选项中 / unknown age group";
    else if (s->id_number && (msg = check_id_number(a, &s->id_number))) out->field = "id_number", out->message = msg;
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
    request *r;
    const int *col;
    int64_t org_id;
    row_check ck;              /* the row last checked */
};

/* The row's own problems, then a phone earlier in the file or already a student of the point. */
static int check_import_row(db *c, xlsx_import *im, int row, const char **bad_field, const char **message)
{
    struct import_state *st = im->cls;
    row_check *ck = &st->ck;
    check_row(&st->r->arena, im->sheet, row, st->col, st->org_id, ck);
    if (!*ck->s.name && !*ck->s.phone) return XLSX_IMPORT_BLANK;
    bool dup_in_file = xlsx_import_repeated(im, ck->s.phone);
    if (dup_in_file && !ck->field) ck->field = "phone", ck->message = "与文件中前面的行手机号重复 / the same phone is on an earlier row";
    bool enrolled = false;
    int rc = ck->field ? DB_OK : already_enrolled(c, st->r, st->org_id, ck->s.phone, &enrolled);
    if (rc != DB_OK) return rc;
    if (enrolled) ck->field = "phone", ck->message = "该手机号已是本教学点的学员 / already a student of this point";
    *bad_field = ck->field, *message = ck->message;
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    student out;
    return students_create(c, st->r->principal, &st->r->arena, &st->ck.s, &out);
}

static void handle_import(request *r)
{
    int64_t org_id = 0;
    bool commit;
    if (!xlsx_import_params(r, "请选择教学点 / choose the teaching point", &org_id, &commit)) return;
    xlsx_sheet sheet;
    int col[NCOLS];
    if (!xlsx_import_read(r, headers, NCOLS, 2, "缺少“姓名”或“手机号”列，请使用导入模板 / the name or phone column is missing",
                          &sheet, col))
        return;
    /* the point must exist in scope: a dry run for a point elsewhere tells nothing */
    db *c = db_thread();
    org point;
    int orc = c ? orgs_get(c, r->principal, &r->arena, org_id, &point) : DB_ERR;
    if (orc == ORGS_NOT_FOUND) orc = STU_ORG_NOT_FOUND;
    else if (orc == DB_OK && strcmp(point.type, "point") != 0) orc = STU_NOT_POINT;
    if (orc != DB_OK) { entity_reply_error(r, &student_entity, orc); return; }
    struct import_state st = {.r = r, .col = col, .org_id = org_id};
    xlsx_import im = {.sheet = &sheet, .commit = commit, .check = check_import_row, .write = write_import_row, .cls = &st};
    int rc = xlsx_import_run(c, &im);
    if (rc != DB_OK) { entity_reply_error(r, &student_entity, rc); return; }
    xlsx_import_reply(r, &im);
}

const struct route student_import_routes[] = {
    {"GET", "/api/v1/students/import/template.xlsx", handle_template, RANK_STAFF, 0, .summary = "Excel template for importing students (学员导入模板)"},
    {"POST", "/api/v1/students/import", handle_import, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Import students from the filled template (学员导入): dry run or commit", .entity = &student_entity},
    {0},
};
