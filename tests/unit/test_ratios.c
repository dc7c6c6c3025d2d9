/* test_ratios.c - ratio metrics (stats/ratios.c, issue 17 C): a node's ratio is Σ num / Σ den of
 * its subtree's keyed counters, not the mean of its children's ratios; no denominator is "none"
 * (null), not 0; a group suffix addresses its own counters; values parse and print with exactly
 * two decimals; verify is clean against the key source after rows come and go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

static void test_values_parse_and_print(void **state)
{
    (void)state;
    int64_t e2 = 0;
    char text[32];
    assert_true(stats_ratio_parse_text("14.37", &e2)), assert_int_equal(e2, 1437);
    assert_true(stats_ratio_parse_text("14.3", &e2)), assert_int_equal(e2, 1430);
    assert_true(stats_ratio_parse_text("15", &e2)), assert_int_equal(e2, 1500);
    assert_true(stats_ratio_parse_text("0.05", &e2)), assert_int_equal(e2, 5);
    const char *bad[] = {"", ".5", "14.", "14.375", "-1", "1e2", " 14", "14,37", "0x10", "9999999999999999", NULL};
    for (int i = 0; bad[i]; i++) assert_false(stats_ratio_parse_text(bad[i], &e2));
    json_t *v = json_real(14.37);
    assert_true(stats_ratio_from_json(v, &e2)), assert_int_equal(e2, 1437);
    json_decref(v);
    v = json_real(14.375);
    assert_false(stats_ratio_from_json(v, &e2));
    json_decref(v);
    stats_ratio_format(1437, text), assert_string_equal(text, "14.37");
    stats_ratio_format(5, text), assert_string_equal(text, "0.05");
    stats_ratio_format(STATS_RATIO_NONE, text), assert_string_equal(text, "null");
    assert_int_equal(stats_ratio_e2(1, 3, 100), 3333);       /* 33.333..% */
    assert_int_equal(stats_ratio_e2(2, 3, 100), 6667);       /* rounded half up */
    assert_int_equal(stats_ratio_e2(5, 0, 100), STATS_RATIO_NONE);
}

static void insert_row(db *c, const char *path, const char *key, int64_t num, int64_t den)
{
    db_stmt *s = db_prepare(c, "INSERT INTO surveyed VALUES (?, ?, ?, ?)");
    db_bind_text(s, 1, path), db_bind_text(s, 2, key), db_bind_int(s, 3, num), db_bind_int(s, 4, den);
    assert_int_equal(db_exec_stmt(s), DB_OK);
    db_finish(s);
}

/* Two districts of 100,000 at 10% and 900,000 at 20%: the city's rate is 19.00%, not the 15.00%
 * an average of rates would give. */
static void test_roll_up_is_weighted(void **state)
{
    (void)state;
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c, "CREATE TABLE surveyed (org_path TEXT, sfx TEXT, num INTEGER, den INTEGER)"), DB_OK);
    stats_register_ratio_metric("test_rate", "test.num", "test.den", 100);
    stats_register_key_source("SELECT org_path, '2025-12-31' AS day, 'test.num' || sfx AS key, num AS n FROM surveyed "
                              "UNION ALL SELECT org_path, '2025-12-31', 'test.den' || sfx, den FROM surveyed");
    org city, d1, d2, d3;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "甲", NULL, &d1);
    orgs_create_system(c, &a, city.id, "district", "乙", NULL, &d2);
    orgs_create_system(c, &a, city.id, "district", "丙", NULL, &d3);
    const struct { const org *o; const char *sfx; int64_t num, den; } rows[] = {
        {&d1, "", 10000, 100000}, {&d2, "", 180000, 900000}, {&d1, ".gender.female", 4000, 50000},
    };
    for (size_t i = 0; i < 3; i++) {
        insert_row(c, rows[i].o->path, rows[i].sfx, rows[i].num, rows[i].den);
        char num[32], den[32];
        snprintf(num, sizeof num, "test.num%s", rows[i].sfx), snprintf(den, sizeof den, "test.den%s", rows[i].sfx);
        stats_key keys[] = {{num, rows[i].num}, {den, rows[i].den}};
        assert_int_equal(stats_add_keys(c, rows[i].o->path, "2025-12-31", keys, 2, +1), DB_OK);
    }
    assert_true(stats_metric_valid("test_rate"));
    assert_true(stats_metric_valid("test_rate.gender.female"));
    assert_false(stats_metric_valid("test_rate."));
    assert_false(stats_metric_valid("test_rate.Gender"));
    period y, other;
    assert_true(period_parse("2025", &y));
    assert_true(period_parse("2024", &other));
    int64_t v = 0;
    assert_int_equal(stats_query_metric(c, city.id, &y, "test_rate", &v), DB_OK);
    assert_int_equal(v, 1900);
    assert_int_equal(stats_query_metric(c, d1.id, &y, "test_rate", &v), DB_OK);
    assert_int_equal(v, 1000);
    assert_int_equal(stats_query_metric(c, city.id, &y, "test_rate.gender.female", &v), DB_OK);
    assert_int_equal(v, 800);
    assert_int_equal(stats_query_metric(c, d3.id, &y, "test_rate", &v), DB_OK);
    assert_int_equal(v, STATS_RATIO_NONE);                  /* no population: no rate */
    assert_int_equal(stats_query_metric(c, city.id, &other, "test_rate", &v), DB_OK);
    assert_int_equal(v, STATS_RATIO_NONE);
    /* a row taken back leaves the other's rate */
    assert_int_equal(db_exec(c, "DELETE FROM surveyed WHERE den = 900000"), DB_OK);
    stats_key gone[] = {{"test.num", 180000}, {"test.den", 900000}};
    assert_int_equal(stats_add_keys(c, d2.path, "2025-12-31", gone, 2, -1), DB_OK);
    assert_int_equal(stats_query_metric(c, city.id, &y, "test_rate", &v), DB_OK);
    assert_int_equal(v, 1000);
    int64_t diff = -1;
    assert_int_equal(stats_verify(c, &diff), DB_OK);
    assert_int_equal(diff, 0);
    db_close(c);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_parse_and_print),
        cmocka_unit_test(test_roll_up_is_weighted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
