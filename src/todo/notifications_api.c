/* notifications_api.c - the bell (站内提醒) and each user's reminder settings, docs/api.md "To-do
 * and notifications": GET /notifications (mine only, newest first, ?unread=1), POST
 * /notifications/:id/read and /notifications/read-all (mine only: another user's id is 404),
 * GET/PUT /me/notify-prefs ({email, sms, lead_days}). A notification is the user's own: every
 * query is keyed by the caller's user id, no scope rule is involved. */
#include "todo/todo_internal.h"
#include "todo/notify.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define LEAD_MAX_DAYS 30
#define LEAD_MAX_COUNT 3
#define DEFAULT_LEADS "[3,1]"

static void row_write(jw *w, db_stmt *s)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
    jw_key(w, "kind"), jw_str(w, db_col_text(s, 1));
    jw_key(w, "ref_id"), jw_int(w, db_col_int(s, 2));
    jw_key(w, "title"), jw_str(w, db_col_text(s, 3));
    jw_key(w, "body"), jw_str(w, db_col_text(s, 4));
    jw_key(w, "link"), jw_str(w, db_col_text(s, 5));
    jw_key(w, "created_at"), jw_str(w, db_col_text(s, 6));
    jw_key(w, "read_at"), jw_str(w, db_col_text(s, 7));
    jw_obj_end(w);
}

static int64_t count_of(db *c, int64_t user_id, bool unread)
{
    qb q;
    int64_t n = -1;
    qb_init(&q, unread ? "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL"
                       : "SELECT COUNT(*) FROM notifications WHERE user_id = ?");
    qb_int(&q, user_id);
    return qb_exec(c, &q, &n) == DB_OK ? n : -1;
}

static void handle_list(request *r)
{
    static const char *const flags[] = {"0", "1", NULL};
    page pg;
    if (!query_choice(r, "unread", flags) || !query_page(r, &pg)) return;
    const char *u = req_query(r, "unread");
    bool unread = u && !strcmp(u, "1");
    db *c = db_thread();
    int64_t uid = r->principal->user_id;
    if (!c || db_read_begin(c) != DB_OK) {
        reply_db_error(r);
        return;
    }
    int64_t total = count_of(c, uid, unread), unread_n = unread ? total : count_of(c, uid, true);
    qb q;
    qb_init(&q, "SELECT id, kind, ref_id, title, body, link, created_at, read_at FROM notifications WHERE user_id = ?");
    qb_int(&q, uid);
    qb_sql(&q, unread ? " AND read_at IS NULL ORDER BY id DESC LIMIT ? OFFSET ?" : " ORDER BY id DESC LIMIT ? OFFSET ?");
    qb_int(&q, pg.size), qb_int(&q, pg.offset);
    db_stmt *s = total >= 0 && unread_n >= 0 ? qb_prepare(&q, c) : (qb_free(&q), NULL);
    if (!s) {
        db_read_end(c);
        reply_db_error(r);
        return;
    }
    jw w;
    jw_list_open(&w);   /* it starts the buffer */
    jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) row_write(&w, s);
    jw_arr_end(&w);
    db_finish(s);
    db_read_end(c);
    if (rc != DB_DONE) {
        jw_free(&w);
        reply_db_error(r);
        return;
    }
    jw_key(&w, "unread"), jw_int(&w, unread_n);
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* Marks one of mine read (a second time keeps the first time); 404 when it is not mine. */
static void handle_read(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ? RETURNING id");
    qb_text(&q, now), qb_int(&q, id), qb_int(&q, r->principal->user_id);
    int64_t got = 0;
    int rc = c ? qb_exec(c, &q, &got) : DB_ERR;
    if (rc == DB_DONE) {
        reply_error(r, 404, "not_found", NULL, "提醒不存在 / no such notification");
        return;
    }
    if (rc != DB_OK) {
        reply_db_error(r);
        return;
    }
    qb_init(&q, "SELECT id, kind, ref_id, title, body, link, created_at, read_at FROM notifications WHERE id = ?");
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s || db_step(s) != DB_ROW) {
        if (s) db_finish(s);
        reply_db_error(r);
        return;
    }
    jw w;
    jw_init(&w);
    row_write(&w, s);
    db_finish(s);
    reply_jw(r, 200, &w);
}

