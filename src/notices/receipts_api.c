/* receipts_api.c - the receipt board of a notice for its sender side (counts on top from one
 * aggregate over the (notice_id, read_at) and (notice_id, replied_at) indexes, then a page of the
 * units in a state), the chase of the rest, a unit's reply, and all replies as one Excel. */
#include "notices/notices.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "todo/notify.h"
#include <stdlib.h>
#include <string.h>

static const char *const board_states[] = {"unread", "read", "replied", "not_replied", NULL};

/* The notice its sender side manages, for a board or an export (replies on failure). */
static bool managed_notice(request *r, db **c, notice *n)
{
    int64_t id;
    *c = db_thread();
    if (!param_id(r, 0, &id)) return false;
    if (!*c) { reply_db_error(r); return false; }
    int rc = notices_get_managed(*c, r->principal, &r->arena, id, n);
    if (rc != DB_OK) { entity_reply_error(r, &notice_entity, rc); return false; }
    return true;
}

static void state_filter(qb *q, const char *state)
{
    if (!state || !*state) return;
    qb_sql(q, !strcmp(state, "unread")  ? " AND nr.read_at IS NULL"
            : !strcmp(state, "read")    ? " AND nr.read_at IS NOT NULL"
            : !strcmp(state, "replied") ? " AND nr.replied_at IS NOT NULL"
                                        : " AND nr.replied_at IS NULL");
}

/* GET /notices/:id/receipts?state=&q=&page=: {counts: {total, read, unread, replied, not_replied,
 * overdue}, items: [...], total, page, page_size}. */
static void handle_board(request *r)
{
    db *c;
    notice n;
    page pg;
    if (!query_choice(r, "state", board_states) || !query_page(r, &pg) || !managed_notice(r, &c, &n)) return;
    const char *state = req_query(r, "state"), *q_text = req_query(r, "q");
    qb q;
    qb_init(&q, "SELECT COUNT(*), COUNT(read_at), COUNT(replied_at) FROM notice_recipients WHERE notice_id = ?");
    qb_int(&q, n.id);
    db_stmt *s = qb_prepare(&q, c);
    int64_t total = 0, read = 0, replied = 0;
    if (!s || db_step(s) != DB_ROW) { if (s) db_finish(s); reply_db_error(r); return; }
    total = db_col_int(s, 0), read = db_col_int(s, 1), replied = db_col_int(s, 2);
    db_finish(s);
    char now[32];
    time_now_rfc3339(now);
    bool past = n.reply_required && n.reply_deadline && strcmp(now, n.reply_deadline) > 0;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "counts"), jw_obj(&w);
    jw_key(&w, "total"), jw_int(&w, total);
    jw_key(&w, "read"), jw_int(&w, read);
    jw_key(&w, "unread"), jw_int(&w, total - read);
    jw_key(&w, "replied"), jw_int(&w, replied);
    jw_key(&w, "not_replied"), jw_int(&w, n.reply_required ? total - replied : 0);
    jw_key(&w, "overdue"), jw_int(&w, past ? total - replied : 0);
    jw_obj_end(&w);
    /* the page of units in the state asked, and how many there are: in the recipients' own path
     * order, which the (notice_id, org_path) index gives without a sort; orgs only for the name */
    qb where;
    qb_init(&where, " WHERE nr.notice_id = ?");
    qb_int(&where, n.id);
    state_filter(&where, state);
    if (q_text && *q_text) qb_sql(&where, " AND o.name LIKE ? ESCAPE '\\'"), qb_text(&where, qb_like_pattern(&r->arena, q_text));
    qb count;
    qb_init(&count, q_text && *q_text ? "SELECT COUNT(*) FROM notice_recipients nr JOIN orgs o ON o.id = nr.org_id"
                                      : "SELECT COUNT(*) FROM notice_recipients nr");
    qb_append(&count, &where);
    int64_t filtered = 0;
    if (qb_exec(c, &count, &filtered) != DB_OK) { qb_free(&where); jw_free(&w); reply_db_error(r); return; }
    qb_init(&q, "SELECT nr.id, nr.org_id, o.name, o.type, nr.read_at, u.name, nr.replied_at, nr.reply_text, nr.chased_on,"
                " (SELECT COUNT(*) FROM notice_reply_names x WHERE x.recipient_id = nr.id)"
                " FROM notice_recipients nr JOIN orgs o ON o.id = nr.org_id LEFT JOIN users u ON u.id = nr.read_by");
    qb_append(&q, &where);
    qb_free(&where);
    qb_sql(&q, " ORDER BY nr.org_path LIMIT ? OFFSET ?");
    qb_int(&q, pg.size), qb_int(&q, pg.offset);
    s = qb_prepare(&q, c);
    if (!s) { jw_free(&w); reply_db_error(r); return; }
    jw_key(&w, "items"), jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(&w);
        jw_key(&w, "id"), jw_int(&w, db_col_int(s, 0));
        jw_key(&w, "org_id"), jw_int(&w, db_col_int(s, 1));
        jw_key(&w, "org_name"), jw_str(&w, db_col_text(s, 2));
        jw_key(&w, "org_type"), jw_str(&w, db_col_text(s, 3));
        static const char *const keys[] = {"read_at", "read_by_name", "replied_at", "reply_text", "chased_on"};
        for (int i = 0; i < 5; i++) jw_key(&w, keys[i]), db_col_null(s, 4 + i) ? jw_null(&w) : jw_str(&w, db_col_text(s, 4 + i));
        jw_key(&w, "names"), jw_int(&w, db_col_int(s, 9));
        jw_key(&w, "overdue"), jw_bool(&w, past && db_col_null(s, 6));
        jw_obj_end(&w);
    }
    db_finish(s);
    if (rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    jw_arr_end(&w);
    jw_key(&w, "total"), jw_int(&w, filtered);
    jw_key(&w, "page"), jw_int(&w, pg.page);
    jw_key(&w, "page_size"), jw_int(&w, pg.size);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* POST /notices/:id/chase {who: unread|not_replied, channels: ["email", "sms"]}: {units, users}. */
static void handle_chase(request *r)
{
    int64_t id;
    const char *who = NULL;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, (const char *const[]){"who", "channels", NULL}, NULL) ||
        !body_enum(r, "who", true, (const char *const[]){"unread", "not_replied", NULL}, &who))
        return;
    json_t *ch = json_object_get(r->json, "channels"), *v;
    unsigned channels = 0;
    size_t i;
    bool ok = !ch || json_is_array(ch);
    json_array_foreach(ch, i, v) {
        const char *name = json_string_value(v);
        if (name && !strcmp(name, "email")) channels |= NOTIFY_EMAIL;
        else if (name && !strcmp(name, "sms")) channels |= NOTIFY_SMS;
        else if (!name || strcmp(name, "app") != 0) ok = false;
    }
    if (!ok) { reply_error(r, 422, "invalid_field", "channels", "channels 取 app、email、sms / channels: app, email, sms"); return; }
    if (!c) { reply_db_error(r); return; }
    int64_t units = 0, users = 0;
    int rc = notices_chase(c, r->principal, &r->arena, id, who, channels, &units, &users);
    if (rc != DB_OK) { entity_reply_error(r, &notice_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:I}", "units", (json_int_t)units, "users", (json_int_t)users));
}

