/* test_stats.c - periods, and the roll-ups under a randomized workload: thousands of creates,
 * edits, deletes and subtree moves, after which every roll-up equals a recomputation from the
 * raw records and every period query equals a brute-force sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "activities/activities.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_periods_become_day_ranges(void **state)
{
    (void)state;
    period p;
    assert_true(period_parse("2026", &p));
    assert_string_equal(p.from, "2026-01-01"), assert_string_equal(p.to, "2026-12-31");
    assert_true(period_parse("2026Q1", &p));
    assert_string_equal(p.to, "2026-03-31");
    assert_true(period_parse("2024-02", &p));
    assert_string_equal(p.to, "2024-02-29");
    assert_true(period_parse("2026W20", &p));            /* ISO week 20 of 2026 */
    assert_string_equal(p.from, "2026-05-11"), assert_string_equal(p.to, "2026-05-17");
    assert_true(period_parse("2026W01", &p));
    assert_string_equal(p.from, "2025-12-29");           /* week 1 holds 4 January */
    assert_true(period_parse("2020W53", &p));
    assert_false(period_parse("2025W53", &p));           /* 2025 has 52 weeks (2026 has 53) */
    assert_true(period_parse("2026-05-18..2026-05-24", &p));
    assert_false(period_parse("2026-05-24..2026-05-18", &p));
    assert_false(period_parse("2026-02-30", &p));
    assert_false(period_parse("2026Q5", &p));
    assert_false(period_parse("last year", &p));
    char d[11];
    day_add("2026-12-31", 1, d);
    assert_string_equal(d, "2027-01-01");
}

/* Buckets of every grain: labels as periods are written, whole ranges, ISO weeks across years. */
static void test_buckets_of_every_grain(void **state)
{
    (void)state;
    char label[16];
    period b;
    assert_true(period_bucket("2026-05-18", "day", label, &b));
    assert_string_equal(label, "2026-05-18");
    assert_string_equal(b.from, "2026-05-18");
    assert_true(period_bucket("2026-05-20", "week", label, &b));
    assert_string_equal(label, "2026W21");
    assert_string_equal(b.from, "2026-05-18");
    assert_string_equal(b.to, "2026-05-24");
    assert_true(period_bucket("2027-01-01", "week", label, &b));   /* a Friday of 2026's week 53 */
    assert_string_equal(label, "2026W53");
    assert_string_equal(b.from, "2026-12-28");
    assert_true(period_bucket("2024-12-30", "week", label, &b));   /* a Monday in 2025's week 1 */
    assert_string_equal(label, "2025W01");
    assert_true(period_bucket("2024-02-10", "month", label, &b));
    assert_string_equal(label, "2024-02");
    assert_string_equal(b.to, "2024-02-29");
    assert_true(period_bucket("2026-11-24", "quarter", label, &b));
    assert_string_equal(label, "2026Q4");
    assert_string_equal(b.from, "2026-10-01");
    assert_string_equal(b.to, "2026-12-31");
    assert_true(period_bucket("2026-11-24", "year", label, &b));
    assert_string_equal(label, "2026");
    assert_string_equal(b.to, "2026-12-31");
    /* each label parses back to the same range */
    static const char *const grains[] = {"day", "week", "month", "quarter", "year"};
    for (size_t g = 0; g < 5; g++) {
        period again;
        assert_true(period_bucket("2026-03-31", grains[g], label, &b));
        assert_true(period_parse(label, &again));
        assert_string_equal(again.from, b.from);
        assert_string_equal(again.to, b.to);
    }
    assert_false(period_bucket("2026-03-31", "hour", label, &b));
    assert_false(period_bucket("2026-02-30", "day", label, &b));
}

#define NORGS 12
#define NACTS 600

typedef struct model {
    db *c;
    arena a;
    principal admin;
    org nodes[NORGS];
    int64_t ids[NACTS];
    int n;
} model;

static principal admin_of(void)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.user_id = 1;
    p.username = "admin";
    p.rank = RANK_ADMIN;
    p.scope.level = SCOPE_ALL;
    return p;
}

static void random_day(char out[11])
{
    unsigned mo = 1 + (unsigned)rand() % 12, d = 1 + (unsigned)rand() % 28;
    snprintf(out, 11, "2026-%02u-%02u", mo % 100, d % 100);
}

