/* fuzz_period.c - libFuzzer harness for the text parsers behind list filters and statistics:
 * reporting periods (core/period.h) and the named windows stats_period_parse() looks up, the
 * day filters (day_valid, time_parse_date), course times (RFC 3339), the identity checks and
 * masks of core/validate.h, and the LIKE pattern of a search box (qb_like_pattern).
 * Input: up to three newline-separated pieces (a period, a grain, a time); each piece is also
 * tried as a day, a phone and an ID number. Promises checked: a parsed period runs forward
 * between valid days, a bucket holds its day and its label parses back to the bucket, a day
 * moved forward and back is the same day, a parsed time prints and parses back to itself. */
#include "fuzz.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/query.h"
#include "stats/windows.h"
#include "teaching/teaching.h"

static db *conn;   /* an in-memory database with one statistics window, 2026:science_week */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (db_open(":memory:", &conn) != DB_OK || db_migrate(conn) != DB_OK ||
        db_exec(conn, "INSERT INTO stat_windows (year, code, name, from_date, to_date, created_at, updated_at) "
                      "VALUES (2026, 'science_week', 'w', '2026-05-18', '2026-05-24', 'x', 'x')") != DB_OK) {
        fprintf(stderr, "fuzz_period: cannot set up the in-memory database\n");
        abort();
    }
    return 0;
}

static void check_period(const period *p)
{
    FUZZ_CHECK(day_valid(p->from) && day_valid(p->to) && strcmp(p->from, p->to) <= 0);
}

static void check_day(const char *s)
{
    char next[11], back[11], end[11];
    if (!day_valid(s)) return;
    day_add(s, 1, next);
    day_add(next, -1, back);
    FUZZ_CHECK(day_valid(next) && strcmp(back, s) == 0 && strcmp(next, s) > 0);
    month_end(s, end);
    FUZZ_CHECK(day_valid(end) && strcmp(end, s) >= 0 && strncmp(end, s, 7) == 0);
}

static void check_buckets(const char *day, const char *grain)
{
    static const char *const grains[] = {"day", "week", "month", "quarter", "year"};
    char label[16];
    period b, again;
    for (int i = 0; i < 6; i++) {
        if (!period_bucket(day, i < 5 ? grains[i] : grain, label, &b)) continue;
        char d[11];   /* period_bucket reads the day at the start of its text (callers pass days) */
        snprintf(d, sizeof d, "%.10s", day);
        FUZZ_CHECK(day_valid(d));
        check_period(&b);
        FUZZ_CHECK(strcmp(b.from, d) <= 0 && strcmp(d, b.to) <= 0);
        FUZZ_CHECK(period_parse(label, &again) && !strcmp(again.from, b.from) && !strcmp(again.to, b.to));
    }
}

static void check_time(const char *s)
{
    time_t t, t2;
    char buf[40];
    if (!course_time_parse(s, &t)) return;
    time_to_rfc3339(t, buf);
    FUZZ_CHECK(course_time_parse(buf, &t2) && t2 == t);
}

static void check_identity(const char *s)
{
    char masked[64];
    (void)valid_name(s, 50);
    (void)valid_username(s);
    (void)valid_org_code(s);
    (void)valid_key_code(s);
    (void)valid_email(s);
    if (valid_phone(s)) mask_phone(s, masked, sizeof masked);
    if (valid_id_number(s)) mask_id_number(s, masked, sizeof masked);
    (void)utf8_chars(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *part[3] = {NULL, NULL, NULL};
    int n = fuzz_split(&a, data, size, '\n', part, 3);
    period p;
    if (period_parse(part[0], &p)) check_period(&p);
    int rc = stats_period_parse(conn, part[0], &p);
    FUZZ_CHECK(rc == DB_OK || rc == PERIOD_INVALID);
    if (rc == DB_OK) check_period(&p);
    for (int i = 0; i < n; i++) {
        check_day(part[i]);
        check_buckets(part[i], n > 1 ? part[1] : "day");
        check_time(part[i]);
        check_identity(part[i]);
        char *like = qb_like_pattern(&a, part[i]);
        FUZZ_CHECK(like && like[0] == '%' && strlen(like) >= strlen(part[i]) + 2);
        if (time_parse_date(part[i]) != -1) FUZZ_CHECK(day_valid(part[i]));
    }
    arena_free(&a);
    return 0;
}
