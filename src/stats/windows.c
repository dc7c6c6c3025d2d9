/* windows.c - named statistics windows: storage and the "<year>:<code>" period form (see
 * windows.h). */
#include "stats/windows.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Windows are city-wide settings: everyone reads them whatever their scope. */
static void city_wide(const scope *sc, qb *q) { (void)sc, (void)q; }

#define W(member) offsetof(stat_window, member)
static const field window_fields[] = {
    {"id", "id", FT_ID, W(id), .flags = 0},
    {"code", "code", FT_TEXT, W(code), .flags = FF_WRITE | FF_REQUIRED, .check = check_key_code, .example = "\"science_week\""},
    {"name", "name", FT_TEXT, W(name), .flags = FF_WRITE | FF_REQUIRED, .max = 50, .example = "\"科技活动周\""},
    {"year", "year", FT_INT, W(year), .flags = FF_WRITE | FF_REQUIRED, .min = 2000, .max = 2100},
    {"from", "from_date", FT_DAY, W(from), .flags = FF_WRITE | FF_REQUIRED, .doc = "in the window's year"},
    {"to", "to_date", FT_DAY, W(to), .flags = FF_WRITE | FF_REQUIRED, .doc = "at most a year after from"},
    {"period", "CAST(year AS TEXT) || ':' || code", FT_TEXT, W(period), .flags = 0,
     .doc = "how the API's period parameters name it", .example = "\"2026:science_week\""},
    {"created_at", "created_at", FT_TIME, W(created_at), .flags = 0},
    {"updated_at", "updated_at", FT_TIME, W(updated_at), .flags = 0},
    {0},
};
#undef W

static const error_row window_errors[] = {
    {WINDOW_DUPLICATE, 409, "duplicate", "code", "该年度已有同代码的统计时段 / this year already has a window with that code"},
    {0},
};

entity window_entity = {
    .name = "stat_window",
    .doc = "A named statistics window (统计时段) of a year, such as Science Week",
    .from = " FROM stat_windows",
    .id_column = "id",
    .scope_rule = city_wide,
    .order = " ORDER BY year, from_date, id",
    .size = sizeof(stat_window),
    .fields = window_fields,
    .not_found = WINDOW_NOT_FOUND,
    .errors = window_errors,
    .create = windows_create,
    .update = windows_update,
    .remove = windows_delete,
    .input = window_input,
};

/* "2026:science_week" -> year 2026, code "science_week"; false for anything else. */
static bool split_window(const char *text, int *year, char code[33])
{
    const char *colon = strchr(text, ':');
    if (!colon || colon - text != 4) return false;
    for (int i = 0; i < 4; i++)
        if (text[i] < '0' || text[i] > '9') return false;
    if (!valid_key_code(colon + 1)) return false;
    *year = atoi(text);
    memcpy(code, colon + 1, strlen(colon + 1) + 1);
    return true;
}

int stats_period_parse(db *c, const char *text, period *out)
{
    int year;
    char code[33];
    if (!text) return PERIOD_INVALID;
    if (!strchr(text, ':')) return period_parse(text, out) ? DB_OK : PERIOD_INVALID;
    if (!split_window(text, &year, code)) return PERIOD_INVALID;
    db_stmt *s = db_prepare(c, "SELECT from_date, to_date FROM stat_windows WHERE year = ? AND code = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, year);
    db_bind_text(s, 2, code);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        snprintf(out->from, sizeof out->from, "%s", db_col_text(s, 0));
        snprintf(out->to, sizeof out->to, "%s", db_col_text(s, 1));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? PERIOD_INVALID : rc;
}

/* Windows are city-wide: their audit entries carry the writer's org path (an admin's). */
static int audit_window(db *c, const principal *p, int64_t id, const char *action, const stat_window *before,
                        const stat_window *after)
{
    return entity_audit(c, &window_entity, actor_of(p), p->org_path ? p->org_path : "/", id, action, before, after);
}

struct save_args {
    const principal *p;
    arena *a;
    int64_t id;
    const stat_window *x;
    stat_window *out;
};

/* A creation (id 0), an update (x set) or a deletion, audited. */
static int save_cb(db *c, void *cls)
{
    struct save_args *w = cls;
    stat_window before;
    int rc = w->id ? entity_get(c, &window_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if (!w->x) {
        qb q;
        qb_init(&q, "DELETE FROM stat_windows WHERE id = ?");
        qb_int(&q, w->id);
        rc = qb_exec(c, &q, NULL);
        return rc == DB_OK ? audit_window(c, w->p, w->id, "delete", &before, NULL) : rc;
    }
    char now[40];
    time_now_rfc3339(now);
    /* an update ends the list before created_at: the first time stays */
    entity_value more[] = {{"updated_at", .text = now}, {w->id ? NULL : "created_at", .text = now}, {0}};
    int64_t id = 0;
    rc = entity_store(c, &window_entity, "stat_windows", w->id, w->x, more, w->a, &id);
    if (rc == DB_UNIQUE) return WINDOW_DUPLICATE;
    if (rc != DB_OK) return rc;
    rc = entity_get(c, &window_entity, &w->p->scope, w->a, id, w->out);
    if (rc == DB_OK) rc = audit_window(c, w->p, id, w->id ? "update" : "create", w->id ? &before : NULL, w->out);
    return rc;
}

int windows_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return windows_update(c, p, a, 0, in, out);   /* id 0: a new window */
}

int windows_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct save_args w = {p, a, id, in, out};
    return db_transaction(c, save_cb, &w);
}

int windows_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct save_args w = {p, a, id, NULL, NULL};
    return db_transaction(c, save_cb, &w);
}