static activity random_activity(model *m, char *day)
{
    static const char *const kinds[] = {"lecture", "training", "publicity", "contest"};
    static const char *const audiences[] = {"youth", "elderly", "farmers", NULL};   /* some have none */
    activity x;
    memset(&x, 0, sizeof x);
    x.org_id = m->nodes[rand() % NORGS].id;
    x.kind = kinds[rand() % 4];
    x.audience = audiences[rand() % 4];
    x.title = "随机活动";
    random_day(day);
    x.start_date = x.end_date = day;
    for (int k = 1; k < STATS_NMETRICS; k++) x.counts.v[k] = rand() % 500;
    return x;
}

/* Brute force: the sum over raw activities in the node's subtree within [from, to]. */
static int64_t brute(model *m, const org *node, const char *from, const char *to, int metric)
{
    db_stmt *s = db_prepare(m->c, metric == M_ACTIVITIES
        ? "SELECT COUNT(*) FROM activities WHERE org_path >= ? AND org_path < ? AND start_date >= ? AND start_date <= ?"
        : "SELECT COALESCE(SUM(participants), 0) FROM activities WHERE org_path >= ? AND org_path < ? "
          "AND start_date >= ? AND start_date <= ?");
    db_bind_text(s, 1, node->path);
    db_bind_text(s, 2, path_upper_bound(&m->a, node->path));
    db_bind_text(s, 3, from);
    db_bind_text(s, 4, to);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_finish(s);
    return n;
}

static void test_rollups_survive_a_random_workload(void **state)
{
    (void)state;
    model *m = calloc(1, sizeof *m);
    arena_init(&m->a);
    srand(4242);
    assert_int_equal(db_open(":memory:", &m->c), DB_OK);
    assert_int_equal(db_migrate(m->c), DB_OK);
    activities_init();
    m->admin = admin_of();
    orgs_create_system(m->c, &m->a, 0, "city", "市", NULL, &m->nodes[0]);
    for (int i = 1; i < NORGS; i++)
        orgs_create_system(m->c, &m->a, m->nodes[rand() % i].id, i % 3 ? "street" : "district", "节点", NULL, &m->nodes[i]);
    int moves = 0;
    for (int step = 0; step < 3000; step++) {
        int op = rand() % 100;
        char day[11];
        activity x = random_activity(m, day), out;
        if (op < 45 || m->n == 0) {
            if (m->n < NACTS && activities_create(m->c, &m->admin, &m->a, &x, &out) == DB_OK) m->ids[m->n++] = out.id;
        } else if (op < 75) {
            assert_int_equal(activities_update(m->c, &m->admin, &m->a, m->ids[rand() % m->n], &x, &out), DB_OK);
        } else if (op < (getenv("NOMOVE") ? 100 : 95)) {
            int k = rand() % m->n;
            assert_int_equal(activities_delete(m->c, &m->admin, &m->a, m->ids[k]), DB_OK);
            m->ids[k] = m->ids[--m->n];
        } else {
            /* move a random non-root node under another node that is not its descendant */
            org *node = &m->nodes[1 + rand() % (NORGS - 1)], *target = &m->nodes[rand() % NORGS];
            org moved;
            int rc = orgs_update(m->c, &m->admin, &m->a, node->id, NULL, NULL, NULL, target->id, &moved);
            assert_true(rc == DB_OK || rc == ORGS_INTO_DESCENDANT);
            if (rc == DB_OK) moves++;
            for (int i = 0; i < NORGS; i++) orgs_get(m->c, &m->admin, &m->a, m->nodes[i].id, &m->nodes[i]);
        }
        if (step % 500 == 499) arena_free(&m->a), arena_init(&m->a);
        if (step % 500 == 499)
            for (int i = 0; i < NORGS; i++) orgs_get(m->c, &m->admin, &m->a, m->nodes[i].id, &m->nodes[i]);
    }
    assert_true(moves > 10);
    int64_t diff = -1;
    assert_int_equal(stats_verify(m->c, &diff), DB_OK);
    assert_int_equal(diff, 0);
    static const char *const periods[] = {"2026", "2026Q2", "2026-02", "2026W20", "2026-03-15..2026-07-09",
                                          "2026-06-30", "2025"};
    for (int i = 0; i < NORGS; i++)
        for (size_t k = 0; k < sizeof periods / sizeof *periods; k++) {
            period p;
            stats_values v;
            assert_true(period_parse(periods[k], &p));
            assert_int_equal(stats_query(m->c, m->nodes[i].id, &p, &v), DB_OK);
            assert_int_equal(v.v[M_ACTIVITIES], brute(m, &m->nodes[i], p.from, p.to, M_ACTIVITIES));
            assert_int_equal(v.v[M_PARTICIPANTS], brute(m, &m->nodes[i], p.from, p.to, M_PARTICIPANTS));
        }
    /* and a corrupted roll-up is caught, an audience count as well as a total */
    assert_int_equal(db_exec(m->c, "UPDATE stat_kind_rollups SET n = n + 1 WHERE grain = 'd' AND kind = 'audience.youth' "
                                   "AND rowid = (SELECT MIN(rowid) FROM stat_kind_rollups WHERE grain = 'd' AND kind = 'audience.youth')"), DB_OK);
    assert_int_equal(stats_verify(m->c, &diff), DB_OK);
    assert_int_equal(diff, 2);      /* the stored row differs, and the expected one is missing */
    assert_int_equal(stats_rebuild(m->c), DB_OK);
    assert_int_equal(stats_verify(m->c, &diff), DB_OK);
    assert_int_equal(diff, 0);
    assert_int_equal(db_exec(m->c, "UPDATE stat_rollups SET funds = funds + 1 WHERE rowid = 1"), DB_OK);
    assert_int_equal(stats_verify(m->c, &diff), DB_OK);
    assert_true(diff > 0);
    db_close(m->c);
    arena_free(&m->a);
    free(m);
}

