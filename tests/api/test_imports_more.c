/* test_imports_more.c - the teacher pool's and the organizations' Excel imports (issue 14 item 14,
 * second half), over HTTP: the templates carry text-formatted ID/phone columns, drop-downs and an
 * instructions sheet and no example row (the template uploaded as downloaded imports nothing); a
 * dry run reports every problem of every row and writes nothing; the commit writes exactly the
 * valid rows through the modules' create paths (masked, audited, draft teachers); an ID number
 * already in the pool or twice in the file is a row's error; an org row's parent resolves by code
 * or name only under the chosen node and in the caller's scope, or among the valid rows above it,
 * and one outside is reported exactly like one that does not exist; scope and role hold. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *a_staff, *b_admin, *a_teacher, *a_admin_org;
static int64_t root, dist_a, dist_b, street_a;
static char pooled[24];   /* an ID number already in the pool (a teacher of district B) */

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "师资导入甲区");
    dist_b = create_org(admin, root, "district", "师资导入乙区");
    street_a = create_org(admin, dist_a, "street", "师资导入甲街道");
    create_org(admin, dist_a, "street", "重名街道");
    create_org(admin, dist_a, "street", "重名街道");
    expect_status(api("PATCH", P("/orgs/%lld", (long long)dist_b), admin, jpack("{s:s}", "code", "IMPB"), NULL), NULL, 200);
    create_user(admin, "imm_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "imm_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "imm_b_admin", dist_b, "org_admin", "subtree", 0);
    create_user(admin, "imm_a_teacher", dist_a, "teacher", "subtree", 0);
    create_user(admin, "imm_a_admin_org", dist_a, "org_admin", "org", 0);
    a_admin = login("imm_a_admin", USER_PASSWORD);
    a_staff = login("imm_a_staff", USER_PASSWORD);
    b_admin = login("imm_b_admin", USER_PASSWORD);
    a_teacher = login("imm_a_teacher", USER_PASSWORD);
    a_admin_org = login("imm_a_admin_org", USER_PASSWORD);
    snprintf(pooled, sizeof pooled, "%s", test_id_number(3000, 701));
    expect_status(api("POST", "/teachers", b_admin,
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_b, "name", "乙区老师", "id_number", pooled), NULL),
                  NULL, 201);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(a_staff), free(b_admin), free(a_teacher), free(a_admin_org);
    return server_stop(state);
}

/* Whether column col (1-based) of the data sheet is formatted as text: its <col> carries a style
 * whose number format is "@" (Excel then keeps all 18 digits of an ID number). */
static bool column_is_text(const char *data, const char *styles, int col)
{
    const char *c = strstr(data, P("<col min=\"%d\" max=\"%d\"", col, col)), *st = c ? strstr(c, "style=\"") : NULL;
    if (!st || st > strchr(c, '>')) return false;
    int xf = atoi(st + 7);
    const char *x = strstr(styles, "<cellXfs");
    for (int i = 0; x && i <= xf; i++) x = strstr(x + 1, "<xf ");
    const char *fmt = x ? strstr(x, "numFmtId=\"") : NULL;
    if (!fmt) return false;
    int id = atoi(fmt + 10);
    return id == 49 || strstr(styles, P("numFmtId=\"%d\" formatCode=\"@\"", id)) != NULL;
}

/* A data validation (drop-down) over the column's cells from row 2, e.g. "D2:D5001". */
static bool has_dropdown(const char *data, char column)
{
    return strstr(data, P("sqref=\"%c2:%c5001\"", column, column)) != NULL;
}

/* Both templates: headers only, the instructions sheet, the example nowhere importable; the
 * teachers' ID and phone columns (B, C) text, gender (D) a drop-down; the orgs' type (B) one, their
 * code and parent columns (C, D) text. */
