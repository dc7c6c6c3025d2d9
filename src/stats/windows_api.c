/* windows_api.c - GET/POST/PATCH/DELETE /stat-windows: named statistics windows (windows.h). */
#include "stats/windows.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

static const char *const writable[] = {"code", "name", "year", "from", "to", NULL};
static const char *const read_only[] = {"id", "period", "created_at", "updated_at", NULL};

static void reply_window_error(request *r, int rc)
{
    switch (rc) {
    case WINDOW_NOT_FOUND: reply_not_found(r); break;
    case WINDOW_DUPLICATE:
        reply_error(r, 409, "duplicate", "code", "该年度已有同代码的统计时段 / this year already has a window with that code");
        break;
    default: reply_db_error(r); break;
    }
}

/* Reads the fields present over x (all required on create) and checks the whole. */
static bool read_window_input(request *r, stat_window *x, bool creating)
{
    const char *code = NULL, *name = NULL;
    if (!body_allow_fields(r, writable, read_only) || !body_string(r, "code", creating, &code) ||
        !body_name(r, "name", creating, 50, &name) || !body_int(r, "year", creating, &x->year, NULL) ||
        !body_day(r, "from", creating, &x->from) || !body_day(r, "to", creating, &x->to))
        return false;
    if (code && !valid_key_code(code)) {
        reply_error(r, 422, "invalid_field", "code", "代码为 1–32 位小写字母、数字或下划线 / code must be 1-32 of [a-z0-9_]");
        return false;
    }
    if (code) x->code = code;
    if (name) x->name = name;
    if (x->year < 2000 || x->year > 2100) {
        reply_error(r, 422, "invalid_field", "year", "年度应在 2000–2100 之间 / year must be 2000-2100");
        return false;
    }
    if (strcmp(x->to, x->from) < 0) {
        reply_error(r, 422, "invalid_field", "to", "结束日期早于开始日期 / to is before from");
        return false;
    }
    /* a window belongs to its year: it starts in it, and lasts at most a year */
    if (atoi(x->from) != x->year) {
        reply_error(r, 422, "invalid_field", "from", "开始日期应在所属年度内 / from must fall in the window's year");
        return false;
    }
    char limit[11];
    day_add(x->from, 366, limit);
    if (strcmp(x->to, limit) >= 0) {
        reply_error(r, 422, "invalid_field", "to", "统计时段不能超过一年 / a window lasts at most a year");
        return false;
    }
    return true;
}

static void reply_window(request *r, int status, const stat_window *x)
{
    jw w;
    jw_init(&w);
    window_write(&w, x);
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    int64_t year = 0;
    bool has;
    if (!query_id(r, "year", &year, &has)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    if (!c || windows_list(c, &r->arena, year, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_create(request *r)
{
    stat_window x = {0}, out;
    if (!read_window_input(r, &x, true)) return;
    db *c = db_thread();
    int rc = c ? windows_save(c, r->principal, &r->arena, 0, &x, &out) : DB_ERR;
    if (rc != DB_OK) { reply_window_error(r, rc); return; }
    reply_window(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    stat_window x, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? windows_get(c, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_window_error(r, rc); return; }
    if (!read_window_input(r, &x, false)) return;
    rc = windows_save(c, r->principal, &r->arena, id, &x, &out);
    if (rc != DB_OK) { reply_window_error(r, rc); return; }
    reply_window(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? windows_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_window_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route window_routes[] = {
    {"GET", "/api/v1/stat-windows", handle_list, RANK_MEMBER, 0, .summary = "Named statistics windows (统计时段), by year and first day"},
    {"POST", "/api/v1/stat-windows", handle_create, RANK_ADMIN, 0, .summary = "Set a named window for a year"},
    {"PATCH", "/api/v1/stat-windows/:id", handle_update, RANK_ADMIN, 0, .summary = "Change a named window"},
    {"DELETE", "/api/v1/stat-windows/:id", handle_delete, RANK_ADMIN, 0, .summary = "Delete a named window"},
    {0},
};

void windows_register_routes(void) { router_add_table(window_routes); }
