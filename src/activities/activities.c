/* activities.c - the activity register's model (see activities.h). */
#include "activities/activities.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "docs/xlsx.h"
#include "files/attachments.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "core/sbuf.h"
#include <jansson.h>
#include <stddef.h>
#include <string.h>

static const char *const audiences[] = {"youth", "farmers", "workers", "elderly", "officials", "public", NULL};

/* What stats_verify() recomputes from: one row per activity. */
static const char stats_source[] =
    "SELECT org_path, start_date AS day, kind, audience, 1 AS activities, participants, materials, videos, views, "
    "volunteers, volunteer_hours, funds FROM activities";

#define MAX_COUNT 100000000LL   /* above this a count is a typo, not a fact */
#define T(member) offsetof(activity, member)
#define COUNT(name, m, more) {name, "x." name, FT_INT, T(counts.v[m]), .flags = FF_WRITE | (more), .min = 0, .max = MAX_COUNT}
static const field activity_fields[] = {
    {"id", "x.id", FT_ID, T(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the organizing unit"},
    {"org_path", "x.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"kind", "x.kind", FT_TEXT, T(kind), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .max = 32,
     .doc = "a code of /activity-kinds"},
    {"title", "x.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 200,
     .example = "\"社区科普讲座\""},
    {"start_date", "x.start_date", FT_DAY, T(start_date), .flags = FF_WRITE | FF_REQUIRED},
    {"end_date", "x.end_date", FT_DAY, T(end_date), .flags = FF_WRITE | FF_REQUIRED},
    {"place", "x.place", FT_TEXT, T(place), .flags = FF_WRITE | FF_SEARCH, .max = 200},
    {"audience", "x.audience", FT_ENUM, T(audience), .flags = FF_WRITE, .choices = audiences},
    {"tags", "x.tags", FT_TEXT_LIST, T(tags), .flags = FF_WRITE, .max = 10, .item_chars = 20},
    {"co_organizers", "x.co_organizers", FT_TEXT, T(co_organizers), .flags = FF_WRITE, .max = 200},
    {"description", "x.description", FT_TEXT, T(description), .flags = FF_WRITE, .max = 2000},
    {"is_public", "x.is_public", FT_BOOL, T(is_public), .flags = FF_WRITE | FF_FILTER,
     .doc = "shown on the public portal's activity calendar"},
    {"stream_url", "x.stream_url", FT_TEXT, T(stream_url), .flags = FF_WRITE, .max = 500, .check = check_web_link,
     .example = "\"https://live.example.cn/room/42\"", .doc = "the live stream's link (科普+ 直播间), http(s)"},
    {"replay_url", "x.replay_url", FT_TEXT, T(replay_url), .flags = FF_WRITE, .max = 500, .check = check_web_link,
     .doc = "the replay's link once the stream has ended, http(s)"},
    {"stream_viewers", "x.stream_viewers", FT_INT, T(stream_viewers), .flags = 0,
     .doc = "visitors of the live room on the portal (one per visitor and day)"},
    /* every record is one activity: the roll-ups count it */
    {"activities", "1", FT_INT, T(counts.v[M_ACTIVITIES]), .flags = FF_HIDDEN},
    COUNT("participants", M_PARTICIPANTS, FF_REQUIRED),
    COUNT("materials", M_MATERIALS, 0),
    COUNT("videos", M_VIDEOS, 0),
    COUNT("views", M_VIEWS, 0),
    COUNT("volunteers", M_VOLUNTEERS, 0),
    COUNT("volunteer_hours", M_VOLUNTEER_HOURS, 0),
    COUNT("funds", M_FUNDS, 0),
    {"created_by", "x.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "x.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "x.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef COUNT
#undef T

static const error_row activity_errors[] = {
    {ACT_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {ACT_BAD_KIND, 422, "invalid_field", "kind", "活动类型不存在 / unknown activity kind"},
    {0},
};

entity activity_entity = {
    .name = "activity",
    .doc = "An activity of the register (活动登记), counted in the statistics of its unit and above",
    .from = " FROM activities x JOIN orgs o ON o.id = x.org_id",
    .id_column = "x.id",
    .path_column = "x.org_path",
    .owner_column = "x.created_by",
    .order = " ORDER BY x.start_date DESC, x.id DESC",
    .size = sizeof(activity),
    .fields = activity_fields,
    .not_found = ACT_NOT_FOUND,
    .org_not_found = ACT_ORG_NOT_FOUND,
    .errors = activity_errors,
    .create = activities_create,
    .update = activities_update,
    .remove = activities_delete,
    .input = activity_input,
};

static int kind_exists(db *c, const char *kind)
{
    int64_t one;
    qb q;
    qb_init(&q, "SELECT 1 FROM activity_kinds WHERE code = ? AND active = 1");
    qb_text(&q, kind);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? ACT_BAD_KIND : rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;            /* 0: create */
    const activity *x;
    activity *out;
};

static int audit_activity(db *c, const struct write_args *w, const activity *before, const char *action)
{
    const char *path = w->out ? w->out->org_path : before->org_path;
    int64_t id = w->out ? w->out->id : before->id;
    return entity_audit(c, &activity_entity, actor_of(w->p), path, id, action, before, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    activity before;
    const char *org_path = NULL;
    int rc = w->id ? entity_get(c, &activity_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc == DB_OK) rc = entity_org_path(c, &w->p->scope, w->a, w->x->org_id, ACT_ORG_NOT_FOUND, &org_path);
    if (rc == DB_OK) rc = kind_exists(c, w->x->kind);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"org_path", .text = org_path}, {"updated_at", .text = now},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now}, {0}};
    if (w->id) more[2].column = NULL;   /* an update keeps the author and the first time */
    int64_t id = 0;
    rc = entity_store(c, &activity_entity, "activities", w->id, w->x, more, w->a, &id);
    if (rc != DB_OK) return rc;
    /* The roll-ups move with the record: the old figures out, the new ones in. */
    if (w->id) rc = stats_add(c, before.org_path, before.start_date, before.kind, before.audience, &before.counts, -1);
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &activity_entity, w->a, id, w->out);
    if (rc == DB_OK) rc = stats_add(c, w->out->org_path, w->out->start_date, w->out->kind, w->out->audience, &w->out->counts, +1);
    if (rc == DB_OK) rc = audit_activity(c, w, w->id ? &before : NULL, w->id ? "update" : "create");
    return rc;
}

int activities_create(db *c, const principal *p, arena *a, const void *x, void *out)
{
    struct write_args w = {p, a, 0, x, out};
    return db_transaction(c, write_cb, &w);
}

int activities_update(db *c, const principal *p, arena *a, int64_t id, const void *x, void *out)
{
    struct write_args w = {p, a, id, x, out};
    return db_transaction(c, write_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    activity before;
    int rc = entity_get(c, &activity_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "DELETE FROM activities WHERE id = ?");
    qb_int(&q, w->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = stats_add(c, before.org_path, before.start_date, before.kind, before.audience, &before.counts, -1);
    if (rc == DB_OK) rc = audit_activity(c, w, &before, "delete");
    return rc;
}

int activities_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct write_args w = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &w);
}

/* The tags' JSON array as one cell 讲座、防诈骗 (empty when none or not an array); nothing of it
 * outlives the call, so any length of export costs one row of memory. */
static void tags_cell(xlsx *out, int col, const char *json)
{
    json_t *arr = json ? json_loads(json, 0, NULL) : NULL;
    sbuf b;
    sbuf_init(&b);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v)) continue;
        if (b.len) sbuf_add(&b, "、");
        sbuf_add(&b, json_string_value(v));
    }
    json_decref(arr);
    if (b.len) xlsx_text(out, col, b.s);
    sbuf_free(&b);
}

