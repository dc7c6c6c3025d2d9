/* period.c - periods to day ranges (see period.h). Calendar arithmetic on days since
 * 1970-01-01, so no time zone or libc locale is involved. */
#include "core/period.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void write_day(long z, char out[11])
{
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static bool parse_day(const char *s, long *z)
{
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    *z = days_from_civil(y, m, d);
    int y2, m2, d2;
    civil_from_days(*z, &y2, &m2, &d2);
    return y2 == y && m2 == m && d2 == d;   /* rejects 2026-02-30 */
}

bool day_valid(const char *day)
{
    long z;
    return day && strlen(day) == 10 && parse_day(day, &z);
}

void day_add(const char *day, int n, char out[11])
{
    long z = 0;
    parse_day(day, &z);
    write_day(z + n, out);
}

/* The first day of month m of year y; m 13 is January of the next year. */
static long month_first(int y, int m)
{
    return m > 12 ? days_from_civil(y + 1, m - 12, 1) : days_from_civil(y, m, 1);
}

void month_end(const char *day, char out[11])
{
    int y = num(day, 4), m = num(day + 5, 2);
    write_day(month_first(y, m + 1) - 1, out);
}

/* The Monday on or before day z. z is negative before 1970, where C's % is negative too
 * (weeks of 1900-1969 came out a week late; found by tests/fuzz). */
static long iso_monday(long z)
{
    return z - ((z + 3) % 7 + 7) % 7;
}

static bool set_range(period *p, long a, long b)
{
    if (b < a || b - a > 366L * 20) return false;
    write_day(a, p->from);
    write_day(b, p->to);
    return true;
}

bool period_parse(const char *t, period *p)
{
    size_t n = t ? strlen(t) : 0;
    long a, b;
    if (n == 4 && digits(t, 4)) {
        int y = num(t, 4);
        return y >= 1900 && set_range(p, days_from_civil(y, 1, 1), days_from_civil(y, 12, 31));
    }
    if (n == 6 && digits(t, 4) && t[4] == 'Q' && t[5] >= '1' && t[5] <= '4') {
        int y = num(t, 4), q = t[5] - '0';
        return y >= 1900 && set_range(p, month_first(y, 3 * q - 2), month_first(y, 3 * q + 1) - 1);
    }
    if (n == 7 && digits(t, 4) && t[4] == '-' && digits(t + 5, 2)) {
        int y = num(t, 4), m = num(t + 5, 2);
        return y >= 1900 && m >= 1 && m <= 12 && set_range(p, month_first(y, m), month_first(y, m + 1) - 1);
    }
    if ((n == 7 || n == 6) && digits(t, 4) && t[4] == 'W' && digits(t + 5, (int)n - 5)) {
        int y = num(t, 4), w = num(t + 5, (int)n - 5);
        /* ISO week 1 holds 4 January; weeks start on Monday (1970-01-01 was a Thursday). */
        long monday1 = iso_monday(days_from_civil(y, 1, 4));
        long weeks = (iso_monday(days_from_civil(y + 1, 1, 4)) - monday1) / 7;
        if (y < 1900 || w < 1 || w > weeks) return false;
        a = monday1 + 7L * (w - 1);
        return set_range(p, a, a + 6);
    }
    if (n == 10) return parse_day(t, &a) && set_range(p, a, a);
    if (n == 22 && t[10] == '.' && t[11] == '.') {
        char first[11];
        memcpy(first, t, 10);
        first[10] = 0;
        return parse_day(first, &a) && parse_day(t + 12, &b) && set_range(p, a, b);
    }
    return false;
}

/* The label is written as periods are, so the bucket is that period's range. */
bool period_bucket(const char *day, const char *grain, char label[16], period *bucket)
{
    long z;
    if (!parse_day(day, &z)) return false;
    int y = num(day, 4), m = num(day + 5, 2);
    if (!strcmp(grain, "day")) {
        snprintf(label, 16, "%.10s", day);
    } else if (!strcmp(grain, "week")) {
        long thursday = iso_monday(z) + 3;
        int ty, tm, td;
        civil_from_days(thursday, &ty, &tm, &td);  /* the ISO week's year is its Thursday's */
        int week = (int)((thursday - days_from_civil(ty, 1, 1)) / 7 + 1);   /* 1..53 */
        snprintf(label, 16, "%04dW%02d", ty % 10000, week % 100);
    } else if (!strcmp(grain, "month")) {
        snprintf(label, 16, "%04d-%02d", y % 10000, m % 100);
    } else if (!strcmp(grain, "quarter")) {
        snprintf(label, 16, "%04dQ%d", y % 10000, ((m - 1) / 3 + 1) % 10);
    } else if (!strcmp(grain, "year")) {
        snprintf(label, 16, "%04d", y % 10000);
    } else {
        return false;
    }
    return period_parse(label, bucket);
}
