/* test_teachers.c - the teacher pool over HTTP: records with ID numbers and phones validated,
 * encrypted and always masked; the certification chain (propose, certify or return with a
 * reason, file, city pool) with its upper-level rules and wrong-state refusals; the appointment
 * letter's PDF (text through pdftotext, QR code through pdftoppm + zbarimg) and its public
 * verification; serial numbers per issuer and year; the excellent-teacher selection. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *a_staff, *pa_staff, *b_admin, *pa_member;
static int64_t root, dist_a, dist_b, point_a, point_b;
static int64_t t_point, t_district;      /* a point's teacher; a teacher the district keeps */
static char id_point[19], id_district[19];

/* A valid GB 11643 number: area, birth day (YYYYMMDD) and sequence, with its check digit. */
static void make_id(char out[19], const char *area, const char *birth, int seq)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "%s%s%03d", area, birth, seq % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * weights[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "师资甲区");
    dist_b = create_org(admin, root, "district", "师资乙区");
    point_a = create_org(admin, dist_a, "point", "甲区和平社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区幸福社区教学点");
    create_user(admin, "tch_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "tch_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "tch_pa_staff", point_a, "staff", "subtree", 0);
    create_user(admin, "tch_pa_member", point_a, "teacher", "org", 0);
    create_user(admin, "tch_b_admin", dist_b, "org_admin", "subtree", 0);
    a_admin = login("tch_a_admin", USER_PASSWORD);
    a_staff = login("tch_a_staff", USER_PASSWORD);
    pa_staff = login("tch_pa_staff", USER_PASSWORD);
    pa_member = login("tch_pa_member", USER_PASSWORD);
    b_admin = login("tch_b_admin", USER_PASSWORD);
    make_id(id_point, "500103", "19800512", 123);
    make_id(id_district, "500104", "19751130", 456);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(a_staff), free(pa_staff), free(b_admin), free(pa_member);
    return server_stop(state);
}

static json_t *teacher_body(int64_t org, const char *name, const char *id_number, const char *phone)
{
    return jpack("{s:I, s:s, s:s, s:s, s:s, s:[s, s], s:[s], s:s?}", "org_id", (json_int_t)org, "name", name,
                 "unit", "重庆医科大学附属第一医院", "title", "主任医师", "id_number", id_number, "specialties", "心血管",
                 "健康管理", "topics", "老年人健康", "phone", phone);
}

static int64_t create_teacher(const char *token, int64_t org, const char *name, const char *id_number,
                              const char *phone)
{
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", token, teacher_body(org, name, id_number, phone), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static json_t *step(const char *token, int64_t id, const char *action, json_t *body, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/teachers/%lld/%s", (long long)id, action), token, body, &j), j, want);
    return j;
}

static void test_create_masks_numbers_and_derives_gender(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", pa_staff, teacher_body(point_a, "李华", id_point, "13812345678"), &j), j, 201);
    t_point = jint(j, "id");
    assert_string_equal(jstr(j, "status"), "draft");
    assert_string_equal(jstr(j, "pool_level"), "district");
    assert_string_equal(jstr(j, "gender"), "male");        /* 17th digit 3: odd */
    assert_string_equal(jstr(j, "phone"), "138****5678");
    char masked[32];
    snprintf(masked, sizeof masked, "%.4s**********%s", id_point, id_point + 14);
    assert_string_equal(jstr(j, "id_number"), masked);
    assert_null(strstr(jstr(j, "id_number"), "19800512"));
    assert_string_equal(jstr(j, "specialties.1"), "健康管理");
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, id_point));
    assert_null(strstr(text, "13812345678"));
    free(text);
    json_decref(j);
    t_district = create_teacher(a_admin, dist_a, "王芳", id_district, "13987654321");
    /* the staff of the district sees both; the point's staff its own only */
    assert_int_equal(list_total(a_staff, "/teachers"), 2);
    assert_int_equal(list_total(pa_staff, "/teachers"), 1);
}

