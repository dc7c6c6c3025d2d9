/* period.h - reporting periods as docs/api.md writes them, turned into inclusive day ranges:
 *   2026 (year), 2026Q2, 2026-05 (month), 2026W20 (ISO week), 2026-05-18 (day),
 *   2026-05-18..2026-05-24 (inclusive range). Days are "YYYY-MM-DD" in Asia/Shanghai. */
#ifndef KEPU_PERIOD_H
#define KEPU_PERIOD_H
#include <stdbool.h>

typedef struct period {
    char from[11], to[11];     /* inclusive */
} period;

/* false when text is not a period (or the range runs backwards or spans over 20 years). */
bool period_parse(const char *text, period *out);
/* Whether a string is a valid calendar day YYYY-MM-DD. */
bool day_valid(const char *day);
/* The day n days after day (n may be negative); out holds 11 bytes. */
void day_add(const char *day, int n, char out[11]);
/* The last day of the month of day. */
void month_end(const char *day, char out[11]);

/* The bucket of a grain ("day", "week" (ISO), "month", "quarter", "year") that holds day:
 * its label as periods are written (2026-05-18, 2026W21, 2026-05, 2026Q2, 2026) and its whole
 * range. false for an unknown grain or a bad day. */
bool period_bucket(const char *day, const char *grain, char label[16], period *bucket);

#endif
