/* test_calls.c - the calls engine's form (call_form.c): each field type's definition and values,
 * errors naming their place, figures computed from the statistics, deadlines normalised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "calls/calls.h"
#include <string.h>

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j) fail_msg("bad JSON in test: %s: %s", text, e.text);
    return j;
}

/* The definition's error place ("" when good). */
static const char *def_error(const char *form, call_form_error *err)
{
    json_t *f = J(form);
    bool ok = call_form_check_def(f, err);
    json_decref(f);
    return ok ? "" : err->field;
}

static const char *value_error(const char *form, const char *values, bool complete, call_form_error *err)
{
    json_t *f = J(form), *v = J(values);
    assert_true(call_form_check_def(f, err));
    bool ok = call_form_check_values(f, v, complete, err);
    json_decref(f);
    json_decref(v);
    return ok ? "" : err->field;
}

static const char ALL_TYPES[] =
    "[{\"key\":\"title\",\"label\":\"名称\",\"type\":\"text\",\"required\":true,\"max\":10},"
    "{\"key\":\"summary\",\"label\":\"简介\",\"type\":\"long_text\"},"
    "{\"key\":\"visitors\",\"label\":\"人次\",\"type\":\"number\",\"min\":0,\"max\":1000},"
    "{\"key\":\"budget\",\"label\":\"经费\",\"type\":\"money\",\"max\":50000},"
    "{\"key\":\"day\",\"label\":\"日期\",\"type\":\"date\",\"min\":\"2026-01-01\",\"max\":\"2026-12-31\"},"
    "{\"key\":\"category\",\"label\":\"类别\",\"type\":\"choice\",\"options\":[\"场馆\",\"农村\"]},"
    "{\"key\":\"tags\",\"label\":\"标签\",\"type\":\"choice\",\"options\":[\"甲\",\"乙\"],\"multiple\":true},"
    "{\"key\":\"point\",\"label\":\"教学点\",\"type\":\"node\",\"org_types\":[\"point\"]},"
    "{\"key\":\"speaker\",\"label\":\"主讲\",\"type\":\"person\",\"person_kind\":\"teacher\"},"
    "{\"key\":\"plan\",\"label\":\"方案\",\"type\":\"file\",\"max_files\":2,\"required\":true},"
    "{\"key\":\"pics\",\"label\":\"照片\",\"type\":\"photo\"},"
    "{\"key\":\"std\",\"label\":\"四化\",\"type\":\"checklist\",\"items\":[{\"key\":\"venue\",\"label\":\"场地\",\"evidence\":true},"
    "{\"key\":\"staff\",\"label\":\"人员\"}]},"
    "{\"key\":\"lectures\",\"label\":\"讲座\",\"type\":\"rows\",\"min_rows\":1,\"max_rows\":3,\"columns\":["
    "{\"key\":\"topic\",\"label\":\"题目\",\"type\":\"text\",\"required\":true},{\"key\":\"n\",\"label\":\"场次\",\"type\":\"number\",\"min\":1}]},"
    "{\"key\":\"held\",\"label\":\"开展活动\",\"type\":\"figure\",\"metric\":\"activities\",\"of\":\"point\"}]";

static void test_every_type_accepts_its_values(void **state)
{
    (void)state;
    call_form_error err;
    assert_string_equal(def_error(ALL_TYPES, &err), "");
    assert_string_equal(value_error(ALL_TYPES,
        "{\"title\":\"科普周\",\"summary\":\"第一行\\n第二行\",\"visitors\":300,\"budget\":20000,\"day\":\"2026-05-01\","
        "\"category\":\"农村\",\"tags\":[\"甲\",\"乙\"],\"point\":12,\"speaker\":{\"id\":3},\"plan\":[7],\"pics\":[],"
        "\"std\":{\"venue\":{\"ok\":true,\"files\":[8]},\"staff\":{\"ok\":false}},"
        "\"lectures\":[{\"topic\":\"天文\",\"n\":2}]}", true, &err), "");
    /* a draft may leave required fields out; a typed person is accepted */
    assert_string_equal(value_error(ALL_TYPES, "{\"speaker\":{\"name\":\"张三\"}}", false, &err), "");
}

