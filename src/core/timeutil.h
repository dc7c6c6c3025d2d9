/* timeutil.h - wall-clock time as Kepu writes it: RFC 3339 in Asia/Shanghai (+08:00).
 * China has no daylight saving, so the fixed offset is exact and needs no tz database. */
#ifndef KEPU_TIMEUTIL_H
#define KEPU_TIMEUTIL_H
#include <stdint.h>
#include <time.h>

#define SHANGHAI_OFFSET (8 * 3600)

/* Writes "2026-11-22T21:30:00+08:00" into buf (at least 26 bytes). */
void time_to_rfc3339(time_t t, char *buf);
void time_now_rfc3339(char *buf);
/* Parses YYYY-MM-DD (a Shanghai calendar day) to the time_t of its midnight; -1 on error. */
time_t time_parse_date(const char *s);
int64_t time_now_ms(void);
/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone involved). */
long days_from_civil(int y, int m, int d);

#endif