static void test_bad_numbers_are_refused_naming_the_field(void **state)
{
    (void)state;
    char bad[19], future[19], impossible[19], fresh[19];
    make_id(bad, "500103", "19900101", 7);
    bad[17] = bad[17] == '1' ? '2' : '1';       /* a wrong check digit */
    make_id(future, "500103", "20990101", 7);   /* born in the future, yet a correct check digit */
    make_id(impossible, "500103", "19990230", 7);
    make_id(fresh, "500103", "19900101", 8);
    int64_t before = list_total(admin, "/teachers");
    expect_api_error("POST", "/teachers", a_staff, teacher_body(point_a, "赵六", bad, "13800000000"), 422,
                     "invalid_field", "id_number");
    expect_api_error("POST", "/teachers", a_staff, teacher_body(point_a, "赵六", future, "13800000000"), 422,
                     "invalid_field", "id_number");
    expect_api_error("POST", "/teachers", a_staff, teacher_body(point_a, "赵六", impossible, "13800000000"), 422,
                     "invalid_field", "id_number");
    expect_api_error("POST", "/teachers", a_staff, teacher_body(point_a, "赵六", fresh, "12800000000"), 422,
                     "invalid_field", "phone");
    expect_api_error("POST", "/teachers", a_staff, teacher_body(point_a, "", fresh, "13800000000"), 422,
                     "invalid_field", "name");
    expect_api_error("POST", "/teachers", a_staff,
                     jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "name", "赵六", "id_number", fresh,
                           "status", "filed"), 422, "read_only_field", "status");
    /* the same person twice, even from another district */
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", b_admin, teacher_body(point_b, "李华", id_point, NULL), &j), j, 409);
    assert_string_equal(err_code(j), "duplicate");
    assert_string_equal(err_field(j), "id_number");
    assert_null(strstr(jstr(j, "error.message"), id_point));
    json_decref(j);
    assert_int_equal(list_total(admin, "/teachers"), before);
    /* roles and scope: a member cannot add; another district's unit is out of reach */
    expect_api_error("POST", "/teachers", pa_member, teacher_body(point_a, "赵六", fresh, NULL), 403, "forbidden", NULL);
    expect_api_error("POST", "/teachers", b_admin, teacher_body(point_a, "赵六", fresh, NULL), 404, "not_found", "org_id");
    assert_int_equal(list_total(admin, "/teachers"), before);
}