static void test_values_name_their_field(void **state)
{
    (void)state;
    call_form_error err;
    static const struct { const char *values, *field, *code; bool complete; } bad[] = {
        {"{\"title\":\"一二三四五六七八九十十一\"}", "values.title", "invalid_field", false},
        {"{\"title\":\"a\\nb\"}", "values.title", "invalid_field", false},
        {"{\"visitors\":1001}", "values.visitors", "invalid_field", false},
        {"{\"visitors\":\"3\"}", "values.visitors", "invalid_field", false},
        {"{\"budget\":-1}", "values.budget", "invalid_field", false},
        {"{\"budget\":50001}", "values.budget", "invalid_field", false},
        {"{\"day\":\"2025-12-31\"}", "values.day", "invalid_field", false},
        {"{\"day\":\"2026-02-30\"}", "values.day", "invalid_field", false},
        {"{\"category\":\"城市\"}", "values.category", "invalid_field", false},
        {"{\"tags\":[\"甲\",\"丙\"]}", "values.tags.1", "invalid_field", false},
        {"{\"point\":0}", "values.point", "invalid_field", false},
        {"{\"speaker\":{\"id\":3,\"name\":\"x\"}}", "values.speaker", "invalid_field", false},
        {"{\"plan\":[1,2,3]}", "values.plan", "invalid_field", false},
        {"{\"std\":{\"roof\":{\"ok\":true}}}", "values.std.roof", "invalid_field", false},
        {"{\"std\":{\"venue\":{\"ok\":\"yes\"}}}", "values.std.venue", "invalid_field", false},
        {"{\"lectures\":[{\"topic\":\"a\",\"n\":0}]}", "values.lectures.0.n", "invalid_field", false},
        {"{\"lectures\":[{\"topic\":\"a\"},{\"topic\":\"b\",\"x\":1}]}", "values.lectures.1.x", "unknown_field", false},
        {"{\"lectures\":[{},{},{},{}]}", "values.lectures", "invalid_field", false},
        {"{\"held\":30}", "values.held", "invalid_field", false},
        {"{\"colour\":\"red\"}", "values.colour", "unknown_field", false},
        /* on submit: required fields, evidence of a checked item, required rows' columns */
        {"{\"plan\":[7],\"lectures\":[{\"topic\":\"a\"}]}", "values.title", "required", true},
        {"{\"title\":\"t\",\"lectures\":[{\"topic\":\"a\"}]}", "values.plan", "required", true},
        {"{\"title\":\"t\",\"plan\":[],\"lectures\":[{\"topic\":\"a\"}]}", "values.plan", "invalid_field", true},
        {"{\"title\":\"t\",\"plan\":[7],\"lectures\":[{\"topic\":\"a\"}],\"std\":{\"venue\":{\"ok\":true}}}",
         "values.std.venue", "invalid_field", true},
        {"{\"title\":\"t\",\"plan\":[7],\"lectures\":[{\"n\":2}]}", "values.lectures.0.topic", "required", true},
        {"{\"title\":\"t\",\"plan\":[7],\"lectures\":[]}", "values.lectures", "invalid_field", true},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *got = value_error(ALL_TYPES, bad[i].values, bad[i].complete, &err);
        if (strcmp(got, bad[i].field) != 0 || strcmp(err.code, bad[i].code) != 0)
            fail_msg("%s: got %s (%s), want %s (%s)", bad[i].values, got, *got ? err.code : "ok", bad[i].field, bad[i].code);
        assert_non_null(strstr(err.message, " / "));   /* 中文 / English */
    }
    /* values must be an object */
    json_t *f = J(ALL_TYPES), *v = J("[1]");
    assert_false(call_form_check_values(f, v, false, &err));
    assert_string_equal(err.field, "values");
    json_decref(f);
    json_decref(v);
}

