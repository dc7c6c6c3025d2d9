/* test_volunteers_import.c - volunteers from the Excel template over HTTP: the dry run names every
 * bad row (check digit, future birth date, phone, an ID number twice in the file or already
 * registered, availability) without repeating a number and writes nothing; the commit registers
 * exactly the valid rows; scope (404) and role (403) hold; the template downloads; the export
 * masks the numbers. */
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
static int64_t root, dist_a, dist_b, street_a;
static int serial = 500;

/* A valid resident ID number: area 500103, the birth day, a serial, the GB 11643 check digit. */
static const char *id_number(const char *birth /* YYYYMMDD */)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    char body[18];
    snprintf(body, sizeof body, "500103%s%03d", birth, serial++ % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body[i] - '0') * w[i];
    return P("%s%c", body, check[sum % 11]);
}

static const char *phone(void) { return P("139%08d", serial++); }

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "导入志愿甲区");
    dist_b = create_org(admin, root, "district", "导入志愿乙区");
    street_a = create_org(admin, dist_a, "street", "导入志愿甲街道");
    create_user(admin, "vimp_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "vimp_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "vimp_a_teacher", dist_a, "teacher", "subtree", 0);
    a_staff = login("vimp_a_staff", USER_PASSWORD);
    b_staff = login("vimp_b_staff", USER_PASSWORD);
    a_teacher = login("vimp_a_teacher", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(a_teacher);
    return server_stop(state);
}

static void volunteer_at(int64_t org, char *idn, char *ph)
{
    snprintf(idn, 24, "%s", id_number("19900101"));
    if (ph) snprintf(ph, 16, "%s", phone());
    expect_status(api("POST", "/volunteers", a_staff,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", "已登记", "id_number", idn,
                            "phone", ph ? ph : phone()),
                      NULL),
                  NULL, 201);
}

static void test_import_dry_run_then_commit(void **state)
{
    (void)state;
    static const char *const headers[7] = {"姓名", "身份证号", "手机号", "性别", "技能特长", "服务领域", "服务时间"};
    char ok1[24], ok2[24], bad[24], future[24], taken[24];
    snprintf(ok1, sizeof ok1, "%s", id_number("19700101"));
    snprintf(ok2, sizeof ok2, "%s", id_number("19710101"));
    snprintf(bad, sizeof bad, "%s", id_number("19720101"));
    bad[17] = bad[17] == '1' ? '2' : '1';
    snprintf(future, sizeof future, "%s", id_number("20990101"));
    volunteer_at(dist_a, taken, NULL);
    char p1[16], p2[16];
    snprintf(p1, sizeof p1, "%s", phone());
    snprintf(p2, sizeof p2, "%s", phone());
    const char *const rows[][7] = {
        {"导入一", ok1, p1, "男", "科普讲解、摄影", "健康", "周末、晚上"},   /* row 2: fine */
        {"导入二", ok2, p2, "", "", "", ""},                                 /* row 3: fine */
        {"错校验", bad, "13900000001", "", "", "", ""},                      /* row 4: check digit */
        {"未来人", future, "13900000002", "", "", "", ""},                   /* row 5: birth date */
        {"坏手机", id_number("19730101"), "2390000000", "", "", "", ""},     /* row 6: phone */
        {"重复行", ok1, "13900000003", "", "", "", ""},                      /* row 7: twice in file */
        {"已注册", taken, "13900000004", "", "", "", ""},                    /* row 8: registered */
        {"坏时间", id_number("19740101"), "13900000005", "", "", "", "随时"}, /* row 9: availability */
    };
    size_t len;
    char *book = import_workbook(7, headers, *rows, 7, 8, &len);
    int64_t before = list_total(a_staff, P("/volunteers?org_id=%lld", (long long)street_a));
    json_t *j = NULL;
    expect_status(import_upload("volunteers", a_staff, street_a, false, book, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 2);
    assert_int_equal(jint(j, "imported"), 0);
    json_t *errors = jget(j, "errors");
    assert_int_equal(json_array_size(errors), 6);
    expect_row_error(errors, 4, "id_number");
    expect_row_error(errors, 5, "id_number");
    expect_row_error(errors, 6, "phone");
    expect_row_error(errors, 7, "id_number");
    expect_row_error(errors, 8, "id_number");
    expect_row_error(errors, 9, "availability");
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, bad));
    assert_null(strstr(text, taken));
    free(text);
    json_decref(j);
    assert_int_equal(list_total(a_staff, P("/volunteers?org_id=%lld", (long long)street_a)), before);
    /* scope and role */
    expect_status(import_upload("volunteers", b_staff, street_a, false, book, len, &j), j, 404);
    json_decref(j);
    expect_status(import_upload("volunteers", a_teacher, street_a, false, book, len, &j), j, 403);
    json_decref(j);
    expect_status(import_upload("volunteers", a_staff, street_a, true, book, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 2);
    json_decref(j);
    free(book);
    assert_int_equal(list_total(a_staff, P("/volunteers?org_id=%lld", (long long)street_a)), before + 2);
    expect_status(api("GET", P("/volunteers?id_number=%s", ok1), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "items.0.source"), "import");
    assert_string_equal(jstr(j, "items.0.availability.1"), "evenings");
    assert_string_equal(jstr(j, "items.0.skills.1"), "摄影");
    json_decref(j);
    /* the template and the export (numbers masked) */
    http_resp resp;
    expect_status(api_full("GET", "/volunteers/import/template.xlsx", a_staff, NULL, &resp), NULL, 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "身份证号"));
    free(xml);
    http_resp_free(&resp);
    expect_status(api_full("GET", P("/volunteers/export?org_id=%lld", (long long)street_a), a_staff, NULL, &resp), NULL,
                  200);
    xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "志愿者编号"));
    assert_non_null(strstr(xml, "导入一"));
    assert_null(strstr(xml, ok1));
    assert_null(strstr(xml, p1));
    assert_non_null(strstr(xml, P("%.3s****%s", p1, p1 + 7)));
    assert_null(strstr(xml, "+08:00"));   /* 注册时间 is a date cell, not RFC 3339 text */
    free(xml);
    http_resp_free(&resp);
    expect_api_error("GET", "/volunteers/export", a_teacher, NULL, 403, "forbidden", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_dry_run_then_commit),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
