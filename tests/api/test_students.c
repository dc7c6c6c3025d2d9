/* test_students.c - students over HTTP: enrolment at a point with the phone required and
 * unique per point (409), ID numbers checked (GB 11643 and the birth date), numbers masked in
 * every answer and the export, search by name and by the exact phone, filters, soft delete,
 * scope (404), roles (403), audit, and bad input as 422 naming the field. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_staff, *b_staff, *teacher;
static int64_t root, dist_a, dist_b, point_a, point_a2, point_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "学员甲区");
    dist_b = create_org(admin, root, "district", "学员乙区");
    point_a = create_org(admin, dist_a, "point", "甲区一号教学点");
    point_a2 = create_org(admin, dist_a, "point", "甲区二号教学点");
    point_b = create_org(admin, dist_b, "point", "乙区教学点");
    create_user(admin, "stu_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "stu_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "stu_teacher", point_a, "teacher", "org", 0);
    a_staff = login("stu_a_staff", USER_PASSWORD);
    b_staff = login("stu_b_staff", USER_PASSWORD);
    teacher = login("stu_teacher", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(teacher);
    return server_stop(state);
}

static int64_t enrol(const char *token, int64_t org, const char *name, const char *phone, const char *id_number)
{
    json_t *j = NULL;
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:s, s:b}", "org_id", (json_int_t)org, "name", name, "phone", phone,
                         "gender", "female", "age_group", "60_69", "informant", 1);
    if (id_number) json_object_set_new(body, "id_number", json_string(id_number));
    expect_status(api("POST", "/students", token, body, &j), j, 201);
    int64_t id = jint(j, "id");
    char *dump = json_dumps(j, 0);
    assert_null(strstr(dump, phone));
    if (id_number) assert_null(strstr(dump, id_number));
    free(dump);
    json_decref(j);
    return id;
}

static void test_enrol_masked_and_unique_per_point(void **state)
{
    (void)state;
    int64_t id = enrol(a_staff, point_a, "张桂兰", "13712340001", "11010519491231002X");
    json_t *j = NULL;
    expect_status(api("GET", P("/students/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "phone"), "137****0001");
    assert_string_equal(jstr(j, "id_number"), "1101**********002X");
    assert_true(json_is_true(jget(j, "informant")));
    assert_string_equal(jstr(j, "status"), "active");
    assert_string_equal(jstr(j, "source"), "staff");
    json_decref(j);
    /* the same phone at the same point: 409; at another point: a student there too */
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "另一人",
                     "phone", "13712340001"), 409, "duplicate", "phone");
    enrol(a_staff, point_a2, "张桂兰", "13712340001", NULL);
    assert_int_equal(list_total(admin, P("/audit?entity=student&entity_id=%lld", (long long)id)), 1);
}

static void test_bad_input_names_the_field(void **state)
{
    (void)state;
    const json_int_t pa = (json_int_t)point_a;
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s}", "org_id", pa, "name", "无电话"), 422, "required", "phone");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s}", "org_id", pa, "name", "甲", "phone", "1234"),
                     422, "invalid_field", "phone");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s}", "org_id", pa, "phone", "13712340009"), 422,
                     "required", "name");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s, s:s}", "org_id", pa, "name", "甲", "phone",
                     "13712340009", "id_number", "110105194912310021"), 422, "invalid_field", "id_number");
    /* a valid check digit but the 31st of February */
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s, s:s}", "org_id", pa, "name", "甲", "phone",
                     "13712340009", "id_number", "110105194902310026"), 422, "invalid_field", "id_number");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s, s:s}", "org_id", pa, "name", "甲", "phone",
                     "13712340009", "age_group", "old"), 422, "invalid_field", "age_group");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "甲",
                     "phone", "13712340009"), 422, "invalid_field", "org_id");
    expect_api_error("POST", "/students", a_staff, jpack("{s:I, s:s, s:s, s:i}", "org_id", pa, "name", "甲", "phone",
                     "13712340009", "attendance", 3), 422, "read_only_field", "attendance");
    expect_api_error("GET", "/students?phone=137", a_staff, NULL, 422, "invalid_field", "phone");
    expect_api_error("GET", "/students?status=gone", a_staff, NULL, 422, "invalid_field", "status");
    expect_api_error("GET", "/students?informant=maybe", a_staff, NULL, 422, "invalid_field", "informant");
    assert_int_equal(list_total(a_staff, "/students?phone=13712340009"), 0);
}