static void handle_read_all(request *r)
{
    db *c = db_thread();
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL");
    qb_text(&q, now), qb_int(&q, r->principal->user_id);
    if (!c || qb_exec(c, &q, NULL) != DB_OK) {
        reply_db_error(r);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "updated"), jw_int(&w, db_changes(c));
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* ---- reminder settings ---- */

typedef struct prefs {
    bool email, sms;
    const char *lead_days;   /* JSON array text */
} prefs;

static int prefs_read(db *c, arena *a, int64_t user_id, prefs *out)
{
    *out = (prefs){.lead_days = DEFAULT_LEADS};
    qb q;
    qb_init(&q, "SELECT email, sms, lead_days FROM notify_prefs WHERE user_id = ?");
    qb_int(&q, user_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->email = db_col_int(s, 0) == 1, out->sms = db_col_int(s, 1) == 1;
        out->lead_days = arena_strdup(a, db_col_text(s, 2));
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static json_t *prefs_json(const prefs *p)
{
    json_t *days = json_loads(p->lead_days ? p->lead_days : DEFAULT_LEADS, 0, NULL);
    return json_pack("{s:b, s:b, s:o}", "email", p->email, "sms", p->sms, "lead_days", days ? days : json_array());
}

static void prefs_reply(request *r, const prefs *p)
{
    reply_json(r, 200, prefs_json(p));
}

static void handle_prefs_get(request *r)
{
    db *c = db_thread();
    prefs p;
    if (!c || prefs_read(c, &r->arena, r->principal->user_id, &p) != DB_OK) {
        reply_db_error(r);
        return;
    }
    prefs_reply(r, &p);
}

/* lead_days: 1 to 3 whole days 0..30, distinct; written back sorted, largest first. */
static bool body_leads(request *r, arena *a, const char **out)
{
    json_t *v = r->json ? json_object_get(r->json, "lead_days") : NULL;
    if (!v) return true;
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    int days[LEAD_MAX_COUNT];
    bool ok = json_is_array(v) && n >= 1 && n <= LEAD_MAX_COUNT;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *d = json_array_get(v, i);
        ok = json_is_integer(d) && json_integer_value(d) >= 0 && json_integer_value(d) <= LEAD_MAX_DAYS;
        if (ok) days[i] = (int)json_integer_value(d);
        for (size_t k = 0; ok && k < i; k++) ok = days[k] != days[i];
    }
    if (!ok) {
        reply_error(r, 422, "invalid_field", "lead_days",
                    "提前天数应为 1 至 3 个不重复的 0 至 30 之间的整数 / lead_days: 1 to 3 distinct whole days from 0 to 30");
        return false;
    }
    for (size_t i = 1; i < n; i++)   /* largest first */
        for (size_t k = i; k > 0 && days[k - 1] < days[k]; k--) {
            int t = days[k];
            days[k] = days[k - 1], days[k - 1] = t;
        }
    *out = n == 1 ? arena_printf(a, "[%d]", days[0])
         : n == 2 ? arena_printf(a, "[%d,%d]", days[0], days[1])
                  : arena_printf(a, "[%d,%d,%d]", days[0], days[1], days[2]);
    return true;
}

struct prefs_write {
    const principal *p;
    arena *a;
    prefs before, after;
};

static int prefs_store(db *c, void *cls)
{
    struct prefs_write *w = cls;
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "DELETE FROM notify_prefs WHERE user_id = ?");
    qb_int(&q, w->p->user_id);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    qb_init(&q, "INSERT INTO notify_prefs (user_id, email, sms, lead_days, updated_at) VALUES (?, ?, ?, ?, ?)");
    qb_int(&q, w->p->user_id), qb_int(&q, w->after.email), qb_int(&q, w->after.sms);
    qb_text(&q, w->after.lead_days), qb_text(&q, now);
    rc = qb_exec(c, &q, NULL);
    json_t *bj = prefs_json(&w->before), *aj = prefs_json(&w->after);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->p->org_path, "notify_prefs", w->p->user_id, "update", bj, aj);
    json_decref(bj), json_decref(aj);
    return rc;
}

static void handle_prefs_put(request *r)
{
    static const char *const fields[] = {"email", "sms", "lead_days", NULL};
    static const char *const none[] = {NULL};
    if (!body_allow_fields(r, fields, none)) return;
    db *c = db_thread();
    struct prefs_write w = {r->principal, &r->arena, {0}, {0}};
    if (!c || prefs_read(c, &r->arena, r->principal->user_id, &w.before) != DB_OK) {
        reply_db_error(r);
        return;
    }
    w.after = w.before;
    if (!body_bool(r, "email", &w.after.email, NULL) || !body_bool(r, "sms", &w.after.sms, NULL) ||
        !body_leads(r, &r->arena, &w.after.lead_days))
        return;
    if (db_transaction(c, prefs_store, &w) != DB_OK) {
        reply_db_error(r);
        return;
    }
    prefs_reply(r, &w.after);
}

static const struct route notification_routes[] = {
    {"GET", "/api/v1/notifications", handle_list, RANK_REVIEWER, 0,
     .summary = "My notifications (站内提醒), newest first; unread=1: the unread ones; with the unread count"},
    {"POST", "/api/v1/notifications/read-all", handle_read_all, RANK_REVIEWER, 0,
     .summary = "Mark all my notifications read"},
    {"POST", "/api/v1/notifications/:id/read", handle_read, RANK_REVIEWER, 0,
     .summary = "Mark one of my notifications read (another's: 404)"},
    {"GET", "/api/v1/me/notify-prefs", handle_prefs_get, RANK_REVIEWER, 0,
     .summary = "My reminder settings: e-mail, SMS, days before a deadline"},
    {"PUT", "/api/v1/me/notify-prefs", handle_prefs_put, RANK_REVIEWER, 0,
     .summary = "Set my reminder settings (lead_days: 1 to 3 days, 0 to 30)"},
    {0},
};

void notifications_register_routes(void)
{
    router_add_table(notification_routes);
}
