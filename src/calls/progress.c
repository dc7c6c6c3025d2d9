/* progress.c - a call's board (issue 15, package D): per eligible unit within the caller's
 * scope, its entries against the quota (min/max: the unit's row of call_units, else the call's),
 * late, returned and drafts, its state (done, behind, not_started) and totals; the board as an
 * Excel sheet; reminders to the units behind, recorded and audited, at most one per unit and
 * Shanghai day so a repeated click sends nothing twice; in the app only, or also as a text
 * message (channel "sms") to the unit's active admins and staff who have a phone, through the
 * pluggable sender (core/sms.h), after the commit.
 *
 * Source: the eligible units (orgs of an eligible type below the owner, or the named units),
 * LEFT JOIN call_unit_counts by its key (kept current by every entry move, entry_flow.c). */
#include "calls/calls_internal.h"
#include "audit/audit.h"
#include "core/sms.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <stdio.h>
#include <string.h>

static const char *const board_states[] = {"behind", "late", "returned", "not_started", "done", NULL};

/* One unit's row: columns in this order in UNIT_SELECT. */
typedef struct unit_row {
    int64_t org_id, min, max, drafts, submitted, returned, late, recommended;
    const char *name, *path, *type, *last_at, *state;
    bool behind;
} unit_row;

#define UNIT_SELECT                                                                                       \
    "SELECT o.id, o.name, o.path, o.type, COALESCE(u.min_entries, c.min_per_unit), "                      \
    "COALESCE(u.max_entries, c.max_per_unit), COALESCE(k.drafts, 0), COALESCE(k.submitted, 0), "          \
    "COALESCE(k.returned, 0), COALESCE(k.late, 0), COALESCE(k.recommended, 0), k.last_at"

/* The eligible units of call within sc, as FROM ... WHERE (the caller appends filters and order). */
static void units_from(qb *q, arena *a, const call_rec *call, const scope *sc)
{
    qb_sql(q, " FROM orgs o JOIN calls c ON c.id = ?"
              " LEFT JOIN call_units u ON u.call_id = c.id AND u.stage_no = 0 AND u.org_id = o.id"
              " LEFT JOIN call_unit_counts k ON k.call_id = c.id AND k.org_id = o.id WHERE o.path <> c.org_path");
    qb_int(q, call->id);
    qb_subtree(q, a, "o.path", call->org_path);
    if (!strcmp(call->eligible, "named")) {
        qb_sql(q, " AND u.org_id IS NOT NULL");
    } else if (call->eligible_types) {
        /* the types are the call's own checked list: bound one by one */
        json_t *types = json_loads(call->eligible_types, 0, NULL), *t;
        size_t i;
        qb_sql(q, " AND o.type IN ('-'");
        json_array_foreach(types, i, t) if (json_is_string(t) && i < 16) qb_sql(q, ", ?"), qb_text(q, arena_strdup(a, json_string_value(t)));
        qb_sql(q, ")");
        json_decref(types);
    }
    scope_filter(sc, q, "o.path");
}

#define SUBMITTED "COALESCE(k.submitted, 0)"
#define MIN_OF "COALESCE(u.min_entries, c.min_per_unit)"
#define STARTED "(COALESCE(k.drafts, 0) + COALESCE(k.submitted, 0) + COALESCE(k.returned, 0) + COALESCE(k.withdrawn, 0))"

/* ?state= as a condition. */
static void state_filter(qb *q, const char *state)
{
    if (!state || !*state) return;
    if (!strcmp(state, "behind")) qb_sql(q, " AND " SUBMITTED " < " MIN_OF);
    else if (!strcmp(state, "late")) qb_sql(q, " AND COALESCE(k.late, 0) > 0");
    else if (!strcmp(state, "returned")) qb_sql(q, " AND COALESCE(k.returned, 0) > 0");
    else if (!strcmp(state, "not_started")) qb_sql(q, " AND " STARTED " = 0");
    else if (!strcmp(state, "done")) qb_sql(q, " AND " SUBMITTED " >= " MIN_OF " AND " SUBMITTED " > 0");
}

