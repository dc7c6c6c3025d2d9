/* windows.c - named statistics windows: storage and the "<year>:<code>" period form (see
 * windows.h). */
#include "stats/windows.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN_COLS "id, code, name, year, from_date, to_date, created_at, updated_at"

static void read_window(db_stmt *s, arena *a, stat_window *x)
{
    x->id = db_col_int(s, 0);
    x->code = arena_strdup(a, db_col_text(s, 1));
    x->name = arena_strdup(a, db_col_text(s, 2));
    x->year = db_col_int(s, 3);
    x->from = arena_strdup(a, db_col_text(s, 4));
    x->to = arena_strdup(a, db_col_text(s, 5));
    x->created_at = arena_strdup(a, db_col_text(s, 6));
    x->updated_at = arena_strdup(a, db_col_text(s, 7));
}

void window_write(jw *w, const stat_window *x)
{
    char text[48];
    snprintf(text, sizeof text, "%lld:%s", (long long)x->year, x->code);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "code"), jw_str(w, x->code);
    jw_key(w, "name"), jw_str(w, x->name);
    jw_key(w, "year"), jw_int(w, x->year);
    jw_key(w, "from"), jw_str(w, x->from);
    jw_key(w, "to"), jw_str(w, x->to);
    jw_key(w, "period"), jw_str(w, text);
    jw_key(w, "created_at"), jw_str(w, x->created_at);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
    jw_obj_end(w);
}

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

int windows_list(db *c, arena *a, int64_t year, jw *items)
{
    db_stmt *s = db_prepare(c, year ? "SELECT " WIN_COLS " FROM stat_windows WHERE year = ? ORDER BY year, from_date, id"
                                    : "SELECT " WIN_COLS " FROM stat_windows ORDER BY year, from_date, id");
    if (!s) return DB_ERR;
    if (year) db_bind_int(s, 1, year);
    int rc;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        stat_window x;
        read_window(s, a, &x);
        window_write(items, &x);
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int windows_get(db *c, arena *a, int64_t id, stat_window *out)
{
    db_stmt *s = db_prepare(c, "SELECT " WIN_COLS " FROM stat_windows WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) read_window(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? WINDOW_NOT_FOUND : rc;
}

static json_t *window_json(const stat_window *x)
{
    jw w;
    jw_init(&w);
    window_write(&w, x);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* Windows are city-wide: their audit entries carry the writer's org path (an admin's). */
static int audit_window(db *c, const principal *p, int64_t id, const char *action, const stat_window *before,
                        const stat_window *after)
{
    json_t *b = before ? window_json(before) : NULL, *af = after ? window_json(after) : NULL;
    int rc = audit_record(c, actor_of(p), p->org_path ? p->org_path : "/", "stat_window", id, action, b, af);
    json_decref(b);
    json_decref(af);
    return rc;
}

struct save_args {
    const principal *p;
    arena *a;
    int64_t id;
    const stat_window *x;
    stat_window *out;
};

static int save_cb(db *c, void *cls)
{
    struct save_args *w = cls;
    stat_window before;
    int rc = w->id ? windows_get(c, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, w->id ? "UPDATE stat_windows SET code = ?, name = ?, year = ?, from_date = ?, to_date = ?, "
                                       "updated_at = ? WHERE id = ? RETURNING id"
                                     : "INSERT INTO stat_windows (code, name, year, from_date, to_date, updated_at, created_at) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, w->x->code);
    db_bind_text(s, 2, w->x->name);
    db_bind_int(s, 3, w->x->year);
    db_bind_text(s, 4, w->x->from);
    db_bind_text(s, 5, w->x->to);
    db_bind_text(s, 6, now);
    if (w->id) db_bind_int(s, 7, w->id);
    else db_bind_text(s, 7, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc == DB_UNIQUE) return WINDOW_DUPLICATE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    rc = windows_get(c, w->a, id, w->out);
    if (rc == DB_OK) rc = audit_window(c, w->p, id, w->id ? "update" : "create", w->id ? &before : NULL, w->out);
    return rc;
}

int windows_save(db *c, const principal *p, arena *a, int64_t id, const stat_window *x, stat_window *out)
{
    struct save_args w = {p, a, id, x, out};
    return db_transaction(c, save_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct save_args *w = cls;
    stat_window before;
    int rc = windows_get(c, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "DELETE FROM stat_windows WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = audit_window(c, w->p, w->id, "delete", &before, NULL);
    return rc;
}

int windows_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct save_args w = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &w);
}