static void test_list_filters_update_and_scope(void **state)
{
    (void)state;
    char *q = urlenc("李");
    assert_int_equal(list_total(admin, P("/teachers?q=%s", q)), 1);
    free(q);
    assert_int_equal(list_total(admin, P("/teachers?org_id=%lld", (long long)point_a)), 1);
    assert_int_equal(list_total(admin, P("/teachers?org_id=%lld", (long long)dist_a)), 2);
    assert_int_equal(list_total(admin, "/teachers?status=draft&pool_level=district"), 2);
    assert_int_equal(list_total(admin, "/teachers?status=filed"), 0);
    json_t *j = NULL;
    expect_status(api("GET", "/teachers?page_size=1&page=2", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "total"), 2);
    json_decref(j);
    expect_api_error("GET", "/teachers?status=famous", admin, NULL, 422, "invalid_field", "status");
    expect_api_error("GET", P("/teachers?org_id=%lld", (long long)dist_a), b_admin, NULL, 404, "not_found", "org_id");
    /* another district's admin: the record does not exist */
    assert_int_equal(list_total(b_admin, "/teachers"), 0);
    expect_api_error("GET", P("/teachers/%lld", (long long)t_point), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("PATCH", P("/teachers/%lld", (long long)t_point), b_admin, jpack("{s:s}", "title", "x"), 404,
                     "not_found", NULL);
    expect_api_error("DELETE", P("/teachers/%lld", (long long)t_point), b_admin, NULL, 404, "not_found", NULL);
    /* an edit keeps the stored numbers when none is sent */
    expect_status(api("PATCH", P("/teachers/%lld", (long long)t_point), a_staff,
                      jpack("{s:s, s:[s]}", "title", "副主任医师", "topics", "慢病防治"), &j), j, 200);
    assert_string_equal(jstr(j, "title"), "副主任医师");
    assert_string_equal(jstr(j, "topics.0"), "慢病防治");
    assert_string_equal(jstr(j, "phone"), "138****5678");
    json_decref(j);
    expect_api_error("PATCH", P("/teachers/%lld", (long long)t_point), a_staff, jpack("{s:s}", "phone", "1381234"), 422,
                     "invalid_field", "phone");
    expect_api_error("PATCH", P("/teachers/%lld", (long long)t_point), a_staff, jpack("{s:s}", "id_number", id_district),
                     409, "duplicate", "id_number");
}

static void test_chain_with_its_rules(void **state)
{
    (void)state;
    json_t *j;
    /* wrong states: nothing to certify, file or pool yet */
    j = step(a_admin, t_point, "certify", NULL, 409);
    assert_string_equal(err_code(j), "wrong_state");
    json_decref(j);
    json_decref(step(admin, t_point, "file", NULL, 409));
    json_decref(step(admin, t_point, "city-pool", NULL, 409));
    /* the point proposes its teacher; the district returns it with a reason */
    json_decref(step(pa_member, t_point, "propose", NULL, 403));
    j = step(pa_staff, t_point, "propose", NULL, 200);
    assert_string_equal(jstr(j, "status"), "proposed");
    json_decref(j);
    json_decref(step(pa_staff, t_point, "propose", NULL, 409));
    json_decref(step(pa_staff, t_point, "certify", NULL, 403));     /* a staff role */
    expect_api_error("POST", P("/teachers/%lld/return", (long long)t_point), a_admin, jpack("{s:s}", "reason", ""), 422,
                     "invalid_field", "reason");
    expect_api_error("POST", P("/teachers/%lld/return", (long long)t_point), a_admin, NULL, 422, "required", "reason");
    expect_api_error("POST", P("/teachers/%lld/certify", (long long)t_point), b_admin, NULL, 404, "not_found", NULL);
    j = step(a_admin, t_point, "return", jpack("{s:s}", "reason", "请补充职称证明"), 200);
    assert_string_equal(jstr(j, "status"), "returned");
    json_decref(j);
    json_decref(step(pa_staff, t_point, "propose", NULL, 200));
    /* the district certifies: a letter is issued */
    expect_api_error("POST", P("/teachers/%lld/certify", (long long)t_point), a_admin, jpack("{s:i}", "term_years", 9),
                     422, "invalid_field", "term_years");
    j = step(a_admin, t_point, "certify", NULL, 200);
    assert_string_equal(jstr(j, "status"), "certified");
    json_decref(j);
    /* filing is the city's: not the district's */
    json_decref(step(a_admin, t_point, "file", NULL, 403));
    json_decref(step(admin, t_point, "city-pool", NULL, 409));
    json_decref(step(admin, t_point, "file", NULL, 200));
    j = step(admin, t_point, "city-pool", NULL, 200);
    assert_string_equal(jstr(j, "status"), "city_pool");
    assert_string_equal(jstr(j, "pool_level"), "city");
    json_decref(j);
    assert_int_equal(list_total(admin, "/teachers?pool_level=city"), 1);

    /* the district proposes its own teacher: it cannot certify its own proposal; the city can */
    json_decref(step(a_admin, t_district, "propose", NULL, 200));
    j = step(a_admin, t_district, "certify", NULL, 403);
    assert_string_equal(err_code(j), "forbidden");
    json_decref(j);
    json_decref(step(admin, t_district, "certify", NULL, 200));

    /* the page: every step with who and why, the letter */
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)t_point), a_staff, NULL, &j), j, 200);
    json_t *steps = jget(j, "steps");
    assert_int_equal(json_array_size(steps), 7);   /* create propose return propose certify file city_pool */
    assert_string_equal(jstr(j, "steps.2.action"), "return");
    assert_string_equal(jstr(j, "steps.2.reason"), "请补充职称证明");
    assert_string_equal(jstr(j, "steps.2.actor"), "tch_a_admin");
    assert_string_equal(jstr(j, "steps.2.actor_org_name"), "师资甲区");
    assert_int_equal(json_array_size(jget(j, "letters")), 1);
    assert_string_equal(jstr(j, "letters.0.issuer"), "师资甲区");
    assert_true(json_is_object(jget(j, "sections")));
    json_decref(j);
    expect_api_error("GET", P("/teachers/%lld/profile", (long long)t_point), b_admin, NULL, 404, "not_found", NULL);

    /* audited, masked */
    expect_status(api("GET", P("/audit?entity=teacher&entity_id=%lld", (long long)t_point), admin, NULL, &j), j, 200);
    assert_true(json_array_size(jget(j, "items")) >= 7);
    char *text = json_dumps(j, 0);
    assert_non_null(strstr(text, "certify"));
    assert_null(strstr(text, id_point));
    assert_null(strstr(text, "13812345678"));
    free(text);
    json_decref(j);
    expect_status(api("GET", "/audit?entity=teacher_letter", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
}

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(1, cap);
    size_t got;
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) n += got;
    pclose(p);
    return out;
}