static void read_unit(db_stmt *s, arena *a, unit_row *u)
{
    u->org_id = db_col_int(s, 0);
    u->name = arena_strdup(a, db_col_text(s, 1));
    u->path = arena_strdup(a, db_col_text(s, 2));
    u->type = arena_strdup(a, db_col_text(s, 3));
    u->min = db_col_int(s, 4), u->max = db_col_int(s, 5), u->drafts = db_col_int(s, 6);
    u->submitted = db_col_int(s, 7), u->returned = db_col_int(s, 8), u->late = db_col_int(s, 9);
    u->recommended = db_col_int(s, 10);
    u->last_at = db_col_null(s, 11) ? NULL : arena_strdup(a, db_col_text(s, 11));
    u->behind = u->submitted < u->min;
    u->state = u->submitted >= u->min && u->submitted > 0 ? "done"
               : u->drafts + u->submitted + u->returned == 0 && !u->last_at ? "not_started" : "behind";
}

static void write_unit(jw *w, const unit_row *u)
{
    jw_obj(w);
    jw_key(w, "org_id"), jw_int(w, u->org_id);
    jw_key(w, "org_name"), jw_str(w, u->name);
    jw_key(w, "org_type"), jw_str(w, u->type);
    jw_key(w, "state"), jw_str(w, u->state);
    jw_key(w, "behind"), jw_bool(w, u->behind);
    jw_key(w, "min"), jw_int(w, u->min);
    jw_key(w, "max"), jw_int(w, u->max);
    jw_key(w, "submitted"), jw_int(w, u->submitted);
    jw_key(w, "drafts"), jw_int(w, u->drafts);
    jw_key(w, "returned"), jw_int(w, u->returned);
    jw_key(w, "late"), jw_int(w, u->late);
    jw_key(w, "recommended"), jw_int(w, u->recommended);
    jw_key(w, "last_at"), jw_str(w, u->last_at);
    jw_obj_end(w);
}

/* The board's totals, in this order (keys of the answer's "totals"): every eligible unit in
 * scope, done, behind, not started, with late entries, with returned ones, entries submitted,
 * drafts. */
enum { T_UNITS, T_DONE, T_BEHIND, T_NOT_STARTED, T_LATE, T_RETURNED, T_SUBMITTED, T_DRAFTS, NTOTALS };
static const char *const total_keys[NTOTALS] = {"units", "done", "behind", "not_started", "late", "returned", "submitted", "drafts"};
#define TOTALS_SELECT                                                                                        \
    "SELECT COUNT(*), SUM(CASE WHEN " SUBMITTED " >= " MIN_OF " AND " SUBMITTED " > 0 THEN 1 ELSE 0 END), "          \
    "SUM(CASE WHEN " SUBMITTED " < " MIN_OF " THEN 1 ELSE 0 END), SUM(CASE WHEN " STARTED " = 0 THEN 1 ELSE 0 END), "   \
    "SUM(CASE WHEN COALESCE(k.late, 0) > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN COALESCE(k.returned, 0) > 0 THEN 1 ELSE 0 END), " \
    "SUM(" SUBMITTED "), SUM(COALESCE(k.drafts, 0))"