static void test_search_filters_update_delete(void **state)
{
    (void)state;
    int64_t id = enrol(a_staff, point_a, "欧阳修远", "13712340002", NULL);
    assert_int_equal(list_total(a_staff, "/students?phone=13712340002"), 1);
    char *q = urlenc("欧阳");
    assert_int_equal(list_total(a_staff, P("/students?q=%s", q)), 1);
    free(q);
    assert_true(list_total(a_staff, P("/students?org_id=%lld&informant=true&age_group=60_69", (long long)point_a)) >= 2);
    json_t *j = NULL;
    expect_status(api("PATCH", P("/students/%lld", (long long)id), a_staff,
                      jpack("{s:s, s:b, s:s}", "age_group", "70_plus", "informant", 0, "phone", "13712340003"), &j), j, 200);
    assert_string_equal(jstr(j, "age_group"), "70_plus");
    assert_string_equal(jstr(j, "phone"), "137****0003");
    json_decref(j);
    assert_int_equal(list_total(a_staff, "/students?phone=13712340002"), 0);
    assert_int_equal(list_total(a_staff, "/students?phone=13712340003"), 1);
    expect_status(api("DELETE", P("/students/%lld", (long long)id), a_staff, NULL, NULL), NULL, 204);
    expect_status(api("GET", P("/students/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "left");
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=student&entity_id=%lld", (long long)id)), 3);
}

static void test_scope_and_roles(void **state)
{
    (void)state;
    int64_t id = enrol(a_staff, point_a, "孙丽", "13712340004", NULL);
    expect_api_error("GET", P("/students/%lld", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("PATCH", P("/students/%lld", (long long)id), b_staff, jpack("{s:s}", "name", "改"), 404, "not_found", "*");
    expect_api_error("DELETE", P("/students/%lld", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/students/%lld/attendance", (long long)id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("POST", "/students", b_staff, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "越界",
                     "phone", "13712340005"), 404, "not_found", "org_id");
    assert_int_equal(list_total(b_staff, "/students?phone=13712340004"), 0);
    /* a list or export filtered to a point outside the scope: 404 naming org_id, not an empty list */
    expect_api_error("GET", P("/students?org_id=%lld", (long long)point_a), b_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/students/export?org_id=%lld", (long long)point_a), b_staff, NULL, 404, "not_found",
                     "org_id");
    assert_int_equal(list_total(a_staff, "/students?informant=0&phone=13712340004"), 0);
    assert_int_equal(list_total(a_staff, "/students?informant=1&phone=13712340004"), 1);
    /* a teacher (member) reads but does not write */
    assert_true(list_total(teacher, "/students") >= 1);
    expect_api_error("POST", "/students", teacher, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "教师",
                     "phone", "13712340006"), 403, "forbidden", "*");
    expect_api_error("DELETE", P("/students/%lld", (long long)id), teacher, NULL, 403, "forbidden", "*");
}

static void test_export_masks_numbers(void **state)
{
    (void)state;
    http_resp r;
    api_full("GET", P("/students/export?org_id=%lld", (long long)dist_a), a_staff, NULL, &r);
    assert_int_equal(r.status, 200);
    char *xml = xlsx_sheet_xml(&r);
    assert_non_null(strstr(xml, "137****0001"));
    assert_null(strstr(xml, "13712340001"));
    assert_non_null(strstr(xml, "1101**********002X"));
    free(xml);
    http_resp_free(&r);
    api_full("GET", "/students/export", b_staff, NULL, &r);
    assert_int_equal(r.status, 200);
    xml = xlsx_sheet_xml(&r);
    assert_null(strstr(xml, "137****0001"));
    free(xml);
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enrol_masked_and_unique_per_point),
        cmocka_unit_test(test_bad_input_names_the_field),
        cmocka_unit_test(test_search_filters_update_delete),
        cmocka_unit_test(test_scope_and_roles),
        cmocka_unit_test(test_export_masks_numbers),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
