/* activities.c - the activity register's model (see activities.h). */
#include "activities/activities.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "docs/xlsx.h"
#include <string.h>

const char *const activity_count_fields[] = {"participants", "materials", "videos", "views", "volunteers",
                                             "volunteer_hours", "funds", NULL};

#define ACT_COLS "x.id, x.org_id, x.org_path, o.name, x.kind, x.title, x.start_date, x.end_date, x.place, " \
                 "x.audience, x.tags, x.co_organizers, x.description, x.participants, x.materials, x.videos, " \
                 "x.views, x.volunteers, x.volunteer_hours, x.funds, x.created_by, x.created_at, x.updated_at"
#define ACT_FROM " FROM activities x JOIN orgs o ON o.id = x.org_id"

/* What stats_verify() recomputes from: one row per activity. */
static const char stats_source[] =
    "SELECT org_path, start_date AS day, kind, audience, 1 AS activities, participants, materials, videos, views, "
    "volunteers, volunteer_hours, funds FROM activities";

static void read_activity(db_stmt *s, arena *a, void *row)
{
    activity *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->org_id = db_col_int(s, 1);
    x->org_path = arena_strdup(a, db_col_text(s, 2));
    x->org_name = arena_strdup(a, db_col_text(s, 3));
    x->kind = arena_strdup(a, db_col_text(s, 4));
    x->title = arena_strdup(a, db_col_text(s, 5));
    x->start_date = arena_strdup(a, db_col_text(s, 6));
    x->end_date = arena_strdup(a, db_col_text(s, 7));
    x->place = arena_strdup(a, db_col_text(s, 8));
    x->audience = arena_strdup(a, db_col_text(s, 9));
    x->tags = arena_strdup(a, db_col_text(s, 10));
    x->co_organizers = arena_strdup(a, db_col_text(s, 11));
    x->description = arena_strdup(a, db_col_text(s, 12));
    x->counts.v[M_ACTIVITIES] = 1;
    for (int m = 1; m < STATS_NMETRICS; m++) x->counts.v[m] = db_col_int(s, 12 + m);
    x->created_by = db_col_null(s, 20) ? 0 : db_col_int(s, 20);
    x->created_at = arena_strdup(a, db_col_text(s, 21));
    x->updated_at = arena_strdup(a, db_col_text(s, 22));
}

void activity_write(jw *w, const activity *x)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "org_id"), jw_int(w, x->org_id);
    jw_key(w, "org_name"), jw_str(w, x->org_name);
    jw_key(w, "kind"), jw_str(w, x->kind);
    jw_key(w, "title"), jw_str(w, x->title);
    jw_key(w, "start_date"), jw_str(w, x->start_date);
    jw_key(w, "end_date"), jw_str(w, x->end_date);
    jw_key(w, "place"), jw_str(w, x->place);
    jw_key(w, "audience"), jw_str(w, x->audience);
    jw_key(w, "tags");
    if (x->tags && x->tags[0] == '[') {
        /* stored as JSON text written by us: copied through */
        jw_arr(w);
        json_t *t = json_loads(x->tags, 0, NULL);
        size_t i;
        json_t *e;
        json_array_foreach(t, i, e) jw_str(w, json_string_value(e));
        json_decref(t);
        jw_arr_end(w);
    } else {
        jw_arr(w), jw_arr_end(w);
    }
    jw_key(w, "co_organizers"), jw_str(w, x->co_organizers);
    jw_key(w, "description"), jw_str(w, x->description);
    for (int m = 1; m < STATS_NMETRICS; m++) jw_key(w, stats_metric_names[m]), jw_int(w, x->counts.v[m]);
    jw_key(w, "created_by"), jw_int_or_null(w, x->created_by);
    jw_key(w, "created_at"), jw_str(w, x->created_at);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
    jw_obj_end(w);
}

static json_t *activity_json(const activity *x)
{
    jw w;
    jw_init(&w);
    activity_write(&w, x);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, activity *out)
{
    qb q;
    qb_init(&q, "SELECT " ACT_COLS ACT_FROM " WHERE x.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "x.org_path", "x.created_by");
    return qb_get_one(c, &q, a, read_activity, out, ACT_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, activity *out) { return get_scoped(c, NULL, a, id, out); }

int activities_get(db *c, const principal *p, arena *a, int64_t id, activity *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const activity_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "x.org_path", "x.created_by");
    if (org_path) {
        qb_subtree(q, a, "x.org_path", org_path);
    }
    if (f->kind && *f->kind) { qb_sql(q, " AND x.kind = ?"); qb_text(q, f->kind); }
    if (f->from && *f->from) { qb_sql(q, " AND x.start_date >= ?"); qb_text(q, f->from); }
    if (f->to && *f->to) { qb_sql(q, " AND x.start_date <= ?"); qb_text(q, f->to); }
    if (f->q && *f->q) {
        char *pat = qb_like_pattern(a, f->q);
        qb_sql(q, " AND (x.title LIKE ? ESCAPE '\\' OR x.place LIKE ? ESCAPE '\\')");
        qb_text(q, pat);
        qb_text(q, pat);
    }
}

/* One row of the list into its JSON array (qb_list_page's row callback). */
static void activities_list_row(db_stmt *s, arena *a, void *items)
{
    activity x;
    read_activity(s, a, &x);
    activity_write(items, &x);
}

int activities_list(db *c, const principal *p, arena *a, const activity_filter *f, int64_t limit,
                    int64_t offset, jw *items, int64_t *total)
{
    const char *org_path = NULL;
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? ACT_ORG_NOT_FOUND : rc;
        org_path = o.path;
    }
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    int rc = qb_list_page(c, ACT_COLS, ACT_FROM, &where,
                          " ORDER BY x.start_date DESC, x.id DESC", limit, offset, total, activities_list_row, a, items);
    jw_arr_end(items);
    return rc;
}

