/* volunteers_import.c - volunteers from an Excel file: GET /volunteers/import/template.xlsx gives
 * the columns; POST /volunteers/import?org_id=&commit= takes the filled workbook (raw bytes, as
 * every upload) and answers, row by row, what is wrong (name, ID check digit or birth date,
 * phone, gender, availability, an ID number twice in the file or already a volunteer). Without
 * commit nothing is written (the dry run); with commit=1 the valid rows are registered in one
 * transaction and the others reported as skipped. Messages name the column, never the number. */
#include "volunteers/volunteers_internal.h"
#include "core/validate.h"
#include "docs/xlsx_read.h"
#include "http/body.h"
#include "http/jsonw.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_ROWS 5000
static const char *const headers[] = {"姓名", "身份证号", "手机号", "性别", "技能特长", "服务领域", "服务时间"};
enum { COL_NAME, COL_ID, COL_PHONE, COL_GENDER, COL_SKILLS, COL_FIELDS, COL_AVAIL, NCOLS };

static void handle_template(request *r)
{
    xlsx *x = xlsx_open("科技志愿者", headers, NCOLS);
    if (!x) { reply_db_error(r); return; }
    static const char *const example[] = {"张三", "11010519491231002X", "13800000000", "女", "科普讲解、急救",
                                          "应急科普、健康", "周末、晚上"};
    for (int i = 0; i < NCOLS; i++) xlsx_text(x, i, example[i]);
    xlsx_next_row(x);
    xlsx_reply(x, r, "科技志愿者导入模板.xlsx");
}

static bool find_columns(const xlsx_sheet *s, int col[NCOLS])
{
    for (int i = 0; i < NCOLS; i++) {
        col[i] = -1;
        for (int c = 0; c < s->ncols; c++)
            if (!strcmp(xlsx_cell(s, 0, c), headers[i])) col[i] = c;
    }
    return col[COL_NAME] >= 0 && col[COL_ID] >= 0 && col[COL_PHONE] >= 0;
}

/* "a、b,c，d" -> ["a","b","c","d"] as JSON text; map (pairs of label, code) translates each item
 * when given. NULL when an item is too long or not in the map. */
static const char *list_cell(arena *a, const char *text, const char *const (*map)[2], size_t nmap)
{
    json_t *arr = json_array();
    /* the Chinese separators (3 bytes each) become commas first: strcspn works on bytes */
    sbuf norm;
    sbuf_init(&norm);
    for (const char *t = text; *t;) {
        static const char *const wide[] = {"、", "，", "；"};
        bool sep = false;
        for (int i = 0; i < 3 && !sep; i++)
            if (!strncmp(t, wide[i], 3)) sep = true;
        if (sep) sbuf_add(&norm, ","), t += 3;
        else sbuf_addn(&norm, t++, 1);
    }
    char *p = arena_strdup(a, norm.s ? norm.s : "");
    sbuf_free(&norm);
    bool ok = true;
    while (ok && *p) {
        size_t n = strcspn(p, ",;");
        char *item = arena_strndup(a, p, n);
        while (*item == ' ') item++;
        for (char *e = item + strlen(item); e > item && e[-1] == ' ';) *--e = 0;
        if (*item) {
            const char *value = item;
            if (map) {
                value = NULL;
                for (size_t i = 0; i < nmap; i++)
                    if (!strcmp(item, map[i][0]) || !strcmp(item, map[i][1])) value = map[i][1];
            }
            ok = value && valid_name(value, 30) && json_array_size(arr) < 20;
            if (ok) json_array_append_new(arr, json_string(value));
        }
        p += n + (p[n] ? 1 : 0);
    }
    char *dump = ok ? json_dumps(arr, JSON_COMPACT) : NULL;
    const char *out = dump ? arena_strdup(a, dump) : NULL;
    free(dump);
    json_decref(arr);
    return out;
}

typedef struct row_check {
    volunteer v;
    const char *field, *message;
} row_check;

