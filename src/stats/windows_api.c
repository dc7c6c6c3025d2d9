/* windows_api.c - GET/POST/PATCH/DELETE /stat-windows: named statistics windows (windows.h). */
#include "stats/windows.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

/* The window's own rules after the field table's: to after from, within a year of its year. */
bool window_input(request *r, void *rec, bool creating)
{
    (void)creating;
    stat_window *x = rec;
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

static void handle_list(request *r)
{
    int64_t year = 0;
    bool has;
    if (!query_id(r, "year", &year, &has)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    qb where;
    qb_init(&where, "");
    int rc = entity_list_where(c, &window_entity, &r->principal->scope, &r->arena, 0, &where);
    if (rc == DB_OK && year) qb_sql(&where, " AND year = ?"), qb_int(&where, year);
    if (rc == DB_OK) rc = entity_list_all(c, &window_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route window_routes[] = {
    {"GET", "/api/v1/stat-windows", handle_list, RANK_MEMBER, 0, .summary = "Named statistics windows (统计时段), by year and first day", .entity = &window_entity},
    {"POST", "/api/v1/stat-windows", entity_handle_create, RANK_ADMIN, 0, .summary = "Set a named window for a year", .entity = &window_entity},
    {"PATCH", "/api/v1/stat-windows/:id", entity_handle_update, RANK_ADMIN, 0, .summary = "Change a named window", .entity = &window_entity},
    {"DELETE", "/api/v1/stat-windows/:id", entity_handle_delete, RANK_ADMIN, 0, .summary = "Delete a named window", .entity = &window_entity},
    {0},
};

void windows_register_routes(void) { router_add_table(window_routes); }
