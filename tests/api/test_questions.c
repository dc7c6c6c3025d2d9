/* test_questions.c - the question bank over HTTP (issue 17 A): create and read with the current
 * version's options and answer; an edit of the content adds a version and keeps the old key
 * readable, an edit of the metadata does not; a reviewed question edited goes back to drafted;
 * every type's validation 422 (and a refused request writes nothing); review needs an
 * administrator of the owning node or above and a complete question; delete only a question
 * never reviewed, else retire; the Excel template, a dry run that reports every problem of a row
 * and writes nothing, the commit that writes exactly the valid rows; the export; the audit.
 *
 *   root(city) ─┬─ A(district)
 *               └─ B(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *city_staff, *city_admin, *a_staff, *a_admin;
static int64_t root, dist_a, dist_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "题库甲区");
    dist_b = create_org(admin, root, "district", "题库乙区");
    create_user(admin, "qz_city", root, "staff", "subtree", 0);
    create_user(admin, "qz_city_admin", root, "org_admin", "subtree", 0);
    create_user(admin, "qz_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "qz_a_admin", dist_a, "org_admin", "subtree", 0);
    city_staff = login("qz_city", USER_PASSWORD);
    city_admin = login("qz_city_admin", USER_PASSWORD);
    a_staff = login("qz_a", USER_PASSWORD);
    a_admin = login("qz_a_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city_staff), free(city_admin), free(a_staff), free(a_admin);
    return server_stop(state);
}

static int64_t create_single(const char *token, const char *stem)
{
    json_t *j = NULL;
    expect_status(api("POST", "/questions", token,
                      jpack("{s:s, s:s, s:i, s:s, s:[s,s,s], s:s, s:s}", "type", "single", "category", "health",
                            "difficulty", 2, "stem", stem, "options", "3 克", "5 克", "10 克", "answer", "B",
                            "explanation", "膳食指南建议不超过 5 克"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_create_edit_keeps_old_versions(void **state)
{
    (void)state;
    int64_t id = create_single(city_staff, "成年人每天食盐不宜超过多少克？");
    json_t *j = NULL;
    expect_status(api("GET", P("/questions/%lld", (long long)id), city_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "drafted");
    assert_int_equal(jint(j, "version"), 1);
    assert_string_equal(jstr(j, "answer"), "B");
    assert_string_equal(jstr(j, "options.1"), "5 克");
    assert_int_equal(jint(j, "org_id"), root);
    json_decref(j);
    /* metadata only: no version */
    expect_status(api("PATCH", P("/questions/%lld", (long long)id), city_staff, jpack("{s:i}", "difficulty", 3), &j), j, 200);
    assert_int_equal(jint(j, "version"), 1);
    assert_int_equal(jint(j, "difficulty"), 3);
    json_decref(j);
    /* the answer and options change: version 2 */
    expect_status(api("PATCH", P("/questions/%lld", (long long)id), city_staff,
                      jpack("{s:[s,s,s,s], s:s}", "options", "2 克", "3 克", "6 克", "5 克", "answer", "D"), &j), j, 200);
    assert_int_equal(jint(j, "version"), 2);
    assert_string_equal(jstr(j, "answer"), "D");
    json_decref(j);
    expect_status(api("GET", P("/questions/%lld/versions", (long long)id), city_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_int_equal(jint(j, "items.0.version"), 2);
    assert_int_equal(jint(j, "items.1.version"), 1);
    assert_string_equal(jstr(j, "items.1.answer"), "B");          /* version 1 keeps its key */
    assert_string_equal(jstr(j, "items.1.options.1"), "5 克");
    assert_string_equal(jstr(j, "items.0.options.3"), "5 克");
    json_decref(j);
    /* the same key spelled otherwise is no change */
    expect_status(api("PATCH", P("/questions/%lld", (long long)id), city_staff, jpack("{s:s}", "answer", "d"), &j), j, 200);
    assert_int_equal(jint(j, "version"), 2);
    assert_string_equal(jstr(j, "answer"), "D");
    json_decref(j);
    /* reviewed, then its stem edited: version 3, drafted again (reviewed once, so not deletable) */
    expect_status(api("POST", P("/questions/%lld/review", (long long)id), city_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "reviewed");
    assert_true(jint(j, "reviewed_by") > 0);
    json_decref(j);
    expect_status(api("PATCH", P("/questions/%lld", (long long)id), city_staff,
                      jpack("{s:s}", "stem", "成年人每天食盐摄入不宜超过多少克？"), &j), j, 200);
    assert_int_equal(jint(j, "version"), 3);
    assert_string_equal(jstr(j, "status"), "drafted");
    json_decref(j);
    expect_api_error("DELETE", P("/questions/%lld", (long long)id), city_staff, NULL, 409, "not_deletable", "status");
    expect_status(api("POST", P("/questions/%lld/retire", (long long)id), city_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "retired");
    json_decref(j);
    expect_api_error("PATCH", P("/questions/%lld", (long long)id), city_staff, jpack("{s:i}", "difficulty", 1), 409,
                     "wrong_state", "status");
    expect_api_error("POST", P("/questions/%lld/review", (long long)id), city_admin, NULL, 409, "wrong_state", "status");
    /* a draft never reviewed is deleted with its versions */
    int64_t gone = create_single(city_staff, "要删除的题");
    expect_status(api("DELETE", P("/questions/%lld", (long long)gone), city_staff, NULL, &j), j, 204);
    json_decref(j);
    expect_api_error("GET", P("/questions/%lld", (long long)gone), city_staff, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/questions/%lld/versions", (long long)gone), city_staff, NULL, 404, "not_found", "*");
    /* the audit has each step */
    expect_status(api("GET", P("/audit?entity=question&entity_id=%lld", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 7);   /* create, update x4, review, retire */
    json_decref(j);
}

static void test_other_types_and_validation(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/questions", a_staff,
                      jpack("{s:s, s:s, s:i, s:s, s:[s,s,s,s], s:[s,s]}", "type", "multiple", "category", "lit_method",
                            "difficulty", 3, "stem", "下列哪些属于科学方法？", "options", "观察", "实验", "迷信", "假设",
                            "answer", "A", "B"), &j), j, 201);
    assert_int_equal(jint(j, "org_id"), dist_a);
    json_decref(j);
    expect_status(api("POST", "/questions", a_staff,
                      jpack("{s:s, s:s, s:i, s:s, s:b}", "type", "true_false", "category", "anti_fraud", "difficulty", 1,
                            "stem", "公检法机关会通过电话要求转账到“安全账户”。", "answer", 0), &j), j, 201);
    assert_true(json_is_false(jget(j, "answer")));
    assert_true(json_is_null(jget(j, "options")));
    json_decref(j);
    expect_status(api("POST", "/questions", a_staff,
                      jpack("{s:s, s:s, s:i, s:s, s:[s,s]}", "type", "fill_in", "category", "lit_knowledge", "difficulty", 2,
                            "stem", "植物进行光合作用吸收的气体是____。", "answer", "二氧化碳", "CO2"), &j), j, 201);
    json_decref(j);
    int64_t total = list_total(admin, "/questions");
    /* every type's rule, each a 422 on its field, nothing written */
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s,s], s:s}", "type", "single", "category", "health", "difficulty", 1,
                           "stem", "s", "options", "a", "b", "answer", "C"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s,s], s:[s,s]}", "type", "single", "category", "health", "difficulty", 1,
                           "stem", "s", "options", "a", "b", "answer", "A", "B"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s], s:s}", "type", "single", "category", "health", "difficulty", 1,
                           "stem", "s", "options", "a", "answer", "A"), 422, "invalid_field", "options");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s,s,s], s:[s]}", "type", "multiple", "category", "health", "difficulty", 1,
                           "stem", "s", "options", "a", "b", "c", "answer", "A"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:s}", "type", "true_false", "category", "health", "difficulty", 1,
                           "stem", "s", "answer", "对"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s,s], s:b}", "type", "true_false", "category", "health", "difficulty", 1,
                           "stem", "s", "options", "a", "b", "answer", 1), 422, "invalid_field", "options");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s,s,s,s,s,s]}", "type", "fill_in", "category", "health", "difficulty", 1,
                           "stem", "s", "answer", "1", "2", "3", "4", "5", "6"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[]}", "type", "fill_in", "category", "health", "difficulty", 1,
                           "stem", "s", "answer"), 422, "invalid_field", "answer");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s]}", "type", "essay", "category", "health", "difficulty", 1,
                           "stem", "s", "answer", "x"), 422, "invalid_field", "type");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s]}", "type", "fill_in", "category", "astrology", "difficulty", 1,
                           "stem", "s", "answer", "x"), 422, "invalid_field", "category");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s, s:[s]}", "type", "fill_in", "category", "health", "difficulty", 6,
                           "stem", "s", "answer", "x"), 422, "invalid_field", "difficulty");
    expect_api_error("POST", "/questions", a_staff,
                     jpack("{s:s, s:s, s:i, s:s}", "type", "fill_in", "category", "health", "difficulty", 1,
                           "stem", "s"), 422, "invalid_field", "answer");
    assert_int_equal(list_total(admin, "/questions"), total);
    /* an edit that breaks the key is refused and changes nothing; the type is fixed */
    int64_t id = create_single(a_staff, "改坏的题");
    expect_api_error("PATCH", P("/questions/%lld", (long long)id), a_staff, jpack("{s:s}", "answer", "D"), 422,
                     "invalid_field", "answer");
    expect_api_error("PATCH", P("/questions/%lld", (long long)id), a_staff, jpack("{s:s}", "type", "multiple"), 422,
                     "read_only_field", "type");
    expect_status(api("GET", P("/questions/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "version"), 1);
    assert_int_equal(json_array_size(jget(j, "options")), 3);
    json_decref(j);
    /* filters */
    assert_int_equal(list_total(a_staff, "/questions?type=true_false&category=anti_fraud"), 1);
    assert_int_equal(list_total(a_staff, P("/questions?q=%s", "%E5%85%89%E5%90%88")), 1);   /* 光合 */
    expect_api_error("GET", "/questions?type=essay", a_staff, NULL, 422, "invalid_field", "type");
}

static void test_review_needs_an_admin_of_the_owner(void **state)
{
    (void)state;
    int64_t city_q = create_single(city_staff, "市级题待审");
    int64_t a_q = create_single(a_staff, "区级题待审");
    json_t *j = NULL;
    expect_api_error("POST", P("/questions/%lld/review", (long long)a_q), a_staff, NULL, 403, "forbidden", "*");
    /* a district's administrator reads the city's question but does not review it */
    expect_status(api("GET", P("/questions/%lld", (long long)city_q), a_admin, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/questions/%lld/review", (long long)city_q), a_admin, NULL, 404, "not_found", "*");
    expect_status(api("POST", P("/questions/%lld/review", (long long)a_q), a_admin, NULL, &j), j, 200);
    json_decref(j);
    /* the city's administrator reviews below it */
    int64_t a_q2 = create_single(a_staff, "区级题由市审");
    expect_status(api("POST", P("/questions/%lld/review", (long long)a_q2), city_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "reviewed");
    json_decref(j);
    expect_status(api("POST", P("/questions/%lld/review", (long long)city_q), city_admin, NULL, &j), j, 200);
    json_decref(j);
}

static const char *const headers[] = {"题型", "分类", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "来源"};
enum { NH = sizeof headers / sizeof *headers };

static char *workbook(size_t *len)
{
    static const char *const cells[] = {
        "单选", "健康", "2", "导入单选题", "甲", "乙", "丙", "丁", "C", "解析", "来源",
        "多选", "火星", "9", "坏行：分类、难度、答案都错", "甲", "乙", "丙", "", "AE", "", "",
        "判断", "防诈骗", "1", "导入判断题", "", "", "", "", "错", "", "",
        "单选", "健康", "2", "选项有空缺", "甲", "", "丙", "", "A", "", "",
        "填空", "基本科学知识", "3", "水的化学式是____。", "", "", "", "", "H2O|水", "", "",
        "问答", "健康", "2", "", "", "", "", "", "", "", "",
    };
    return import_workbook(NH, headers, cells, NH, 6, len);
}

static void test_import_dry_run_then_commit(void **state)
{
    (void)state;
    expect_import_template(city_staff, "questions", "题干", false, "成年人每天食盐摄入量不宜超过多少克？", "单选");
    size_t len;
    char *bytes = workbook(&len);
    int64_t total = list_total(admin, "/questions");
    json_t *j = NULL;
    expect_status(import_upload("questions", a_staff, dist_a, false, bytes, len, &j), j, 200);
    assert_int_equal(jint(j, "rows"), 6);
    assert_int_equal(jint(j, "valid"), 3);
    assert_int_equal(jint(j, "imported"), 0);
    json_t *errors = jget(j, "errors");
    assert_string_equal(row_fields(errors, 3), "category,difficulty,answer");   /* every problem of the row */
    assert_string_equal(row_fields(errors, 5), "options");
    assert_string_equal(row_fields(errors, 7), "type,stem");
    assert_string_equal(row_fields(errors, 2), "");
    json_decref(j);
    assert_int_equal(list_total(admin, "/questions"), total);
    /* another district's unit: 404, nothing told */
    expect_status(import_upload("questions", a_staff, dist_b, false, bytes, len, &j), j, 404);
    json_decref(j);
    expect_status(import_upload("questions", a_staff, dist_a, true, bytes, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 3);
    json_decref(j);
    free(bytes);
    assert_int_equal(list_total(admin, "/questions"), total + 3);
    expect_status(api("GET", P("/questions?org_id=%lld&q=%s", (long long)dist_a, "%E6%B0%B4%E7%9A%84"), a_staff, NULL, &j), j,
                  200);   /* 水的 */
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.type"), "fill_in");
    assert_string_equal(jstr(j, "items.0.answer.1"), "水");
    assert_string_equal(jstr(j, "items.0.status"), "drafted");
    json_decref(j);
}

static void test_export_is_the_list(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(api_full("GET", "/questions?format=xlsx&type=single", a_staff, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "导入单选题"));
    assert_non_null(strstr(xml, "市级题待审"));      /* the city's bank, read by the district */
    assert_null(strstr(xml, "导入判断题"));          /* filtered out */
    free(xml);
    http_resp_free(&resp);
    expect_api_error("GET", "/questions?format=pdf", a_staff, NULL, 422, "invalid_field", "format");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_edit_keeps_old_versions),
        cmocka_unit_test(test_other_types_and_validation),
        cmocka_unit_test(test_review_needs_an_admin_of_the_owner),
        cmocka_unit_test(test_import_dry_run_then_commit),
        cmocka_unit_test(test_export_is_the_list),
    };
    return run_api_tests(tests, setup, teardown);
}
