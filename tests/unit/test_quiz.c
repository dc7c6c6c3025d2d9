/* test_quiz.c - the question bank's shared functions (quiz/quiz.h): scoring every type against
 * its key (fill-in folding of spaces, full-width forms and case), the content check, the import's
 * answer-column parser, the version read and the seeded draw (deterministic for a seed, only
 * reviewed questions of the node's own and ancestors' banks, difficulty honoured). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "quiz/questions.h"
#include "quiz/quiz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool correct(const char *type, const char *key, const char *given_json)
{
    json_t *g = json_loads(given_json, JSON_DECODE_ANY, NULL);
    assert_non_null(g);
    bool ok = quiz_answer_correct(type, key, g);
    json_decref(g);
    return ok;
}

static void test_single_choice_scores_one_label(void **state)
{
    (void)state;
    assert_true(correct("single", "\"B\"", "\"B\""));
    assert_true(correct("single", "\"B\"", "\"b\""));
    assert_true(correct("single", "\"B\"", "[\"B\"]"));
    assert_false(correct("single", "\"B\"", "\"C\""));
    assert_false(correct("single", "\"B\"", "[\"B\",\"C\"]"));
    assert_false(correct("single", "\"B\"", "\"BB\""));
    assert_false(correct("single", "\"B\"", "1"));
    assert_false(correct("single", "not json", "\"B\""));
}

static void test_multiple_choice_is_the_same_set_in_any_order(void **state)
{
    (void)state;
    assert_true(correct("multiple", "[\"A\",\"C\"]", "[\"A\",\"C\"]"));
    assert_true(correct("multiple", "[\"A\",\"C\"]", "[\"C\",\"a\"]"));
    assert_true(correct("multiple", "[\"A\",\"C\"]", "[\"C\",\"A\",\"A\"]"));
    assert_true(correct("multiple", "[\"A\",\"C\"]", "\"AC\""));
    assert_false(correct("multiple", "[\"A\",\"C\"]", "[\"A\"]"));
    assert_false(correct("multiple", "[\"A\",\"C\"]", "[\"A\",\"B\",\"C\"]"));
    assert_false(correct("multiple", "[\"A\",\"C\"]", "[]"));
    assert_false(correct("multiple", "[\"A\",\"C\"]", "[\"A\",\"Z\",\"C\"]"));
    assert_false(correct("multiple", "[\"A\",\"C\"]", "true"));
}

static void test_true_false_wants_a_boolean(void **state)
{
    (void)state;
    assert_true(correct("true_false", "true", "true"));
    assert_true(correct("true_false", "false", "false"));
    assert_false(correct("true_false", "true", "false"));
    assert_false(correct("true_false", "true", "\"true\""));
    assert_false(correct("true_false", "true", "1"));
}

static void test_fill_in_folds_space_width_and_case(void **state)
{
    (void)state;
    const char *key = "[\"DNA\", \"脱氧核糖核酸\"]";
    assert_true(correct("fill_in", key, "\"DNA\""));
    assert_true(correct("fill_in", key, "\"  dna \""));
    assert_true(correct("fill_in", key, "\"ＤＮＡ\""));              /* full-width letters */
    assert_true(correct("fill_in", key, "\"\u3000ｄｎａ\u3000\""));  /* ideographic spaces */
    assert_true(correct("fill_in", key, "\"脱氧核糖核酸\""));
    assert_false(correct("fill_in", key, "\"RNA\""));
    assert_false(correct("fill_in", key, "\"D N A\""));
    assert_false(correct("fill_in", key, "\"\""));
    assert_false(correct("fill_in", key, "[\"DNA\"]"));
    assert_false(correct("fill_in", "[\"\"]", "\"\""));               /* an empty key matches nothing */
    assert_false(correct("essay", key, "\"DNA\""));
    arena a;
    arena_init(&a);
    assert_string_equal(quiz_fold_text(&a, " Ｈ２Ｏ！ "), "h2o!");
    arena_free(&a);
}

