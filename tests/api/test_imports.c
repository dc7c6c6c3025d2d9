/* test_imports.c - the Excel import runner as staff meet it (issue 14 items 13, 14, 18): the
 * templates carry text-formatted ID/phone columns, drop-downs and an instructions sheet, and
 * their data sheet holds no example to import; a row's every problem is reported; headers match
 * forgivingly (blanks, full-width spaces, synonyms) and an unknown one is refused by name; yes/no
 * cells take 是/否, Y/N, TRUE/FALSE, 1/0 and nothing else; names are trimmed; the row limit is
 * stated; the activity register imports with the same dry run, per-row errors and commit, its
 * roll-ups exact afterwards. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>

static char *admin, *a_staff, *b_staff;
static int64_t root, dist_a, dist_b, point_a;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "导入规则甲区");
    dist_b = create_org(admin, root, "district", "导入规则乙区");
    point_a = create_org(admin, dist_a, "point", "导入规则教学点");
    create_user(admin, "imr_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "imr_b_staff", dist_b, "staff", "subtree", 0);
    a_staff = login("imr_a_staff", USER_PASSWORD);
    b_staff = login("imr_b_staff", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff);
    return server_stop(state);
}

#define MAXC 16   /* the width of the rows below */

static void test_templates(void **state)
{
    (void)state;
    expect_import_template(a_staff, "students", "手机号", true, "张三", "男");
    expect_import_template(a_staff, "volunteers", "身份证号", true, "张三", "女");
    expect_import_template(a_staff, "activities", "活动名称", false, "社区科普讲座", "讲座");
}

static const char *const stu_headers[MAXC] = {"姓名", "手机号", "性别", "年龄段", "身份证号", "科普信息员"};

