/* students_import.c - students from an Excel file: GET /students/import/template.xlsx gives the
 * columns; POST /students/import?org_id=&commit= takes the filled workbook (raw bytes, as every
 * upload) and answers, row by row, what is wrong (bad phone, bad ID check digit or birth date,
 * a phone twice in the file or already a student of the point). Without commit nothing is
 * written (the dry run); with commit=1 the valid rows are enrolled in one transaction and the
 * others are reported as skipped. A file that is not a workbook, a zip bomb or a sheet without
 * the name and phone columns is refused whole. */
#include "teaching/students.h"
#include "teaching/teachers.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "docs/xlsx_read.h"
#include "http/body.h"
#include "http/jsonw.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <ctype.h>
#include <string.h>

#define IMPORT_MAX_ROWS 5000
static const char *const headers[] = {"姓名", "手机号", "性别", "年龄段", "身份证号", "科普信息员"};
enum { COL_NAME, COL_PHONE, COL_GENDER, COL_AGE, COL_ID, COL_INFORMANT, NCOLS };

static void handle_template(request *r)
{
    xlsx *x = xlsx_open("学员", headers, NCOLS);
    if (!x) { reply_db_error(r); return; }
    static const char *const example[] = {"张三", "13800000000", "女", "60-69岁", "", "否"};
    for (int i = 0; i < NCOLS; i++) xlsx_text(x, i, example[i]);
    xlsx_next_row(x);
    xlsx_reply(x, r, "学员导入模板.xlsx");
}

