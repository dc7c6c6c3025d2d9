/* test_assessment_sources.c - the assessment's figure sources of the modules (issue 16 E) measure
 * every unit at once with known figures: rows written straight into a fresh database (foreign
 * keys off: only the columns the sources read and the required ones), two districts A (with a
 * point below it) and B, and each source's value and detail per district checked, records of
 * another year and revoked or unconfirmed ones left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "assessments/sources.h"
#include "orgs/orgs.h"
#include <string.h>

extern const assessment_source designations_source, call_results_source, volunteer_hours_source,
    reports_complete_source, reports_on_time_source, targets_met_source;

static db *c;
static arena a;
static assess_unit units[2];
static int64_t dist_a, dist_b, point_a;

static void sql(const char *text)
{
    qb q;
    qb_init(&q, text);
    assert_int_equal(qb_exec(c, &q, NULL), DB_OK);
}

/* The same with the three org ids bound where the text says ?A, ?B, ?P (in that order of use). */
static void sql_orgs(const char *text, const char *order)
{
    qb q;
    qb_init(&q, text);
    for (const char *o = order; *o; o++) {
        if (*o == 'A') qb_int(&q, dist_a);
        if (*o == 'B') qb_int(&q, dist_b);
        if (*o == 'P') qb_int(&q, point_a);
        if (*o == 'a') qb_text(&q, units[0].path);
        if (*o == 'b') qb_text(&q, units[1].path);
        if (*o == 'p') qb_text(&q, arena_printf(&a, "%s%lld/", units[0].path, (long long)point_a));
    }
    assert_int_equal(qb_exec(c, &q, NULL), DB_OK);
}

static int setup(void **state)
{
    (void)state;
    arena_init(&a);
    if (db_open(":memory:", &c) != DB_OK || db_migrate(c) != DB_OK) return -1;
    org city, da, db_, pa;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "甲区", NULL, &da);
    orgs_create_system(c, &a, city.id, "district", "乙区", NULL, &db_);
    orgs_create_system(c, &a, da.id, "point", "甲区教学点", NULL, &pa);
    dist_a = da.id, dist_b = db_.id, point_a = pa.id;
    units[0] = (assess_unit){da.id, da.path, da.name};
    units[1] = (assess_unit){db_.id, db_.path, db_.name};
    sql("PRAGMA foreign_keys = OFF");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(c);
    arena_free(&a);
    return 0;
}

static void measure(const assessment_source *s, int year, const char *param, assess_measure *out)
{
    assert_int_equal(s->measure_unscoped(c, &a, year, param, units, 2, out), DB_OK);
}

static void test_designations(void **state)
{
    (void)state;
    /* A: two granted in 2025 (one at its point), one revoked, one of 2024; B: one of kind demo_point */
    sql_orgs("INSERT INTO designations (kind, subject_kind, org_id, org_path, name, valid_from, status, created_at) VALUES "
             "('base', 'org', ?, ?, 'x', '2025-03-01', 'active', 'now'), ('base', 'org', ?, ?, 'x', '2025-06-01', 'active', 'now'), "
             "('base', 'org', ?, ?, 'x', '2025-07-01', 'revoked', 'now'), ('base', 'org', ?, ?, 'x', '2024-07-01', 'active', 'now'), "
             "('demo_point', 'org', ?, ?, 'x', '2025-02-01', 'active', 'now')", "AaPpAaAaBb");
    assess_measure m[2];
    measure(&designations_source, 2025, NULL, m);
    assert_true(m[0].value == 2.0 && m[1].value == 1.0);
    measure(&designations_source, 2025, "base", m);
    assert_true(m[0].value == 2.0 && m[1].value == 0.0);
    assert_null(designations_source.check_param(c, &a, "base"));
    assert_non_null(designations_source.check_param(c, &a, "no_such_kind"));
}

static void test_call_results(void **state)
{
    (void)state;
    /* A: one selected in 2025 at its point, one rejected; B: one selected in 2025, one in 2024 */
    sql_orgs("INSERT INTO call_entries (call_id, org_id, org_path, branch_path, title, field_values, status, outcome, "
             "decided_at, created_at, updated_at) VALUES "
             "(1, ?, ?, '/', 't', '{}', 'decided', 'selected', '2025-11-01T10:00:00+08:00', 'x', 'x'), "
             "(1, ?, ?, '/', 't', '{}', 'decided', 'rejected', '2025-11-01T10:00:00+08:00', 'x', 'x'), "
             "(1, ?, ?, '/', 't', '{}', 'decided', 'selected', '2025-12-01T10:00:00+08:00', 'x', 'x'), "
             "(1, ?, ?, '/', 't', '{}', 'decided', 'selected', '2024-12-01T10:00:00+08:00', 'x', 'x')", "PpAaBbBb");
    assess_measure m[2];
    measure(&call_results_source, 2025, NULL, m);
    assert_true(m[0].value == 1.0 && m[1].value == 1.0);
    measure(&call_results_source, 2024, NULL, m);
    assert_true(m[0].value == 0.0 && m[1].value == 1.0);
}