static const char *check(const char *type, const char *stem, const char *options, const char *answer,
                         const char **field)
{
    json_t *o = options ? json_loads(options, JSON_DECODE_ANY, NULL) : NULL;
    json_t *k = answer ? json_loads(answer, JSON_DECODE_ANY, NULL) : NULL;
    const char *err = quiz_check(type, stem, o, k, field);
    json_decref(o);
    json_decref(k);
    return err;
}

static void test_check_refuses_incomplete_questions(void **state)
{
    (void)state;
    const char *f = NULL;
    assert_null(check("single", "s", "[\"a\",\"b\"]", "\"B\"", &f));
    assert_null(check("multiple", "s", "[\"a\",\"b\",\"c\"]", "[\"A\",\"C\"]", &f));
    assert_null(check("true_false", "s", NULL, "false", &f));
    assert_null(check("fill_in", "s", NULL, "[\"x\",\"y\"]", &f));
    /* a text of full-width spaces folds to nothing: no answer could match it (a fuzz finding) */
    assert_non_null(check("fill_in", "s", NULL, "[\"\u3000\"]", &f));
    assert_non_null(check("single", "s", "[\"a\",\"b\"]", "\"C\"", &f));     /* no option C */
    assert_string_equal(f, "answer");
    assert_non_null(check("single", "s", "[\"a\"]", "\"A\"", &f));           /* one option */
    assert_string_equal(f, "options");
    assert_non_null(check("single", "s", "[\"a\",\" \"]", "\"A\"", &f));     /* empty option */
    assert_non_null(check("single", "s", "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", "\"A\"", &f));
    assert_non_null(check("multiple", "s", "[\"a\",\"b\",\"c\"]", "[\"A\"]", &f));  /* one correct */
    assert_string_equal(f, "answer");
    assert_non_null(check("multiple", "s", "[\"a\",\"b\",\"c\"]", "[\"A\",\"A\"]", &f));
    assert_non_null(check("true_false", "s", NULL, "\"对\"", &f));
    assert_non_null(check("true_false", "s", "[\"a\",\"b\"]", "true", &f));
    assert_string_equal(f, "options");
    assert_non_null(check("fill_in", "s", NULL, "[]", &f));
    assert_non_null(check("fill_in", "s", NULL, "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]", &f));
    assert_non_null(check("fill_in", "s", NULL, "[\"\"]", &f));
    assert_non_null(check("single", "  ", "[\"a\",\"b\"]", "\"A\"", &f));
    assert_string_equal(f, "stem");
    assert_non_null(check("essay", "s", NULL, "\"x\"", &f));
    assert_string_equal(f, "type");
}

static char *parsed(const char *type, const char *text, int n)
{
    static char buf[256];
    const char *err = NULL;
    json_t *v = quiz_answer_parse(type, text, n, &err);
    if (!v) {
        assert_non_null(err);
        assert_non_null(strstr(err, " / "));
        return NULL;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, sizeof buf, "%s", s);
    free(s);
    json_decref(v);
    return buf;
}

static void test_answer_column_parses_each_type(void **state)
{
    (void)state;
    assert_string_equal(parsed("single", "B", 4), "\"B\"");
    assert_string_equal(parsed("single", " ｂ ", 4), "\"B\"");
    assert_null(parsed("single", "E", 4));
    assert_null(parsed("single", "AB", 4));
    assert_string_equal(parsed("multiple", "CA", 4), "[\"A\",\"C\"]");
    assert_string_equal(parsed("multiple", "A,C，D", 4), "[\"A\",\"C\",\"D\"]");
    assert_null(parsed("multiple", "A", 4));
    assert_null(parsed("multiple", "AX", 4));
    assert_string_equal(parsed("true_false", "对", 0), "true");
    assert_string_equal(parsed("true_false", "错误", 0), "false");
    assert_string_equal(parsed("true_false", "×", 0), "false");
    assert_string_equal(parsed("true_false", "TRUE", 0), "true");
    assert_null(parsed("true_false", "也许", 0));
    assert_string_equal(parsed("fill_in", " 二氧化碳 | CO2 ", 0), "[\"二氧化碳\",\"CO2\"]");
    assert_string_equal(parsed("fill_in", "甲｜乙", 0), "[\"甲\",\"乙\"]");
    assert_null(parsed("fill_in", "a|b|c|d|e|f", 0));
    assert_null(parsed("fill_in", " | ", 0));
    assert_null(parsed("single", "", 4));
    assert_null(parsed("essay", "x", 0));
}