#define MAX_NAMES 200

/* The names of a reply: [{name, unit?, phone?}] (a phone forgiving of spaces and dashes). */
static bool read_names(request *r, notice_name **out, int *n)
{
    json_t *arr = json_object_get(r->json, "names"), *v;
    size_t i;
    *n = 0, *out = NULL;
    if (!arr || json_is_null(arr)) return true;
    if (!json_is_array(arr) || json_array_size(arr) > MAX_NAMES) {
        reply_error(r, 422, "invalid_field", "names", "names 应为至多 200 个 {name, unit, phone} / names: at most 200 of {name, unit, phone}");
        return false;
    }
    *out = arena_alloc(&r->arena, (json_array_size(arr) + 1) * sizeof **out);
    if (!*out) { reply_db_error(r); return false; }
    json_array_foreach(arr, i, v) {
        notice_name *nm = &(*out)[i];
        const char *at = arena_printf(&r->arena, "names.%zu", i);
        nm->name = json_string_value(json_object_get(v, "name"));
        nm->unit = json_string_value(json_object_get(v, "unit"));
        const char *phone = json_string_value(json_object_get(v, "phone"));
        if (!json_is_object(v) || !nm->name || !valid_name(nm->name, 50) || (nm->unit && *nm->unit && !valid_name(nm->unit, 100))) {
            reply_error(r, 422, "invalid_field", at, "姓名必填，单位/职务至多 100 字 / a name (and a unit or position up to 100)");
            return false;
        }
        if (phone && *phone) {
            char digits[32];
            size_t k = 0;
            for (const char *p = phone; *p && k < sizeof digits - 1; p++)
                if (*p >= '0' && *p <= '9') digits[k++] = *p;
                else if (*p != ' ' && *p != '-' && *p != '+') k = sizeof digits - 1;
            digits[k] = 0;
            if (k == 13 && !strncmp(digits, "86", 2)) memmove(digits, digits + 2, 12);
            if (!valid_phone(digits)) {
                reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "%s.phone", at), "手机号格式不正确 / not a mobile number");
                return false;
            }
            nm->phone = arena_strdup(&r->arena, digits);
        }
        (*n)++;
    }
    return true;
}

