/* audit_api.c - GET /audit and GET /audit/logins, within the caller's scope. */
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

typedef struct audit_filter {
    const char *entity, *action, *from, *to, *username, *success;
    int64_t entity_id, user_id;
    bool has_entity_id, has_user_id;
} audit_filter;

/* from/to are calendar days in Shanghai; the log's times are RFC 3339 text in +08:00, so a
 * day bound compares correctly as text. */
static bool read_date(request *r, const char *key, const char **out)
{
    *out = req_query(r, key);
    if (*out && **out && time_parse_date(*out) < 0) {
        reply_error(r, 422, "invalid_field", key, "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
        return false;
    }
    if (*out && !**out) *out = NULL;
    return true;
}

static bool read_filter(request *r, audit_filter *f)
{
    memset(f, 0, sizeof *f);
    f->entity = req_query(r, "entity");
    f->action = req_query(r, "action");
    f->username = req_query(r, "username");
    f->success = req_query(r, "success");
    return query_id(r, "entity_id", &f->entity_id, &f->has_entity_id) &&
           query_id(r, "user_id", &f->user_id, &f->has_user_id) && read_date(r, "from", &f->from) &&
           read_date(r, "to", &f->to);
}

static void add_text_filter(qb *q, const char *sql, const char *v)
{
    if (v && *v) { qb_sql(q, sql); qb_text(q, v); }
}

static void audit_where(qb *q, const principal *p, const audit_filter *f, arena *a)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter(&p->scope, q, "org_path");
    add_text_filter(q, " AND entity = ?", f->entity);
    add_text_filter(q, " AND action = ?", f->action);
    if (f->has_entity_id) { qb_sql(q, " AND entity_id = ?"); qb_int(q, f->entity_id); }
    if (f->has_user_id) { qb_sql(q, " AND user_id = ?"); qb_int(q, f->user_id); }
    add_text_filter(q, " AND at >= ?", f->from);
    if (f->to) { qb_sql(q, " AND at < ?"); qb_text(q, arena_printf(a, "%sT99", f->to)); }
}

static int count_rows(db *c, qb *q, int64_t *total)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *total = db_col_int(s, 0);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

static json_t *col_json_text(db_stmt *s, int col)
{
    return db_col_null(s, col) ? json_null() : json_string(db_col_text(s, col));
}

static json_t *col_json_int(db_stmt *s, int col)
{
    return db_col_null(s, col) ? json_null() : json_integer(db_col_int(s, col));
}

static json_t *audit_row(db_stmt *s)
{
    json_t *changes = json_loads(db_col_text(s, 7), 0, NULL);
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}",
                     "id", (json_int_t)db_col_int(s, 0), "at", col_json_text(s, 1),
                     "user_id", col_json_int(s, 2), "username", col_json_text(s, 3),
                     "entity", col_json_text(s, 4), "entity_id", (json_int_t)db_col_int(s, 5),
                     "action", col_json_text(s, 6), "changes", changes ? changes : json_object(),
                     "request_id", col_json_text(s, 8), "ip", col_json_text(s, 9));
}

static void handle_audit_list(request *r)
{
    audit_filter f;
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb q;
    int64_t total = 0;
    qb_init(&q, "SELECT COUNT(*) FROM audit_log");
    audit_where(&q, r->principal, &f, &r->arena);
    if (count_rows(c, &q, &total) != DB_OK) { reply_db_error(r); return; }
    qb_init(&q, "SELECT id, at, user_id, username, entity, entity_id, action, changes, request_id, ip "
                "FROM audit_log");
    audit_where(&q, r->principal, &f, &r->arena);
    qb_sql(&q, " ORDER BY id DESC LIMIT ? OFFSET ?");
    qb_int(&q, pg.size);
    qb_int(&q, pg.offset);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) { reply_db_error(r); return; }
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(items, audit_row(s));
    db_finish(s);
    reply_list(r, items, total, pg.page, pg.size);
}

static bool login_where(request *r, qb *q, const audit_filter *f)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter(&r->principal->scope, q, "org_path");
    add_text_filter(q, " AND username = ?", f->username);
    if (f->success && *f->success) {
        if (strcmp(f->success, "true") != 0 && strcmp(f->success, "false") != 0) {
            reply_error(r, 422, "invalid_field", "success", "success 应为 true 或 false / must be true or false");
            return false;
        }
        qb_sql(q, " AND success = ?");
        qb_int(q, strcmp(f->success, "true") == 0);
    }
    add_text_filter(q, " AND at >= ?", f->from);
    if (f->to) { qb_sql(q, " AND at < ?"); qb_text(q, arena_printf(&r->arena, "%sT99", f->to)); }
    return true;
}

static json_t *login_row(db_stmt *s)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "id", (json_int_t)db_col_int(s, 0),
                     "at", col_json_text(s, 1), "username", col_json_text(s, 2),
                     "user_id", col_json_int(s, 3), "success", (int)db_col_int(s, 4),
                     "reason", col_json_text(s, 5), "ip", col_json_text(s, 6),
                     "user_agent", col_json_text(s, 7));
}

static void handle_login_list(request *r)
{
    audit_filter f;
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb q;
    int64_t total = 0;
    qb_init(&q, "SELECT COUNT(*) FROM login_log");
    if (!login_where(r, &q, &f)) { qb_free(&q); return; }
    if (count_rows(c, &q, &total) != DB_OK) { reply_db_error(r); return; }
    qb_init(&q, "SELECT id, at, username, user_id, success, reason, ip, user_agent FROM login_log");
    login_where(r, &q, &f);
    qb_sql(&q, " ORDER BY id DESC LIMIT ? OFFSET ?");
    qb_int(&q, pg.size);
    qb_int(&q, pg.offset);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) { reply_db_error(r); return; }
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(items, login_row(s));
    db_finish(s);
    reply_list(r, items, total, pg.page, pg.size);
}

static const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", handle_audit_list, RANK_STAFF, 0, .summary = "Change log (审计日志) in scope, newest first"},
    {"GET", "/api/v1/audit/logins", handle_login_list, RANK_ORG_ADMIN, 0, .summary = "Login log (登录日志) in scope, newest first"},
    {0},
};

void audit_register_routes(void) { router_add_table(audit_routes); }
