/* timeutil.c - RFC 3339 times in Asia/Shanghai (see timeutil.h). */
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

void time_to_rfc3339(time_t t, char *buf)
{
    time_t local = t + SHANGHAI_OFFSET;
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(buf, 26, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

void time_now_rfc3339(char *buf) { time_to_rfc3339(time(NULL), buf); }

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : d[m - 1];
}

/* Howard Hinnant's algorithm. */
long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

time_t time_parse_date(const char *s)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    /* sscanf's %d would also take signs and spaces ("2026-+5-01", found by tests/fuzz) */
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    return (time_t)days_from_civil(y, m, d) * 86400 - SHANGHAI_OFFSET;
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