static void test_templates(void **state)
{
    (void)state;
    expect_import_template(a_staff, "teachers", "身份证号", true, "王老师", "女");
    expect_import_template(a_admin, "orgs", "机构名称", true, "龙溪街道", "区县科协");
    http_resp resp;
    expect_status(api_full("GET", "/teachers/import/template.xlsx", a_staff, NULL, &resp), NULL, 200);
    char *data = xlsx_part(&resp, "xl/worksheets/sheet1.xml"), *styles = xlsx_part(&resp, "xl/styles.xml");
    assert_true(column_is_text(data, styles, 2));    /* 身份证号 */
    assert_true(column_is_text(data, styles, 3));    /* 手机号 */
    assert_false(column_is_text(data, styles, 1));   /* 姓名: a general column */
    assert_true(has_dropdown(data, 'D'));            /* 性别 */
    free(data), free(styles);
    /* the template uploaded as downloaded (commit) imports nothing: no example row on the data sheet */
    json_t *j = NULL;
    expect_status(import_upload("teachers", a_staff, street_a, true, resp.body, resp.body_len, &j), j, 200);
    assert_int_equal(jint(j, "rows"), 0);
    assert_int_equal(jint(j, "imported"), 0);
    json_decref(j);
    http_resp_free(&resp);
    expect_status(api_full("GET", "/orgs/import/template.xlsx", a_admin, NULL, &resp), NULL, 200);
    data = xlsx_part(&resp, "xl/worksheets/sheet1.xml"), styles = xlsx_part(&resp, "xl/styles.xml");
    assert_true(has_dropdown(data, 'B'));            /* 机构类型 */
    assert_true(column_is_text(data, styles, 3));    /* 机构代码: "0012" keeps its zeros */
    assert_true(column_is_text(data, styles, 4));    /* 上级机构 (a code or a name) */
    assert_false(column_is_text(data, styles, 1));
    free(data), free(styles);
    expect_status(import_upload("orgs", a_admin, dist_a, true, resp.body, resp.body_len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 0);
    json_decref(j);
    http_resp_free(&resp);
    expect_status(api("GET", "/teachers?q=%E7%8E%8B%E8%80%81%E5%B8%88", admin, NULL, &j), j, 200);   /* 王老师 */
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    /* the orgs' template is an org_admin's, as creating a node */
    expect_api_error("GET", "/orgs/import/template.xlsx", a_staff, NULL, 403, "forbidden", NULL);
}

/* The message of the first problem reported for an Excel row ("" when none). */
static const char *row_message(json_t *errors, int row)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) if (jint(e, "row") == row) return jstr(e, "message");
    return "";
}

#define TW 8
static const char *const teacher_headers[TW] = {"姓名", "身份证号码", "手机号", "性别", "工作单位", "职称", "专业特长", "授课主题"};

static int64_t teachers_in(const char *token, int64_t org)
{
    return list_total(token, P("/teachers?org_id=%lld", (long long)org));
}

/* Teachers: every error of a row, duplicates per row, dry run writes nothing, commit writes the
 * valid rows (draft, masked, gender from the ID number, audited). */