static void canonical_is(const char *type, const char *answer, const char *want)
{
    json_t *a = json_loads(answer, JSON_DECODE_ANY, NULL), *k = quiz_answer_canonical(type, a);
    char *got = k ? json_dumps(k, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    json_decref(a), json_decref(k);
}

static void test_keys_are_stored_canonical(void **state)
{
    (void)state;
    canonical_is("single", "\"b\"", "\"B\"");
    canonical_is("multiple", "[\"c\",\"a\",\"A\"]", "[\"A\",\"C\"]");
    canonical_is("true_false", "false", "false");
    canonical_is("fill_in", "[\" CO2 \",\"二氧化碳\"]", "[\"CO2\",\"二氧化碳\"]");
    json_t *bad = json_string("Z");
    assert_null(quiz_answer_canonical("single", bad));
    json_decref(bad);
}

/* ---- the database side ---- */

static db *open_bank(void)
{
    db *c;
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c,
        "INSERT INTO orgs (id, type, name, path, depth, created_at, updated_at) VALUES "
        "(1, 'city', 'c', '/1/', 0, 'x', 'x'), (2, 'district', 'd2', '/1/2/', 1, 'x', 'x'), "
        "(3, 'district', 'd3', '/1/3/', 1, 'x', 'x'), (4, 'street', 's4', '/1/2/4/', 2, 'x', 'x')"), DB_OK);
    /* 40 reviewed city questions (difficulty 1..4 in turn), 10 of district 2, 10 of district 3,
     * 10 drafted and 10 retired city ones, 10 reviewed city ones of another category. */
    char sql[512];
    for (int i = 1; i <= 90; i++) {
        int org = i <= 40 ? 1 : i <= 50 ? 2 : i <= 60 ? 3 : 1;
        const char *path = org == 1 ? "/1/" : org == 2 ? "/1/2/" : "/1/3/";
        const char *status = i <= 60 ? "reviewed" : i <= 70 ? "drafted" : i <= 80 ? "retired" : "reviewed";
        const char *cat = i <= 80 ? "health" : "lit_method";
        snprintf(sql, sizeof sql,
                 "INSERT INTO questions (id, org_id, org_path, type, category, difficulty, status, version, "
                 "stem, created_at, updated_at) VALUES (%d, %d, '%s', 'single', '%s', %d, '%s', %d, 'q%d', 'x', 'x');"
                 "INSERT INTO question_versions (question_id, version, stem, options, answer, created_at) "
                 "VALUES (%d, 1, 'q%d v1', '[\"a\",\"b\"]', '\"A\"', 'x')",
                 i, org, path, cat, 1 + (i - 1) % 4, status, i == 5 ? 2 : 1, i, i, i);
        assert_int_equal(db_exec(c, sql), DB_OK);
    }
    assert_int_equal(db_exec(c, "INSERT INTO question_versions (question_id, version, stem, options, answer, "
                                "explanation, created_at) VALUES (5, 2, 'q5 v2', '[\"a\",\"b\",\"c\"]', '\"C\"', 'why', 'x')"),
                     DB_OK);
    return c;
}

static void test_version_get_reads_the_asked_version(void **state)
{
    (void)state;
    db *c = open_bank();
    arena a;
    arena_init(&a);
    quiz_version v;
    assert_int_equal(quiz_version_get_unscoped(c, &a, 5, 1, &v), DB_OK);
    assert_string_equal(v.answer_json, "\"A\"");
    assert_string_equal(v.stem, "q5 v1");
    assert_null(v.explanation);
    assert_int_equal(quiz_version_get_unscoped(c, &a, 5, 2, &v), DB_OK);
    assert_string_equal(v.answer_json, "\"C\"");
    assert_string_equal(v.options_json, "[\"a\",\"b\",\"c\"]");
    assert_string_equal(v.type, "single");
    assert_string_equal(v.category, "health");
    assert_int_equal(v.difficulty, 1);
    assert_string_equal(v.explanation, "why");
    assert_int_equal(quiz_version_get_unscoped(c, &a, 5, 3, &v), DB_DONE);
    assert_int_equal(quiz_version_get_unscoped(c, &a, 999, 1, &v), DB_DONE);
    arena_free(&a);
    db_close(c);
}

