/* forms_assess.c - report completeness and timeliness for the district assessment
 * (assessments/sources.h). A unit owes, for each active form whose fillers lie in its subtree,
 * one report per filler and period of the year whose deadline (the period's end plus the form's
 * deadline_days) has passed, and also every report already submitted for a period not yet due (an
 * early one counts as owed and done). reports_complete: submitted / owed; reports_on_time:
 * submitted by the deadline day / owed; nothing owed reads as 1. Two queries for all units (the
 * fillers owed per form, the submissions), the periods counted here. Listed in the forms module's
 * descriptor. */
#include "assessments/assess_sql.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "forms/forms.h"
#include <stdio.h>
#include <string.h>

typedef struct tally { int64_t owed, submitted, on_time; } tally;

/* The deadline of a period (its label) of a form: the end plus deadline_days. */
static bool deadline_of(const char *label, int64_t days, char out[11])
{
    period p;
    if (!period_parse(label, &p)) return false;
    day_add(p.to, (int)days, out);
    return true;
}

/* How many of the year's periods of this type have their deadline before today. */
static int64_t due_periods(int year, const char *type, int64_t days, const char *today)
{
    int n = !strcmp(type, "month") ? 12 : !strcmp(type, "quarter") ? 4 : 1;
    int64_t due = 0;
    for (int k = 1; k <= n; k++) {
        char label[16], dl[11];
        if (n == 12) snprintf(label, sizeof label, "%04d-%02d", year, k);
        else if (n == 4) snprintf(label, sizeof label, "%04dQ%d", year, k);
        else snprintf(label, sizeof label, "%04d", year);
        if (deadline_of(label, days, dl) && strcmp(dl, today) < 0) due++;
    }
    return due;
}

static int owed_fillers(db *c, int year, const char *today, const assess_unit *units, int n, tally *t)
{
    qb q;
    qb_init(&q, "SELECT u.id, f.period_type, f.deadline_days, COUNT(o.id) FROM orgs u JOIN report_forms f ON f.active = 1 "
                "JOIN orgs o ON o.type = f.filler_type AND" ASSESS_UNDER("o.path")
                "AND substr(o.path, 1, length(f.org_path)) = f.org_path AND o.path <> f.org_path WHERE");
    assess_units_in(&q, units, n);
    qb_sql(&q, " GROUP BY u.id, f.id, f.period_type, f.deadline_days");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int i = assess_unit_index(units, n, db_col_int(s, 0));
        if (i >= 0) t[i].owed += db_col_int(s, 3) * due_periods(year, db_col_text(s, 1), db_col_int(s, 2), today);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int submissions(db *c, int year, const char *today, const assess_unit *units, int n, tally *t)
{
    qb q;
    qb_init(&q, "SELECT u.id, s.period, s.submitted_at, f.deadline_days FROM orgs u JOIN report_submissions s ON"
                ASSESS_UNDER("s.org_path") "AND s.status = 'submitted' AND CAST(substr(s.period, 1, 4) AS INTEGER) = ? "
                "JOIN report_forms f ON f.id = s.form_id AND f.active = 1 WHERE");
    qb_int(&q, year);
    assess_units_in(&q, units, n);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int i = assess_unit_index(units, n, db_col_int(s, 0));
        char dl[11];
        const char *at = db_col_text(s, 2);
        if (i < 0 || !deadline_of(db_col_text(s, 1), db_col_int(s, 3), dl)) continue;
        if (strcmp(dl, today) >= 0) t[i].owed++;   /* early: not yet owed, owed now that it is in */
        t[i].submitted++;
        t[i].on_time += at && strncmp(at, dl, 10) <= 0;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int measure(db *c, arena *a, int year, const assess_unit *units, int n, assess_measure *out, bool on_time)
{
    char now[32];
    time_now_rfc3339(now);
    now[10] = 0;
    tally *t = arena_alloc(a, sizeof(tally) * (size_t)(n ? n : 1));
    if (!t) return DB_ERR;
    for (int at = 0; at < n; at += ASSESS_CHUNK) {
        int k = n - at < ASSESS_CHUNK ? n - at : ASSESS_CHUNK;
        int rc = owed_fillers(c, year, now, units + at, k, t + at);
        if (rc == DB_OK) rc = submissions(c, year, now, units + at, k, t + at);
        if (rc != DB_OK) return rc;
    }
    for (int i = 0; i < n; i++) {
        int64_t done = on_time ? t[i].on_time : t[i].submitted, lost = t[i].owed - done;
        out[i].value = t[i].owed ? (double)done / (double)t[i].owed : 1.0;
        out[i].detail = !lost ? NULL
                        : on_time ? arena_printf(a, "应报 %lld 份，%lld 份逾期或未报 / %lld of %lld reports late or missing",
                                                 (long long)t[i].owed, (long long)lost, (long long)lost, (long long)t[i].owed)
                                  : arena_printf(a, "应报 %lld 份，缺报 %lld 份 / %lld of %lld reports missing",
                                                 (long long)t[i].owed, (long long)lost, (long long)lost, (long long)t[i].owed);
    }
    return DB_OK;
}

static int complete_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                            assess_measure *out)
{
    (void)param;
    return measure(c, a, year, units, n, out, false);
}

static int on_time_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                           assess_measure *out)
{
    (void)param;
    return measure(c, a, year, units, n, out, true);
}

const assessment_source reports_complete_source = {
    .key = "reports_complete", .label = "报表填报完整率 / Reports complete", .unit = ASSESS_RATIO,
    .measure_unscoped = complete_measure,
};
const assessment_source reports_on_time_source = {
    .key = "reports_on_time", .label = "报表按时报送率 / Reports on time", .unit = ASSESS_RATIO,
    .measure_unscoped = on_time_measure,
};
