/* timeutil.c - RFC 3339 times in Asia/Shanghai (see timeutil.h). */
#include "core/timeutil.h"
#include "core/period.h"
#include <stdlib.h>

void time_to_rfc3339(time_t t, char *buf)
{
    time_t local = t + SHANGHAI_OFFSET;
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(buf, 26, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

void time_now_rfc3339(char *buf) { time_to_rfc3339(time(NULL), buf); }

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
    /* day_valid wants digits where they belong (atoi alone would take signs and spaces,
     * "2026-+5-01", found by tests/fuzz) and a real day from 1900 on */
    if (!day_valid(s)) return -1;
    return (time_t)days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8)) * 86400 - SHANGHAI_OFFSET;
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