/* Item 13: every problem of a row, not the first. */
static void test_every_error_of_a_row(void **state)
{
    (void)state;
    static const char *const rows[][MAXC] = {
        {"错很多", "1380000", "X", "百岁", "110105194912310021", "也许"},     /* row 2: six problems */
        {"王一", "13700000001", "男", "", "", ""},                            /* row 3: fine */
    };
    size_t len;
    char *book = import_workbook(6, stu_headers, *rows, MAXC, 2, &len);
    json_t *j = NULL;
    expect_status(import_upload("students", a_staff, point_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 1);
    assert_string_equal(row_fields(jget(j, "errors"), 2), "phone,gender,age_group,id_number,informant");
    assert_string_equal(row_fields(jget(j, "errors"), 3), "");
    json_decref(j);
    free(book);
}

/* Item 18: headers with blanks and synonyms map to their columns; an unknown one is refused by
 * name; names and numbers are trimmed. */
static void test_forgiving_headers(void **state)
{
    (void)state;
    static const char *const headers[MAXC] = {"\u3000姓 名", "手机号码", "性别 ", "身份证号码", " 科普信息员\u00a0"};
    static const char *const rows[][MAXC] = {
        {"  宽头王  ", " 13700000011 ", "女", "11010519491231002X", "Y"},
    };
    size_t len;
    char *book = import_workbook(5, headers, *rows, MAXC, 1, &len);
    json_t *j = NULL;
    expect_status(import_upload("students", a_staff, point_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 1);
    json_decref(j);
    free(book);
    expect_status(api("GET", "/students?phone=13700000011", a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.name"), "宽头王");          /* trimmed */
    assert_string_equal(jstr(j, "items.0.gender"), "female");      /* "性别 " was read */
    assert_string_equal(jstr(j, "items.0.id_number"), "1101**********002X");   /* 身份证号码 was read */
    assert_true(json_is_true(jget(j, "items.0.informant")));
    json_decref(j);
    static const char *const unknown[MAXC] = {"姓名", "手机号", "身份证号码", "备注"};
    book = import_workbook(4, unknown, *rows, MAXC, 1, &len);
    expect_error(import_upload("students", a_staff, point_a, false, book, len, &j), j, 422, "unknown_column", "file");
    assert_non_null(strstr(jstr(j, "error.message"), "备注"));
    json_decref(j);
    free(book);
}

/* Item 18: yes/no cells. */
static void test_yes_no(void **state)
{
    (void)state;
    static const char *const rows[][MAXC] = {
        {"是一", "13700000021", "", "", "", "是"},   {"是二", "13700000022", "", "", "", "y"},
        {"是三", "13700000023", "", "", "", "TRUE"}, {"是四", "13700000024", "", "", "", "#n:1"},
        {"否一", "13700000025", "", "", "", "否"},   {"否二", "13700000026", "", "", "", "N"},
        {"否三", "13700000027", "", "", "", "false"}, {"否四", "13700000028", "", "", "", "0"},
        {"坏一", "13700000029", "", "", "", "可能"}, {"坏二", "13700000030", "", "", "", "yes please"},
    };
    size_t len;
    char *book = import_workbook(6, stu_headers, *rows, MAXC, 10, &len);
    json_t *j = NULL;
    expect_status(import_upload("students", a_staff, point_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 8);
    assert_string_equal(row_fields(jget(j, "errors"), 10), "informant");
    assert_string_equal(row_fields(jget(j, "errors"), 11), "informant");
    json_decref(j);
    free(book);
    expect_status(api("GET", P("/students?org_id=%lld&informant=true&page_size=100", (long long)point_a), a_staff, NULL,
                      &j), j, 200);
    size_t i;
    json_t *s;
    int yes = 0;
    json_array_foreach(jget(j, "items"), i, s) if (!strncmp(jstr(s, "name"), "是", 3)) yes++;
    else if (!strncmp(jstr(s, "name"), "否", 3)) fail_msg("%s is no informant", jstr(s, "name"));
    assert_int_equal(yes, 4);
    json_decref(j);
}

/* Item 18: the row-limit error states the limit. */
static void test_row_limit_stated(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/limit.xlsx", server_dir());
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "手机号", NULL);
    for (lxw_row_t r = 1; r <= 5001; r++) worksheet_write_string(ws, r, 0, "多", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    char *bytes = file_bytes_removed(path, &len);
    json_t *j = NULL;
    expect_error(import_upload("students", a_staff, point_a, false, bytes, len, &j), j, 422, "workbook_too_large", "max_rows");
    assert_non_null(strstr(jstr(j, "error.message"), "5000"));
    json_decref(j);
    free(bytes);
}

static const char *const act_headers[MAXC] = {"活动名称", "活动类型", "开始日期", "结束日期", "地点", "活动对象",
                                              "参与人数", "发放资料", "短视频", "线上观看", "志愿者人数",
                                              "志愿服务时长", "经费（元）", "标签", "协办单位", "活动简介"};

static int64_t participants(const char *token, int64_t org)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=2026&metrics=participants", (long long)org), token, NULL, &j),
                  j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), "participants"));
    json_decref(j);
    return v;
}

/* Item 14: the activity register's import: dry run with every problem of a row, then commit. */
static void test_activities_import(void **state)
{
    (void)state;
    static const char *const rows[][MAXC] = {
        /* row 2: an Excel date (2026-03-01), the kind by name, the audience by name */
        {"导入讲座一", "讲座", "#n:46082", "", "社区中心", "老年人", "#n:120", "300", "", "", "5", "10", "2000", "健康、防诈骗", "", ""},
        /* row 3: dates as text, the kind by code */
        {"导入培训二", "training", "2026/3/5", "2026年3月6日", "", "", "40", "", "", "", "", "", "", "", "区科协", "简介"},
        /* row 4: kind, dates, audience and a count all wrong */
        {"导入错行", "不存在", "2026-02-30", "明天", "", "外星人", "-3", "1.5", "", "", "", "", "", "", "", ""},
        /* row 5: ends before it starts; participants missing */
        {"导入倒序", "讲座", "2026-03-09", "2026-03-08", "", "", "", "", "", "", "", "", "", "", "", ""},
        {"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},   /* blank */
    };
    size_t len;
    char *book = import_workbook(16, act_headers, *rows, MAXC, 5, &len);
    int64_t before = list_total(a_staff, P("/activities?org_id=%lld", (long long)dist_a));
    int64_t people = participants(a_staff, dist_a), city = participants(admin, root);
    json_t *j = NULL;
    expect_status(import_upload("activities", a_staff, dist_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 2);
    assert_int_equal(jint(j, "imported"), 0);
    json_t *errors = jget(j, "errors");
    assert_string_equal(row_fields(errors, 4), "kind,start_date,end_date,audience,participants,materials");
    assert_string_equal(row_fields(errors, 5), "end_date,participants");
    json_decref(j);
    assert_int_equal(list_total(a_staff, P("/activities?org_id=%lld", (long long)dist_a)), before);
    expect_error(import_upload("activities", b_staff, dist_a, false, book, len, &j), j, 404, "not_found", "org_id");
    json_decref(j);
    expect_status(import_upload("activities", a_staff, dist_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 2);
    json_decref(j);
    free(book);
    assert_int_equal(list_total(a_staff, P("/activities?org_id=%lld", (long long)dist_a)), before + 2);
    char *q = urlenc("导入讲座一");
    expect_status(api("GET", P("/activities?q=%s", q), a_staff, NULL, &j), j, 200);
    free(q);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.start_date"), "2026-03-01");
    assert_string_equal(jstr(j, "items.0.end_date"), "2026-03-01");
    assert_string_equal(jstr(j, "items.0.kind"), "lecture");
    assert_string_equal(jstr(j, "items.0.audience"), "elderly");
    assert_string_equal(jstr(j, "items.0.tags.1"), "防诈骗");
    assert_int_equal(jint(j, "items.0.participants"), 120);
    assert_int_equal(jint(j, "items.0.funds"), 2000);
    json_decref(j);
    q = urlenc("导入培训二");
    expect_status(api("GET", P("/activities?q=%s", q), a_staff, NULL, &j), j, 200);
    free(q);
    assert_string_equal(jstr(j, "items.0.start_date"), "2026-03-05");
    assert_string_equal(jstr(j, "items.0.end_date"), "2026-03-06");
    assert_string_equal(jstr(j, "items.0.kind"), "training");
    assert_string_equal(jstr(j, "items.0.co_organizers"), "区科协");
    json_decref(j);
    /* the roll-ups took the imported records, at the unit and above (stats_verify_test: exactly) */
    assert_int_equal(participants(a_staff, dist_a), people + 160);
    assert_int_equal(participants(admin, root), city + 160);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_every_error_of_a_row),
        cmocka_unit_test(test_forgiving_headers),
        cmocka_unit_test(test_yes_no),
        cmocka_unit_test(test_row_limit_stated),
        cmocka_unit_test(test_activities_import),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
