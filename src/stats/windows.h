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

enum {
    WINDOW_NOT_FOUND = -320,
    WINDOW_DUPLICATE = -321,
    PERIOD_INVALID = -322,
};

typedef struct stat_window {
    int64_t id, year;
    const char *code, *name, *from, *to, *created_at, *updated_at;
    const char *period;          /* "<year>:<code>", read only */
} stat_window;

extern struct entity window_entity;   /* the declared record (model/entity.h) */

/* Any period of docs/api.md, named windows included, into its day range: DB_OK, PERIOD_INVALID
 * (not a period, or a window that is not set for that year) or a DB code. */
int stats_period_parse(db *c, const char *text, period *out);

/* The entity's writers (the generic handlers of http/entity_http.h): in is a stat_window holding
 * every field, checked by window_input (windows_api.c); out a stat_window. */
int windows_create(db *c, const principal *p, arena *a, const void *in, void *out);
int windows_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
int windows_delete(db *c, const principal *p, arena *a, int64_t id);
struct request;
bool window_input(struct request *r, void *rec, bool creating);

void windows_register_routes(void);

#endif