/* Where each column is, from the header row; -1 when absent. */
static bool find_columns(const xlsx_sheet *s, int col[NCOLS])
{
    for (int i = 0; i < NCOLS; i++) {
        col[i] = -1;
        for (int c = 0; c < s->ncols; c++)
            if (!strcmp(xlsx_cell(s, 0, c), headers[i])) col[i] = c;
    }
    return col[COL_NAME] >= 0 && col[COL_PHONE] >= 0;
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
static void check_row(request *r, const xlsx_sheet *sh, int row, const int col[NCOLS], int64_t org_id, row_check *out)
{
    memset(out, 0, sizeof *out);
    student *s = &out->s;
    char today[32];
    time_now_rfc3339(today);
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
    if (*idn) {
        char *upper = arena_strdup(&r->arena, idn);
        for (char *p = upper; *p; p++) *p = (char)toupper((unsigned char)*p);
        s->id_number = upper;
    }
    if (!valid_name(s->name, 50)) out->field = "name", out->message = "姓名为空或过长 / name missing or too long";
    else if (!valid_phone(s->phone)) out->field = "phone", out->message = "手机号不是 11 位大陆手机号 / not a mainland mobile number";
    else if (*gender && !s->gender) out->field = "gender", out->message = "性别应为 男 或 女 / gender must be 男 or 女";
    else if (*age && !s->age_group) out->field = "age_group", out->message = "年龄段不在模板的选项中 / unknown age group";
    else if (s->id_number && !valid_id_number(s->id_number))
        out->field = "id_number", out->message = "身份证号格式或校验位错误 / not a valid ID number (GB 11643)";
    else if (s->id_number && !teachers_id_birth_ok(s->id_number, today))
        out->field = "id_number", out->message = "身份证号中的出生日期无效 / the birth date in the ID number is impossible";
}

/* Whether the phone is already a student of the point (blind index, in the caller's scope). */
static int already_enrolled(db *c, request *r, int64_t org_id, const char *phone, bool *found)
{
    student_filter f = {.org_id = org_id, .phone = phone, .informant = -1};
    jw w;
    int64_t total = 0;
    jw_init(&w);
    jw_arr(&w);
    int rc = students_list(c, r->principal, &r->arena, &f, 1, 0, &w, &total);
    jw_free(&w);
    *found = total > 0;
    return rc;
}

struct import_args {
    request *r;
    const xlsx_sheet *sheet;
    const int *col;
    int64_t org_id;
    bool commit;
    jw *errors;
    int64_t valid, imported;
};

static void add_error(jw *w, int excel_row, const char *field, const char *message)
{
    jw_obj(w);
    jw_key(w, "row"), jw_int(w, excel_row);
    jw_key(w, "field"), jw_str(w, field);
    jw_key(w, "message"), jw_str(w, message);
    jw_obj_end(w);
}

/* Every row checked; with commit, the valid ones enrolled (inside the transaction around it). */
static int import_rows(db *c, void *cls)
{
    struct import_args *a = cls;
    a->valid = a->imported = 0;
    jw_free(a->errors);        /* a retried transaction starts its report again */
    jw_init(a->errors);
    jw_arr(a->errors);
    for (int row = 1; row < a->sheet->nrows; row++) {
        row_check rc_;
        check_row(a->r, a->sheet, row, a->col, a->org_id, &rc_);
        if (!*rc_.s.name && !*rc_.s.phone) continue;                  /* a blank line */
        bool dup_in_file = false;
        for (int before = 1; !rc_.field && before < row; before++)
            dup_in_file |= !strcmp(xlsx_cell(a->sheet, before, a->col[COL_PHONE]), rc_.s.phone);
        if (dup_in_file) rc_.field = "phone", rc_.message = "与文件中前面的行手机号重复 / the same phone is on an earlier row";
        bool enrolled = false;
        int rc = rc_.field ? DB_OK : already_enrolled(c, a->r, a->org_id, rc_.s.phone, &enrolled);
        if (rc != DB_OK) return rc;
        if (enrolled) rc_.field = "phone", rc_.message = "该手机号已是本教学点的学员 / already a student of this point";
        if (rc_.field) { add_error(a->errors, row + 1, rc_.field, rc_.message); continue; }
        a->valid++;
        if (!a->commit) continue;
        student out;
        rc = students_create(c, a->r->principal, &a->r->arena, &rc_.s, &out);
        if (rc != DB_OK) return rc;
        a->imported++;
    }
    jw_arr_end(a->errors);
    return DB_OK;
}

static void handle_import(request *r)
{
    int64_t org_id = 0;
    bool has;
    if (!query_id(r, "org_id", &org_id, &has)) return;
    if (!has) { reply_error(r, 422, "required", "org_id", "请选择教学点 / choose the teaching point"); return; }
    const char *commit_text = req_query(r, "commit");
    bool commit = commit_text && !strcmp(commit_text, "1");
    if (!r->upload_path || r->upload_size == 0) {
        reply_error(r, 422, "required", "file", "请上传填好的模板文件 / upload the filled template");
        return;
    }
    xlsx_sheet sheet;
    const char *why = NULL;
    if (xlsx_read_file(r->upload_path, &r->arena, IMPORT_MAX_ROWS + 1, &sheet, &why) != 0) {
        reply_error(r, 422, "invalid_field", "file", "%s", why);
        return;
    }
    int col[NCOLS];
    if (sheet.nrows == 0 || !find_columns(&sheet, col)) {
        reply_error(r, 422, "invalid_field", "file", "缺少“姓名”或“手机号”列，请使用导入模板 / the name or phone column is missing");
        return;
    }
    /* the point must exist in scope: a dry run for a point elsewhere tells nothing */
    db *c = db_thread();
    org point;
    int orc = c ? orgs_get(c, r->principal, &r->arena, org_id, &point) : DB_ERR;
    if (orc != DB_OK) { students_reply_error(r, orc == ORGS_NOT_FOUND ? STU_ORG_NOT_FOUND : orc); return; }
    if (strcmp(point.type, "point") != 0) { students_reply_error(r, STU_NOT_POINT); return; }
    jw errors;
    jw_init(&errors);
    struct import_args a = {r, &sheet, col, org_id, commit, &errors, 0, 0};
    int rc = commit ? db_transaction(c, import_rows, &a) : import_rows(c, &a);
    if (rc != DB_OK) { jw_free(&errors); students_reply_error(r, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "rows"), jw_int(&w, sheet.nrows - 1);
    jw_key(&w, "valid"), jw_int(&w, a.valid);
    jw_key(&w, "imported"), jw_int(&w, a.imported);
    jw_key(&w, "committed"), jw_bool(&w, commit);
    jw_key(&w, "errors"), jw_raw(&w, errors.b.s ? errors.b.s : "[]");
    jw_obj_end(&w);
    jw_free(&errors);
    reply_jw(r, 200, &w);
}

static const struct route import_routes[] = {
    {"GET", "/api/v1/students/import/template.xlsx", handle_template, RANK_STAFF, 0},
    {"POST", "/api/v1/students/import", handle_import, RANK_STAFF, ROUTE_RAW_BODY},
    {NULL, NULL, NULL, 0, 0},
};

void students_import_register_routes(void) { router_add_table(import_routes); }