static int kind_exists(db *c, const char *kind)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM activity_kinds WHERE code = ? AND active = 1");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, kind);
    int rc = db_step(s);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? ACT_BAD_KIND : rc;
}

/* Binds the record's fields in the order of the INSERT and UPDATE statements below. */
static void bind_fields(db_stmt *s, const activity *x, const char *org_path, const char *now)
{
    db_bind_int(s, 1, x->org_id);
    db_bind_text(s, 2, org_path);
    db_bind_text(s, 3, x->kind);
    db_bind_text(s, 4, x->title);
    db_bind_text(s, 5, x->start_date);
    db_bind_text(s, 6, x->end_date);
    db_bind_text(s, 7, x->place);
    db_bind_text(s, 8, x->audience);
    db_bind_text(s, 9, x->tags);
    db_bind_text(s, 10, x->co_organizers);
    db_bind_text(s, 11, x->description);
    for (int m = 1; m < STATS_NMETRICS; m++) db_bind_int(s, 11 + m, x->counts.v[m]);
    db_bind_text(s, 19, now);
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
    json_t *b = before ? activity_json(before) : NULL, *after = w->out ? activity_json(w->out) : NULL;
    const char *path = w->out ? w->out->org_path : before->org_path;
    int64_t id = w->out ? w->out->id : before->id;
    int rc = audit_record(c, actor_of(w->p), path, "activity", id, action, b, after);
    json_decref(b);
    json_decref(after);
    return rc;
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    activity before;
    org o;
    int rc = w->id ? activities_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc == DB_OK) rc = orgs_get(c, w->p, w->a, w->x->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return ACT_ORG_NOT_FOUND;
    if (rc == DB_OK) rc = kind_exists(c, w->x->kind);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, w->id
        ? "UPDATE activities SET org_id = ?, org_path = ?, kind = ?, title = ?, start_date = ?, end_date = ?, "
          "place = ?, audience = ?, tags = ?, co_organizers = ?, description = ?, participants = ?, materials = ?, "
          "videos = ?, views = ?, volunteers = ?, volunteer_hours = ?, funds = ?, updated_at = ? WHERE id = ? "
          "RETURNING id"
        : "INSERT INTO activities (org_id, org_path, kind, title, start_date, end_date, place, audience, tags, "
          "co_organizers, description, participants, materials, videos, views, volunteers, volunteer_hours, "
          "funds, updated_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    bind_fields(s, w->x, o.path, now);
    if (w->id) db_bind_int(s, 20, w->id);
    else db_bind_int(s, 20, w->p->user_id), db_bind_text(s, 21, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    /* The roll-ups move with the record: the old figures out, the new ones in. */
    if (w->id) rc = stats_add(c, before.org_path, before.start_date, before.kind, before.audience, &before.counts, -1);
    if (rc == DB_ROW || rc == DB_OK) rc = get_unscoped(c, w->a, id, w->out);
    if (rc == DB_OK) rc = stats_add(c, w->out->org_path, w->out->start_date, w->out->kind, w->out->audience, &w->out->counts, +1);
    if (rc == DB_OK) rc = audit_activity(c, w, w->id ? &before : NULL, w->id ? "update" : "create");
    return rc;
}

int activities_create(db *c, const principal *p, arena *a, const activity *x, activity *out)
{
    struct write_args w = {p, a, 0, x, out};
    return db_transaction(c, write_cb, &w);
}

int activities_update(db *c, const principal *p, arena *a, int64_t id, const activity *x, activity *out)
{
    struct write_args w = {p, a, id, x, out};
    return db_transaction(c, write_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    activity before;
    int rc = activities_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "DELETE FROM activities WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = stats_add(c, before.org_path, before.start_date, before.kind, before.audience, &before.counts, -1);
    if (rc == DB_OK) rc = audit_activity(c, w, &before, "delete");
    return rc;
}

int activities_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct write_args w = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &w);
}

int activities_export(db *c, const principal *p, arena *a, const activity_filter *f, int64_t max_rows,
                      xlsx *out)
{
    const char *org_path = NULL;
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? ACT_ORG_NOT_FOUND : rc;
        org_path = o.path;
    }
    qb q;
    qb_init(&q, "SELECT " ACT_COLS ", k.name" ACT_FROM " JOIN activity_kinds k ON k.code = x.kind");
    list_where(&q, p, a, f, org_path);
    qb_sql(&q, " ORDER BY x.start_date, x.id LIMIT ?");
    qb_int(&q, max_rows);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        /* Straight from the row: no per-row allocation, whatever the length of the export. */
        xlsx_text(out, 0, db_col_text(s, 6));
        xlsx_text(out, 1, db_col_text(s, 7));
        xlsx_text(out, 2, db_col_text(s, 5));
        xlsx_text(out, 3, db_col_text(s, 23));
        xlsx_text(out, 4, db_col_text(s, 3));
        xlsx_text(out, 5, db_col_text(s, 8));
        for (int m = 1; m < STATS_NMETRICS; m++) xlsx_int(out, 5 + m, db_col_int(s, 12 + m));
        xlsx_next_row(out);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

void activities_init(void)
{
    stats_register_source(stats_source);
    orgs_track_path_column("activities", "org_path");
}