/* The totals (one aggregate over every eligible unit in scope, no paging). */
static int board_totals(db *c, arena *a, const call_rec *call, const scope *sc, int64_t t[NTOTALS])
{
    qb q;
    qb_init(&q, TOTALS_SELECT);
    units_from(&q, a, call, sc);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    for (int i = 0; rc == DB_ROW && i < NTOTALS; i++) t[i] = db_col_int(s, i);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static void write_totals(jw *w, const int64_t t[NTOTALS])
{
    jw_key(w, "totals"), jw_obj(w);
    for (int i = 0; i < NTOTALS; i++) jw_key(w, total_keys[i]), jw_int(w, t[i]);
    jw_obj_end(w);
}

/* How many units ?state= keeps: one of the totals. */
static int64_t state_total(const char *state, const int64_t t[NTOTALS])
{
    if (!state || !*state) return t[T_UNITS];
    static const struct { const char *state; int total; } of[] = {
        {"behind", T_BEHIND}, {"late", T_LATE}, {"returned", T_RETURNED}, {"not_started", T_NOT_STARTED}, {"done", T_DONE}};
    for (size_t i = 0; i < sizeof of / sizeof *of; i++) if (!strcmp(state, of[i].state)) return t[of[i].total];
    return t[T_UNITS];
}

/* The ordered query of the units: behind first, then not started, then done; by path. */
static db_stmt *units_query(db *c, arena *a, const call_rec *call, const scope *sc, const char *state, int64_t limit,
                            int64_t offset)
{
    qb q;
    qb_init(&q, UNIT_SELECT);
    units_from(&q, a, call, sc);
    state_filter(&q, state);
    qb_sql(&q, " ORDER BY CASE WHEN " SUBMITTED " < " MIN_OF " THEN 0 WHEN " SUBMITTED " = 0 THEN 1 ELSE 2 END, o.path");
    if (limit > 0) qb_sql(&q, " LIMIT ? OFFSET ?"), qb_int(&q, limit), qb_int(&q, offset);
    return qb_prepare(&q, c);
}

/* The call as the caller sees it (its owner's scope, or a unit level below once open), or a
 * reply; false then. The board's rows are then those of the caller's own subtree. */
static bool board_call(request *r, db **c, call_rec *call)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? entity_get(*c, &call_entity, &r->principal->scope, &r->arena, id, call) : DB_ERR;
    if (rc == DB_OK && !strcmp(call->status, "draft") && !scope_covers(&r->principal->scope, call->org_path))
        rc = CALL_NOT_FOUND;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return false; }
    return true;
}