static void test_teachers_import(void **state)
{
    (void)state;
    char ok1[24], ok2[24], bad[24];
    snprintf(ok1, sizeof ok1, "%s", test_id_number(3000, 711));   /* 1978-03-18, serial 711: odd, a man */
    snprintf(ok2, sizeof ok2, "%s", test_id_number(3001, 712));
    snprintf(bad, sizeof bad, "%s", test_id_number(3002, 713));
    bad[17] = bad[17] == '1' ? '2' : '1';   /* a wrong check digit */
    char long_name[200] = "", long_unit[400] = "";
    for (int i = 0; i < 51; i++) strcat(long_name, "长");
    for (int i = 0; i < 101; i++) strcat(long_unit, "单");
    const char *const rows[][TW] = {
        {"导入王老师", ok1, "13600000001", "", "区人民医院", "主任医师", "营养学、急救", "老年健康"},   /* row 2: fine */
        {"导入李老师", ok2, "", "女", "", "", "", ""},                                                /* row 3: fine */
        {long_name, bad, "1360000", "未知", long_unit, "", "这一项专业特长写得实在是太长太长太长了超过了三十个字的限制啊真的", ""},
        {"导入重复", ok1, "", "", "", "", "", ""},                                                   /* row 5: twice in file */
        {"导入已在库", pooled, "", "", "", "", "", ""},                                              /* row 6: in the pool */
        {"", "", "", "", "", "", "", ""},                                                           /* a blank line */
    };
    size_t len;
    char *book = import_workbook(TW, teacher_headers, *rows, TW, 6, &len);
    int64_t before = teachers_in(a_staff, street_a);
    json_t *j = NULL;
    expect_status(import_upload("teachers", a_staff, street_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 2);
    assert_int_equal(jint(j, "imported"), 0);
    assert_false(json_is_true(jget(j, "committed")));
    json_t *errors = jget(j, "errors");
    assert_string_equal(row_fields(errors, 2), "");
    assert_string_equal(row_fields(errors, 4), "name,id_number,phone,gender,unit,specialties");
    assert_string_equal(row_fields(errors, 5), "id_number");
    assert_string_equal(row_fields(errors, 6), "id_number");
    assert_non_null(strstr(row_message(errors, 6), "师资库"));   /* already in the pool */
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, ok1));
    assert_null(strstr(text, pooled));   /* numbers never echoed */
    free(text);
    json_decref(j);
    assert_int_equal(teachers_in(a_staff, street_a), before);   /* the dry run wrote nothing */
    /* out of scope and role: a district B admin cannot import into A; a teacher cannot import */
    expect_error(import_upload("teachers", b_admin, street_a, false, book, len, &j), j, 404, "not_found", "org_id");
    json_decref(j);
    expect_error(import_upload("teachers", a_teacher, street_a, false, book, len, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    expect_status(import_upload("teachers", a_staff, street_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 2);
    assert_true(json_is_true(jget(j, "committed")));
    json_decref(j);
    free(book);
    assert_int_equal(teachers_in(a_staff, street_a), before + 2);
    char *q = urlenc("导入王老师");
    expect_status(api("GET", P("/teachers?q=%s", q), a_staff, NULL, &j), j, 200);
    free(q);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.status"), "draft");
    assert_string_equal(jstr(j, "items.0.gender"), "male");
    assert_string_equal(jstr(j, "items.0.phone"), "136****0001");
    assert_string_equal(jstr(j, "items.0.id_number"), P("%.4s**********%s", ok1, ok1 + 14));
    assert_string_equal(jstr(j, "items.0.specialties.1"), "急救");
    assert_string_equal(jstr(j, "items.0.unit"), "区人民医院");
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    /* audited as a create, like one teacher added by hand */
    assert_int_equal(list_total(admin, P("/audit?entity=teacher&entity_id=%lld&action=create", (long long)id)), 1);
    /* the same file again: the valid rows are now in the pool */
    book = import_workbook(TW, teacher_headers, *rows, TW, 2, &len);
    expect_status(import_upload("teachers", a_staff, street_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 0);
    assert_string_equal(row_fields(jget(j, "errors"), 2), "id_number");
    assert_string_equal(row_fields(jget(j, "errors"), 3), "id_number");
    json_decref(j);
    free(book);
}

#define OW 4
static const char *const org_headers[OW] = {"机构名称", "机构类型", "机构代码", "上级机构"};

/* The node's children's names, '|'-joined, in id order. */
static const char *children_of(int64_t org)
{
    static char out[1024];
    json_t *j = NULL;
    expect_status(api("GET", P("/orgs/%lld/tree", (long long)org), admin, NULL, &j), j, 200);
    size_t i, o = 0;
    json_t *c;
    out[0] = 0;
    json_array_foreach(jget(j, "children"), i, c)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "|" : "", jstr(c, "name"));
    json_decref(j);
    return out;
}

static int64_t org_id_by_code(const char *code)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/orgs?q=%s", code), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    return id;
}

/* Organizations: parents by code or name, rows above in the same file, every error of a row, a
 * parent outside the scope told like a missing one, dry run then commit. */
static void test_orgs_import(void **state)
{
    (void)state;
    const char *const rows[][OW] = {
        {"导入一街道", "街道/镇乡", "IMP-S1", ""},            /* row 2: under the chosen district */
        {"导入一教学点", "教学点", "", "IMP-S1"},             /* row 3: parent by code, a row above */
        {"导入二教学点", "point", "IMP-P2", "导入一街道"},    /* row 4: parent by name, a row above; type by code */
        {"", "外星机构", "坏 代码", "师资导入乙区"},          /* row 5: name, type, code, parent (another district) */
        {"导入越界", "教学点", "", "IMPB"},                   /* row 6: parent by code, out of scope */
        {"导入无上级", "教学点", "", "没有这个机构"},         /* row 7: parent missing everywhere */
        {"导入重码", "教学点", "IMP-S1", ""},                 /* row 8: the code of row 2 */
        {"导入占码", "教学点", "IMPB", ""},                   /* row 9: a code in use */
        {"导入重名下", "教学点", "", "重名街道"},             /* row 10: two parents of that name */
        {"导入街道下", "教学点", "", "师资导入甲街道"},       /* row 11: an existing node by name */
    };
    size_t len;
    char *book = import_workbook(OW, org_headers, *rows, OW, 10, &len);
    char kids[1024];
    snprintf(kids, sizeof kids, "%s", children_of(dist_a));
    int64_t audits = list_total(admin, "/audit?entity=org&action=create");
    json_t *j = NULL;
    expect_status(import_upload("orgs", a_admin, dist_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "rows"), 10);
    assert_int_equal(jint(j, "valid"), 4);
    json_t *errors = jget(j, "errors");
    assert_string_equal(row_fields(errors, 2), "");
    assert_string_equal(row_fields(errors, 3), "");
    assert_string_equal(row_fields(errors, 4), "");
    assert_string_equal(row_fields(errors, 5), "name,type,code,parent");
    assert_string_equal(row_fields(errors, 6), "parent");
    assert_string_equal(row_fields(errors, 7), "parent");
    assert_string_equal(row_fields(errors, 8), "code");
    assert_string_equal(row_fields(errors, 9), "code");
    assert_string_equal(row_fields(errors, 10), "parent");
    assert_string_equal(row_fields(errors, 11), "");
    /* out of scope (rows 5, 6) reads exactly as missing (row 7): nothing tells B's node exists */
    size_t i;
    json_t *e;
    const char *missing = row_message(errors, 7);
    assert_non_null(strstr(missing, "上级机构"));
    json_array_foreach(errors, i, e) if (!strcmp(jstr(e, "field"), "parent") && jint(e, "row") != 10)
        assert_string_equal(jstr(e, "message"), missing);
    json_decref(j);
    assert_string_equal(children_of(dist_a), kids);   /* the dry run wrote nothing */
    assert_int_equal(list_total(admin, "/audit?entity=org&action=create"), audits);
    /* the district B admin cannot import under A; staff cannot import orgs */
    expect_error(import_upload("orgs", b_admin, dist_a, false, book, len, &j), j, 404, "not_found", "org_id");
    json_decref(j);
    expect_error(import_upload("orgs", a_staff, dist_a, false, book, len, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    /* an admin whose scope is its node alone could not see what it creates: refused before the dry run */
    expect_error(import_upload("orgs", a_admin_org, dist_a, false, book, len, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    expect_status(import_upload("orgs", a_admin, dist_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 4);
    assert_int_equal(json_array_size(jget(j, "errors")), 9);   /* the same report as the dry run */
    json_decref(j);
    free(book);
    assert_string_equal(children_of(dist_a), P("%s|导入一街道", kids));
    int64_t s1 = org_id_by_code("IMP-S1");
    assert_string_equal(children_of(s1), "导入一教学点|导入二教学点");
    assert_string_equal(children_of(street_a), "导入街道下");
    assert_int_equal(org_id_by_code("IMP-P2") > s1, 1);
    expect_status(api("GET", P("/orgs/%lld", (long long)org_id_by_code("IMP-P2")), a_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "type"), "point");
    json_decref(j);
    assert_int_equal(list_total(admin, "/audit?entity=org&action=create"), audits + 4);
    assert_string_equal(children_of(dist_b), "");   /* nothing went to B */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_teachers_import),
        cmocka_unit_test(test_orgs_import),
    };
    return run_api_tests(tests, setup, teardown);
}