/* A module's own metric kept as a keyed counter: written with stats_add_keys(), answered as a
 * metric, recomputed by verify from the module's source, moved with its subtree. */
static void test_keyed_metrics_of_modules(void **state)
{
    (void)state;
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c, "CREATE TABLE held (org_path TEXT, day TEXT, people INTEGER)"), DB_OK);
    static const char source[] = "SELECT org_path, day, 'test_courses' AS key, 1 AS n FROM held UNION ALL "
                                 "SELECT org_path, day, 'test_attendance', people FROM held";
    stats_register_keyed_metric("test_courses");
    stats_register_keyed_metric("test_attendance");
    stats_register_key_source(source);
    org city, d1, d2, point;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "甲", NULL, &d1);
    orgs_create_system(c, &a, city.id, "district", "乙", NULL, &d2);
    orgs_create_system(c, &a, d1.id, "point", "点", NULL, &point);
    const struct { const char *day; int people; } held[] = {{"2026-03-02", 30}, {"2026-03-09", 25}, {"2026-04-01", 40}};
    for (size_t i = 0; i < 3; i++) {
        db_stmt *s = db_prepare(c, "INSERT INTO held VALUES (?, ?, ?)");
        db_bind_text(s, 1, point.path);
        db_bind_text(s, 2, held[i].day);
        db_bind_int(s, 3, held[i].people);
        assert_int_equal(db_exec_stmt(s), DB_OK);
        db_finish(s);
        stats_key keys[] = {{"test_courses", 1}, {"test_attendance", held[i].people}};
        assert_int_equal(stats_add_keys(c, point.path, held[i].day, keys, 2, +1), DB_OK);
    }
    assert_true(stats_metric_valid("test_courses"));
    assert_false(stats_metric_valid("test_nothing"));
    period q1, march;
    assert_true(period_parse("2026Q1", &q1));
    assert_true(period_parse("2026-03-05..2026-03-31", &march));
    int64_t v = 0;
    assert_int_equal(stats_query_metric(c, city.id, &q1, "test_courses", &v), DB_OK);
    assert_int_equal(v, 2);
    assert_int_equal(stats_query_metric(c, d1.id, &march, "test_attendance", &v), DB_OK);
    assert_int_equal(v, 25);
    int64_t diff = -1;
    assert_int_equal(stats_verify(c, &diff), DB_OK);
    assert_int_equal(diff, 0);
    /* a counter written but not in the records is a difference */
    stats_key stray = {"test_courses", 1};
    assert_int_equal(stats_add_keys(c, d2.path, "2026-05-01", &stray, 1, +1), DB_OK);
    assert_int_equal(stats_verify(c, &diff), DB_OK);
    assert_true(diff > 0);
    assert_int_equal(stats_add_keys(c, d2.path, "2026-05-01", &stray, 1, -1), DB_OK);
    /* the point moves to the other district: its counters go with it */
    assert_int_equal(stats_move_subtree(c, point.path, arena_printf(&a, "%s%lld/", d2.path, (long long)point.id)), DB_OK);
    assert_int_equal(stats_query_metric(c, d1.id, &q1, "test_courses", &v), DB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(stats_query_metric(c, d2.id, &q1, "test_courses", &v), DB_OK);
    assert_int_equal(v, 2);
    db_close(c);
    arena_free(&a);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods_become_day_ranges),
        cmocka_unit_test(test_buckets_of_every_grain),
        cmocka_unit_test(test_rollups_survive_a_random_workload),
        /* last: it registers a source over a table of its own database only */
        cmocka_unit_test(test_keyed_metrics_of_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
