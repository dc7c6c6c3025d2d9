/* windows.h - named statistics windows: 科技活动周 (Science Week), 全国科普日 (Science Day) and
 * any other date range admins name per year. A window is a period like any other: it is
 * written "<year>:<code>" ("2026:science_week") wherever the API takes a period, and answers
 * from the same roll-ups. Windows are city-wide settings, not records of a node: everyone
 * reads them, admins write them, every change is audited.
 * Strings of a returned window live in the given arena. */
#ifndef KEPU_WINDOWS_H
#define KEPU_WINDOWS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/period.h"
#include "db/db.h"
#include "core/jsonw.h"

enum {
    WINDOW_NOT_FOUND = -320,
    WINDOW_DUPLICATE = -321,
    PERIOD_INVALID = -322,
};

typedef struct stat_window {
    int64_t id, year;
    const char *code, *name, *from, *to, *created_at, *updated_at;
} stat_window;

/* Any period of docs/api.md, named windows included, into its day range: DB_OK, PERIOD_INVALID
 * (not a period, or a window that is not set for that year) or a DB code. */
int stats_period_parse(db *c, const char *text, period *out);

void window_write(jw *w, const stat_window *x);
/* Writes the windows of a year (0: all years) as a JSON array, by year then start day. */
int windows_list(db *c, arena *a, int64_t year, jw *items);
int windows_get(db *c, arena *a, int64_t id, stat_window *out);
/* x holds every field (checked by the caller); id 0 creates. */
int windows_save(db *c, const principal *p, arena *a, int64_t id, const stat_window *x, stat_window *out);
int windows_delete(db *c, const principal *p, arena *a, int64_t id);

void windows_register_routes(void);

#endif