static void test_definitions_name_their_member(void **state)
{
    (void)state;
    call_form_error err;
    static const struct { const char *form, *field; } bad[] = {
        {"[]", "form"},
        {"{}", "form"},
        {"[{\"key\":\"Bad Key\",\"label\":\"x\",\"type\":\"text\"}]", "form.0.key"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"text\"},{\"key\":\"a\",\"label\":\"y\",\"type\":\"text\"}]", "form.1.key"},
        {"[{\"key\":\"a\",\"label\":\"\",\"type\":\"text\"}]", "form.0.label"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"colour\"}]", "form.0.type"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"text\",\"required\":\"yes\"}]", "form.0.required"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"number\",\"min\":5,\"max\":1}]", "form.0.max"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"date\",\"min\":\"2026-13-01\"}]", "form.0.min"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"choice\",\"options\":[]}]", "form.0.options"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"choice\",\"options\":[\"甲\",\"甲\"]}]", "form.0.options.1"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"node\",\"org_types\":[\"planet\"]}]", "form.0.org_types.0"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"person\",\"person_kind\":\"alien\"}]", "form.0.person_kind"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"file\",\"max_files\":99}]", "form.0.max_files"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"checklist\",\"items\":[{\"key\":\"v\",\"label\":\"场地\"},{\"key\":\"v\",\"label\":\"y\"}]}]",
         "form.0.items.1"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"rows\",\"columns\":[{\"key\":\"f\",\"label\":\"y\",\"type\":\"file\"}]}]",
         "form.0.columns.0.type"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"rows\",\"columns\":[{\"key\":\"n\",\"label\":\"y\",\"type\":\"number\"}],"
         "\"min_rows\":5,\"max_rows\":2}]", "form.0.max_rows"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"figure\",\"metric\":\"happiness\"}]", "form.0.metric"},
        {"[{\"key\":\"a\",\"label\":\"x\",\"type\":\"figure\",\"metric\":\"activities\",\"period\":\"decade\"}]", "form.0.period"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *got = def_error(bad[i].form, &err);
        if (strcmp(got, bad[i].field) != 0) fail_msg("%s: got '%s', want '%s'", bad[i].form, got, bad[i].field);
        assert_string_equal(err.code, "invalid_field");
    }
}

static void test_file_ids_of_values(void **state)
{
    (void)state;
    json_t *f = J(ALL_TYPES), *v = J("{\"plan\":[7,9],\"pics\":[11],\"std\":{\"venue\":{\"ok\":true,\"files\":[12]},\"staff\":{\"ok\":true}}}");
    int64_t ids[8];
    assert_int_equal(call_form_file_ids(f, v, ids, 8), 4);
    assert_int_equal(ids[0], 7);
    assert_int_equal(ids[1], 9);
    assert_int_equal(ids[2], 11);
    assert_int_equal(ids[3], 12);
    assert_int_equal(call_form_file_ids(f, v, ids, 2), 4);   /* counts past max */
    json_decref(f);
    json_decref(v);
}

static int courses_of(db *c, int64_t subject, const char *from, const char *to, int64_t *out)
{
    (void)c;
    *out = subject * 100 + (strcmp(from, "2026-01-01") == 0 && strcmp(to, "2026-12-31") == 0);
    return DB_OK;
}

static void test_figures_registry(void **state)
{
    (void)state;
    calls_register_figure("teacher_courses_t", "授课", CALL_FIGURE_PERSON, courses_of);
    assert_int_equal(calls_figure_subject("teacher_courses_t"), CALL_FIGURE_PERSON);
    assert_int_equal(calls_figure_subject("activities"), CALL_FIGURE_NODE);   /* a stats metric */
    assert_int_equal(calls_figure_subject("happiness"), 0);
    json_t *f = J("[{\"key\":\"t\",\"label\":\"教师\",\"type\":\"person\",\"person_kind\":\"teacher\"},"
                  "{\"key\":\"c\",\"label\":\"课\",\"type\":\"figure\",\"metric\":\"teacher_courses_t\",\"of\":\"t\"},"
                  "{\"key\":\"p\",\"label\":\"去年\",\"type\":\"figure\",\"metric\":\"teacher_courses_t\",\"of\":\"t\",\"period\":\"last_year\"}]");
    json_t *v = J("{\"t\":{\"id\":4}}");
    call_form_error err;
    assert_true(call_form_check_def(f, &err));
    json_t *fig = calls_compute_figures(NULL, f, v, 1, 2026, "2026-10-20T10:00:00+08:00");
    assert_non_null(fig);
    assert_int_equal(json_integer_value(json_object_get(fig, "c")), 401);   /* person 4, the call's year */
    assert_int_equal(json_integer_value(json_object_get(fig, "p")), 400);   /* last year */
    assert_string_equal(json_string_value(json_object_get(fig, "as_of")), "2026-10-20");
    json_decref(fig);
    json_decref(f);
    json_decref(v);
}

static void test_figures_from_statistics(void **state)
{
    (void)state;
    db *c;
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    /* org 1 does not exist yet: its statistics are 0; no subject in "of" gives 0 too */
    json_t *f = J("[{\"key\":\"n\",\"label\":\"点\",\"type\":\"node\"},"
                  "{\"key\":\"a\",\"label\":\"活动\",\"type\":\"figure\",\"metric\":\"activities\"},"
                  "{\"key\":\"b\",\"label\":\"点的活动\",\"type\":\"figure\",\"metric\":\"activities\",\"of\":\"n\"}]");
    json_t *v = J("{}");
    assert_int_equal(db_exec(c, "INSERT INTO stat_rollups (org_id, grain, bucket, activities, participants, materials, "
                                "videos, views, volunteers, volunteer_hours, funds) VALUES (1, 'm', '2026-05', 7, 0, 0, 0, 0, 0, 0, 0)"),
                     DB_OK);
    json_t *fig = calls_compute_figures(c, f, v, 1, 2026, "2026-10-20");
    assert_non_null(fig);
    assert_int_equal(json_integer_value(json_object_get(fig, "a")), 7);
    assert_int_equal(json_integer_value(json_object_get(fig, "b")), 0);
    json_decref(fig);
    json_decref(f);
    json_decref(v);
    db_close(c);
}

static void test_deadline_normalised(void **state)
{
    (void)state;
    char out[32];
    assert_true(calls_deadline_normalise("2026-10-31", out));
    assert_string_equal(out, "2026-10-31T23:59:59+08:00");
    assert_true(calls_deadline_normalise("2026-10-31T12:00:00+08:00", out));
    assert_string_equal(out, "2026-10-31T12:00:00+08:00");
    assert_false(calls_deadline_normalise("2026-10-31T12:00:00Z", out));
    assert_false(calls_deadline_normalise("2026-02-30", out));
    assert_false(calls_deadline_normalise("31/10/2026", out));
    assert_false(calls_deadline_normalise(NULL, out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_accepts_its_values),
        cmocka_unit_test(test_values_name_their_field),
        cmocka_unit_test(test_definitions_name_their_member),
        cmocka_unit_test(test_file_ids_of_values),
        cmocka_unit_test(test_figures_registry),
        cmocka_unit_test(test_figures_from_statistics),
        cmocka_unit_test(test_deadline_normalised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