static void test_letter_pdf_text_and_qr(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)t_point), admin, NULL, &j), j, 200);
    char serial[200], code[80];
    snprintf(serial, sizeof serial, "%s", jstr(j, "letters.0.serial"));
    snprintf(code, sizeof code, "%s", jstr(j, "letters.0.code"));
    json_decref(j);
    http_resp resp;
    assert_int_equal(api_full("GET", P("/teachers/%lld/letter.pdf", (long long)t_point), pa_member, NULL, &resp), 200);
    assert_true(resp.body_len > 1000);
    assert_memory_equal(resp.body, "%PDF", 4);
    char *type = resp_header(&resp, "Content-Type");
    assert_string_equal(type, "application/pdf");
    free(type);
    char path[300];
    snprintf(path, sizeof path, "%s/letter.pdf", server_dir());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(resp.body, 1, resp.body_len, f), resp.body_len);
    fclose(f);
    http_resp_free(&resp);

    char *text = run(P("pdftotext -enc UTF-8 '%s' - 2>/dev/null", path));
    if (!strstr(text, "李华") || !strstr(text, "聘书") || !strstr(text, serial) || !strstr(text, "师资甲区"))
        fail_msg("pdftotext: %s (serial %s)", text, serial);
    assert_null(strstr(text, id_point));
    free(text);
    char *qr = run(P("pdftoppm -png -r 150 -singlefile '%s' '%s/letter' && zbarimg -q --raw '%s/letter.png' 2>/dev/null",
                     path, server_dir(), server_dir()));
    char want[200];
    /* no KEPU_PUBLIC_URL: the address the request was served from (http/public_url.h) */
    snprintf(want, sizeof want, "http://127.0.0.1:%d/verify/letters/%s", server_port(), code);
    if (strncmp(qr, want, strlen(want)) != 0) fail_msg("QR code says \"%s\", want \"%s\"", qr, want);
    free(qr);

    /* no letter yet: a draft teacher */
    char id3[19];
    make_id(id3, "500103", "19850101", 31);
    int64_t t3 = create_teacher(a_staff, point_a, "陈明", id3, NULL);
    expect_api_error("GET", P("/teachers/%lld/letter.pdf", (long long)t3), a_staff, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/teachers/%lld/letter.pdf", (long long)t_point), b_admin, NULL, 404, "not_found", NULL);
}

static void test_public_verification_needs_no_login(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)t_point), admin, NULL, &j), j, 200);
    char code[80], serial[200];
    snprintf(code, sizeof code, "%s", jstr(j, "letters.0.code"));
    snprintf(serial, sizeof serial, "%s", jstr(j, "letters.0.serial"));
    json_decref(j);
    assert_int_equal(strlen(code), 32);
    expect_status(api("GET", P("/public/letters/%s", code), NULL, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "genuine")));
    assert_string_equal(jstr(j, "teacher_name"), "李华");
    assert_string_equal(jstr(j, "serial"), serial);
    assert_string_equal(jstr(j, "issuer"), "师资甲区");
    assert_string_equal(jstr(j, "status"), "valid");
    assert_non_null(jstr(j, "issued_at"));
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, id_point));
    assert_null(strstr(text, "13812345678"));
    assert_null(strstr(text, "5001"));
    free(text);
    json_decref(j);
    /* forged codes */
    char forged[128];
    snprintf(forged, sizeof forged, "%s", code);
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    expect_api_error("GET", P("/public/letters/%s", forged), NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/public/letters/not-a-code", NULL, NULL, 404, "not_found", NULL);
}