/* GET /calls/:id/progress?state=&page=&page_size= */
static void handle_progress(request *r)
{
    db *c;
    call_rec call;
    page pg;
    if (!query_page(r, &pg) || !query_choice(r, "state", board_states) || !board_call(r, &c, &call)) return;
    const char *state = req_query(r, "state");
    const scope *sc = &r->principal->scope;
    int64_t t[NTOTALS] = {0};
    jw w;
    jw_init(&w);
    jw_obj(&w);
    /* two reads of the units in one snapshot: the totals (one aggregate, which also gives the
     * state's count) and the page (sorted, cut by LIMIT) */
    db_read_begin(c);
    int rc = board_totals(c, &r->arena, &call, sc, t) == DB_OK ? DB_DONE : DB_ERR;
    db_stmt *s = rc == DB_DONE ? units_query(c, &r->arena, &call, sc, state, pg.size, pg.offset) : NULL;
    if (s) {
        write_totals(&w, t);
        jw_key(&w, "items"), jw_arr(&w);
        while ((rc = db_step(s)) == DB_ROW) {
            unit_row u;
            read_unit(s, &r->arena, &u);
            write_unit(&w, &u);
        }
        db_finish(s);
        jw_arr_end(&w);
    }
    db_read_end(c);
    if (!s || rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    jw_key(&w, "total"), jw_int(&w, state_total(state, t));
    jw_key(&w, "page"), jw_int(&w, pg.page);
    jw_key(&w, "page_size"), jw_int(&w, pg.size);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* GET /calls/:id/progress/export.xlsx?state= : every unit of the board, one sheet. */
static void handle_progress_export(request *r)
{
    db *c;
    call_rec call;
    if (!query_choice(r, "state", board_states) || !board_call(r, &c, &call)) return;
    static const xlsx_col cols[] = {{"单位", 28}, {"类型", 10}, {"状态", 10}, {"最少", 8}, {"最多", 8}, {"已报送", 8},
                                    {"草稿", 8}, {"退回", 8}, {"逾期", 8}, {"已推荐", 8}, {"最近", 20}};
    xlsx *x = xlsx_open_table("进度", call.title, cols, 11);
    db_stmt *s = x ? units_query(c, &r->arena, &call, &r->principal->scope, req_query(r, "state"), 0, 0) : NULL;
    if (!s) { if (x) xlsx_abort(x); reply_export_failed(r); return; }
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        unit_row u;
        arena row;
        arena_init(&row);
        read_unit(s, &row, &u);
        static const char *const shown[][2] = {{"done", "已完成"}, {"behind", "未达标"}, {"not_started", "未开始"}};
        const char *st = u.state;
        for (int i = 0; i < 3; i++) if (!strcmp(st, shown[i][0])) st = shown[i][1];
        xlsx_text(x, 0, u.name), xlsx_text(x, 1, u.type), xlsx_text(x, 2, st);
        xlsx_int(x, 3, u.min), xlsx_int(x, 4, u.max), xlsx_int(x, 5, u.submitted), xlsx_int(x, 6, u.drafts);
        xlsx_int(x, 7, u.returned), xlsx_int(x, 8, u.late), xlsx_int(x, 9, u.recommended);
        if (u.last_at) xlsx_time(x, 10, u.last_at);
        xlsx_next_row(x);
        arena_free(&row);
    }
    db_finish(s);
    if (rc != DB_DONE) { xlsx_abort(x); reply_export_failed(r); return; }
    xlsx_totals_cols(x, "合计", 5, 10);
    xlsx_reply(x, r, "征集进度.xlsx");
}

static const char *const reminder_channels[] = {"app", "sms", NULL};

/* The units reminded by one click: ids, paths, names and figures for the message. */
typedef struct reminded {
    int n;
    int64_t ids[5000], submitted[5000], min[5000];
    const char *paths[5000], *names[5000];
} reminded;

/* The units behind in the caller's scope not yet reminded since day_start, into *out. */
static int units_to_remind(db *c, const principal *p, arena *a, const call_rec *call, const char *day_start,
                           reminded *out)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.path, o.name, " SUBMITTED ", " MIN_OF);
    units_from(&q, a, call, &p->scope);
    qb_sql(&q, " AND " SUBMITTED " < " MIN_OF
               " AND NOT EXISTS (SELECT 1 FROM call_reminders m WHERE m.call_id = c.id AND m.org_id = o.id AND m.sent_at >= ?)"
               " ORDER BY o.path LIMIT 5000");
    qb_text(&q, day_start);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    out->n = 0;
    while ((rc = db_step(s)) == DB_ROW && out->n < 5000) {
        int i = out->n++;
        out->ids[i] = db_col_int(s, 0);
        out->paths[i] = arena_strdup(a, db_col_text(s, 1));
        out->names[i] = arena_strdup(a, db_col_text(s, 2));
        out->submitted[i] = db_col_int(s, 3), out->min[i] = db_col_int(s, 4);
    }
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Records a reminder to each unit of u on channel, each with its audit entry, in one transaction. */
static int record_reminders(db *c, const principal *p, const call_rec *call, const reminded *u, const char *channel,
                            const char *now)
{
    int rc = db_begin(c);
    for (int i = 0; i < u->n && rc == DB_OK; i++) {
        int64_t id = 0;
        qb q;
        qb_init(&q, "INSERT INTO call_reminders (call_id, org_id, org_path, channel, sent_by, sent_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        qb_int(&q, call->id), qb_int(&q, u->ids[i]), qb_text(&q, u->paths[i]), qb_text(&q, channel);
        qb_int(&q, p->user_id), qb_text(&q, now);
        rc = qb_exec(c, &q, &id);
        if (rc != DB_OK) break;
        json_t *after = json_pack("{s:I, s:I, s:s}", "call_id", (json_int_t)call->id, "org_id", (json_int_t)u->ids[i],
                                  "channel", channel);
        rc = audit_record(c, actor_of(p), u->paths[i], "call_reminder", id, "remind", NULL, after);
        json_decref(after);
    }
    if (rc != DB_OK) { db_rollback(c); return rc; }
    return db_commit(c);
}

/* Text messages to the active admins and staff of each reminded unit who have a phone; the count
 * handed to the sender. The phones are read for the units just reminded, which the caller's scope
 * selected; they go to the sender only (never into a log or the answer). */
static int64_t text_reminders(db *c, arena *a, const call_rec *call, const reminded *u)
{
    int64_t texts = 0;
    for (int i = 0; i < u->n; i++) {
        qb q;
        qb_init(&q, "SELECT phone FROM users WHERE org_id = ? AND active = 1 AND role IN ('org_admin', 'staff')"
                    " AND phone IS NOT NULL AND phone <> '' ORDER BY id LIMIT 5");
        qb_int(&q, u->ids[i]);
        db_stmt *s = qb_prepare(&q, c);
        if (!s) continue;
        char *text = arena_printf(a, "【科普】%s：“%s”将于%.10s %.5s截止，贵单位已报%lld件，至少应报%lld件，请尽快登录填报。",
                                   u->names[i], call->title, call->deadline, call->deadline + 11,
                                   (long long)u->submitted[i], (long long)u->min[i]);
        while (db_step(s) == DB_ROW)
            if (text && sms_send(db_col_text(s, 0), text) == 0) texts++;
        db_finish(s);
    }
    return texts;
}

/* POST /calls/:id/reminders {channel?: app | sms}: {"sent": units reminded (0 when every unit
 * behind was reminded today), "texts": messages handed to the SMS sender}. */
static void handle_reminders(request *r)
{
    db *c;
    call_rec call;
    static const char *const allowed[] = {"channel", NULL};
    const char *channel = "app";
    if (r->json && (!body_allow_fields(r, allowed, NULL) || !body_enum(r, "channel", false, reminder_channels, &channel)))
        return;
    if (!board_call(r, &c, &call)) return;
    if (strcmp(call.status, "open") != 0) {
        reply_error(r, 409, "call_state", "status", "征集未在进行中，无需催报 / the call is not open for entries");
        return;
    }
    char now[32], day_start[32];
    time_now_rfc3339(now);
    snprintf(day_start, sizeof day_start, "%.10sT00:00:00+08:00", now);
    reminded *u = arena_alloc(&r->arena, sizeof *u);
    int rc = u ? units_to_remind(c, r->principal, &r->arena, &call, day_start, u) : DB_ERR;
    if (rc == DB_OK) rc = record_reminders(c, r->principal, &call, u, channel, now);
    if (rc != DB_OK) { reply_db_error(r); return; }
    int64_t texts = !strcmp(channel, "sms") ? text_reminders(c, &r->arena, &call, u) : 0;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "sent"), jw_int(&w, u->n);
    jw_key(&w, "texts"), jw_int(&w, texts);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route progress_routes[] = {
    {"GET", "/api/v1/calls/:id/progress", handle_progress, RANK_ORG_ADMIN, 0,
     .summary = "A call's board: totals and one page of the eligible units in scope; ?state=behind|late|returned|not_started|done",
     .entity = &call_entity},
    {"GET", "/api/v1/calls/:id/progress/export.xlsx", handle_progress_export, RANK_ORG_ADMIN, 0,
     .summary = "The board as an Excel sheet (every unit in scope); ?state=", .entity = &call_entity},
    {"POST", "/api/v1/calls/:id/reminders", handle_reminders, RANK_ORG_ADMIN, 0,
     .summary = "Remind the units behind (in scope, once a day each); answers {sent}", .entity = &call_entity},
    {0},
};

void funds_register_routes(void)
{
    router_add_table(progress_routes);
    call_export_register_routes();
    fund_routes_register();
}