static void test_volunteer_hours(void **state)
{
    (void)state;
    sql("INSERT INTO volunteer_projects (id, team_id, org_path, title, starts_at, ends_at, day, audience, status, created_at, "
        "updated_at) VALUES (1, 1, '/', 'p', 'x', 'x', '2025-05-01', 'team', 'finished', 'x', 'x'), "
        "(2, 1, '/', 'p', 'x', 'x', '2024-05-01', 'team', 'finished', 'x', 'x')");
    /* A: 90 + 150 minutes confirmed (2 + 3 hours, rounded per sign-up), 600 open; B: 60 of 2024 */
    sql_orgs("INSERT INTO volunteer_signups (project_id, position_id, volunteer_id, org_path, status, source, minutes, credited, "
             "hours_status, created_at, updated_at) VALUES "
             "(1, 1, 1, ?, 'accepted', 'self', 90, 1, 'confirmed', 'x', 'x'), "
             "(1, 1, 2, ?, 'accepted', 'self', 150, 1, 'confirmed', 'x', 'x'), "
             "(1, 1, 3, ?, 'accepted', 'self', 600, 1, 'open', 'x', 'x'), "
             "(2, 1, 4, ?, 'accepted', 'self', 60, 1, 'confirmed', 'x', 'x')", "apab");
    assess_measure m[2];
    measure(&volunteer_hours_source, 2025, NULL, m);
    assert_true(m[0].value == 5.0 && m[1].value == 0.0);
}

static void test_reports(void **state)
{
    (void)state;
    /* a monthly form of the city filled by the districts (deadline 10 days): in 2025 every month is
     * due, 12 reports owed by each; A submitted 12 (two late), B 6 on time */
    sql_orgs("INSERT INTO report_forms (id, org_id, org_path, title, period_type, filler_type, deadline_days, fields, "
             "created_at, updated_at) VALUES (7, 1, '/1/', 'f', 'month', 'district', 10, '[]', 'x', 'x')", "");
    for (int m = 1; m <= 12; m++) {
        qb q;
        const char *period = arena_printf(&a, "2025-%02d", m);
        /* the 15th of the next month is after the deadline (the 10th) */
        const char *late = arena_printf(&a, "%s-15T09:00:00+08:00", m == 12 ? "2026-01" : arena_printf(&a, "2025-%02d", m + 1));
        const char *on_time = arena_printf(&a, "%s-05T09:00:00+08:00", m == 12 ? "2026-01" : arena_printf(&a, "2025-%02d", m + 1));
        qb_init(&q, "INSERT INTO report_submissions (form_id, org_id, org_path, period, period_day, field_values, status, "
                    "submitted_at, created_at, updated_at) VALUES (7, ?, ?, ?, 'x', '{}', 'submitted', ?, 'x', 'x')");
        qb_int(&q, dist_a), qb_text(&q, units[0].path), qb_text(&q, period), qb_text(&q, m <= 2 ? late : on_time);
        assert_int_equal(qb_exec(c, &q, NULL), DB_OK);
        if (m > 6) continue;
        qb_init(&q, "INSERT INTO report_submissions (form_id, org_id, org_path, period, period_day, field_values, status, "
                    "submitted_at, created_at, updated_at) VALUES (7, ?, ?, ?, 'x', '{}', 'submitted', ?, 'x', 'x')");
        qb_int(&q, dist_b), qb_text(&q, units[1].path), qb_text(&q, period), qb_text(&q, on_time);
        assert_int_equal(qb_exec(c, &q, NULL), DB_OK);
    }
    assess_measure m[2];
    measure(&reports_complete_source, 2025, NULL, m);
    assert_true(m[0].value == 1.0 && m[1].value == 0.5);
    assert_null(m[0].detail);
    assert_non_null(strstr(m[1].detail, "6 of 12 reports missing"));
    measure(&reports_on_time_source, 2025, NULL, m);
    assert_true(m[0].value == 10.0 / 12.0 && m[1].value == 0.5);
    assert_non_null(strstr(m[0].detail, "2 of 12 reports late or missing"));
}

static void test_targets_met(void **state)
{
    (void)state;
    /* each district: 4 activities in 2025 (from the day roll-ups); A has 3 (one at its point), B 5 */
    sql("INSERT INTO targets (org_id, org_path, title, metric, period, period_from, period_to, goal, applies, each_type, "
        "created_at, updated_at) VALUES (1, '/1/', 't', 'activities', '2025', '2025-01-01', '2025-12-31', 4, 'each', "
        "'district', 'x', 'x')");
    sql_orgs("INSERT INTO stat_rollups (org_id, grain, bucket, activities) VALUES (?, 'd', '2025-03-01', 3), "
             "(?, 'd', '2025-04-01', 5), (?, 'd', '2024-04-01', 9)", "ABA");
    assess_measure m[2];
    measure(&targets_met_source, 2025, NULL, m);
    assert_true(m[0].value == 0.75 && m[1].value == 1.0);
    assert_non_null(strstr(m[0].detail, "1 of 1 targets not met"));
    measure(&targets_met_source, 2025, "participants", m);   /* no target on it: nothing to fall short of */
    assert_true(m[0].value == 1.0 && m[1].value == 1.0);
    assert_null(targets_met_source.check_param(c, &a, "activities"));
    assert_non_null(targets_met_source.check_param(c, &a, "happiness"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_designations),
        cmocka_unit_test(test_call_results),
        cmocka_unit_test(test_volunteer_hours),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_targets_met),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