static void test_serials_are_sequential_per_issuer_and_year(void **state)
{
    (void)state;
    int64_t seqs[3];
    char serials[3][200];
    for (int i = 0; i < 3; i++) {
        char idn[19];
        make_id(idn, "500103", "19700101", 500 + i);
        int64_t t = create_teacher(a_staff, point_a, P("序号教师%d", i), idn, NULL);
        json_decref(step(pa_staff, t, "propose", NULL, 200));
        json_decref(step(a_admin, t, "certify", NULL, 200));
        json_t *j = NULL;
        expect_status(api("GET", P("/teachers/%lld/profile", (long long)t), a_admin, NULL, &j), j, 200);
        seqs[i] = jint(j, "letters.0.seq");
        snprintf(serials[i], sizeof serials[i], "%s", jstr(j, "letters.0.serial"));
        json_decref(j);
    }
    /* the district has issued one letter before (李华): 2, 3, 4 */
    assert_int_equal(seqs[0], 2);
    assert_int_equal(seqs[1], 3);
    assert_int_equal(seqs[2], 4);
    assert_string_not_equal(serials[0], serials[1]);
    /* the default pattern 渝科普大聘〔{year}〕第{seq:04}号, this year */
    char want[200], year[8];
    json_t *j = NULL;
    expect_status(api("GET", P("/teachers/%lld", (long long)t_point), admin, NULL, &j), j, 200);
    snprintf(year, sizeof year, "%.4s", jstr(j, "created_at"));
    json_decref(j);
    snprintf(want, sizeof want, "渝科普大聘〔%s〕第0004号", year);
    assert_string_equal(serials[2], want);
    snprintf(want, sizeof want, "渝科普大聘〔%s〕第0003号", year);
    assert_string_equal(serials[1], want);
}