int activities_export(db *c, qb *where, int64_t max_rows, xlsx *out)
{
    qb q;
    qb_init(&q, "SELECT x.start_date, x.end_date, x.title, k.name, o.name, x.place, au.name, x.tags, x.co_organizers, "
                "x.description, x.participants, x.materials, x.videos, x.views, x.volunteers, x.volunteer_hours, "
                "x.funds, x.created_at FROM activities x JOIN orgs o ON o.id = x.org_id "
                "JOIN activity_kinds k ON k.code = x.kind LEFT JOIN activity_audiences au ON au.code = x.audience");
    qb_append(&q, where);
    qb_free(where);
    qb_sql(&q, " ORDER BY x.start_date, x.id LIMIT ?");
    qb_int(&q, max_rows);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        xlsx_date(out, 0, db_col_text(s, 0));
        xlsx_date(out, 1, db_col_text(s, 1));
        for (int i = 2; i < 7; i++) xlsx_text(out, i, db_col_text(s, i));
        tags_cell(out, 7, db_col_text(s, 7));
        xlsx_text(out, 8, db_col_text(s, 8));
        xlsx_text(out, 9, db_col_text(s, 9));
        for (int k = 1; k < STATS_NMETRICS; k++) xlsx_int(out, 9 + k, db_col_int(s, 9 + k));
        xlsx_time(out, ACTIVITY_EXPORT_COLS - 1, db_col_text(s, 17));
        xlsx_next_row(out);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Photos and attachments of activities: a kind of the shared attachments, listed in the module's
 * descriptor (app_modules.c), which adds its routes. Each file follows its activity's scope. */
const attachment_kind activity_files = {
    .table = "activity_files", .owner_table = "activities", .owner_col = "activity_id",
    .audit_entity = "activity_file", .noun = "每个活动", .max_per_owner = 50, .owner = &activity_entity,
    .path = "/api/v1/activities/:id/files", .download_path = "/api/v1/files/:id", .what = "an activity",
};

/* "kind.lecture" -> 讲座活动, "audience.youth" -> 面向青少年 (the dashboard's words), from the
 * dictionaries; NULL for any other metric or an unknown code. */
static const char *key_label(db *c, arena *a, const char *metric)
{
    bool kind = !strncmp(metric, "kind.", 5);
    if (!kind && strncmp(metric, "audience.", 9)) return NULL;
    qb q;
    qb_init(&q, kind ? "SELECT name FROM activity_kinds WHERE code = ?" : "SELECT name FROM activity_audiences WHERE code = ?");
    qb_text(&q, metric + (kind ? 5 : 9));
    db_stmt *s = qb_prepare(&q, c);
    const char *label = NULL;
    if (s && db_step(s) == DB_ROW) label = arena_printf(a, kind ? "%s活动" : "面向%s", db_col_text(s, 0));
    if (s) db_finish(s);
    return label;
}

void activities_init(void)
{
    stats_set_key_labeler(key_label);
    stats_register_source("activities", stats_source);
    orgs_track_path_column("activities", "org_path");
    orgs_track_path_column("activity_files", "org_path");
}