/* PUT /notices/:id/reply {text, names?}: the caller's unit's reply, editable until the deadline. */
static void handle_reply(request *r)
{
    int64_t id;
    const char *text = NULL;
    notice_name *names;
    int n = 0;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, (const char *const[]){"text", "names", NULL}, NULL) || !body_multiline_text(r, "text", 5000, &text) ||
        !read_names(r, &names, &n))
        return;
    if (!c) { reply_db_error(r); return; }
    int rc = notices_reply(c, r->principal, &r->arena, id, text, names, n);
    if (rc != DB_OK) { entity_reply_error(r, &notice_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:i}", "notice_id", (json_int_t)id, "names", n));
}

/* GET /notices/:id/replies.xlsx: one row per unit, or per name when the notice asks for names
 * (phones masked as everywhere). */
static void handle_export(request *r)
{
    db *c;
    notice n;
    if (!managed_notice(r, &c, &n)) return;
    static const xlsx_col cols[] = {{"单位", 28}, {"阅读时间", 20}, {"回执时间", 20}, {"回执内容", 40},
                                    {"姓名", 12}, {"单位/职务", 24}, {"电话", 16}};
    int ncols = n.reply_names ? 7 : 4;
    xlsx *x = xlsx_open_table("回执", n.title, cols, ncols);
    if (!x) { reply_export_failed(r); return; }
    qb q;
    qb_init(&q, n.reply_names
                    ? "SELECT o.name, nr.read_at, nr.replied_at, nr.reply_text, x.name, x.unit, x.phone FROM notice_recipients nr"
                      " JOIN orgs o ON o.id = nr.org_id LEFT JOIN notice_reply_names x ON x.recipient_id = nr.id"
                      " WHERE nr.notice_id = ? ORDER BY o.path, x.pos"
                    : "SELECT o.name, nr.read_at, nr.replied_at, nr.reply_text FROM notice_recipients nr"
                      " JOIN orgs o ON o.id = nr.org_id WHERE nr.notice_id = ? ORDER BY o.path");
    qb_int(&q, n.id);
    db_stmt *s = qb_prepare(&q, c);
    int rc = s ? DB_ROW : DB_ERR;
    while (s && (rc = db_step(s)) == DB_ROW) {
        arena row;
        arena_init(&row);
        xlsx_text(x, 0, db_col_text(s, 0));
        if (!db_col_null(s, 1)) xlsx_time(x, 1, db_col_text(s, 1));
        if (!db_col_null(s, 2)) xlsx_time(x, 2, db_col_text(s, 2));
        xlsx_text(x, 3, db_col_text(s, 3));
        if (n.reply_names) {
            xlsx_text(x, 4, db_col_text(s, 4));
            xlsx_text(x, 5, db_col_text(s, 5));
            const char *phone = db_col_null(s, 6) ? NULL : pii_decrypt(&row, db_col_text(s, 6));
            char masked[32] = "";
            if (phone) mask_phone(phone, masked, sizeof masked);
            xlsx_text(x, 6, phone ? masked : NULL);
        }
        xlsx_next_row(x);
        arena_free(&row);
    }
    if (s) db_finish(s);
    if (rc != DB_DONE) { xlsx_abort(x); reply_db_error(r); return; }
    xlsx_reply(x, r, arena_printf(&r->arena, "回执-%lld.xlsx", (long long)n.id));
}

static const struct route receipt_routes[] = {
    {"GET", "/api/v1/notices/:id/receipts", handle_board, RANK_STAFF, 0,
     .summary = "A notice's receipt board: counts (total, read, unread, replied, overdue) and a page of units by state",
     .entity = &notice_entity},
    {"POST", "/api/v1/notices/:id/chase", handle_chase, RANK_ORG_ADMIN, 0,
     .summary = "Chase the units that have not read or not replied (each at most once a day)", .entity = &notice_entity},
    {"PUT", "/api/v1/notices/:id/reply", handle_reply, RANK_STAFF, 0,
     .summary = "The caller's unit's reply (回执): text and names, until the deadline", .entity = &notice_entity},
    {"GET", "/api/v1/notices/:id/replies.xlsx", handle_export, RANK_STAFF, 0, .summary = "All replies as one Excel",
     .entity = &notice_entity},
    {0},
};

void notices_receipts_register_routes(void) { router_add_table(receipt_routes); }