static void test_selection_nominate_decide_results(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/teacher-selections", a_admin,
                      jpack("{s:i, s:I, s:s}", "year", 2026, "teacher_id", (json_int_t)t_point, "reason", "授课 30 次，居民满意度高"),
                      &j), j, 201);
    int64_t sel = jint(j, "id");
    assert_string_equal(jstr(j, "status"), "nominated");
    assert_string_equal(jstr(j, "nominator_org_name"), "师资甲区");
    json_decref(j);
    expect_api_error("POST", "/teacher-selections", a_admin,
                     jpack("{s:i, s:I, s:s}", "year", 2026, "teacher_id", (json_int_t)t_point, "reason", "再推荐"), 409,
                     "duplicate", "teacher_id");
    char id4[19];
    make_id(id4, "500103", "19880808", 44);
    int64_t draft = create_teacher(a_staff, point_a, "周敏", id4, NULL);
    expect_api_error("POST", "/teacher-selections", a_admin,
                     jpack("{s:i, s:I, s:s}", "year", 2026, "teacher_id", (json_int_t)draft, "reason", "未认定"), 409,
                     "wrong_state", "status");
    expect_api_error("POST", "/teacher-selections", b_admin,
                     jpack("{s:i, s:I, s:s}", "year", 2026, "teacher_id", (json_int_t)t_district, "reason", "越界"), 404,
                     "not_found", "teacher_id");
    expect_api_error("POST", "/teacher-selections", a_admin,
                     jpack("{s:i, s:I, s:s}", "year", 1999, "teacher_id", (json_int_t)t_district, "reason", "x"), 422,
                     "invalid_field", "year");
    expect_api_error("POST", "/teacher-selections", a_staff,
                     jpack("{s:i, s:I, s:s}", "year", 2026, "teacher_id", (json_int_t)t_district, "reason", "x"), 403,
                     "forbidden", NULL);
    /* the district does not decide; the city does, once */
    expect_api_error("POST", P("/teacher-selections/%lld/decide", (long long)sel), a_admin,
                     jpack("{s:s}", "decision", "approve"), 403, "forbidden", NULL);
    expect_api_error("POST", P("/teacher-selections/%lld/decide", (long long)sel), admin,
                     jpack("{s:s}", "decision", "maybe"), 422, "invalid_field", "decision");
    expect_status(api("POST", P("/teacher-selections/%lld/decide", (long long)sel), admin,
                      jpack("{s:s, s:s}", "decision", "approve", "reason", "评审通过"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "approved");
    json_decref(j);
    expect_api_error("POST", P("/teacher-selections/%lld/decide", (long long)sel), admin,
                     jpack("{s:s}", "decision", "reject"), 409, "wrong_state", "status");
    /* results by year, in scope */
    expect_status(api("GET", "/teacher-selections?year=2026&status=approved", a_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.teacher_name"), "李华");
    json_decref(j);
    expect_status(api("GET", "/teacher-selections?year=2026", b_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_status(api("GET", "/teacher-selections?year=2025", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    /* ?org_id= narrows to a subtree within the scope; one outside it is a 404 */
    expect_status(api("GET", P("/teacher-selections?year=2026&org_id=%lld", (long long)dist_a), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    json_decref(j);
    expect_status(api("GET", P("/teacher-selections?year=2026&org_id=%lld", (long long)dist_b), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_api_error("GET", P("/teacher-selections?org_id=%lld", (long long)dist_b), a_admin, NULL, 404, "not_found",
                     "org_id");
    expect_api_error("GET", "/teacher-selections?year=1999", admin, NULL, 422, "invalid_field", "year");
    expect_api_error("GET", "/teacher-selections?status=maybe", admin, NULL, 422, "invalid_field", "status");
    expect_status(api("GET", "/audit?entity=teacher_selection", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
}

static void test_delete_retires_and_revokes(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)t_district), admin, NULL, &j), j, 200);
    char code[80];
    snprintf(code, sizeof code, "%s", jstr(j, "letters.0.code"));
    json_decref(j);
    int64_t before = list_total(admin, "/teachers");
    expect_api_error("DELETE", P("/teachers/%lld", (long long)t_district), pa_member, NULL, 403, "forbidden", NULL);
    expect_status(api("DELETE", P("/teachers/%lld", (long long)t_district), a_staff, NULL, NULL), NULL, 204);
    assert_int_equal(list_total(admin, "/teachers"), before - 1);
    assert_int_equal(list_total(admin, "/teachers?status=retired"), 1);
    expect_status(api("GET", P("/teachers/%lld", (long long)t_district), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "retired");
    json_decref(j);
    expect_status(api("GET", P("/public/letters/%s", code), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "revoked");
    json_decref(j);
    expect_api_error("DELETE", P("/teachers/%lld", (long long)t_district), a_staff, NULL, 409, "wrong_state", "status");
    expect_api_error("POST", P("/teachers/%lld/propose", (long long)t_district), a_staff, NULL, 409, "wrong_state", "status");
    expect_status(api("GET", P("/audit?entity=teacher&entity_id=%lld&action=delete", (long long)t_district), admin, NULL, &j),
                  j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    json_decref(j);
}

/* docs/domain.md §3: the numbers never reach the log. */
static void test_server_log_holds_no_numbers(void **state)
{
    (void)state;
    char *log = run(P("cat '%s/server.log'", server_dir()));
    assert_non_null(strstr(log, "/api/v1/teachers"));
    const char *numbers[] = {id_point, id_district, "13812345678", "13987654321"};
    for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++)
        if (strstr(log, numbers[k])) fail_msg("server.log holds \"%s\"", numbers[k]);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_masks_numbers_and_derives_gender),
        cmocka_unit_test(test_bad_numbers_are_refused_naming_the_field),
        cmocka_unit_test(test_list_filters_update_and_scope),
        cmocka_unit_test(test_chain_with_its_rules),
        cmocka_unit_test(test_letter_pdf_text_and_qr),
        cmocka_unit_test(test_public_verification_needs_no_login),
        cmocka_unit_test(test_serials_are_sequential_per_issuer_and_year),
        cmocka_unit_test(test_selection_nominate_decide_results),
        cmocka_unit_test(test_delete_retires_and_revokes),
        cmocka_unit_test(test_server_log_holds_no_numbers),
    };
    return run_api_tests(tests, setup, teardown);
}