/* The 16 course topics are the teaching module's categories (migration 007), in its order, then
 * the three literacy dimensions; the field table's list is the same codes. */
static void test_categories_are_the_course_topics_and_the_dimensions(void **state)
{
    (void)state;
    db *c = open_bank();
    db_stmt *s = db_prepare(c, "SELECT code FROM teaching_categories ORDER BY sort");
    int i = 0;
    while (db_step(s) == DB_ROW) {
        assert_string_equal(quiz_categories[i].code, db_col_text(s, 0));
        assert_false(quiz_categories[i].literacy);
        i++;
    }
    db_finish(s);
    assert_int_equal(i, 16);
    assert_string_equal(quiz_categories[16].code, "lit_knowledge");
    assert_string_equal(quiz_categories[17].code, "lit_method");
    assert_string_equal(quiz_categories[18].code, "lit_society");
    assert_true(quiz_categories[18].literacy);
    assert_null(quiz_categories[19].code);
    for (i = 0; quiz_categories[i].code; i++) {
        assert_string_equal(quiz_category_codes[i], quiz_categories[i].code);
        assert_ptr_equal(quiz_category_find(quiz_categories[i].code), &quiz_categories[i]);
    }
    assert_null(quiz_category_codes[i]);
    assert_null(quiz_category_find("astrology"));
    db_close(c);
}

static void test_draw_is_seeded_and_stays_in_the_visible_reviewed_bank(void **state)
{
    (void)state;
    db *c = open_bank();
    arena a;
    arena_init(&a);
    quiz_drawn d1, d2, d3;
    /* A street of district 2 sees the city's 40 and district 2's 10 reviewed health questions. */
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/2/4/", "health", 0, 20, 42, &d1), 20);
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/2/4/", "health", 0, 20, 42, &d2), 20);
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/2/4/", "health", 0, 20, 43, &d3), 20);
    bool same = true, differs = false;
    for (int i = 0; i < 20; i++) {
        int64_t id = d1.items[i].question_id;
        assert_true(id >= 1 && id <= 50);                   /* never district 3's, drafted or retired */
        assert_int_equal(d1.items[i].version, id == 5 ? 2 : 1);
        for (int j = 0; j < i; j++) assert_true(d1.items[j].question_id != id);   /* distinct */
        same = same && d2.items[i].question_id == id;
        differs = differs || d3.items[i].question_id != id;
    }
    assert_true(same);
    assert_true(differs);
    /* Asking for more than there are gives all of them once. */
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/2/4/", "health", 0, 100, 7, &d1), 50);
    /* The city sees only its own bank; a difficulty narrows it (ids 1..40 with (id-1)%4 == 2). */
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/", "health", 3, 100, 7, &d1), 10);
    for (int i = 0; i < d1.n; i++) {
        assert_true(d1.items[i].question_id <= 40);
        assert_int_equal((d1.items[i].question_id - 1) % 4, 2);
    }
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/3/", "lit_method", 0, 5, 1, &d1), 5);
    assert_int_equal(quiz_draw_unscoped(c, &a, "/1/3/", "lit_society", 0, 5, 1, &d1), 0);
    assert_int_equal(quiz_draw_unscoped(c, &a, "/9/", "health", 0, 5, 1, &d1), 0);
    arena_free(&a);
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_choice_scores_one_label),
        cmocka_unit_test(test_multiple_choice_is_the_same_set_in_any_order),
        cmocka_unit_test(test_true_false_wants_a_boolean),
        cmocka_unit_test(test_fill_in_folds_space_width_and_case),
        cmocka_unit_test(test_check_refuses_incomplete_questions),
        cmocka_unit_test(test_answer_column_parses_each_type),
        cmocka_unit_test(test_keys_are_stored_canonical),
        cmocka_unit_test(test_version_get_reads_the_asked_version),
        cmocka_unit_test(test_categories_are_the_course_topics_and_the_dimensions),
        cmocka_unit_test(test_draw_is_seeded_and_stays_in_the_visible_reviewed_bank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
