/* test_students_import.c - students from the Excel template over HTTP: the template downloads
 * with its columns; a dry run names every bad row (phone, ID check digit, a phone twice in the
 * file, a phone already enrolled) and writes nothing; the commit enrolls exactly the valid rows;
 * a text file or a sheet without the phone column is refused whole; scope and role hold. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xlsxwriter.h>

static char *admin, *a_staff, *b_staff, *a_teacher;
static int64_t root, dist_a, dist_b, point_a;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "导入甲区");
    dist_b = create_org(admin, root, "district", "导入乙区");
    point_a = create_org(admin, dist_a, "point", "导入教学点");
    create_user(admin, "imp_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "imp_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "imp_a_teacher", dist_a, "teacher", "subtree", 0);
    a_staff = login("imp_a_staff", USER_PASSWORD);
    b_staff = login("imp_b_staff", USER_PASSWORD);
    a_teacher = login("imp_a_teacher", USER_PASSWORD);
    /* already a student of the point: the import must see the duplicate */
    expect_status(api("POST", "/students", a_staff,
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "老学员", "phone", "13911112222"), NULL),
                  NULL, 201);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(a_teacher);
    return server_stop(state);
}

static const char *const template_headers[6] = {"姓名", "手机号", "性别", "年龄段", "身份证号", "科普信息员"};
static const char *const rows[][6] = {
    {"王小明", "13800001111", "男", "60-69岁", "11010519491231002X", "是"},   /* row 2: fine */
    {"李小红", "13800002222", "女", "18-35岁", "", "否"},                     /* row 3: fine */
    {"赵错号", "1380000", "男", "", "", ""},                                   /* row 4: bad phone */
    {"钱错证", "13800003333", "", "", "110105194912310021", ""},              /* row 5: check digit */
    {"孙重复", "13800001111", "", "", "", ""},                                 /* row 6: twice in file */
    {"周已有", "13911112222", "", "", "", ""},                                 /* row 7: enrolled */
    {"", "", "", "", "", ""},                                                  /* a blank line */
};

static int64_t students_at_point(void)
{
    return list_total(a_staff, P("/students?org_id=%lld", (long long)point_a));
}

static void test_dry_run_then_commit(void **state)
{
    (void)state;
    size_t len;
    char *book = import_workbook(6, template_headers, *rows, 6, 7, &len);
    int64_t before = students_at_point();
    json_t *j = NULL;
    expect_status(import_upload("students", a_staff, point_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 2);
    assert_int_equal(jint(j, "imported"), 0);
    json_t *errors = jget(j, "errors");
    assert_int_equal(json_array_size(errors), 4);
    expect_row_error(errors, 4, "phone");
    expect_row_error(errors, 5, "id_number");
    expect_row_error(errors, 6, "phone");
    expect_row_error(errors, 7, "phone");
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, "13800001111"));      /* no number echoed */
    free(text);
    json_decref(j);
    assert_int_equal(students_at_point(), before);   /* the dry run wrote nothing */
    expect_status(import_upload("students", a_staff, point_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 2);
    json_decref(j);
    assert_int_equal(students_at_point(), before + 2);
    char *q = urlenc("王小明");
    expect_status(api("GET", P("/students?org_id=%lld&q=%s", (long long)point_a, q), a_staff, NULL, &j), j, 200);
    free(q);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.phone"), "138****1111");
    assert_true(json_is_true(jget(j, "items.0.informant")));
    json_decref(j);
    /* the same file again: every row is now a duplicate or an error, nothing more enrolled */
    expect_status(import_upload("students", a_staff, point_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 0);
    json_decref(j);
    assert_int_equal(students_at_point(), before + 2);
    free(book);
}

/* The ID number column: a lower-case x reads as X; a cell longer than an ID number and an
 * impossible birth date are the row's error, naming the column. */
static void test_id_number_cells(void **state)
{
    (void)state;
    static const char *const id_rows[][6] = {
        {"吴小写", "13800005555", "", "", "11010519491231002x", ""},                       /* row 2: fine */
        {"郑过长", "13800006666", "", "", "11010519491231002X11010519491231002X", ""},     /* row 3: too long */
        {"冯二月", "13800007777", "", "", "110105194902310026", ""},                       /* row 4: 31 February */
    };
    size_t len;
    char *book = import_workbook(6, template_headers, *id_rows, 6, 3, &len);
    json_t *j = NULL;
    expect_status(import_upload("students", a_staff, point_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 1);
    json_t *errors = jget(j, "errors");
    assert_int_equal(json_array_size(errors), 2);
    expect_row_error(errors, 3, "id_number");
    expect_row_error(errors, 4, "id_number");
    json_decref(j);
    expect_status(api("GET", "/students?phone=13800005555", a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.id_number"), "1101**********002X");
    json_decref(j);
    free(book);
}

static void test_bad_files_and_scope(void **state)
{
    (void)state;
    json_t *j = NULL;
    static const char text[] = "姓名,手机号\n张三,13800009999\n";
    expect_error(import_upload("students", a_staff, point_a, true, text, sizeof text - 1, &j), j, 422, "invalid_field", "file");
    json_decref(j);
    static const char *const no_phone[6] = {"姓名", NULL, NULL, NULL, NULL, NULL};
    size_t len;
    char *book = import_workbook(6, no_phone, *rows, 6, 2, &len);
    expect_error(import_upload("students", a_staff, point_a, true, book, len, &j), j, 422, "invalid_field", "file");
    json_decref(j);
    free(book);
    /* a header none of the columns is refused by name, not dropped with its data (issue 14) */
    static const char *const unknown[6] = {"姓名", "手机号", "电话", NULL, NULL, NULL};
    book = import_workbook(6, unknown, *rows, 6, 2, &len);
    expect_error(import_upload("students", a_staff, point_a, true, book, len, &j), j, 422, "unknown_column", "file");
    assert_non_null(strstr(jstr(j, "error.message"), "电话"));
    json_decref(j);
    free(book);
    book = import_workbook(6, template_headers, *rows, 6, 2, &len);
    expect_error(import_upload("students", b_staff, point_a, false, book, len, &j), j, 404, "not_found", "org_id");
    json_decref(j);
    expect_error(import_upload("students", a_teacher, point_a, false, book, len, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    expect_error(import_upload("students", a_staff, dist_a, false, book, len, &j), j, 422, "invalid_field", "org_id");
    json_decref(j);
    free(book);
    http_resp resp;
    assert_int_equal(api_full("GET", "/students/import/template.xlsx", a_staff, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "手机号"));
    assert_non_null(strstr(xml, "科普信息员"));
    free(xml);
    http_resp_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dry_run_then_commit),
        cmocka_unit_test(test_id_number_cells),
        cmocka_unit_test(test_bad_files_and_scope),
    };
    return run_api_tests(tests, setup, teardown);
}