static void check_row(request *r, const xlsx_sheet *sh, int row, const int col[NCOLS], int64_t org_id, row_check *out)
{
    static const char *const avail[][2] = {{"工作日", "weekdays"}, {"周末", "weekends"}, {"晚上", "evenings"},
                                          {"节假日", "holidays"}};
    memset(out, 0, sizeof *out);
    volunteer *v = &out->v;
    v->org_id = org_id;
    v->status = "active";
    v->name = xlsx_cell(sh, row, col[COL_NAME]);
    v->id_number = vol_id_upper(&r->arena, xlsx_cell(sh, row, col[COL_ID]));
    v->phone = xlsx_cell(sh, row, col[COL_PHONE]);
    const char *gender = col[COL_GENDER] >= 0 ? xlsx_cell(sh, row, col[COL_GENDER]) : "";
    v->skills = list_cell(&r->arena, col[COL_SKILLS] >= 0 ? xlsx_cell(sh, row, col[COL_SKILLS]) : "", NULL, 0);
    v->fields = list_cell(&r->arena, col[COL_FIELDS] >= 0 ? xlsx_cell(sh, row, col[COL_FIELDS]) : "", NULL, 0);
    v->availability = list_cell(&r->arena, col[COL_AVAIL] >= 0 ? xlsx_cell(sh, row, col[COL_AVAIL]) : "", avail, 4);
    v->gender = !strcmp(gender, "男") ? "male" : !strcmp(gender, "女") ? "female" : NULL;
    const char *why = NULL;
    if (!valid_name(v->name, 50)) out->field = "name", out->message = "姓名为空或过长 / name missing or too long";
    else if ((why = vol_id_number_problem(v->id_number))) out->field = "id_number", out->message = why;
    else if (!valid_phone(v->phone)) out->field = "phone", out->message = "手机号不是 11 位大陆手机号 / not a mainland mobile number";
    else if (*gender && !v->gender) out->field = "gender", out->message = "性别应为 男 或 女 / gender must be 男 or 女";
    else if (!v->skills || !v->fields) out->field = "skills", out->message = "技能或领域每项 1-30 字、至多 20 项 / items of 1 to 30 characters, at most 20";
    else if (!v->availability)
        out->field = "availability", out->message = "服务时间应为 工作日、周末、晚上、节假日 / weekdays, weekends, evenings or holidays";
    if (!out->field && !v->gender) v->gender = vol_gender_of_id(v->id_number);
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

static int import_rows(db *c, void *cls)
{
    struct import_args *a = cls;
    a->valid = a->imported = 0;
    jw_free(a->errors);   /* a retried transaction starts its report again */
    jw_init(a->errors);
    jw_arr(a->errors);
    for (int row = 1; row < a->sheet->nrows; row++) {
        row_check ck;
        check_row(a->r, a->sheet, row, a->col, a->org_id, &ck);
        if (!*ck.v.name && !*ck.v.id_number && !*ck.v.phone) continue;   /* a blank line */
        bool twice = false, taken = false;
        for (int before = 1; !ck.field && before < row; before++)
            twice |= !strcmp(vol_id_upper(&a->r->arena, xlsx_cell(a->sheet, before, a->col[COL_ID])), ck.v.id_number);
        if (twice) ck.field = "id_number", ck.message = "与文件中前面的行身份证号重复 / the same ID number is on an earlier row";
        int rc = ck.field ? DB_OK : volunteers_id_taken(c, &a->r->arena, ck.v.id_number, &taken);
        if (rc != DB_OK) return rc;
        if (taken) ck.field = "id_number", ck.message = "该身份证号已注册为科技志愿者 / already a registered volunteer";
        if (ck.field) { add_error(a->errors, row + 1, ck.field, ck.message); continue; }
        a->valid++;
        if (!a->commit) continue;
        volunteer out;
        if ((rc = volunteers_create(c, a->r->principal, &a->r->arena, &ck.v, "import", &out)) != DB_OK) return rc;
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
    if (!has) { reply_error(r, 422, "required", "org_id", "请选择注册单位 / choose the registering org"); return; }
    const char *commit_text = req_query(r, "commit");
    bool commit = commit_text && !strcmp(commit_text, "1");
    if (!r->upload_path || r->upload_size == 0) {
        reply_error(r, 422, "required", "file", "请上传填好的模板文件 / upload the filled template");
        return;
    }
    /* the org must exist in scope: a dry run for an org elsewhere tells nothing */
    db *c = db_thread();
    org o;
    int orc = c ? orgs_get(c, r->principal, &r->arena, org_id, &o) : DB_ERR;
    if (orc != DB_OK) { volunteers_reply_error(r, orc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : orc); return; }
    xlsx_sheet sheet;
    const char *why = NULL;
    if (xlsx_read_file(r->upload_path, &r->arena, IMPORT_MAX_ROWS + 1, &sheet, &why) != 0) {
        reply_error(r, 422, "invalid_field", "file", "%s", why);
        return;
    }
    int col[NCOLS];
    if (sheet.nrows == 0 || !find_columns(&sheet, col)) {
        reply_error(r, 422, "invalid_field", "file",
                    "缺少“姓名”“身份证号”或“手机号”列，请使用导入模板 / the name, ID number or phone column is missing");
        return;
    }
    jw errors;
    jw_init(&errors);
    struct import_args a = {r, &sheet, col, org_id, commit, &errors, 0, 0};
    int rc = commit ? db_transaction(c, import_rows, &a) : import_rows(c, &a);
    if (rc != DB_OK) { jw_free(&errors); volunteers_reply_error(r, rc); return; }
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
    {"GET", "/api/v1/volunteers/import/template.xlsx", handle_template, RANK_STAFF, 0},
    {"POST", "/api/v1/volunteers/import", handle_import, RANK_STAFF, ROUTE_RAW_BODY},
    {NULL, NULL, NULL, 0, 0},
};

void volunteers_import_register_routes(void) { router_add_table(import_routes); }
